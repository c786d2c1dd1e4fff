"""The alignment page: needs the code; shows both views and the flags; filters by team."""

from tests.pages.conftest import CODE, visit


def open_alignment(app, code=CODE):
    return visit(app, "alignment", code=code)


def test_alignment_needs_the_code(app):
    at = open_alignment(app, code=None)
    assert [t.label for t in at.text_input] == ["Workshop code"]
    assert not at.get("plotly_chart")


def test_alignment_shows_both_views_and_the_flags(app):
    at = open_alignment(app)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    flags = at.dataframe[-1].value
    assert {"over the objective limit", "contributes to nothing", "dependency declined"} <= set(flags["kind"])


def test_filtering_by_team_keeps_that_teams_flags(app):
    at = open_alignment(app)
    at.selectbox(key="alignment-team").select("supply").run()
    flags = at.dataframe[-1].value
    assert "Supply and warehouse team" in set(flags["team"])
    # Other teams' rows are only the requests made to this team.
    others = flags[flags["team"] != "Supply and warehouse team"]
    assert all("Supply and warehouse team" in detail for detail in others["detail"])
