"""Removing is version-checked and logged; removed objectives and key results are listed and can be restored."""

import pytest

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import revisions


def objective_with_kr(store, engagement, team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields("Win the north"), params, "Ana")
    kr = drafts.add_key_result(store, team, objective.id, KeyResultFields("Grow deals from 4 to 10"), params,
                               engagement.cycle_end, "Ana")
    return objective, kr


def test_removing_a_version_someone_changed_since_is_refused_and_removes_nothing(store, engagement, team, params):
    objective, kr = objective_with_kr(store, engagement, team, params)
    drafts.save_key_result(store, team, kr.id, KeyResultFields("Grow deals from 4 to 12"), kr.version, params,
                           engagement.cycle_end, "Ben")
    with pytest.raises(StaleEdit):
        drafts.remove_key_result(store, team, kr.id, "Ana", base_version=kr.version)
    drafts.save_objective(store, team, objective.id, ObjectiveFields("Win the north first"), objective.version, "Ben")
    with pytest.raises(StaleEdit):
        drafts.remove_objective(store, team, objective.id, "Ana", base_version=objective.version)
    assert [kr.fields.text for kr in drafts.load(store, team.id).objectives[0].key_results] == ["Grow deals from 4 to 12"]


def test_removed_items_are_listed_with_who_removed_them_and_restore_with_a_new_version(store, engagement, team,
                                                                                      params):
    objective, kr = objective_with_kr(store, engagement, team, params)
    drafts.remove_key_result(store, team, kr.id, "Ben", base_version=kr.version)
    assert [(r.entity, r.text, r.removed_by) for r in drafts.removed(store, team.id)] == [
        ("key_result", "Grow deals from 4 to 10", "Ben")]
    restored = drafts.restore_key_result(store, team, kr.id, params, "Cleo")
    assert restored.version == kr.version + 1 and drafts.removed(store, team.id) == []
    drafts.remove_objective(store, team, objective.id, "Ben", base_version=objective.version)
    assert [r.entity for r in drafts.removed(store, team.id)] == ["objective"]  # its key result goes with it
    drafts.restore_objective(store, team, objective.id, params, "Cleo")
    back = drafts.load(store, team.id).objectives
    assert [(o.fields.text, [k.fields.text for k in o.key_results]) for o in back] == [
        ("Win the north", ["Grow deals from 4 to 10"])]
    assert [(h["outcome"], h["author"]) for h in revisions.history(store, "objective", objective.id)] == [
        ("saved", "Ana"), ("removed", "Ben"), ("saved", "Cleo")]


def test_restoring_is_refused_past_the_limit_and_for_a_key_result_of_a_removed_objective(store, engagement, team,
                                                                                         params):
    objective, kr = objective_with_kr(store, engagement, team, params)
    drafts.remove_objective(store, team, objective.id, "Ben")
    with pytest.raises(InputError, match="restore the objective first"):
        drafts.restore_key_result(store, team, kr.id, params, "Cleo")
    for n in range(params.max_objectives):
        drafts.add_objective(store, team, ObjectiveFields(f"Objective {n}"), params, "Ana")
    with pytest.raises(InputError, match="at most"):
        drafts.restore_objective(store, team, objective.id, params, "Cleo")


def test_a_link_to_a_top_level_objective_removed_later_is_kept_on_save(store, engagement, team, top_team, params):
    top = drafts.add_objective(store, top_team, ObjectiveFields("Grow"), params, "CEO")
    objective = drafts.add_objective(store, team, ObjectiveFields("Ours", contributes_to=(top.id,)), params, "Ana")
    drafts.remove_objective(store, top_team, top.id, "CEO")
    saved = drafts.save_objective(store, team, objective.id, ObjectiveFields("Ours, reworded",
                                                                              contributes_to=(top.id,)),
                                  objective.version, "Ana")
    assert saved.fields.contributes_to == (top.id,)


def test_a_new_objective_comes_after_every_earlier_one_even_after_removals(store, engagement, team, params):
    first, second, third = (drafts.add_objective(store, team, ObjectiveFields(f"Objective {n}"), params, "Ana")
                            for n in (1, 2, 3))
    drafts.remove_objective(store, team, first.id, "Ben")
    drafts.remove_objective(store, team, second.id, "Ben")
    added = drafts.add_objective(store, team, ObjectiveFields("Added later"), params, "Cleo")
    assert [o.id for o in drafts.load(store, team.id).objectives] == [third.id, added.id]
    drafts.restore_objective(store, team, first.id, params, "Cleo")
    assert [o.id for o in drafts.load(store, team.id).objectives] == [first.id, third.id, added.id]
