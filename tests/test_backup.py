"""JSON backup and restore: identical engagement after a round trip; bad files change nothing."""

import json
import time

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
    (lambda c: c["objectives"][0].update(text=5), r"objective 1: text must be text of at most 1,000,000 characters"),
    (lambda c: c["objectives"][0].update(text="x" * 1_000_001), r"objective 1: text must be text of at most"),
    (lambda c: c["teams"][0].update(id=0), r'team 1 .*: id must be a whole number above 0, got 0'),
    (lambda c: c["key_results"][0].update(baseline=float("nan")), r"key result 1: baseline must be a number, got nan"),
    (lambda c: c["votes"][0].update(dots=True), r"vote 1: dots must be a whole number, got true"),
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
