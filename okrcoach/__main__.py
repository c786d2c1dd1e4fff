"""Command line: `python -m okrcoach --help`."""

import argparse
import sys
from pathlib import Path

from okrcoach import backup, csv_export, demo, engagements, handout, pack, review_cli
from okrcoach.access import new_code, new_pin
from okrcoach.errors import InputError
from okrcoach.store import Store, resolve_path


def _store(args: argparse.Namespace) -> Store:
    return Store(resolve_path(args.db))


def _demo(args: argparse.Namespace) -> None:
    store = _store(args)
    pin = args.pin or new_pin()
    engagement = demo.load_demo(store, code=args.code or new_code(), pin=pin)
    print(f"Loaded the demo engagement into {store.path}")
    print(f"Workshop code: {engagement.workshop_code}")
    print(f"Facilitator PIN: {pin}")


def _pin(args: argparse.Namespace) -> None:
    store = _store(args)
    engagement, _ = engagements.ensure_current(store)
    pin = args.pin or new_pin()
    engagements.set_pin(store, engagement.id, pin)
    print(f"Facilitator PIN for '{engagement.name}': {pin}")
    print(f"Workshop code: {engagement.workshop_code}")


def _export(args: argparse.Namespace) -> None:
    store = _store(args)
    engagement, _ = engagements.ensure_current(store)
    data = EXPORTS[args.what](store, engagement, args)
    Path(args.out).write_bytes(data)
    print(f"Wrote {args.what} of '{engagement.name}' to {args.out} ({len(data):,} bytes)")


def _import(args: argparse.Namespace) -> None:
    restored = backup.restore_file(_store(args), Path(args.path))
    print(f"Restored '{restored.name}'; the engagement that was in use is archived.")
    print(f"Workshop code: {restored.workshop_code} (the facilitator PIN is unchanged)")


EXPORTS = {
    "pack": lambda store, engagement, args: pack.build_pack(store, engagement),
    "handout": lambda store, engagement, args: handout.build_handout(store, engagement, args.team),
    "csv": lambda store, engagement, args: csv_export.build_csv(store, engagement),
    "json": lambda store, engagement, args: backup.backup_bytes(store, engagement),
}


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    main = argparse.ArgumentParser(prog="python -m okrcoach",
                                   description="okrcoach: run OKRs drafting workshops from one laptop.")
    commands = main.add_subparsers(dest="command", required=True)
    db_help = "database file (default: $OKRCOACH_DB or data/okrcoach.db)"
    demo_cmd = commands.add_parser("demo", help="load the demo engagement (the one in use is archived)")
    demo_cmd.add_argument("--db", help=db_help)
    demo_cmd.add_argument("--code", help="workshop code to use (default: a new random one)")
    demo_cmd.add_argument("--pin", help="facilitator PIN to use (default: a new random one)")
    demo_cmd.set_defaults(run=_demo)
    pin_cmd = commands.add_parser("pin", help="set a new facilitator PIN and print it with the workshop code")
    pin_cmd.add_argument("--db", help=db_help)
    pin_cmd.add_argument("--pin", help="the PIN to set (default: a new random one)")
    pin_cmd.set_defaults(run=_pin)
    export_cmd = commands.add_parser("export", help="write the draft pack, a handout, the CSV or a JSON backup")
    export_cmd.add_argument("what", choices=list(EXPORTS))
    export_cmd.add_argument("--out", required=True, help="file to write")
    export_cmd.add_argument("--team", help="handout only: pre-fill with this team's draft (its slug)")
    export_cmd.add_argument("--db", help=db_help)
    export_cmd.set_defaults(run=_export)
    import_cmd = commands.add_parser("import", help="restore a JSON backup (the engagement in use is archived)")
    import_cmd.add_argument("path")
    import_cmd.add_argument("--db", help=db_help)
    import_cmd.set_defaults(run=_import)
    review_cli.add_parser(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command; problems a person can fix exit with status 2 and a message."""
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except InputError as error:
        print(f"okrcoach: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
