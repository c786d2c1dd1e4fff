from dataclasses import FrozenInstanceError, replace
from datetime import date

import pytest

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import revisions
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters

HOSTILE = [
    "x" * 10_000,
    "🚀 Grow 👩‍👩‍👧‍👦 families ✨",
    "زيادة رضا العملاء في جميع المتاجر",
    "להגדיל את שביעות רצון הלקוחות",
    "Bidi \u202eevil\u202c override",
    "**bold** [link](http://example.com)\n# Heading\n- item\n\n| a | b |",
    "<script>alert('x')</script><img src=x onerror=alert(1)> &amp;",
    "'); DROP TABLE objectives;--",
    "Robert'); DELETE FROM key_results WHERE ('1'='1",
    "line one\n\tline two",
    "{max_objectives} {0} %s %(x)s",
]


def table_counts(store) -> dict[str, int]:
    with store.read() as db:
        return {name: db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("objectives", "key_results", "contributions", "dependencies", "revisions")}


DEFAULT_PARAMS = DeploymentParameters()


def add_objective(store, team, text="Objective", params=DEFAULT_PARAMS, **fields):
    return drafts.add_objective(store, team, ObjectiveFields(text, **fields), params, "Sam")


def add_kr(store, team, objective_id, engagement, text="Key result", params=DEFAULT_PARAMS, **fields):
    return drafts.add_key_result(store, team, objective_id, KeyResultFields(text, **fields), params,
                                 engagement.cycle_end, "Sam")


def stamps(store, engagement, *team_list) -> tuple[int, ...]:
    with store.read() as db:
        engagement_stamp = db["engagements"].get(engagement.id)["stamp"]
    return (engagement_stamp, *(teams.stamp(store, t.id) for t in team_list))


# --- objectives -----------------------------------------------------------------------------------


def test_add_objective_round_trips_every_field(store, team, top_team, params):
    top = add_objective(store, top_team, "Win back our core customers")
    fields = ObjectiveFields("Make every visit feel like advice from a friend", "Spring is coming.", "ready",
                             (top.id,))
    added = drafts.add_objective(store, team, fields, params, "Sam")
    [loaded] = drafts.load(store, team.id).objectives
    assert loaded == added
    assert (loaded.fields, loaded.version, loaded.updated_by, loaded.team_id) == (fields, 1, "Sam", team.id)
    assert loaded.key_results == ()


def test_save_objective_round_trips_every_field_and_counts_the_version(store, team, top_team, params):
    tops = [add_objective(store, top_team, f"Top {i}") for i in range(2)]
    objective = add_objective(store, team, "Draft", contributes_to=(tops[0].id,))
    fields = ObjectiveFields("Sharper objective", "Because now.\nReally.", "ready", (tops[1].id, tops[0].id))
    saved = drafts.save_objective(store, team, objective.id, fields, 1, "Priya")
    [loaded] = drafts.load(store, team.id).objectives
    assert loaded == saved
    assert (loaded.fields.text, loaded.fields.why_now, loaded.fields.status) == (
        "Sharper objective", "Because now.\nReally.", "ready")
    assert set(loaded.fields.contributes_to) == {tops[0].id, tops[1].id}
    assert (loaded.version, loaded.updated_by) == (2, "Priya")


def test_saving_an_objective_without_contributes_to_removes_the_links(store, team, top_team):
    top = add_objective(store, top_team, "Top")
    objective = add_objective(store, team, contributes_to=(top.id,))
    drafts.save_objective(store, team, objective.id, ObjectiveFields("Objective"), 1, "Sam")
    assert drafts.load(store, team.id).objectives[0].fields.contributes_to == ()


def test_add_objective_refuses_an_unknown_status(store, team):
    with pytest.raises(InputError, match="Status"):
        add_objective(store, team, status="done")
    assert table_counts(store)["objectives"] == 0


def test_the_objective_beyond_the_maximum_is_refused_with_the_coachs_question(store, team, params):
    for i in range(params.max_objectives):
        add_objective(store, team, f"Objective {i}")
    before = table_counts(store)
    with pytest.raises(InputError) as refused:
        add_objective(store, team, "One too many")
    assert "If you could keep only 3" in str(refused.value)
    assert "at most 3 objectives" in str(refused.value)
    assert table_counts(store) == before


def test_the_maximum_objectives_follow_the_engagements_parameters(store, team):
    two = DeploymentParameters(max_objectives=2)
    add_objective(store, team, "One", params=two)
    add_objective(store, team, "Two", params=two)
    with pytest.raises(InputError, match="If you could keep only 2"):
        add_objective(store, team, "Three", params=two)


def test_a_removed_objective_frees_its_place_under_the_maximum(store, team, params):
    added = [add_objective(store, team, f"Objective {i}") for i in range(params.max_objectives)]
    drafts.remove_objective(store, team, added[0].id, "Sam")
    add_objective(store, team, "Replacement")
    assert [o.fields.text for o in drafts.load(store, team.id).objectives] == [
        "Objective 1", "Objective 2", "Replacement"]


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", "\x00\x1b"])
def test_an_empty_objective_is_refused_with_a_message_and_nothing_is_stored(store, team, empty):
    with pytest.raises(InputError, match="The objective is empty"):
        add_objective(store, team, empty, why_now="A reason")
    assert table_counts(store) == {"objectives": 0, "key_results": 0, "contributions": 0, "dependencies": 0,
                                   "revisions": 0}


def test_saving_an_objective_as_empty_is_refused_and_keeps_the_text(store, team):
    objective = add_objective(store, team, "Keep me")
    with pytest.raises(InputError, match="The objective is empty"):
        drafts.save_objective(store, team, objective.id, ObjectiveFields("  "), 1, "Sam")
    [loaded] = drafts.load(store, team.id).objectives
    assert (loaded.fields.text, loaded.version) == ("Keep me", 1)


def test_an_objective_over_ten_thousand_characters_is_refused_naming_the_field(store, team):
    with pytest.raises(InputError, match="Why now\\? is 10,001 characters long; the limit is 10,000"):
        add_objective(store, team, "Objective", why_now="x" * 10_001)
    assert table_counts(store)["objectives"] == 0


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_objective_text_is_stored_exactly_as_typed(store, team, value):
    add_objective(store, team, value, why_now=value)
    [loaded] = drafts.load(store, team.id).objectives
    assert (loaded.fields.text, loaded.fields.why_now) == (value, value)
    assert revisions.history(store, "objective", loaded.id)[0]["body"]["text"] == value


def test_control_characters_are_stripped_and_the_rest_stored_as_typed(store, engagement, team):
    objective = add_objective(store, team, "Grow\x00 sales\x1b[31m\x7f\r\nnow\x08", why_now="\x0bWhy\x0c\tnow")
    add_kr(store, team, objective.id, engagement, "KR\x00 text\x1b", champion="Pri\x07ya", unit="%\x1f")
    [loaded] = drafts.load(store, team.id).objectives
    assert (loaded.fields.text, loaded.fields.why_now) == ("Grow sales[31m\nnow", "Why\tnow")
    kr = loaded.key_results[0].fields
    assert (kr.text, kr.champion, kr.unit) == ("KR text", "Priya", "%")


def test_sql_looking_text_leaves_every_table_in_place(store, engagement, team):
    objective = add_objective(store, team, "'); DROP TABLE objectives;--")
    add_kr(store, team, objective.id, engagement, "x'); DROP TABLE key_results;--",
           champion="'; DROP TABLE teams;--")
    assert table_counts(store)["objectives"] == 1
    assert teams.list_teams(store, team.engagement_id)[-1] == team


# --- key results ----------------------------------------------------------------------------------


def test_add_key_result_round_trips_every_field(store, engagement, team, other_team, top_team):
    objective = add_objective(store, team)
    fields = KeyResultFields("Raise repeat purchases from 22% to 30%", "metric", 22.0, 30.5, "%",
                             date(2025, 3, 1), "Priya (Marketing)", "Stores, online", (other_team.id,),
                             shared_with=(top_team.id,))
    kr = drafts.add_key_result(store, team, objective.id, fields, DeploymentParameters(), engagement.cycle_end,
                               "Sam")
    [loaded] = drafts.load(store, team.id).objectives[0].key_results
    assert loaded == kr
    assert (loaded.fields, loaded.version, loaded.updated_by, loaded.objective_id) == (fields, 1, "Sam",
                                                                                       objective.id)


def test_save_key_result_round_trips_every_field_and_counts_the_version(store, engagement, team, other_team,
                                                                       params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, "Draft")
    fields = KeyResultFields("Cut wait from 6 to 2 days", "metric", 6.0, 2.0, "days", date(2025, 2, 14),
                             "Oskar", "Goods-in crew", (other_team.id,))
    saved = drafts.save_key_result(store, team, kr.id, fields, 1, params, engagement.cycle_end, "Oskar")
    [loaded] = drafts.load(store, team.id).objectives[0].key_results
    assert loaded == saved
    assert (loaded.fields, loaded.version, loaded.updated_by) == (fields, 2, "Oskar")


def test_a_key_result_without_a_due_date_is_due_at_the_end_of_the_cycle(store, engagement, team):
    objective = add_objective(store, team)
    assert add_kr(store, team, objective.id, engagement).fields.due == engagement.cycle_end


def test_baseline_and_milestone_key_results_keep_no_numbers_or_unit(store, engagement, team):
    objective = add_objective(store, team)
    for kr_type in ("baseline", "milestone"):
        kr = add_kr(store, team, objective.id, engagement, kr_type, kr_type=kr_type, baseline=1.0, target=2.0,
                    unit="%")
        assert (kr.fields.baseline, kr.fields.target, kr.fields.unit) == (None, None, "")


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf"), 1e16])
def test_a_key_result_with_an_extraordinary_number_is_refused(store, engagement, team, number):
    objective = add_objective(store, team)
    with pytest.raises(InputError, match="ordinary number"):
        add_kr(store, team, objective.id, engagement, target=number)
    assert table_counts(store)["key_results"] == 0


def test_a_key_result_of_unknown_type_is_refused(store, engagement, team):
    objective = add_objective(store, team)
    with pytest.raises(InputError, match="Type must be one of"):
        add_kr(store, team, objective.id, engagement, kr_type="task")


def test_the_key_result_beyond_the_maximum_is_refused_with_the_coachs_question(store, engagement, team, params):
    objective = add_objective(store, team)
    for i in range(params.max_key_results):
        add_kr(store, team, objective.id, engagement, f"KR {i}")
    before = table_counts(store)
    with pytest.raises(InputError) as refused:
        add_kr(store, team, objective.id, engagement, "One too many")
    assert "at most 4 key results" in str(refused.value)
    assert "If you could keep only 4" in str(refused.value)
    assert table_counts(store) == before


def test_a_milestone_is_refused_when_the_engagement_does_not_use_them(store, engagement, team):
    no_milestones = DeploymentParameters(milestones_allowed=False)
    objective = add_objective(store, team)
    with pytest.raises(InputError, match="does not use milestone key results"):
        add_kr(store, team, objective.id, engagement, "Launch the page", kr_type="milestone", params=no_milestones)
    kr = add_kr(store, team, objective.id, engagement, "Launch the page", kr_type="metric", params=no_milestones)
    with pytest.raises(InputError, match="milestone"):
        drafts.save_key_result(store, team, kr.id, KeyResultFields("Launch", kr_type="milestone"), 1,
                               no_milestones, engagement.cycle_end, "Sam")
    [loaded] = drafts.load(store, team.id).objectives[0].key_results
    assert (loaded.fields.kr_type, loaded.version) == ("metric", 1)


@pytest.mark.parametrize("empty", ["", "  ", "\x00"])
def test_an_empty_key_result_is_refused_with_a_message_and_nothing_is_stored(store, engagement, team, empty):
    objective = add_objective(store, team)
    before = table_counts(store)
    with pytest.raises(InputError, match="The key result is empty"):
        add_kr(store, team, objective.id, engagement, empty)
    assert table_counts(store) == before


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_key_result_text_is_stored_exactly_as_typed(store, engagement, team, value):
    objective = add_objective(store, team)
    add_kr(store, team, objective.id, engagement, value)
    assert drafts.load(store, team.id).objectives[0].key_results[0].fields.text == value


@pytest.mark.parametrize("value", ["Priya 🚀", "مريم", "שירה", "**Sam**", "<b>Sam</b>", "'); DROP TABLE teams;--"])
def test_hostile_names_are_stored_exactly_as_typed(store, engagement, team, value):
    objective = add_objective(store, team)
    add_kr(store, team, objective.id, engagement, champion=value, contributors=value, unit=value)
    kr = drafts.load(store, team.id).objectives[0].key_results[0].fields
    assert (kr.champion, kr.contributors, kr.unit) == (value, value, value)


# --- stale edits ----------------------------------------------------------------------------------


def test_a_stale_objective_save_raises_with_both_texts_and_changes_nothing(store, engagement, team, other_team):
    objective = add_objective(store, team, "Original")
    drafts.save_objective(store, team, objective.id, ObjectiveFields("Laptop A's text", "A's why"), 1, "A")
    before_stamps = stamps(store, engagement, team, other_team)
    before = drafts.load(store, team.id)

    with pytest.raises(StaleEdit) as stale:
        drafts.save_objective(store, team, objective.id, ObjectiveFields("Laptop B's text", "B's why"), 1, "B")

    assert stale.value.mine["text"] == "Laptop B's text"
    assert stale.value.mine["why_now"] == "B's why"
    assert stale.value.theirs["text"] == "Laptop A's text"
    assert (stale.value.their_version, stale.value.their_author) == (2, "A")
    assert "A" in str(stale.value)
    assert drafts.load(store, team.id) == before
    assert stamps(store, engagement, team, other_team) == before_stamps
    history = revisions.history(store, "objective", objective.id)
    assert [(h["outcome"], h["author"], h["body"]["text"]) for h in history] == [
        ("saved", "Sam", "Original"), ("saved", "A", "Laptop A's text"), ("conflict", "B", "Laptop B's text")]


def test_a_stale_key_result_save_raises_with_both_texts_and_changes_nothing(store, engagement, team, other_team,
                                                                          params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, "Original", depends_on=(other_team.id,))
    drafts.save_key_result(store, team, kr.id, KeyResultFields("A's KR", depends_on=(other_team.id,)), 1, params,
                           engagement.cycle_end, "A")
    before_stamps = stamps(store, engagement, team, other_team)
    before = drafts.load(store, team.id)

    with pytest.raises(StaleEdit) as stale:
        drafts.save_key_result(store, team, kr.id, KeyResultFields("B's KR"), 1, params, engagement.cycle_end, "B")

    assert (stale.value.mine["text"], stale.value.theirs["text"]) == ("B's KR", "A's KR")
    assert stale.value.theirs["depends_on"] == (other_team.id,)
    assert (stale.value.their_version, stale.value.their_author) == (2, "A")
    assert drafts.load(store, team.id) == before
    assert stamps(store, engagement, team, other_team) == before_stamps
    history = revisions.history(store, "key_result", kr.id)
    assert [(h["outcome"], h["author"], h["body"]["text"]) for h in history] == [
        ("saved", "Sam", "Original"), ("saved", "A", "A's KR"), ("conflict", "B", "B's KR")]


def test_saving_from_the_latest_version_after_a_conflict_succeeds(store, team):
    objective = add_objective(store, team, "Original")
    drafts.save_objective(store, team, objective.id, ObjectiveFields("A"), 1, "A")
    with pytest.raises(StaleEdit) as stale:
        drafts.save_objective(store, team, objective.id, ObjectiveFields("B"), 1, "B")
    merged = drafts.save_objective(store, team, objective.id, ObjectiveFields("A and B"),
                                   stale.value.their_version, "B")
    assert (merged.fields.text, merged.version) == ("A and B", 3)


# --- one team's drafts are its own ----------------------------------------------------------------


def test_a_team_cannot_change_remove_or_extend_another_teams_drafts(store, engagement, team, other_team, params):
    objective = add_objective(store, team, "Stores' objective")
    kr = add_kr(store, team, objective.id, engagement, "Stores' key result")
    before, counts = drafts.load(store, team.id), table_counts(store)
    cycle_end = engagement.cycle_end

    attempts = [
        lambda: drafts.save_objective(store, other_team, objective.id, ObjectiveFields("Hijacked"), 1, "X"),
        lambda: drafts.remove_objective(store, other_team, objective.id, "X"),
        lambda: drafts.add_key_result(store, other_team, objective.id, KeyResultFields("Hijacked"), params,
                                      cycle_end, "X"),
        lambda: drafts.save_key_result(store, other_team, kr.id, KeyResultFields("Hijacked"), 1, params,
                                       cycle_end, "X"),
        lambda: drafts.remove_key_result(store, other_team, kr.id, "X"),
    ]
    for attempt in attempts:
        with pytest.raises(InputError, match="belongs to another team"):
            attempt()

    assert drafts.load(store, team.id) == before
    assert table_counts(store) == counts


def test_an_unknown_objective_or_key_result_is_refused(store, engagement, team, params):
    with pytest.raises(InputError):
        drafts.save_objective(store, team, 999, ObjectiveFields("Ghost"), 1, "Sam")
    with pytest.raises(InputError):
        drafts.save_key_result(store, team, 999, KeyResultFields("Ghost"), 1, params, engagement.cycle_end, "Sam")


def test_a_removed_objective_can_no_longer_be_saved_or_extended(store, engagement, team, params):
    objective = add_objective(store, team)
    drafts.remove_objective(store, team, objective.id, "Sam")
    with pytest.raises(InputError, match="removed on another laptop"):
        drafts.save_objective(store, team, objective.id, ObjectiveFields("Back"), 1, "Sam")
    with pytest.raises(InputError, match="removed on another laptop"):
        add_kr(store, team, objective.id, engagement)


# --- contributes to -------------------------------------------------------------------------------


def test_contributes_to_accepts_top_level_objectives_in_their_order(store, team, top_team):
    tops = [add_objective(store, top_team, f"Top {i}") for i in range(3)]
    objective = add_objective(store, team, contributes_to=(tops[2].id, tops[0].id, tops[2].id))
    assert objective.fields.contributes_to == (tops[0].id, tops[2].id)


def test_contributes_to_refuses_another_teams_objective(store, team, other_team):
    theirs = add_objective(store, other_team, "Not a top-level objective")
    with pytest.raises(InputError, match="Contributes to"):
        add_objective(store, team, contributes_to=(theirs.id,))
    assert drafts.load(store, team.id).objectives == ()


def test_contributes_to_refuses_an_own_objective_and_an_unknown_id(store, team):
    mine = add_objective(store, team, "Mine")
    for target in (mine.id, 12345):
        with pytest.raises(InputError, match="Contributes to"):
            add_objective(store, team, contributes_to=(target,))


def test_contributes_to_refuses_a_top_level_objective_of_another_engagement(store, top_team):
    old_top = add_objective(store, top_team, "Last engagement's top objective")
    new = engagements.start_new(store, "Next client")
    new_team = teams.add(store, new.id, "Stores team")
    with pytest.raises(InputError, match="Contributes to"):
        add_objective(store, new_team, contributes_to=(old_top.id,))


def test_contributes_to_refuses_a_removed_top_level_objective(store, team, top_team):
    top = add_objective(store, top_team, "Removed top objective")
    drafts.remove_objective(store, top_team, top.id, "coach")
    with pytest.raises(InputError, match="no longer exists"):
        add_objective(store, team, contributes_to=(top.id,))


def test_a_top_level_objective_cannot_contribute_to_another(store, top_team):
    top = add_objective(store, top_team, "Top")
    with pytest.raises(InputError, match="Top-level objectives do not contribute"):
        add_objective(store, top_team, "Another top", contributes_to=(top.id,))


def test_top_objectives_lists_only_the_top_level_teams_objectives(store, engagement, team, top_team):
    tops = [add_objective(store, top_team, f"Top {i}") for i in range(2)]
    add_objective(store, team, "Team objective")
    assert [o.id for o in drafts.top_objectives(store, engagement.id)] == [t.id for t in tops]


def test_removing_a_top_level_objective_keeps_the_link_visible_and_load_working(store, engagement, team,
                                                                                top_team):
    top = add_objective(store, top_team, "Top")
    objective = add_objective(store, team, contributes_to=(top.id,))
    drafts.remove_objective(store, top_team, top.id, "coach")

    [loaded] = drafts.load(store, team.id).objectives
    assert loaded.id == objective.id
    assert loaded.fields.contributes_to == (top.id,)
    assert [d.team.id for d in drafts.load_all(store, engagement.id)] == [top_team.id, team.id]
    assert drafts.top_objectives(store, engagement.id) == []


def test_removing_a_top_level_objective_redraws_the_teams_that_contribute_to_it(store, engagement, team,
                                                                                other_team, top_team):
    top = add_objective(store, top_team, "Top")
    add_objective(store, team, contributes_to=(top.id,))
    before = stamps(store, engagement, team, other_team)
    drafts.remove_objective(store, top_team, top.id, "coach")
    after = stamps(store, engagement, team, other_team)
    assert after[1] > before[1]
    assert after[2] == before[2]


# --- depends on -----------------------------------------------------------------------------------


def dependency_rows(store, kr_id) -> list[tuple]:
    with store.read() as db:
        return [(r["to_team_id"], r["status"], r["comment"]) for r in db.query(
            "SELECT to_team_id, status, comment FROM dependencies WHERE key_result_id = ? ORDER BY to_team_id",
            [kr_id])]


def answer(store, kr_id, team_id, status, comment):
    with store.write() as db:
        db.execute("UPDATE dependencies SET status = ?, comment = ? WHERE key_result_id = ? AND to_team_id = ?",
                   [status, comment, kr_id, team_id])


def test_depends_on_cannot_include_the_own_team(store, engagement, team, other_team):
    objective = add_objective(store, team)
    with pytest.raises(InputError, match="Depends on.*own|own team"):
        add_kr(store, team, objective.id, engagement, depends_on=(other_team.id, team.id))
    assert table_counts(store)["key_results"] == 0


def test_depends_on_refuses_removed_unknown_and_other_engagements_teams(store, engagement, team, other_team):
    objective = add_objective(store, team)
    gone = teams.add(store, engagement.id, "Gone team")
    teams.remove(store, gone.id, "coach")
    for bad in (gone.id, 12345):
        with pytest.raises(InputError, match="no longer in the workshop"):
            add_kr(store, team, objective.id, engagement, depends_on=(bad,))
    assert table_counts(store)["dependencies"] == 0


def test_dependencies_are_created_as_requested(store, engagement, team, other_team, top_team):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, depends_on=(other_team.id, top_team.id, other_team.id))
    assert kr.fields.depends_on == (other_team.id, top_team.id)
    assert dependency_rows(store, kr.id) == sorted([(other_team.id, "requested", ""), (top_team.id, "requested", "")])


def test_an_answered_dependency_is_kept_when_the_key_result_is_saved_again(store, engagement, team, other_team,
                                                                           params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    answer(store, kr.id, other_team.id, "accepted", "Our van collects on Mondays")
    drafts.save_key_result(store, team, kr.id, KeyResultFields("Edited", depends_on=(other_team.id,)), 1, params,
                           engagement.cycle_end, "Sam")
    assert dependency_rows(store, kr.id) == [(other_team.id, "accepted", "Our van collects on Mondays")]


def test_a_deselected_dependency_is_removed_and_a_new_one_requested(store, engagement, team, other_team,
                                                                    top_team, params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    answer(store, kr.id, other_team.id, "declined", "Not this quarter")
    drafts.save_key_result(store, team, kr.id, KeyResultFields("KR", depends_on=(top_team.id,)), 1, params,
                           engagement.cycle_end, "Sam")
    assert dependency_rows(store, kr.id) == [(top_team.id, "requested", "")]
    drafts.save_key_result(store, team, kr.id, KeyResultFields("KR", depends_on=(other_team.id,)), 2, params,
                           engagement.cycle_end, "Sam")
    assert dependency_rows(store, kr.id) == [(other_team.id, "requested", "")]


# --- removing -------------------------------------------------------------------------------------


def test_remove_objective_soft_deletes_it_and_its_key_results_with_a_removed_revision(store, engagement, team):
    objective = add_objective(store, team, "Going", why_now="Because")
    kept = add_objective(store, team, "Staying")
    for i in range(2):
        add_kr(store, team, objective.id, engagement, f"KR {i}")

    drafts.remove_objective(store, team, objective.id, "Sam")

    assert [o.id for o in drafts.load(store, team.id).objectives] == [kept.id]
    with store.read() as db:
        assert db["objectives"].get(objective.id)["removed_at"] is not None
        assert all(row["removed_at"] is not None for row in db.query(
            "SELECT removed_at FROM key_results WHERE objective_id = ?", [objective.id]))
        assert db.execute("SELECT count(*) FROM key_results WHERE objective_id = ?",
                          [objective.id]).fetchone()[0] == 2
    last = revisions.history(store, "objective", objective.id)[-1]
    assert (last["outcome"], last["author"], last["version"]) == ("removed", "Sam", 1)
    assert (last["body"]["text"], last["body"]["why_now"]) == ("Going", "Because")
    assert [kr["text"] for kr in last["body"]["key_results"]] == ["KR 0", "KR 1"]


def test_remove_key_result_soft_deletes_it_with_a_removed_revision(store, engagement, team):
    objective = add_objective(store, team)
    going, staying = add_kr(store, team, objective.id, engagement, "Going"), add_kr(store, team, objective.id,
                                                                                   engagement, "Staying")
    drafts.remove_key_result(store, team, going.id, "Sam")
    assert [kr.id for kr in drafts.load(store, team.id).objectives[0].key_results] == [staying.id]
    last = revisions.history(store, "key_result", going.id)[-1]
    assert (last["outcome"], last["body"]["text"]) == ("removed", "Going")
    with pytest.raises(InputError, match="removed on another laptop"):
        drafts.remove_key_result(store, team, going.id, "Sam")


# --- stamps: which pages redraw -------------------------------------------------------------------


def test_saving_an_objective_changes_its_own_teams_stamp_only(store, engagement, team, other_team):
    objective = add_objective(store, team)
    before = stamps(store, engagement, team, other_team)
    drafts.save_objective(store, team, objective.id, ObjectiveFields("Edited"), 1, "Sam")
    after = stamps(store, engagement, team, other_team)
    assert after[0] > before[0] and after[1] > before[1]
    assert after[2] == before[2]


def test_adding_a_key_result_changes_the_stamp_of_the_team_it_depends_on(store, engagement, team, other_team,
                                                                         top_team):
    objective = add_objective(store, team)
    before = stamps(store, engagement, team, other_team, top_team)
    add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    after = stamps(store, engagement, team, other_team, top_team)
    assert after[0] > before[0] and after[1] > before[1] and after[2] > before[2]
    assert after[3] == before[3]


def test_changing_depends_on_changes_the_stamps_of_teams_added_and_dropped(store, engagement, team, other_team,
                                                                          top_team, params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    before = stamps(store, engagement, team, other_team, top_team)
    drafts.save_key_result(store, team, kr.id, KeyResultFields("KR", depends_on=(top_team.id,)), 1, params,
                           engagement.cycle_end, "Sam")
    after = stamps(store, engagement, team, other_team, top_team)
    assert all(a > b for a, b in zip(after, before))


def test_editing_a_key_result_changes_the_stamp_of_a_team_it_already_depends_on(store, engagement, team,
                                                                                other_team, params):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, "Old text", depends_on=(other_team.id,))
    before = teams.stamp(store, other_team.id)
    drafts.save_key_result(store, team, kr.id, KeyResultFields("New text", depends_on=(other_team.id,)), 1,
                           params, engagement.cycle_end, "Sam")
    assert teams.stamp(store, other_team.id) > before


def test_editing_an_objective_changes_the_stamp_of_teams_its_key_results_depend_on(store, engagement, team,
                                                                                  other_team):
    objective = add_objective(store, team, "Old objective")
    add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    before = teams.stamp(store, other_team.id)
    drafts.save_objective(store, team, objective.id, ObjectiveFields("New objective"), 1, "Sam")
    assert teams.stamp(store, other_team.id) > before


def test_removing_an_objective_changes_the_stamp_of_teams_its_key_results_depend_on(store, engagement, team,
                                                                                   other_team):
    objective = add_objective(store, team)
    add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    before = teams.stamp(store, other_team.id)
    drafts.remove_objective(store, team, objective.id, "Sam")
    assert teams.stamp(store, other_team.id) > before


def test_removing_a_key_result_changes_the_stamp_of_the_team_it_depended_on(store, engagement, team, other_team):
    objective = add_objective(store, team)
    kr = add_kr(store, team, objective.id, engagement, depends_on=(other_team.id,))
    before = teams.stamp(store, other_team.id)
    drafts.remove_key_result(store, team, kr.id, "Sam")
    assert teams.stamp(store, other_team.id) > before


# --- reading everything ---------------------------------------------------------------------------


def test_load_all_returns_every_teams_draft_top_level_team_first(store, engagement, team, other_team, top_team):
    add_objective(store, other_team, "Online")
    add_objective(store, top_team, "Top")
    add_objective(store, team, "Stores")
    loaded = drafts.load_all(store, engagement.id)
    assert [(d.team.id, [o.fields.text for o in d.objectives]) for d in loaded] == [
        (top_team.id, ["Top"]), (team.id, ["Stores"]), (other_team.id, ["Online"])]


def test_load_all_leaves_out_removed_teams(store, engagement, team, other_team):
    add_objective(store, other_team, "Online")
    teams.remove(store, other_team.id, "coach")
    assert other_team.id not in {d.team.id for d in drafts.load_all(store, engagement.id)}


def test_objective_fields_are_plain_frozen_records(store, team):
    objective = add_objective(store, team)
    with pytest.raises(FrozenInstanceError):
        objective.fields.text = "Changed"  # type: ignore[misc]
    assert replace(objective.fields, text="Copy").text == "Copy"
