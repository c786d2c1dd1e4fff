"""The command line, `python -m okrcoach` (okrcoach/cli/commands.py), run as the coach runs it."""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrcoach.cli.commands import main, parser
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
    assert set(commands) >= {"demo", "pin", "export", "import", "review"}
    missing = [name for name in commands if f"python -m okrcoach {name}" not in readme]
    assert not missing, f"README.md does not show `python -m okrcoach <command>` for {missing}"
