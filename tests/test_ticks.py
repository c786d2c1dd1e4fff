"""What live pages read each second: the clock and the stamp that says when to redraw."""

import sqlite3
import time

from okrcoach.drafting import demo, drafts
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, runs, teams, ticks


def setup_run(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    return store, engagement, runs.start_run(store, engagement.id, agenda)


def test_room_stamp_moves_on_any_team_save_and_on_timer_actions(tmp_path):
    store, engagement, run = setup_run(tmp_path)
    now = time.time()
    first, view = ticks.for_room(store, engagement.id, now)
    assert view.status == "ready"
    drafts.add_objective(store, teams.by_slug(store, engagement.id, "customer-care"), ObjectiveFields("New"),
                         engagement.params, "t")
    second, _ = ticks.for_room(store, engagement.id, now)
    runs.act(store, run.id, "start", now)
    third, _ = ticks.for_room(store, engagement.id, now)
    assert len({first, second, third}) == 3


def test_team_stamp_ignores_other_teams_but_follows_the_run(tmp_path):
    store, engagement, run = setup_run(tmp_path)
    now = time.time()
    stores = teams.by_slug(store, engagement.id, "stores")
    first, _ = ticks.for_team(store, engagement.id, stores.id, now)
    drafts.add_objective(store, teams.by_slug(store, engagement.id, "customer-care"), ObjectiveFields("New"),
                         engagement.params, "t")
    assert ticks.for_team(store, engagement.id, stores.id, now)[0] == first
    runs.act(store, run.id, "start", now)
    moved, view = ticks.for_team(store, engagement.id, stores.id, now + 7)
    assert moved != first and view.status == "running"


def test_no_run_gives_no_clock(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store)
    assert ticks.for_room(store, engagement.id, time.time())[1] is None


def test_run_stamp_ignores_team_saves_but_follows_the_run_the_code_and_archiving(tmp_path):
    store, engagement, run = setup_run(tmp_path)
    now = time.time()
    first, _ = ticks.for_run(store, engagement.id, now)
    drafts.add_objective(store, teams.by_slug(store, engagement.id, "customer-care"), ObjectiveFields("New"),
                         engagement.params, "t")
    assert ticks.for_run(store, engagement.id, now)[0] == first  # the board draws saves itself, each tick
    runs.act(store, run.id, "start", now)
    started, view = ticks.for_run(store, engagement.id, now)
    assert started != first and view.status == "running"
    engagements.set_workshop_code(store, engagement.id, "ROOM77")
    recoded, _ = ticks.for_run(store, engagement.id, now)
    engagements.start_new(store, "Next client")
    assert len({started, recoded, ticks.for_run(store, engagement.id, now)[0]}) == 3


def test_one_saved_card_is_named_and_anything_more_redraws_the_whole_team_page(tmp_path):
    store, engagement, run = setup_run(tmp_path)
    now = time.time()
    stores = teams.by_slug(store, engagement.id, "stores")
    objective = drafts.load(store, stores.id).objectives[0]

    def stamp():
        return ticks.for_team(store, engagement.id, stores.id, now)[0]

    before = stamp()
    drafts.save_objective(store, stores, objective.id, objective.fields, objective.version, "t")
    saved = stamp()
    assert ticks.changed_card(before, saved) == f"objective-{objective.id}"
    kr = drafts.load(store, stores.id).objectives[0].key_results[0]
    drafts.save_key_result(store, stores, kr.id, kr.fields, kr.version, engagement.params, engagement.cycle_end, "t")
    assert ticks.changed_card(saved, stamp()) == f"objective-{objective.id}"  # a key result redraws its objective
    assert ticks.changed_card(before, stamp()) is None  # two changes since: the whole page
    after_kr = stamp()
    teams.save_purpose(store, stores, "We keep shelves full.", stores.purpose_version, "t")
    after_purpose = stamp()
    assert ticks.changed_card(after_kr, after_purpose) == "purpose"
    assert ticks.changed_card(after_purpose, stamp()) is None
    drafts.remove_objective(store, stores, drafts.load(store, stores.id).objectives[-1].id, "t")
    assert ticks.changed_card(after_purpose, stamp()) is None  # a removed card changes the page's shape
    runs.act(store, run.id, "start", now)
    last = stamp()
    objective = drafts.load(store, stores.id).objectives[0]
    drafts.save_objective(store, stores, objective.id, objective.fields, objective.version, "t")
    assert ticks.changed_card(last, stamp()) == f"objective-{objective.id}"
    assert ticks.changed_card(None, stamp()) is None


def test_sessions_share_one_read_until_this_process_writes_through_any_store(tmp_path, monkeypatch):
    store, engagement, run = setup_run(tmp_path)
    stores = teams.by_slug(store, engagement.id, "stores")
    now = time.time()
    runs.act(store, run.id, "start", now)
    reads = []
    row_in = runs.timer_row_in
    monkeypatch.setattr(runs, "timer_row_in", lambda db, engagement_id: reads.append(1) or row_in(db, engagement_id))
    first = ticks.for_team(store, engagement.id, stores.id, now)
    later = ticks.for_team(store, engagement.id, stores.id, now + 1)
    assert len(reads) == 1, "a second session's tick reads what the first read"
    assert first[1].remaining - later[1].remaining == 1  # each tick works the clock out at its own time
    other_store = Store(store.path)  # another Store on the same file, as the command line run in-process has
    runs.act(other_store, run.id, "pause", now + 2)
    moved, view = ticks.for_team(store, engagement.id, stores.id, now + 2)
    assert len(reads) == 2 and moved != first[0] and view.status == "paused"


def test_a_write_from_another_process_is_read_once_the_shared_read_is_old(tmp_path, monkeypatch):
    store, engagement, _ = setup_run(tmp_path)
    clock = [1000.0]
    monkeypatch.setattr(ticks.time, "monotonic", lambda: clock[0])
    before, _ = ticks.for_room(store, engagement.id, time.time())
    with sqlite3.connect(store.path) as outside:  # not through a Store of this process
        outside.execute("UPDATE engagements SET stamp = stamp + 1 WHERE id = ?", [engagement.id])
    assert ticks.for_room(store, engagement.id, time.time())[0] == before
    clock[0] += ticks.SHARED_SECONDS
    assert ticks.for_room(store, engagement.id, time.time())[0] != before


def test_a_page_run_reads_the_file_itself_and_the_ticks_after_it_share_what_it_read(tmp_path, monkeypatch):
    store, engagement, _ = setup_run(tmp_path)
    clock = [1000.0]
    monkeypatch.setattr(ticks.time, "monotonic", lambda: clock[0])
    before, _ = ticks.for_room(store, engagement.id, time.time())
    with sqlite3.connect(store.path) as outside:  # another process writes
        outside.execute("UPDATE engagements SET stamp = stamp + 1 WHERE id = ?", [engagement.id])
    with ticks.read_fresh():  # a page run remembering its stamp
        remembered, _ = ticks.for_room(store, engagement.id, time.time())
    assert remembered != before
    assert ticks.for_room(store, engagement.id, time.time())[0] == remembered  # the next tick, at once
