"""The metrics-sorting exercise: lists belong to an agenda run, and can be re-sorted or deleted."""

import pytest

from okrcoach.drafting import exercise
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, runs, teams


@pytest.fixture
def room(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store)
    sales = teams.add(store, engagement.id, "Sales")
    support = teams.add(store, engagement.id, "Support")
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    return store, engagement, sales, support, agenda


def test_sorted_metrics_belong_to_the_run_they_were_listed_in(room):
    store, engagement, sales, _, agenda = room
    earlier = runs.start_run(store, engagement.id, agenda)
    exercise.add(store, sales, "Average basket size", "candidate", earlier.id)
    later = runs.start_run(store, engagement.id, agenda)
    exercise.add(store, sales, "Uptime", "health", later.id)
    assert [m.text for m in exercise.sorted_for(store, engagement.id, run_id=later.id)] == ["Uptime"]
    assert [m.text for m in exercise.sorted_for(store, engagement.id, run_id=earlier.id)] == ["Average basket size"]


def test_a_team_re_sorts_and_deletes_its_own_items_only(room):
    store, engagement, sales, support, agenda = room
    run = runs.start_run(store, engagement.id, agenda)
    item = exercise.add(store, sales, "Complete the audit", "candidate", run.id)
    exercise.resort(store, sales, item, "task")
    assert exercise.sorted_for(store, engagement.id, sales.id, run.id)[0].category == "task"
    with pytest.raises(InputError, match="another team"):
        exercise.delete(store, support, item)
    exercise.delete(store, sales, item)
    assert exercise.sorted_for(store, engagement.id, sales.id, run.id) == []
    with pytest.raises(InputError, match="no longer on the list"):
        exercise.resort(store, sales, item, "health")
