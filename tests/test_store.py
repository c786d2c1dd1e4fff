import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import StaleEdit, StorageUnavailable
from okrcoach.storage import revisions
from okrcoach.storage import store as store_module
from okrcoach.storage.migrations import MIGRATIONS
from okrcoach.storage.store import DEFAULT_PATH, Store, migrate, resolve_path, schema_version
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters

LATEST = MIGRATIONS[-1][0]
THREADS = 8
SAVES_PER_THREAD = 50


def tables(db) -> set[str]:
    return {row["name"] for row in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def run_in_threads(work, count: int = THREADS) -> list[BaseException]:
    """Run work(index, barrier) in count threads at once; return what any of them raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            work(index, barrier)
        except BaseException as error:  # noqa: BLE001 - the test reports every failure
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return errors


# --- connection settings --------------------------------------------------------------------------


def test_database_is_in_wal_mode(store):
    with store.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_read_connection_has_busy_timeout_and_foreign_keys(store):
    for _ in range(2):
        with store.read() as db:
            assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_write_connection_has_busy_timeout_and_foreign_keys(store):
    for _ in range(2):
        with store.write() as db:
            assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_are_enforced_on_writes(store):
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute("INSERT INTO teams (engagement_id, name, slug) VALUES (999, 'Ghost', 'ghost')")
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM teams").fetchone()[0] == 0


def test_busy_timeout_is_long_enough_for_a_room_of_laptops():
    assert store_module.BUSY_TIMEOUT_MS >= 5_000


# --- migrations -----------------------------------------------------------------------------------


def test_migrations_are_numbered_one_up_without_gaps():
    assert [number for number, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_empty_database_is_migrated_to_the_latest_version(tmp_path):
    store = Store(tmp_path / "fresh.db")
    with store.read() as db:
        assert schema_version(db) == LATEST
        assert {"engagements", "teams", "objectives", "key_results", "dependencies", "parking_lot",
                "revisions", "facilitator_sessions", "sign_in_attempts", "runs"} <= tables(db)
        assert "join_address" in db["engagements"].columns_dict


def test_store_creates_missing_parent_folders(tmp_path):
    store = Store(tmp_path / "not" / "yet" / "there.db")
    assert store.path.exists()


def build_version_1_database(path) -> None:
    """A database as the first release left it: migration 1 only, with a workshop's rows in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(MIGRATIONS[0][1])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO engagements (id, name, cycle_start, cycle_end, workshop_code, pin_hash, created_at) "
        "VALUES (1, 'Old engagement', '2024-01-01', '2024-03-31', 'OLD123', 'x$y', 1.0)")
    conn.execute("INSERT INTO teams (id, engagement_id, name, slug, kind, purpose) "
                 "VALUES (1, 1, 'Old team', 'old-team', 'team', 'Why we exist')")
    conn.execute("INSERT INTO objectives (id, team_id, text, why_now, updated_at) "
                 "VALUES (1, 1, 'Keep this objective', 'Because', 1.0)")
    conn.execute("INSERT INTO key_results (id, objective_id, text, updated_at) "
                 "VALUES (1, 1, 'Keep this key result', 1.0)")
    conn.close()


def test_older_database_is_migrated_to_the_latest_version_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    build_version_1_database(path)

    store = Store(path)

    with store.read() as db:
        assert schema_version(db) == LATEST
        assert {"sign_in_attempts", "runs"} <= tables(db)
        assert db["engagements"].get(1)["join_address"] == ""
        assert db["teams"].get(1)["purpose"] == "Why we exist"
        assert db["objectives"].get(1)["text"] == "Keep this objective"
        assert db["key_results"].get(1)["text"] == "Keep this key result"
    current = engagements.current(store)
    assert (current.name, current.workshop_code) == ("Old engagement", "OLD123")
    draft = drafts.load(store, 1)
    assert [o.fields.text for o in draft.objectives] == ["Keep this objective"]
    assert [kr.fields.text for kr in draft.objectives[0].key_results] == ["Keep this key result"]


def test_an_upgraded_database_takes_new_writes(tmp_path):
    path = tmp_path / "old.db"
    build_version_1_database(path)
    store = Store(path)
    team = teams.by_slug(store, 1, "old-team")
    saved = drafts.save_objective(store, team, 1, ObjectiveFields("Edited after the upgrade"), 1, "coach")
    assert saved.version == 2


def test_opening_a_database_twice_applies_migrations_once_and_keeps_data(tmp_path, engagement):
    path = tmp_path / "okrcoach.db"
    again = Store(path)
    Store(path)
    with again.read() as db:
        assert schema_version(db) == LATEST
        assert db.execute("SELECT count(*) FROM engagements").fetchone()[0] == 1
    with again.read() as db:
        assert migrate(db) == LATEST
    assert engagements.current(again) == engagement


# --- transactions ---------------------------------------------------------------------------------


def test_a_failed_write_transaction_rolls_back_everything_it_did(store, engagement):
    with pytest.raises(RuntimeError), store.write() as db:
        db["parking_lot"].insert({"engagement_id": engagement.id, "text": "Lost", "created_at": 1.0})
        db.execute("UPDATE engagements SET name = 'Changed' WHERE id = ?", [engagement.id])
        raise RuntimeError("the page crashed half way")
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM parking_lot").fetchone()[0] == 0
    assert engagements.current(store).name == engagement.name


def test_a_write_after_a_failed_one_is_not_blocked(store, engagement):
    with pytest.raises(RuntimeError), store.write() as db:
        db["parking_lot"].insert({"engagement_id": engagement.id, "text": "Lost", "created_at": 1.0})
        raise RuntimeError
    with store.write() as db:
        db["parking_lot"].insert({"engagement_id": engagement.id, "text": "Kept", "created_at": 1.0})
    with store.read() as db:
        assert [r["text"] for r in db.query("SELECT text FROM parking_lot")] == ["Kept"]


def test_a_committed_write_is_seen_by_a_new_store_on_the_same_file(store, engagement):
    with store.write() as db:
        db["parking_lot"].insert({"engagement_id": engagement.id, "text": "Durable", "created_at": 1.0})
    with Store(store.path).read() as db:
        assert [r["text"] for r in db.query("SELECT text FROM parking_lot")] == ["Durable"]


# --- where the database lives ---------------------------------------------------------------------


def test_resolve_path_defaults_to_data_okrcoach_db(monkeypatch):
    monkeypatch.delenv("OKRCOACH_DB", raising=False)
    assert resolve_path() == DEFAULT_PATH
    assert resolve_path(None) == DEFAULT_PATH
    assert DEFAULT_PATH.parts[-2:] == ("data", "okrcoach.db")


def test_resolve_path_uses_okrcoach_db_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OKRCOACH_DB", str(tmp_path / "env.db"))
    assert resolve_path() == tmp_path / "env.db"


def test_resolve_path_prefers_the_db_flag_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OKRCOACH_DB", str(tmp_path / "env.db"))
    assert resolve_path(str(tmp_path / "flag.db")) == tmp_path / "flag.db"


def test_resolve_path_ignores_an_empty_environment_variable(monkeypatch):
    monkeypatch.setenv("OKRCOACH_DB", "")
    assert resolve_path() == DEFAULT_PATH


# --- many laptops at once -------------------------------------------------------------------------


def test_concurrent_saves_from_many_threads_are_all_kept_without_locking_errors(store, engagement):
    params = DeploymentParameters(max_key_results=SAVES_PER_THREAD)
    cycle_end = engagement.cycle_end
    thread_teams = [teams.add(store, engagement.id, f"Team {i}") for i in range(THREADS)]
    objectives = [drafts.add_objective(store, t, ObjectiveFields(f"t{i} objective"), params, "setup")
                  for i, t in enumerate(thread_teams)]

    def work(i: int, barrier: threading.Barrier) -> None:
        team, objective = thread_teams[i], objectives[i]
        neighbour = thread_teams[(i + 1) % THREADS].id
        objective_version = objective.version
        last_kr = None
        barrier.wait()
        for j in range(SAVES_PER_THREAD):
            if j % 3 == 0:
                last_kr = drafts.add_key_result(
                    store, team, objective.id, KeyResultFields(f"t{i} kr{j}", depends_on=(neighbour,)),
                    params, cycle_end, f"thread-{i}")
            elif j % 3 == 1:
                last_kr = drafts.save_key_result(
                    store, team, last_kr.id,
                    KeyResultFields(f"t{i} kr{j - 1} edited", baseline=j, target=j + 1, depends_on=(neighbour,)),
                    last_kr.version, params, cycle_end, f"thread-{i}")
            else:
                objective_version = drafts.save_objective(
                    store, team, objective.id, ObjectiveFields(f"t{i} objective edit {j}", why_now=f"w{j}"),
                    objective_version, f"thread-{i}").version

    errors = run_in_threads(work)

    assert errors == []
    adds = range(0, SAVES_PER_THREAD, 3)
    edits_of_objective = len(range(2, SAVES_PER_THREAD, 3))
    for i, team in enumerate(thread_teams):
        draft = drafts.load(store, team.id)
        [objective] = draft.objectives
        assert objective.fields.text == f"t{i} objective edit {max(range(2, SAVES_PER_THREAD, 3))}"
        assert objective.version == 1 + edits_of_objective
        assert [kr.fields.text for kr in objective.key_results] == [f"t{i} kr{j} edited" for j in adds]
        assert all(kr.version == 2 for kr in objective.key_results)
        assert all(kr.fields.depends_on == (thread_teams[(i + 1) % THREADS].id,) for kr in objective.key_results)
    with store.read() as db:
        saved = {row["author"]: row["n"] for row in db.query(
            "SELECT author, count(*) AS n FROM revisions WHERE outcome = 'saved' GROUP BY author")}
        assert db.execute("SELECT count(*) FROM key_results").fetchone()[0] == THREADS * len(adds)
        assert db.execute("SELECT count(*) FROM dependencies").fetchone()[0] == THREADS * len(adds)
        assert db.execute("SELECT count(*) FROM revisions WHERE outcome != 'saved'").fetchone()[0] == 0
    assert saved == {"setup": THREADS, **{f"thread-{i}": SAVES_PER_THREAD for i in range(THREADS)}}


def test_contended_saves_of_one_objective_count_every_success_and_log_every_attempt(store, team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields("Shared objective"), params, "setup")
    wins_per_thread = 5
    attempts = [0] * THREADS
    conflicts = [0] * THREADS

    def work(i: int, barrier: threading.Barrier) -> None:
        wins = 0
        version = drafts.load(store, team.id).objectives[0].version
        barrier.wait()  # everyone read version 1 before anyone saves: the first round must conflict
        while wins < wins_per_thread:
            attempts[i] += 1
            try:
                drafts.save_objective(store, team, objective.id,
                                      ObjectiveFields(f"laptop {i} save {wins}"), version, f"laptop-{i}")
                wins += 1
            except StaleEdit as stale:
                conflicts[i] += 1
                assert stale.mine["text"] == f"laptop {i} save {wins}"
            version = drafts.load(store, team.id).objectives[0].version

    errors = run_in_threads(work)

    assert errors == []
    successes = THREADS * wins_per_thread
    assert sum(conflicts) >= THREADS - 1
    assert sum(attempts) == successes + sum(conflicts)
    final = drafts.load(store, team.id).objectives[0]
    assert final.version == successes + 1
    history = revisions.history(store, "objective", objective.id)
    assert len(history) == 1 + sum(attempts)
    assert sum(h["outcome"] == "saved" for h in history) == 1 + successes
    assert sum(h["outcome"] == "conflict" for h in history) == sum(conflicts)
    for i in range(THREADS):
        assert sum(h["author"] == f"laptop-{i}" for h in history) == attempts[i]
    saved_versions = [h["version"] for h in history if h["outcome"] == "saved"]
    assert sorted(saved_versions) == list(range(1, successes + 2))
    last_saved = max((h for h in history if h["outcome"] == "saved"), key=lambda h: h["version"])
    assert last_saved["body"]["text"] == final.fields.text


def test_a_reader_is_not_blocked_by_an_open_write_transaction(store, engagement):
    with store.write() as db:
        db.execute("UPDATE engagements SET name = 'Being changed' WHERE id = ?", [engagement.id])
        started = time.monotonic()
        assert engagements.current(store).name == engagement.name
        assert time.monotonic() - started < 2


def test_cycle_dates_round_trip_through_the_store(store, engagement, params):
    updated = engagements.update(store, engagement.id, name="E", client="", facilitator="", cycle_kind="custom",
                                 cycle_start=date(2025, 2, 3), cycle_end=date(2025, 5, 30), params=params)
    assert (updated.cycle_start, updated.cycle_end) == (date(2025, 2, 3), date(2025, 5, 30))


def _reader(store: Store, seen: list[int], hold: threading.Barrier | None = None) -> threading.Thread:
    """A started thread that reads once, noting which connection it used (and waits at `hold` holding it)."""

    def read() -> None:
        with store.read() as db:
            seen.append(id(db.conn))
            if hold:
                hold.wait(5)

    thread = threading.Thread(target=read)
    thread.start()
    return thread


def test_a_finished_threads_connection_serves_the_next_thread(store):
    seen: list[int] = []
    _reader(store, seen).join()
    _reader(store, seen).join()
    assert seen[0] == seen[1]  # Streamlit starts a thread per run: a tick reuses the last one's connection


def test_two_live_threads_never_hold_the_same_connection(store):
    seen: list[int] = []
    hold = threading.Barrier(3)
    readers = [_reader(store, seen, hold), _reader(store, seen, hold)]
    hold.wait(5)
    for reader in readers:
        reader.join()
    assert len(seen) == 2 and seen[0] != seen[1]


def test_a_pooled_connection_sees_what_was_committed_after_it_was_returned(store, engagement):
    names: list[str] = []

    def read_name() -> None:
        with store.read() as db:
            names.append(db.execute("SELECT name FROM engagements WHERE id = ?", [engagement.id]).fetchone()[0])

    for rename in ("Before", "After"):
        with store.write() as db:
            db.execute("UPDATE engagements SET name = ? WHERE id = ?", [rename, engagement.id])
        thread = threading.Thread(target=read_name)
        thread.start()
        thread.join()
    assert names == ["Before", "After"]


# --- when the file refuses a write ------------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)


def immutable(path: Path):
    """Make a file read-only even for root (chattr +i), or skip where the file system cannot."""
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")


def test_a_write_lock_held_past_the_busy_timeout_is_a_plain_pause_and_writing_resumes(tmp_path, short_busy_timeout):
    store = Store(tmp_path / "okrcoach.db")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StorageUnavailable, match="another program is holding"):
        with store.write() as db:
            db.execute("INSERT INTO sign_in_attempts (at, ok) VALUES (1, 0)")
    other.execute("ROLLBACK")
    with store.write() as db:
        db.execute("INSERT INTO sign_in_attempts (at, ok) VALUES (2, 0)")
    with store.read() as db:
        assert [r["at"] for r in db.query("SELECT at FROM sign_in_attempts")] == [2]


def test_a_read_only_file_still_opens_and_reads_and_refuses_writes_plainly(tmp_path):
    path = tmp_path / "okrcoach.db"
    subprocess.run([sys.executable, "-m", "okrcoach", "demo", "--db", str(path), "--code", "RDONLY", "--pin", "4242"],
                   check=True, capture_output=True)
    immutable(path)
    try:
        store = Store(path)
        assert engagements.current(store).workshop_code == "RDONLY"
        with pytest.raises(StorageUnavailable, match="cannot write its file"):
            engagements.set_join_address(store, engagements.current(store).id, "http://10.0.0.5:8501")
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    engagements.set_join_address(store, engagements.current(store).id, "http://10.0.0.5:8501")
    assert engagements.current(store).join_address == "http://10.0.0.5:8501"


def test_a_full_disk_is_a_plain_pause_and_writing_resumes_once_space_is_freed(tmp_path):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        store = Store(disk / "okrcoach.db")
        engagement, _ = engagements.ensure_current(store)
        filler = disk / "filler"
        with filler.open("wb") as out:  # fill the disk to the last byte
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        with pytest.raises(StorageUnavailable, match="disk .* is full"):
            for number in range(200):  # until SQLite needs a page the disk does not have
                engagements.set_join_address(store, engagement.id, f"http://10.0.0.{number % 250}:8501/" + "x" * 150)
        filler.unlink()
        engagements.set_join_address(store, engagement.id, "http://10.0.0.9:8501")
        assert engagements.current(store).join_address == "http://10.0.0.9:8501"
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
