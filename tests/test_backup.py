"""JSON backup and restore: identical engagement after a round trip; bad files change nothing."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from okrcoach.drafting import demo, dependencies, executive
from okrcoach.errors import InputError
from okrcoach.exports import backup
from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, runs, teams


def canonical(content: dict) -> dict:
    """The backup with ids replaced by position, so two databases' backups can be compared."""
    content = json.loads(json.dumps(content))
    content.pop("exported_at")
    positions = {"engagements": {content["engagement"].pop("id"): 0}}
    for table, _, _ in backup.TABLES:
        positions[table] = {row["id"]: n for n, row in enumerate(content[table]) if "id" in row}
    for table, _, references in backup.TABLES:
        for row in content[table]:
            row.pop("id", None)
            for column, target in backup._references(table, row, references).items():
                if row.get(column) is not None:
                    row[column] = positions[target][row[column]]
    for table in ("engagement",):
        content[table].pop("stamp"), content[table].pop("created_at"), content[table].pop("archived_at")
    return content


@pytest.fixture
def full(tmp_path):
    """A demo engagement with a run, votes, answered dependencies and parking lot."""
    store = Store(tmp_path / "source.db")
    engagement = demo.load_demo(store, code="ROUND1", pin="1111")
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time() - 100)
    runs.act(store, run.id, "next", time.time() - 50)
    candidate = executive.propose(store, engagement.id, "Candidate", "why", "CEO")
    executive.cast(store, engagement.id, "Ana", {candidate: 2})
    stores = teams.by_slug(store, engagement.id, "stores")
    dependencies.answer(store, stores, dependencies.asked_of(store, stores.id)[0].id, "accepted", "ok", "t")
    return store, engagements.current(store)


def test_restore_into_an_empty_database_gives_an_identical_engagement(tmp_path, full):
    store, engagement = full
    original = backup.build_backup(store, engagement)
    target = Store(tmp_path / "target.db")
    engagements.ensure_current(target)
    restored = backup.restore(target, backup.read_backup(backup.backup_bytes(store, engagement)))
    assert canonical(backup.build_backup(target, restored)) == canonical(original)
    assert restored.workshop_code == "ROUND1"
    assert len(engagements.archived(target)) == 1


def test_backup_holds_no_pin(full):
    store, engagement = full
    assert b"pin_hash" not in backup.backup_bytes(store, engagement)


@pytest.mark.parametrize("data, message", [
    (b"{not json", "line 1, column 2"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"format": "something-else"}', "not an okrcoach backup"),
    (b'{"format": "okrcoach-backup", "version": 99}', "version 99"),
    (b'{"format": "okrcoach-backup", "version": 1, "engagement": {}}', 'bad.json: missing field "engagement.name"'),
    (b'{"format": "okrcoach-backup", "version": 1, "engagement": {"name": "x", "cycle_start": "2026-01-05", '
     b'"cycle_end": "2026-03-31", "workshop_code": "ABCD", "created_at": 1}}', 'bad.json: missing field "teams"'),
])
def test_malformed_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(InputError, match=message):
        backup.read_backup(data, "bad.json")


def test_a_backup_that_does_not_fit_together_changes_nothing(tmp_path, full):
    store, engagement = full
    content = backup.build_backup(store, engagement)
    content["key_results"][0]["objective_id"] = 999_999
    target = Store(tmp_path / "target.db")
    before, _ = engagements.ensure_current(target)
    with pytest.raises(InputError, match=r"key_results\[0\]\.objective_id points at a missing"):
        backup.restore(target, content, "bad.json")
    assert engagements.current(target) == before and engagements.archived(target) == []


def test_a_value_the_app_cannot_read_is_refused_and_changes_nothing(tmp_path, full):
    store, engagement = full
    content = backup.build_backup(store, engagement)
    next(run for run in content["runs"] if run["archived_at"] is None)["state"] = '{"broken": true}'
    target = Store(tmp_path / "target.db")
    before, _ = engagements.ensure_current(target)
    with pytest.raises(InputError, match="does not fit together"):
        backup.restore(target, content, "bad.json")
    assert engagements.current(target) == before


def test_unknown_fields_are_named(tmp_path, full):
    store, engagement = full
    content = backup.build_backup(store, engagement)
    content["teams"][1]["colour"] = "red"
    with pytest.raises(InputError, match=r'bad.json, team 2 "[\w-]+": unknown field "colour" \(allowed: id, '):
        backup.restore(Store(tmp_path / "t.db"), content, "bad.json")


@pytest.mark.parametrize("change, message", [
    (lambda c: c["objectives"][0].update(text=5), r"objective 1: text must be non-empty text of at most 10,000 "
                                                  r"characters, got 5"),
    (lambda c: c["objectives"][0].update(text="x" * 10_001), r"objective 1: text must be non-empty text of at most "
                                                             r"10,000"),
    (lambda c: c["teams"][0].update(id=0), r'team 1 .*: id must be a whole number above 0, got 0'),
    (lambda c: c["key_results"][0].update(baseline=float("nan")), r"key result 1: baseline must be a number from "
                                                                  r"-1,000,000,000,000,000 to 1,0.*, got nan"),
    (lambda c: c["votes"][0].update(dots=True), r"vote 1: dots must be a whole number from 1 to 10, got true"),
    (lambda c: c["engagement"].update(pin_hash="x"), r'unknown field "pin_hash"'),
    (lambda c: c["revisions"][0].update(entity_id=999_999), r"revisions\[0\]\.entity_id points at a missing"),
    (lambda c: c["teams"].append(dict(c["teams"][0])), r"teams\[\d+\]\.id \d+ appears twice"),
    (lambda c: c["parking_lot"][0].update(engagement_id=999_999), r"parking_lot\[0\]\.engagement_id points at"),
    (lambda c: c.update(teams={}), r"bad.json: teams must be a list of at most 200,000 rows, got a table"),
])
def test_the_whole_backup_is_checked_before_anything_is_archived(tmp_path, full, change, message):
    store, engagement = full
    content = backup.build_backup(store, engagement)
    change(content)
    target = Store(tmp_path / "target.db")
    before, _ = engagements.ensure_current(target)
    with pytest.raises(InputError, match=message):
        backup.restore(target, content, "bad.json")
    with pytest.raises(InputError, match=message):
        backup.read_backup(json.dumps(content).encode("utf-8"), "bad.json")
    assert engagements.current(target) == before and engagements.archived(target) == []


def test_a_file_bigger_than_any_backup_is_refused_unread():
    with pytest.raises(InputError, match="a backup holds at most 50,000,000"):
        backup.read_backup(b" " * (backup.MAX_BYTES + 1), "huge.json")


def _second_team(content: dict) -> dict:
    return next(row for row in content["teams"] if row["kind"] == "team")


def _team_objective(content: dict) -> dict:
    return next(o for o in content["objectives"] if o["team_id"] == _second_team(content)["id"])


def _owner(content: dict, key_result_id: int) -> int:
    objective_id = next(k["objective_id"] for k in content["key_results"] if k["id"] == key_result_id)
    return next(o["team_id"] for o in content["objectives"] if o["id"] == objective_id)


# The wrong backups issue 18 lists, and others like them: each is refused in one line naming what and where.
@pytest.mark.parametrize("change, message", [
    (lambda c: c["key_results"][0].update(baseline="lots"), r'key result 1: baseline must be a number from .*'
                                                            r'got "lots"'),
    (lambda c: c["key_results"][0].update(target=1e16), r"key result 1: target must be a number from"),
    (lambda c: c["engagement"].update(max_objectives="three"),
     r'engagement.max_objectives must be a whole number from 1 to 5, got "three"'),
    (lambda c: c["engagement"].update(max_key_results=0), r"engagement.max_key_results must be a whole number from 1 "
                                                          r"to 6, got 0"),
    (lambda c: c["engagement"].update(min_key_results=4, max_key_results=3), r"engagement: Key results per objective"),
    (lambda c: c["engagement"].update(levels=5), r"engagement.levels must be top or team, or both .*got 5"),
    (lambda c: c["engagement"].update(levels="top,5"), r'engagement.levels must be .*got "top,5"'),
    (lambda c: c["engagement"].update(workshop_code=""), r'engagement.workshop_code must be 4 to 12 capital .*got ""'),
    (lambda c: c["engagement"].update(workshop_code="round1"), r'workshop_code must be .*got "round1"'),
    (lambda c: c["engagement"].update(name="  "), r"engagement.name must be non-empty one line"),
    (lambda c: c["engagement"].update(cycle_end="2020-01-01"), r"engagement.cycle_end 2020-01-01 is not after"),
    (lambda c: c["engagement"].update(cycle_start="next week"), r"cycle_start must be a date written YYYY-MM-DD"),
    (lambda c: _second_team(c).update(kind="top"), r"teams: 2 top-level teams \(Leadership team, .*\); an engagement "
                                                   r"has at most one"),
    (lambda c: _second_team(c).update(slug="leadership"), r"teams: the link name leadership is used by two teams"),
    (lambda c: _second_team(c).update(slug="Not A Slug"), r'slug must be a link name .*got "Not A Slug"'),
    (lambda c: _second_team(c).update(name="x" * 61), r"name must be non-empty one line of at most 60 characters"),
    (lambda c: c["objectives"][0].update(text="x" * 2_000_000), r"objective 1: text must be non-empty text of at most "
                                                                r"10,000 characters"),
    (lambda c: c["objectives"][0].update(status="done"), r'objective 1: status must be one of "drafting", "ready"'),
    (lambda c: c["key_results"][0].update(kr_type="vibes"), r"key result 1: kr_type must be one of"),
    (lambda c: c["key_results"][0].update(due="soon"), r'key result 1: due must be a date written YYYY-MM-DD, '
                                                       r'got "soon"'),
    (lambda c: c["key_results"][0].update(unit="per\nline"), r"key result 1: unit must be one line of at most 40"),
    (lambda c: c["revisions"][0].update(body="not JSON"), r'revision 1: body must be JSON text holding a table, '
                                                          r'got "not JSON"'),
    (lambda c: c["runs"][0].update(items="{}"), r"run 1 .*: items must be JSON text holding a list"),
    (lambda c: c["runs"].append({**c["runs"][-1], "id": 999}), r"runs: more than one run is in use"),
    (lambda c: c["contributions"].append({"objective_id": _team_objective(c)["id"],
                                          "top_objective_id": _team_objective(c)["id"]}),
     r"contributions\[\d+\]\.top_objective_id is not an objective of the top-level team"),
    (lambda c: c["contributions"].append(dict(c["contributions"][0])),
     r"contributions\[\d+\]: objective_id and top_objective_id \d+ and \d+ appears twice"),
    (lambda c: c["dependencies"][0].update(status="maybe"), r"dependency 1: status must be one of"),
    (lambda c: c["dependencies"][0].update(to_team_id=_owner(c, c["dependencies"][0]["key_result_id"])),
     r"dependencies\[0\]: a key result depends on its own team"),
    (lambda c: c["comments"].append({"id": 1, "objective_id": c["objectives"][0]["id"], "text": "Can we help?",
                                     "key_result_id": next(k["id"] for k in c["key_results"]
                                                           if k["objective_id"] != c["objectives"][0]["id"]),
                                     "from_team_id": _second_team(c)["id"], "created_at": 1.0}),
     r"comments\[0\]\.key_result_id is not a key result of its objective_id"),
    (lambda c: c["candidates"][0].update(promoted_objective_id=_team_objective(c)["id"]),
     r"candidates\[0\]\.promoted_objective_id is not an objective of the top-level team"),
])
def test_a_backup_the_app_could_not_use_is_refused_in_one_line_and_changes_nothing(tmp_path, full, change, message):
    store, engagement = full
    content = backup.build_backup(store, engagement)
    change(content)
    target = Store(tmp_path / "target.db")
    before, _ = engagements.ensure_current(target)
    for attempt in (lambda: backup.restore(target, content, "bad.json"),
                    lambda: backup.read_backup(json.dumps(content).encode("utf-8"), "bad.json")):
        with pytest.raises(InputError, match=message) as refused:
            attempt()
        assert str(refused.value).startswith("bad.json") and str(refused.value).endswith("Nothing was changed.")
        assert "\n" not in str(refused.value)
    assert engagements.current(target) == before and engagements.archived(target) == []


def test_the_demo_and_a_full_engagement_pass_every_check(full):
    store, engagement = full
    assert backup.check(backup.build_backup(store, engagement))


def test_a_backup_is_checked_on_any_thread(full):
    """Streamlit runs each script run on a thread of its own: nothing cached may be bound to the first one."""
    store, engagement = full
    content = backup.build_backup(store, engagement)
    backup.check(content)
    with ThreadPoolExecutor(max_workers=1) as other_thread:
        assert other_thread.submit(backup.check, content).result() is content
