"""The command line, `python -m okrcoach` (okrcoach/cli/commands.py), run as the coach runs it."""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from okrcoach.cli.commands import main, parser
from okrcoach.drafting import demo
from okrcoach.exports import backup
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams

ROOT = Path(__file__).resolve().parents[1]
T0 = 1_700_000_000.0


@pytest.fixture(autouse=True)
def no_okrcoach_db(monkeypatch):
    """In-process runs see no OKRCOACH_DB unless a test sets one."""
    monkeypatch.delenv("OKRCOACH_DB", raising=False)


def okrcoach(*args: str) -> subprocess.CompletedProcess:
    """Run the command line as the coach does, in a process of its own (only where that is the point)."""
    env = {k: v for k, v in os.environ.items() if k != "OKRCOACH_DB"}
    return subprocess.run([sys.executable, "-m", "okrcoach", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (quicker: no interpreter start-up)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def printed(output: str, label: str) -> str:
    match = re.search(rf"{label}[^:]*: (\S+)\s*$", output, re.MULTILINE)
    assert match, f"no '{label}' in {output!r}"
    return match.group(1)


def test_python_dash_m_okrcoach_help_exits_zero_and_lists_the_commands():
    result = okrcoach("--help")
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout and "pin" in result.stdout


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_demo_with_db_code_and_pin_prints_both_and_loads_the_demo(tmp_path, capsys):
    path = tmp_path / "workshop.db"
    status, out, err = run_in_process(capsys, "demo", "--db", str(path), "--code", "ABCD42", "--pin", "1234")
    assert status == 0, err
    assert printed(out, "Workshop code") == "ABCD42"
    assert printed(out, "Facilitator PIN") == "1234"
    assert str(path) in out
    store = Store(path)
    engagement = engagements.current(store)
    assert engagement.client == "Fernhollow Outdoor Co."
    assert engagement.workshop_code == "ABCD42"
    assert len(teams.list_teams(store, engagement.id)) == 5
    assert access.sign_in(store, "1234", now=T0)


def test_demo_without_code_and_pin_prints_new_ones_that_work(tmp_path, capsys):
    path = tmp_path / "workshop.db"
    status, out, err = run_in_process(capsys, "demo", "--db", str(path))
    assert status == 0, err
    code, pin = printed(out, "Workshop code"), printed(out, "Facilitator PIN")
    store = Store(path)
    assert access.code_matches(code, engagements.current(store).workshop_code)
    assert access.sign_in(store, pin, now=T0)


def test_demo_uses_okrcoach_db_from_the_environment(tmp_path, capsys, monkeypatch):
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("OKRCOACH_DB", str(path))
    status, out, err = run_in_process(capsys, "demo", "--code", "ENVDB1", "--pin", "4321")
    assert status == 0, err
    assert str(path) in out
    assert engagements.current(Store(path)).workshop_code == "ENVDB1"


def test_the_db_flag_wins_over_okrcoach_db(tmp_path, capsys, monkeypatch):
    flag, env = tmp_path / "flag.db", tmp_path / "env.db"
    monkeypatch.setenv("OKRCOACH_DB", str(env))
    status, _, err = run_in_process(capsys, "demo", "--db", str(flag), "--code", "FLAG42")
    assert status == 0, err
    assert engagements.current(Store(flag)).workshop_code == "FLAG42"
    assert not env.exists()


def test_pin_prints_a_new_pin_that_signs_in_and_the_old_one_no_longer_does(tmp_path, capsys):
    path = tmp_path / "workshop.db"
    store = Store(path)
    engagement, old_pin = engagements.ensure_current(store)

    status, out, err = run_in_process(capsys, "pin", "--db", str(path))

    assert status == 0, err
    pin = printed(out, "Facilitator PIN")
    assert len(pin) == 6 and pin.isdigit()
    assert printed(out, "Workshop code") == engagement.workshop_code
    assert access.sign_in(store, pin, now=T0)
    if pin != old_pin:
        assert access.sign_in(store, old_pin, now=T0) is None


def test_pin_on_a_new_database_creates_the_engagement(tmp_path, capsys, monkeypatch):
    path = tmp_path / "new.db"
    monkeypatch.setenv("OKRCOACH_DB", str(path))
    status, out, err = run_in_process(capsys, "pin", "--pin", "9876")
    assert status == 0, err
    assert printed(out, "Facilitator PIN") == "9876"
    assert access.sign_in(Store(path), "9876", now=T0)


def test_a_bad_pin_exits_2_with_a_message(tmp_path, capsys):
    status, _, err = run_in_process(capsys, "pin", "--db", str(tmp_path / "workshop.db"), "--pin", "12")
    assert status == 2
    assert err == "okrcoach: The facilitator PIN must be 4 to 12 digits (0 to 9).\n"


def test_a_bad_demo_code_exits_2_with_a_message(tmp_path, capsys):
    status, _, err = run_in_process(capsys, "demo", "--db", str(tmp_path / "workshop.db"), "--code", "AB")
    assert status == 2
    assert err == "okrcoach: The workshop code must be 4 to 12 letters (A to Z) or digits.\n"


@pytest.mark.parametrize("bad", [["--code", "AB"], ["--pin", "12"]])
def test_a_refused_demo_command_leaves_the_engagement_in_use_alone(tmp_path, capsys, bad):
    path = tmp_path / "workshop.db"
    store = Store(path)
    engagement, _ = engagements.ensure_current(store)
    teams.add(store, engagement.id, "Stores team")

    status, _, _ = run_in_process(capsys, "demo", "--db", str(path), *bad)

    assert status == 2
    assert engagements.current(store) == engagement
    assert engagements.archived(store) == []


def test_every_subcommand_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(commands) >= {"demo", "pin", "export", "import", "engagements", "review"}
    missing = [name for name in commands if f"python -m okrcoach {name}" not in readme]
    assert not missing, f"README.md does not show `python -m okrcoach <command>` for {missing}"


# --- export: the database, --out and --team -------------------------------------------------------------


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "workshop.db"
    demo.load_demo(Store(path), code="DEMO42", pin="4242")
    return path


def test_export_refuses_a_database_that_does_not_exist_and_creates_none(tmp_path, capsys):
    missing, out = tmp_path / "mistyped.db", tmp_path / "pack.docx"
    status, printed_out, err = run_in_process(capsys, "export", "pack", "--db", str(missing), "--out", str(out))
    assert status == 2 and printed_out == ""
    assert err == f"okrcoach: {missing}: no such database file; check --db (or OKRCOACH_DB), or start the app " \
                  f"once to create it.\n"
    assert not missing.exists() and not out.exists()


@pytest.mark.parametrize("out, message", [
    ("no-such-folder/pack.docx", "the folder {tmp}/no-such-folder does not exist."),
    (".", "is a folder; give a file name, e.g. {tmp}/draft-pack.docx"),
])
def test_a_bad_out_path_is_one_line_not_a_traceback(tmp_path, capsys, demo_db, out, message):
    target = tmp_path / out
    status, _, err = run_in_process(capsys, "export", "pack", "--db", str(demo_db), "--out", str(target))
    assert status == 2
    assert err == f"okrcoach: --out {target}: {message.format(tmp=tmp_path)}\n"


@pytest.mark.parametrize("what", ["pack", "json"])
def test_team_is_refused_where_an_export_covers_every_team(tmp_path, capsys, demo_db, what):
    out = tmp_path / f"out.{what}"
    status, _, err = run_in_process(capsys, "export", what, "--db", str(demo_db), "--out", str(out),
                                    "--team", "stores")
    assert status == 2 and not out.exists()
    assert err == (f"okrcoach: --team: the {what} export always covers every team; --team works with "
                   f"handout, csv, xlsx.\n")


def test_team_is_honoured_by_the_csv_the_workbook_and_the_handout(tmp_path, capsys, demo_db):
    for what in ("csv", "xlsx", "handout"):
        out = tmp_path / f"stores.{what}"
        status, printed_out, err = run_in_process(capsys, "export", what, "--db", str(demo_db), "--out", str(out),
                                                  "--team", "stores")
        assert status == 0, err
        assert f", team stores to {out}" in printed_out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "stores.csv").read_text(encoding="utf-8-sig"))))
    assert rows and {r["team"] for r in rows} == {"Stores team"}
    workbook = load_workbook(tmp_path / "stores.xlsx")
    assert {c.value for sheet in workbook for c in sheet["C"][1:]} == {"Stores team"}
    assert "Stores team" in "\n".join(p.text for p in Document(tmp_path / "stores.handout").paragraphs)


def test_an_unknown_team_is_one_line(tmp_path, capsys, demo_db):
    out = tmp_path / "x.csv"
    status, _, err = run_in_process(capsys, "export", "csv", "--db", str(demo_db), "--out", str(out),
                                    "--team", "nobody")
    assert status == 2 and not out.exists()
    assert err.startswith("okrcoach: There is no team with the link name 'nobody' in this engagement;")
    assert err.count("\n") == 1


def test_export_writes_every_kind_from_an_existing_database(tmp_path, capsys, demo_db):
    for what in ("pack", "handout", "csv", "xlsx", "json"):
        out = tmp_path / f"all.{what}"
        status, printed_out, err = run_in_process(capsys, "export", what, "--db", str(demo_db), "--out", str(out))
        assert status == 0, err
        name, size = "Fernhollow Outdoor Co. — OKRs launch, Q1 cycle", out.stat().st_size
        assert printed_out == f"Wrote {what} of '{name}' to {out} ({size:,} bytes)\n"


# --- import and engagements ------------------------------------------------------------------------------


def test_import_archives_the_one_in_use_and_engagements_switch_brings_it_back(tmp_path, capsys, demo_db):
    source = Store(demo_db)
    backup_file = tmp_path / "backup.json"
    backup_file.write_bytes(backup.backup_bytes(source, engagements.current(source)))
    path = tmp_path / "laptop.db"
    status, _, err = run_in_process(capsys, "import", str(backup_file), "--db", str(path))
    assert status == 2 and "no such database file" in err and not path.exists()
    first = engagements.start_new(Store(path), "Earlier client")

    status, out, err = run_in_process(capsys, "import", str(backup_file), "--db", str(path))
    assert status == 0, err
    assert f"Restored 'Fernhollow Outdoor Co. — OKRs launch, Q1 cycle' into {path}" in out

    status, out, err = run_in_process(capsys, "engagements", "list", "--db", str(path))
    assert status == 0, err
    restored = engagements.current(Store(path))
    lines = out.splitlines()
    assert lines[0] == f"In use: {restored.id}  Fernhollow Outdoor Co. — OKRs launch, Q1 cycle (Fernhollow Outdoor Co.)"
    assert lines[1] == "Archived:"
    assert re.fullmatch(rf"  {first.id}  Earlier client, archived \d{{4}}-\d\d-\d\d \d\d:\d\d", lines[2])
    assert len(lines) == 3

    status, out, err = run_in_process(capsys, "engagements", "switch", str(first.id), "--db", str(path))
    assert status == 0, err
    assert out.startswith(f"Switched back to 'Earlier client' (engagement {first.id})")
    assert engagements.current(Store(path)).id == first.id
    assert restored.id in {row["id"] for row in engagements.archived(Store(path))}


@pytest.mark.parametrize("args, message", [
    (["switch"], "engagements switch: say which engagement, e.g. `engagements switch 3`"),
    (["switch", "999"], "There is no archived engagement 999; the archived ones are none."),
    (["list", "3"], "engagements list takes no number; to switch back, `engagements switch 3`."),
])
def test_a_refused_switch_is_one_line_and_changes_nothing(capsys, demo_db, args, message):
    before = engagements.current(Store(demo_db))
    status, _, err = run_in_process(capsys, "engagements", *args, "--db", str(demo_db))
    assert status == 2 and err.startswith(f"okrcoach: {message}") and err.count("\n") == 1
    assert engagements.current(Store(demo_db)) == before


def test_engagements_refuses_a_database_that_does_not_exist(tmp_path, capsys):
    status, _, err = run_in_process(capsys, "engagements", "--db", str(tmp_path / "nope.db"))
    assert status == 2 and "no such database file" in err and not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("change", [
    lambda c: c["key_results"][0].update(baseline="lots"),
    lambda c: c["engagement"].update(max_objectives="three"),
    lambda c: c["engagement"].update(max_key_results=0),
    lambda c: c["engagement"].update(levels=5),
    lambda c: c["engagement"].update(workshop_code=""),
    lambda c: c["engagement"].update(workshop_code="demo42"),
    lambda c: next(t for t in c["teams"] if t["kind"] == "team").update(kind="top"),
    lambda c: c["objectives"][0].update(text="x" * 2_000_000),
    lambda c: c["revisions"][0].update(body="{not json"),
], ids=["baseline-lots", "max-objectives-three", "max-key-results-0", "levels-5", "empty-code", "lower-case-code",
        "two-top-level-teams", "2-MB-objective", "revision-body-not-json"])
def test_import_refuses_each_wrong_backup_in_one_line_and_changes_nothing(tmp_path, capsys, demo_db, change):
    store = Store(demo_db)
    before, archived = engagements.current(store), engagements.archived(store)
    content = backup.build_backup(store, before)
    change(content)
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    status, out, err = run_in_process(capsys, "import", str(path), "--db", str(demo_db))
    assert status == 2 and out == ""
    assert err.startswith("okrcoach: wrong.json") and err.endswith("Nothing was changed.\n") and err.count("\n") == 1
    assert engagements.current(store) == before and engagements.archived(store) == archived
