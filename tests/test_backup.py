"""JSON backup and restore: identical engagement after a round trip; bad files change nothing."""

import json
import time

import pytest

from okrcoach import agendas, backup, demo, dependencies, engagements, executive, runs, teams
from okrcoach.errors import InputError
from okrcoach.store import Store


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
    (b'{"format": "okrcoach-backup", "version": 1, "engagement": {}}', "field 'teams'"),
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
    with pytest.raises(InputError, match=r"teams\[1\] has unknown field\(s\) colour"):
        backup.restore(Store(tmp_path / "t.db"), content, "bad.json")
