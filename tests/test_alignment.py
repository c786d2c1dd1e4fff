"""Alignment tables and flags, with the bad input a live workshop produces; the figures build."""

import dataclasses
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from okrcoach.content import rules as rulebook
from okrcoach.drafting import demo, dependencies, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.review import alignment
from okrcoach.review.alignment import NOTHING, REMOVED_TOP
from okrcoach.storage.store import Store
from okrcoach.ui import alignment_charts
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters

# Teams may draft past the limits while adding; the review then uses the engagement's own limits.
RELAXED = DeploymentParameters(max_objectives=99, max_key_results=99)


@pytest.fixture
def workshop(tmp_path):
    """A top team, three teams drafting, and every kind of trouble the flags should catch."""
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store, today=date(2025, 1, 6))
    top = teams.add(store, engagement.id, "Leadership", kind="top")
    sales = teams.add(store, engagement.id, "Sales")
    ops = teams.add(store, engagement.id, "Operations")
    it = teams.add(store, engagement.id, "IT")
    legal = teams.add(store, engagement.id, "Legal")

    def objective(team, text, contributes_to=()):
        return drafts.add_objective(store, team, ObjectiveFields(text, contributes_to=tuple(contributes_to)),
                                    RELAXED, "t")

    def krs(team, objective_, count, prefix, depends_on=None):
        made = []
        for n in range(1, count + 1):
            depends = depends_on if n == 1 and depends_on else ()
            made.append(drafts.add_key_result(
                store, team, objective_.id, KeyResultFields(f"{prefix} kr{n}", champion=f"{prefix} champion",
                                                            depends_on=tuple(t.id for t in depends)),
                RELAXED, engagement.cycle_end, "t"))
        return made

    grow = objective(top, "Grow")
    delight = objective(top, "Delight")
    lonely = objective(top, "Nobody supports this")
    doomed = objective(top, "Will be removed")
    for top_objective in (grow, delight, lonely, doomed):
        krs(top, top_objective, 2, top_objective.fields.text)

    s1 = objective(sales, "S1", [grow.id])
    krs(sales, s1, 1, "S1", [ops])
    drafts.add_key_result(store, sales, s1.id, KeyResultFields("S1 kr2", depends_on=(it.id,)), RELAXED,
                          engagement.cycle_end, "t")
    s2 = objective(sales, "S2", [delight.id])
    krs(sales, s2, 2, "S2", [ops])
    krs(sales, objective(sales, "S3"), 2, "S3")
    krs(sales, objective(sales, "S4", [grow.id]), 2, "S4")

    o1 = objective(ops, "O1", [grow.id, doomed.id])
    krs(ops, o1, 2, "O1", [legal])
    krs(ops, objective(ops, "O2", [delight.id]), 1, "O2")

    krs(it, objective(it, "I1", [delight.id]), 5, "I1")
    krs(it, objective(it, "I2", [grow.id]), 2, "I2")

    krs(legal, objective(legal, "L1", [grow.id]), 2, "L1")

    asked_of_it = dependencies.asked_of(store, it.id)
    dependencies.answer(store, it, asked_of_it[0].id, "accepted", "", "it lead")
    declined = next(r for r in dependencies.asked_of(store, ops.id) if r.key_result == "S2 kr1")
    dependencies.answer(store, ops, declined.id, "declined", "No capacity this quarter", "ops lead")

    drafts.remove_objective(store, top, doomed.id, "coach")
    teams.remove(store, legal.id, "coach")
    engagement = engagements.current(store)
    return store, engagement, {"grow": grow, "delight": delight, "lonely": lonely, "doomed": doomed}


def test_loader_reads_the_engagement_and_finds_removed_top_objectives_still_pointed_at(workshop):
    store, engagement, tops = workshop
    data = alignment.load(store, engagement)
    assert [d.team.name for d in data.drafts] == ["Leadership", "Sales", "Operations", "IT"]
    assert data.params == DeploymentParameters()
    assert data.removed_top_objective_ids == {tops["doomed"].id}
    assert len(data.requests) == 4


def test_every_flag_kind_appears_exactly_where_expected(workshop):
    store, engagement, _ = workshop
    table = alignment.flags(alignment.load(store, engagement))
    assert list(table.columns) == ["kind", "team", "item", "detail"]
    assert list(zip(table["kind"], table["team"], table["item"], strict=True)) == [
        ("top-level objective without support", "Leadership", "Nobody supports this"),
        ("over the objective limit", "Sales", "4 objectives"),
        ("dependency not answered", "Sales", "S1 kr1"),
        ("dependency declined", "Sales", "S2 kr1"),
        ("contributes to nothing", "Sales", "S3"),
        ("contributes to a removed objective", "Operations", "O1"),
        ("depends on a removed team", "Operations", "O1 kr1"),
        ("too few key results", "Operations", "O2"),
        ("too many key results", "IT", "I1"),
    ]
    assert set(table["kind"]) == set(alignment.FLAG_KINDS)


def test_flag_details_name_the_other_team_the_comment_and_the_limits(workshop):
    store, engagement, _ = workshop
    table = alignment.flags(alignment.load(store, engagement))
    detail = dict(zip(table["kind"], table["detail"], strict=True))
    assert detail["dependency not answered"].startswith("Operations has not answered yet.")
    assert detail["dependency declined"].startswith("Operations declined.")
    assert detail["dependency declined"].endswith("Their comment: No capacity this quarter")
    assert "Legal was removed" in detail["depends on a removed team"]
    assert "allows 3 objectives" in detail["over the objective limit"]
    assert detail["too few key results"].startswith("1 key result;")
    assert detail["too many key results"].startswith("5 key results;")


def test_flags_ask_each_rules_question_in_the_rules_files_wording(workshop):
    store, engagement, _ = workshop
    params = engagement.params
    table = alignment.flags(alignment.load(store, engagement))
    detail = dict(zip(table["kind"], table["detail"], strict=True))
    for kind, rule_id, found in [
        ("over the objective limit", "too_many_objectives", {}),
        ("too few key results", "too_few_key_results", {}),
        ("too many key results", "too_many_key_results", {}),
        ("contributes to nothing", "contributes_to_nothing", {}),
        ("top-level objective without support", "top_objective_unsupported", {}),
        ("dependency not answered", "dependency_unanswered", {"team": "Operations"}),
        ("dependency declined", "dependency_declined", {"team": "Operations"}),
    ]:
        wording = rulebook.question(rule_id, params, **found)
        assert wording and wording in detail[kind], kind


def test_team_filter_on_flags_keeps_the_teams_own_flags_and_requests_on_either_side(workshop):
    store, engagement, _ = workshop
    table = alignment.flags(alignment.load(store, engagement), "operations")
    assert list(zip(table["kind"], table["item"], strict=True)) == [
        ("dependency not answered", "S1 kr1"),
        ("dependency declined", "S2 kr1"),
        ("contributes to a removed objective", "O1"),
        ("depends on a removed team", "O1 kr1"),
        ("too few key results", "O2"),
    ]
    assert alignment.flags(alignment.load(store, engagement), "no-such-team").empty


def test_vertical_lists_top_objectives_in_order_then_removed_links_then_unlinked_objectives(workshop):
    store, engagement, _ = workshop
    table = alignment.vertical(alignment.load(store, engagement))
    assert list(table.columns[:6]) == ["top_objective", "team", "team_objective", "key_result", "kr_type",
                                       "champion"]
    assert list(dict.fromkeys(table["top_objective"])) == ["Grow", "Delight", "Nobody supports this",
                                                           REMOVED_TOP, NOTHING]
    grow = table[table["top_objective"] == "Grow"]
    assert list(zip(grow["team"], grow["team_objective"], grow["key_result"], strict=True)) == [
        ("Sales", "S1", "S1 kr1"), ("Sales", "S1", "S1 kr2"), ("Sales", "S4", "S4 kr1"), ("Sales", "S4", "S4 kr2"),
        ("Operations", "O1", "O1 kr1"), ("Operations", "O1", "O1 kr2"), ("IT", "I2", "I2 kr1"),
        ("IT", "I2", "I2 kr2")]
    assert grow.iloc[0]["champion"] == "S1 champion" and grow.iloc[0]["kr_type"] == "metric"
    lonely = table[table["top_objective"] == "Nobody supports this"]
    assert len(lonely) == 1 and lonely.iloc[0]["team"] is None and lonely.iloc[0]["team_objective"] is None
    assert list(table[table["top_objective"] == REMOVED_TOP]["team_objective"]) == ["O1", "O1"]
    assert list(table[table["top_objective"] == NOTHING]["team_objective"]) == ["S3", "S3"]


def test_vertical_filter_keeps_the_teams_rows_and_every_top_objective_for_context(workshop):
    store, engagement, _ = workshop
    data = alignment.load(store, engagement)
    table = alignment.vertical(data, "it")
    assert set(table["team"].dropna()) == {"IT"}
    assert list(dict.fromkeys(table["top_objective"])) == ["Grow", "Delight", "Nobody supports this"]
    assert list(table[table["top_objective"] == "Delight"]["key_result"]) == [f"I1 kr{n}" for n in range(1, 6)]
    assert alignment.vertical(data, "leadership").equals(alignment.vertical(data))
    assert list(alignment.vertical(data, "gone")["team"]) == [None, None, None]


def test_a_link_to_a_top_objective_the_loader_missed_is_still_shown_and_flagged(workshop):
    store, engagement, _ = workshop
    data = dataclasses.replace(alignment.load(store, engagement), removed_top_objective_ids=set())
    assert "O1" in set(alignment.vertical(data).query("top_objective == @REMOVED_TOP")["team_objective"])
    assert "contributes to a removed objective" in set(alignment.flags(data)["kind"])


def test_horizontal_lists_each_request_in_team_order_and_marks_removed_teams(workshop):
    store, engagement, _ = workshop
    table = alignment.horizontal(alignment.load(store, engagement))
    assert list(table.columns) == ["from_team", "to_team", "key_result", "objective", "status", "comment",
                                   "to_team_removed"]
    assert table[["from_team", "to_team", "key_result", "status", "to_team_removed"]].values.tolist() == [
        ["Sales", "Operations", "S1 kr1", "requested", False],
        ["Sales", "IT", "S1 kr2", "accepted", False],
        ["Sales", "Operations", "S2 kr1", "declined", False],
        ["Operations", "Legal", "O1 kr1", "requested", True],
    ]
    assert table.iloc[2]["comment"] == "No capacity this quarter"


def test_horizontal_filter_keeps_requests_the_team_makes_or_receives(workshop):
    store, engagement, _ = workshop
    data = alignment.load(store, engagement)
    assert list(alignment.horizontal(data, "operations")["key_result"]) == ["S1 kr1", "S2 kr1", "O1 kr1"]
    assert list(alignment.horizontal(data, "it")["key_result"]) == ["S1 kr2"]
    assert alignment.horizontal(data, "gone").empty


def test_dependency_matrix_counts_requests_by_status_with_removed_teams_as_their_own_column(workshop):
    store, engagement, _ = workshop
    matrix = alignment.dependency_matrix(alignment.load(store, engagement))
    assert list(matrix.index) == ["Leadership", "Sales", "Operations", "IT"]
    assert list(matrix.columns) == ["Leadership", "Sales", "Operations", "IT", "Legal (removed)"]
    assert matrix.loc["Sales", "Operations"] == "1 requested, 1 declined"
    assert matrix.loc["Sales", "IT"] == "1 accepted"
    assert matrix.loc["Operations", "Legal (removed)"] == "1 requested"
    assert (matrix != "").sum().sum() == 3


def test_status_summary_reads_accepted_then_requested_then_declined():
    assert alignment.status_summary(["requested", "accepted", "accepted"]) == "2 accepted, 1 requested"
    assert alignment.status_summary([]) == ""


def test_an_engagement_with_no_teams_gives_empty_tables_not_errors(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store)
    data = alignment.load(store, engagement)
    for table in (alignment.vertical(data), alignment.horizontal(data), alignment.flags(data),
                  alignment.dependency_matrix(data)):
        assert table.empty
    assert alignment_charts.vertical_figure(alignment.vertical(data)).layout.annotations
    assert alignment_charts.horizontal_figure(alignment.horizontal(data), []).layout.annotations


def test_figures_build_for_the_demo_engagement(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store, today=date(2025, 1, 6))
    data = alignment.load(store, engagement)
    names = [draft.team.name for draft in data.drafts]
    vertical = alignment_charts.vertical_figure(alignment.vertical(data))
    horizontal = alignment_charts.horizontal_figure(alignment.horizontal(data), names)
    for figure in (vertical, horizontal):
        assert isinstance(figure, go.Figure) and figure.data
        assert figure.layout.font.size >= 16
        figure.to_json()
    assert isinstance(vertical.data[0], go.Icicle) and len(vertical.data[0].ids) > 30
    assert isinstance(horizontal.data[0], go.Heatmap)
    assert [status.name for status in horizontal.data[1:]] == list(alignment_charts.STATUS_NAMES.values())
    for slug in ("stores", "leadership"):
        alignment_charts.vertical_figure(alignment.vertical(data, slug)).to_json()
        alignment_charts.horizontal_figure(alignment.horizontal(data, slug), names).to_json()


def test_figures_show_removed_links_and_gaps_without_dropping_them(workshop):
    store, engagement, _ = workshop
    data = alignment.load(store, engagement)
    vertical = alignment_charts.vertical_figure(alignment.vertical(data)).data[0]
    assert REMOVED_TOP in "".join(vertical.labels).replace("<br>", " ")
    assert "no team contributes yet" in vertical.labels
    horizontal = alignment_charts.horizontal_figure(alignment.horizontal(data),
                                                    [d.team.name for d in data.drafts])
    assert any("(removed)" in label for label in horizontal.layout.xaxis.ticktext)
    assert "1?" in [cell for row in horizontal.data[0].text for cell in row]


def test_labels_are_shortened_and_peoples_text_is_never_markup():
    label = alignment_charts.shorten("Make every store visit feel like advice from a friend who has been there")
    assert len(label) <= 45 and label.endswith("…")
    table = pd.DataFrame([{"top_objective": "<b>Win</b> & grow", "team": None}])
    icicle = alignment_charts.vertical_figure(table).data[0]
    assert icicle.labels[0] == "&lt;b&gt;Win&lt;/b&gt; &amp; grow"
