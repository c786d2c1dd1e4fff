"""A coach's first minutes: sign in from the join page, then every page; failures reach people as one sentence."""

from streamlit.testing.v1 import AppTest

from okrcoach.errors import StorageUnavailable
from okrcoach.ui import failure, state
from okrcoach.workshop import access, engagements
from tests.pages.conftest import PIN, texts

PAGES = ("setup", "console", "projector", "team", "executive", "alignment", "export", "join")


def signed_in(app):
    """The app after the facilitator signed in from the join page, as a person does it."""
    at = app.run()
    next(t for t in at.text_input if t.label == "Facilitator PIN").input(PIN)
    at.button(key="FormSubmitter:join-pin-Sign in").click().run()
    assert not at.exception and at.title[0].value == "Set-up"
    return at


def test_every_page_opens_right_after_signing_in_and_keeps_app_state_apart_from_widget_keys(app):
    at = signed_in(app)
    for page in PAGES:
        if page == "team":
            at.query_params["team"] = "stores"
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, f"/{page} shows an exception"
        assert not at.error, f"/{page} shows an error: {[e.value for e in at.error]}"
        session = object.__getattribute__(object.__getattribute__(at.session_state, "_state"), "_state")
        widget_keys = session._key_id_mapper  # keys that belong to a widget or a form on this page
        set_by_the_app = [key for key in at.session_state.keys() if key not in widget_keys]
        assert all(key.startswith(state.PREFIX) for key in set_by_the_app), f"/{page}: {set_by_the_app}"
        assert not any(key.startswith(state.PREFIX) for key in at.session_state.keys() if key in widget_keys)


def run_behind_the_boundary(tmp_path, body: str) -> AppTest:
    """A small app whose one page runs `body` inside the page boundary."""
    script = tmp_path / "boundary_app.py"
    script.write_text("import sqlite3\nimport streamlit as st\nfrom okrcoach.ui import failure\n"
                      "with failure.boundary():\n" + "".join(f"    {line}\n" for line in body.splitlines()))
    return AppTest.from_file(str(script)).run()


def test_the_page_boundary_turns_any_failure_into_one_plain_sentence(tmp_path):
    at = run_behind_the_boundary(tmp_path, "st.text_input('Objective', key='typed')\n"
                                           "raise RuntimeError('boom in /srv/okrcoach/secret.py')")
    assert not at.exception
    assert [e.value for e in at.error] == [failure.UNEXPECTED]
    assert "secret.py" not in texts(at)


def test_a_file_fault_outside_a_save_gets_its_own_sentence(tmp_path):
    at = run_behind_the_boundary(tmp_path, "raise sqlite3.OperationalError('database is locked')")
    assert not at.exception
    assert at.error[0].value.startswith("Saving is paused: another program is holding the workshop's file.")


def test_a_refused_save_says_so_plainly_and_keeps_the_typing(app, monkeypatch):
    at = signed_in(app)

    def refused(*args, **kwargs):
        raise StorageUnavailable("Saving is paused: the laptop running the workshop cannot write its file. "
                                 "Your text is still here; try again in a moment.")

    monkeypatch.setattr(engagements, "update", refused)
    name_box = next(t for t in at.text_input if t.label == "Engagement name")
    name_box.input("Renamed while the disk was full")
    next(b for b in at.button if b.label == "Save engagement").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Saving is paused")
    assert next(t for t in at.text_input if t.label == "Engagement name").value == "Renamed while the disk was full"


def test_sign_out_ends_the_sign_in_on_every_page(app, demo_store):
    at = signed_in(app)
    token = at.query_params["fac"]
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert not access.token_valid(demo_store, token)
    assert at.title[0].value == "Facilitator sign-in"


def test_the_projector_opens_in_its_own_tab_with_the_workshop_code_only(app):
    at = signed_in(app)
    link = next(b for b in at.get("link_button") if b.proto.label == "Open projector")
    assert "fac=" not in link.proto.url
    assert link.proto.url.startswith("projector?code=")
    assert not any("projector" in str(p.proto.page) for p in at.get("page_link"))


def test_changing_the_pin_keeps_this_facilitator_signed_in_and_ends_the_others(app, demo_store):
    other = access.sign_in(demo_store, PIN)
    at = signed_in(app)
    next(t for t in at.text_input if t.label == "New facilitator PIN").input("918273")
    next(b for b in at.button if b.label == "Change PIN").click().run()
    assert not at.exception
    assert not access.token_valid(demo_store, other)
    assert access.token_valid(demo_store, at.query_params["fac"])
    assert at.title[0].value == "Set-up"
