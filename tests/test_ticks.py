"""What live pages read each second: the clock and the stamp that says when to redraw."""

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
