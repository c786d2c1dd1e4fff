"""Command line: `python -m okrcoach --help`."""

import argparse
import json
import sys
import time
from pathlib import Path

from okrcoach.drafting import demo
from okrcoach.errors import InputError
from okrcoach.exports import backup, csv_export, handout, pack, spreadsheet
from okrcoach.exports import reading as review_export
from okrcoach.storage.store import Store, resolve_path
from okrcoach.workshop import engagements
from okrcoach.workshop.access import new_code, new_pin
from okrcoach.workshop.engagements import DeploymentParameters


def _store(args: argparse.Namespace) -> Store:
    return Store(resolve_path(args.db))


def _existing_store(args: argparse.Namespace) -> Store:
    """The database named by --db (or the default); a mistyped path is refused, never created empty."""
    path = resolve_path(args.db)
    if not path.is_file():
        raise InputError(f"{path}: no such database file; check --db (or OKRCOACH_DB), or start the app "
                         f"once to create it.")
    return Store(path)


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
    out = Path(args.out)
    if out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file name, e.g. {out / FILE_NAMES[args.what]}")
    if not out.parent.is_dir():
        raise InputError(f"--out {out}: the folder {out.parent} does not exist.")
    if args.team is not None and args.what not in WITH_TEAM:
        raise InputError(f"--team: the {args.what} export always covers every team; --team works with "
                         f"{', '.join(WITH_TEAM)}.")
    store = _existing_store(args)
    engagement, _ = engagements.ensure_current(store)
    data = EXPORTS[args.what](store, engagement, args)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise InputError(f"--out {out}: cannot be written ({error.strerror or error}).") from None
    team = f", team {args.team}" if args.team else ""
    print(f"Wrote {args.what} of '{engagement.name}'{team} to {out} ({len(data):,} bytes)")


def _import(args: argparse.Namespace) -> None:
    store = _existing_store(args)
    restored = backup.restore_file(store, Path(args.path))
    print(f"Restored '{restored.name}' into {store.path}; the engagement that was in use is archived "
          f"(`python -m okrcoach engagements list` shows it).")
    print(f"Workshop code: {restored.workshop_code} (the facilitator PIN is unchanged)")


def _engagements(args: argparse.Namespace) -> None:
    store = _existing_store(args)
    if args.action == "switch":
        if args.id is None:
            raise InputError("engagements switch: say which engagement, e.g. `engagements switch 3` "
                             "(`engagements list` shows the numbers).")
        back = engagements.switch_to(store, args.id)
        print(f"Switched back to '{back.name}' (engagement {back.id}); the one that was in use is archived.")
        print(f"Workshop code: {back.workshop_code} (the facilitator PIN is unchanged)")
        return
    if args.id is not None:
        raise InputError(f"engagements list takes no number; to switch back, `engagements switch {args.id}`.")
    current = engagements.current(store)
    if current:
        print(f"In use: {current.id}  {current.name}" + (f" ({current.client})" if current.client else ""))
    archived = engagements.archived(store)
    print("Archived:" if archived else "Archived: none")
    for row in archived:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["archived_at"]))
        client = f" ({row['client']})" if row["client"] else ""
        print(f"  {row['id']}  {row['name']}{client}, archived {when}")


def _review(args: argparse.Namespace) -> None:
    rows, params = review_export.read_export_with_params(args.path)
    items = review_export.review_rows(rows, params or DeploymentParameters())
    print(json.dumps({"items": items}, ensure_ascii=False, indent=2) if args.format == "json" else review_text(items))


def review_text(items: list[dict]) -> str:
    """The review grouped per team, objective and key result, questions indented beneath each."""
    lines, count, teams = [], 0, 0
    for item in items:
        questions = item["questions"]
        count += len(questions)
        if item["objective"] is None:
            lines += [""] if lines else []
            lines.append(item["team"])
            teams, indent = teams + 1, "  "
        elif item["key_result"] is None:
            lines.append(f"  Objective: {item['objective']}")
            indent = "    "
        elif questions:
            lines.append(f"    Key result: {item['key_result']}")
            indent = "      "
        lines += [f"{indent}? {q['question']}  [{q['rule']}]" for q in questions]
    if not count:
        summary = "No open questions."
    else:
        summary = (f"{count} open question{'s' if count != 1 else ''} across {teams} "
                   f"team{'s' if teams != 1 else ''}.")
    return "\n".join([*lines, "", summary])


EXPORTS = {
    "pack": lambda store, engagement, args: pack.build_pack(store, engagement),
    "handout": lambda store, engagement, args: handout.build_handout(store, engagement, args.team),
    "csv": lambda store, engagement, args: csv_export.build_csv(store, engagement, args.team),
    "xlsx": lambda store, engagement, args: spreadsheet.build_xlsx(store, engagement, args.team),
    "json": lambda store, engagement, args: backup.backup_bytes(store, engagement),
}
WITH_TEAM = ("handout", "csv", "xlsx")
FILE_NAMES = {"pack": "draft-pack.docx", "handout": "handout.docx", "csv": "okrs.csv", "xlsx": "okrs.xlsx",
              "json": "backup.json"}


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
    export_cmd = commands.add_parser("export", help="write the draft pack, a handout, the CSV or .xlsx, or a "
                                                    "JSON backup")
    export_cmd.add_argument("what", choices=list(EXPORTS))
    export_cmd.add_argument("--out", required=True, help="file to write (its folder must exist)")
    export_cmd.add_argument("--team", help="this team only (its slug): the handout pre-filled with its draft, "
                                           "or its rows of the CSV or .xlsx")
    export_cmd.add_argument("--db", help=db_help)
    export_cmd.set_defaults(run=_export)
    import_cmd = commands.add_parser("import", help="restore a JSON backup (the engagement in use is archived)")
    import_cmd.add_argument("path")
    import_cmd.add_argument("--db", help=db_help)
    import_cmd.set_defaults(run=_import)
    engagements_cmd = commands.add_parser(
        "engagements", help="list the engagement in use and the archived ones, or switch back to one")
    engagements_cmd.add_argument("action", choices=("list", "switch"), nargs="?", default="list",
                                 help="list them (the default), or switch back to the archived one numbered ID")
    engagements_cmd.add_argument("id", type=int, nargs="?", help="switch: the archived engagement's number")
    engagements_cmd.add_argument("--db", help=db_help)
    engagements_cmd.set_defaults(run=_engagements)
    review_cmd = commands.add_parser(
        "review", help="print the coaching questions a CSV export or JSON backup raises",
        description="Run the coaching review on a CSV export (columns: "
                    f"{','.join(csv_export.REVIEW_COLUMNS)}; lists joined with '; ') or an okrcoach JSON backup.")
    review_cmd.add_argument("path", metavar="PATH", help="the CSV export or JSON backup to review")
    review_cmd.add_argument("--format", choices=("text", "json"), default="text",
                            help="text for people (default), json for tools")
    review_cmd.set_defaults(run=_review)
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

