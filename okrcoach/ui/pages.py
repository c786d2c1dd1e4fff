"""Every screen once: its script, title and path, and whether the facilitator's sidebar links to it."""

from typing import NamedTuple


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
