"""The join page: the code first, then the team; the facilitator signs in with the PIN."""

from tests.pages.conftest import CODE, PIN, texts, visit


def test_join_page_without_code_shows_only_the_code_form(app):
    at = app.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Workshop code", "Facilitator PIN"]
    assert not at.selectbox
    assert "Fernhollow" not in texts(at)


def test_wrong_code_is_refused_with_a_message(app):
    at = app.run()
    at.text_input[0].input("WRONG1")
    at.button[0].click().run()
    assert "not this workshop's code" in at.error[0].value
    assert not at.selectbox


def test_right_code_shows_the_teams_to_pick(app):
    at = app.run()
    at.text_input[0].input(CODE.lower())
    at.button[0].click().run()
    assert at.selectbox[0].label == "Team"
    assert "Stores team" in at.selectbox[0].options


def test_code_in_the_link_fills_the_join_form(app):
    app.query_params["code"] = CODE
    at = app.run()
    assert at.selectbox[0].label == "Team"


def test_picking_a_team_opens_its_page_with_the_link_kept(app):
    app.query_params["code"] = CODE
    at = app.run()
    at.selectbox[0].select("stores")
    at.button(key="FormSubmitter:pick-team-Join").click().run()
    assert not at.exception
    assert at.query_params["team"] == "stores"
    assert "Stores team" in texts(at)


def test_facilitator_pin_signs_in_and_opens_setup(app):
    at = app.run()
    pin_box = next(t for t in at.text_input if t.label == "Facilitator PIN")
    pin_box.input(PIN)
    at.button(key="FormSubmitter:join-pin-Sign in").click().run()
    assert not at.exception
    assert at.title[0].value == "Set-up"
    assert at.query_params["fac"]


def test_wrong_pin_is_refused(app):
    at = app.run()
    pin_box = next(t for t in at.text_input if t.label == "Facilitator PIN")
    pin_box.input("0000")
    at.button(key="FormSubmitter:join-pin-Sign in").click().run()
    assert "not right" in at.error[0].value


def test_a_link_with_a_wrong_code_says_so_above_the_form(app):
    at = visit(app, "team", team="stores", code="WRONG1")
    assert [t.label for t in at.text_input] == ["Workshop code"]
    assert "The code in this link is not this workshop's code" in at.error[0].value
