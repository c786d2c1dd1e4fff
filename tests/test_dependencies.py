"""Horizontal alignment: requests are answered only by the team asked, and both sides see the answer."""

import pytest

from okrcoach.drafting import dependencies, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import revisions
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams


@pytest.fixture
def room(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store)
    sales, ops, hr = (teams.add(store, engagement.id, name) for name in ("Sales", "Ops", "HR"))
    objective = drafts.add_objective(store, sales, ObjectiveFields("Win the north"), engagement.params, "t")
    kr = drafts.add_key_result(store, sales, objective.id,
                               KeyResultFields("Grow north deals from 4 to 10", depends_on=(ops.id, hr.id)),
                               engagement.params, engagement.cycle_end, "t")
    return store, engagement, sales, ops, hr, objective, kr


def test_asked_team_sees_the_request_and_its_answer_reaches_the_asker(room):
    store, _, sales, ops, _, _, kr = room
    asked = dependencies.asked_of(store, ops.id)
    assert [(r.from_team, r.key_result, r.status) for r in asked] == [("Sales", "Grow north deals from 4 to 10",
                                                                        "requested")]
    before = teams.stamp(store, sales.id)
    dependencies.answer(store, ops, asked[0].id, "accepted", "We can staff it from week 3", "Ops laptop")
    mine = {r.to_team: (r.status, r.comment) for r in dependencies.asked_by(store, sales.id)}
    assert mine["Ops"] == ("accepted", "We can staff it from week 3")
    assert mine["HR"] == ("requested", "")
    assert teams.stamp(store, sales.id) > before


def test_only_the_asked_team_can_answer(room):
    store, _, sales, ops, hr, _, _ = room
    request = dependencies.asked_of(store, ops.id)[0]
    with pytest.raises(InputError, match="only the team asked"):
        dependencies.answer(store, hr, request.id, "accepted", "", "HR")
    assert dependencies.asked_of(store, ops.id)[0].status == "requested"


def test_declining_needs_a_reason(room):
    store, _, _, ops, _, _, _ = room
    request = dependencies.asked_of(store, ops.id)[0]
    with pytest.raises(InputError, match="why you decline"):
        dependencies.answer(store, ops, request.id, "declined", "  ", "Ops")


def test_answer_survives_re_saving_the_key_result(room):
    store, engagement, sales, ops, hr, _, kr = room
    dependencies.answer(store, ops, dependencies.asked_of(store, ops.id)[0].id, "accepted", "ok", "Ops")
    drafts.save_key_result(store, sales, kr.id, KeyResultFields("Grow north deals from 4 to 12",
                                                                depends_on=(ops.id,)),
                           kr.version, engagement.params, engagement.cycle_end, "t")
    statuses = {r.to_team: r.status for r in dependencies.asked_by(store, sales.id)}
    assert statuses == {"Ops": "accepted"}


def test_request_to_a_removed_team_stays_visible_and_flagged(room):
    store, engagement, _, _, hr, _, _ = room
    teams.remove(store, hr.id, "facilitator")
    hr_request = next(r for r in dependencies.all_requests(store, engagement.id) if r.to_team == "HR")
    assert hr_request.to_team_removed


def test_shared_key_result_is_kept_with_the_key_result(room):
    store, engagement, sales, ops, hr, _, kr = room
    saved = drafts.save_key_result(store, sales, kr.id, KeyResultFields(kr.fields.text, shared_with=(hr.id,)),
                                   kr.version, engagement.params, engagement.cycle_end, "t")
    assert saved.fields.shared_with == (hr.id,)
    assert dependencies.shared_with(store, engagement.id) == {kr.id: [hr.id]}
    with pytest.raises(InputError, match="not your own"):
        drafts.save_key_result(store, sales, kr.id, KeyResultFields(kr.fields.text, shared_with=(sales.id,)),
                               saved.version, engagement.params, engagement.cycle_end, "t")


def test_a_second_answer_on_an_old_version_is_refused_and_both_answers_are_logged(room):
    store, _, _, ops, _, _, _ = room
    request = dependencies.asked_of(store, ops.id)[0]
    dependencies.answer(store, ops, request.id, "accepted", "From week 3", "Ana (Ops)", base_version=request.version)
    with pytest.raises(StaleEdit, match="Ana"):
        dependencies.answer(store, ops, request.id, "declined", "No staff", "Ben (Ops)", base_version=request.version)
    now = dependencies.asked_of(store, ops.id)[0]
    assert (now.status, now.comment, now.answered_by, now.version) == ("accepted", "From week 3", "Ana (Ops)",
                                                                       request.version + 1)
    logged = [(h["body"]["status"], h["outcome"], h["author"]) for h in revisions.history(store, "dependency", request.id)]
    assert logged == [("accepted", "saved", "Ana (Ops)"), ("declined", "conflict", "Ben (Ops)")]
