"""Open coaching questions per team, refreshed when the team's page changes; discussed ones stay but close."""

from datetime import timedelta

import pytest

from okrcoach.drafting import demo, discussions, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.review import coaching
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams


@pytest.fixture
def demo_store(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    return store, demo.load_demo(store)


def test_board_counts_follow_saves(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Finance")
    assert coaching.open_counts(store, engagement.id, engagement.params)[team.id] == 0
    objective = drafts.add_objective(store, team, ObjectiveFields("Grow revenue by 20%"), engagement.params, "t")
    counts = coaching.open_counts(store, engagement.id, engagement.params)
    rules = [q.rule for q, _ in coaching.for_team(store, team.id, engagement.id, engagement.params)
             .about("objective", objective.id)]
    assert "objective_has_metric" in rules and "why_now_missing" in rules
    assert counts[team.id] == len(rules)


def test_discussed_question_is_kept_but_no_longer_open(demo_store):
    store, engagement = demo_store
    team = teams.by_slug(store, engagement.id, "online-store")
    before = coaching.for_team(store, team.id, engagement.id, engagement.params)
    (question, discussed), *_ = before.about("team", team.id)
    assert question.rule == "too_many_objectives" and not discussed
    discussions.mark(store, team, "team", team.id, question.rule, "Aiko")
    after = coaching.for_team(store, team.id, engagement.id, engagement.params)
    assert after.about("team", team.id)[0] == (question, True)
    assert after.open == before.open - 1


def test_questions_outside_a_card_ignore_what_changed_on_it_and_see_the_rest(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Finance")
    first = drafts.add_objective(store, team, ObjectiveFields("Grow revenue by 20%"), engagement.params, "t")
    second = drafts.add_objective(store, team, ObjectiveFields("Delight customers"), engagement.params, "t")
    before = coaching.for_team(store, team.id, engagement.id, engagement.params)
    drafts.save_objective(store, team, first.id, ObjectiveFields("Win loyal customers", why_now="Churn doubled."),
                          first.version, "t")
    edited = coaching.for_team(store, team.id, engagement.id, engagement.params)
    assert edited.about("objective", first.id) != before.about("objective", first.id)
    first_card = {("objective", first.id)}
    assert edited.outside(first_card) == before.outside(first_card)  # the card's own redraw shows it all
    discussions.mark(store, team, "objective", second.id, "why_now_missing", "t")
    marked = coaching.for_team(store, team.id, engagement.id, engagement.params)
    assert marked.outside(first_card) != edited.outside(first_card)  # a change on another card: redraw the page


def test_a_team_cannot_mark_another_teams_question(demo_store):
    store, engagement = demo_store
    stores, online = (teams.by_slug(store, engagement.id, s) for s in ("stores", "online-store"))
    with pytest.raises(InputError, match="another team"):
        discussions.mark(store, stores, "team", online.id, "too_many_objectives", "x")


def test_marking_a_question_the_way_it_already_is_changes_nothing_and_redraws_no_page(demo_store):
    store, engagement = demo_store
    online = teams.by_slug(store, engagement.id, "online-store")
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Aiko")
    stamp = teams.stamp(store, online.id)
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Ben")  # a second laptop
    assert teams.stamp(store, online.id) == stamp
    assert ("team", online.id, "too_many_objectives") in discussions.discussed(store, engagement.id)
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Ben", discussed=False)
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Ben", discussed=False)
    assert teams.stamp(store, online.id) == stamp + 1
    assert ("team", online.id, "too_many_objectives") not in discussions.discussed(store, engagement.id)


def test_rewriting_a_task_as_an_outcome_closes_its_question(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Web")
    objective = drafts.add_objective(store, team, ObjectiveFields("Make the site a joy to use"), engagement.params, "t")
    kr = drafts.add_key_result(store, team, objective.id, KeyResultFields("Launch the new website", champion="Li"),
                               engagement.params, engagement.cycle_end, "t")
    asked = coaching.for_team(store, team.id, engagement.id, engagement.params).about("key_result", kr.id)
    assert "task_like" in [q.rule for q, _ in asked]
    drafts.save_key_result(store, team, kr.id, KeyResultFields(
        "Raise online orders from 300 to 450 a week by the end of the quarter", "metric", 300, 450, "orders",
        champion="Li"), kr.version, engagement.params, engagement.cycle_end, "t")
    asked = coaching.for_team(store, team.id, engagement.id, engagement.params).about("key_result", kr.id)
    assert "task_like" not in [q.rule for q, _ in asked]


def test_a_due_date_outside_the_cycle_is_questioned_and_follows_the_cycles_dates(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Parks")
    objective = drafts.add_objective(store, team, ObjectiveFields("Make parks feel safe after dark"),
                                     engagement.params, "t")
    late = engagement.cycle_end + timedelta(days=60)
    kr = drafts.add_key_result(store, team, objective.id, KeyResultFields(
        "Cut reported incidents in parks after dark from 40 to 25 a month", champion="Ola", due=late),
        engagement.params, engagement.cycle_end, "t")
    asked = coaching.for_team(store, team.id, engagement.id, engagement.params).about("key_result", kr.id)
    assert [q.rule for q, _ in asked] == ["kr_date_outside_cycle"]
    assert f"{late.day} {late:%B %Y}" in asked[0][0].question
    engagements.update(store, engagement.id, name=engagement.name, client=engagement.client,
                       facilitator=engagement.facilitator, cycle_kind="custom", cycle_start=engagement.cycle_start,
                       cycle_end=late, params=engagement.params)
    assert coaching.for_team(store, team.id, engagement.id, engagement.params).about("key_result", kr.id) == []
