"""Every screen once (script, title, path, whether the facilitator's sidebar links to it); runs go through app.py."""

from typing import NamedTuple

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from okrcoach.ui import state


class Screen(NamedTuple):
    """One page of the app."""

    script: str
    title: str
    url_path: str
    in_facilitator_nav: bool


SCREENS = (
    Screen("pages/join.py", "Join", "join", False),
    Screen("pages/setup.py", "Set-up", "setup", True),
    Screen("pages/console.py", "Console", "console", True),
    Screen("pages/projector.py", "Projector", "projector", False),  # opened in its own tab, never by link
    Screen("pages/team.py", "Team", "team", False),
    Screen("pages/executive.py", "Executive session", "executive", True),
    Screen("pages/alignment.py", "Alignment", "alignment", True),
    Screen("pages/export.py", "Export", "export", True),
)
JOIN = SCREENS[0]
RAN = "session-has-run"  # a page has run in this session before


def through_router() -> None:
    """First thing on every page: make sure this session's runs come through app.py, which sets up every page.

    Until app.py's st.navigation has run once in a server process, Streamlit takes the pages/ folder beside
    it for its older multipage layout: the first session after a start that opens a page's own link (a team
    laptop reconnecting after a restart) ran that page alone, and so did every session after it, without
    app.py's page title, failure boundary and set-up. Clearing Streamlit's flag (streamlit is pinned in
    requirements) sends every later run through app.py; a session's first run is rerun through it at once,
    as it holds nothing a person typed or pressed yet (a later run's click would be lost to a rerun).
    """
    first_run = not state.get(RAN)
    state.put(RAN, True)
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if first_run:
            st.rerun()
