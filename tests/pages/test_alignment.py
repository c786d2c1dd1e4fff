"""The alignment page: needs the code; shows both views and the flags; filters by team."""

from okrcoach.drafting import drafts
from okrcoach.workshop import engagements
from tests.pages.conftest import CODE, visit


def open_alignment(app, code=CODE):
    return visit(app, "alignment", code=code)


def test_alignment_needs_the_code(app):
    at = open_alignment(app, code=None)
    assert [t.label for t in at.text_input] == ["Workshop code"]
    assert not at.get("plotly_chart")


def tables(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if 'data-testid="okc-room-table"' in h.proto.body]


def test_alignment_shows_both_views_and_the_flags_with_peoples_column_names(app):
    at = open_alignment(app)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    requests, flags = tables(at)
    assert "<th" in requests and ">Team asking<" in requests and ">Answer<" in requests and "from_team" not in requests
    assert ">What to talk about<" in flags and ">kind<" not in flags and ">detail<" not in flags
    assert all(kind in flags for kind in ("over the objective limit", "contributes to nothing", "dependency declined"))


def test_filtering_by_team_keeps_that_teams_flags(app):
    at = open_alignment(app)
    at.selectbox(key="alignment-team").select("supply").run()
    flags = tables(at)[-1]
    assert "Supply and warehouse team" in flags


def test_projector_mode_writes_every_label_out_and_zooms_into_one_objective(app, demo_store):
    at = open_alignment(app)
    at.toggle(key="alignment-projector").set_value(True).run()
    assert not at.exception and not at.get("plotly_chart")
    room = next(h.proto.body for h in at.get("html") if 'data-testid="okc-alignment-room"' in h.proto.body)
    assert "Not linked yet" in room and "font-size:2.8vh" in room and "…" not in room
    assert "Raise the share of store customers" not in room  # key results only when zoomed in
    top = drafts.top_objectives(demo_store, engagements.current(demo_store).id)[0]
    at.selectbox(key="alignment-zoom").set_value(top.id).run()
    room = next(h.proto.body for h in at.get("html") if 'data-testid="okc-alignment-room"' in h.proto.body)
    assert "column-count:1" in room and "• " in room and top.fields.text.replace("'", "&#x27;") in room
