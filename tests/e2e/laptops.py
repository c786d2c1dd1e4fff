"""Shared helpers for tests where several Chromium laptops of one team draft at once."""

import secrets
import time
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from okrcoach.drafting import unsaved
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, teams
from tests.e2e.conftest import CODE, wait_idle

# Where an editor's fields sit: a Streamlit form, or one of the drafting editors (keyed by the item's id).
EDITOR = "[data-testid='stForm'], [class*='st-key-editor-']"
EXCEPTION = "[data-testid='stException']"


def editor_with(page: Page, button: str) -> Locator:
    """The editor (or form) holding the button with this label."""
    return page.locator(EDITOR).filter(has=page.get_by_role("button", name=button, exact=True))


def editor(page: Page, name: str) -> Locator:
    """One drafting editor by its name: 'objective-12', 'kr-40', 'add-objective-3', 'add-kr-12'."""
    return page.locator(f".st-key-editor-{name}")


def card(page: Page, kind: str, item_id: int) -> Locator:
    """The card of one objective or key result (kind 'objective' or 'kr'), found by the item's id."""
    return page.locator(f".st-key-{kind}-card-{item_id}")


def visit(open_page, page: Page | None, url: str) -> Page:
    """Load a link in the tab (a new tab the first time): each load is a new Streamlit session, as a new tab's is,
    and the tab's renderer has the app's scripts compiled already."""
    if page is None:
        return open_page(url)
    page.goto(url)
    wait_idle(page)
    return page


def new_laptop_id() -> str:
    """A laptop id as the team page makes one."""
    return secrets.token_urlsafe(9)


def team_url(base: str, slug: str, laptop: str | None = None) -> str:
    """A team page link, with a laptop id when given."""
    return f"{base}/team?team={slug}&code={CODE}" + (f"&laptop={laptop}" if laptop else "")


def fresh_team(db_path: Path, name: str) -> teams.Team:
    """A new, empty breakout team in the running workshop (numbered when a rerun of the test finds it taken)."""
    store = Store(db_path)
    engagement_id = engagements.current(store).id
    taken = {team.name for team in teams.list_teams(store, engagement_id)}
    unique = next(candidate for candidate in (name, *(f"{name} {n}" for n in range(2, 100))) if candidate not in taken)
    return teams.add(store, engagement_id, unique)


def type_and_leave(field: Locator, text: str) -> None:
    """Type into a field and leave it (Tab), as a person moving to the next field does: the field commits."""
    field.fill(text)
    field.press("Tab")


def wait_kept(db_path: Path, laptop: str, editor_name: str, field: str, text: str, timeout: float = 10) -> None:
    """Wait until the server keeps `text` for this laptop's editor (the commit reached the database)."""
    store = Store(db_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kept = unsaved.kept(store, laptop).get(editor_name)
        if kept and kept.fields.get(field) == text:
            return
        time.sleep(0.05)
    raise AssertionError(f"{editor_name}.{field} was never kept as {text!r} for laptop {laptop}")


def jump(db_path: Path, kind: str, occurrence: int = 0) -> None:
    """The facilitator moves the agenda to the n-th item of this kind."""
    store = Store(db_path)
    run = runs.current(store, engagements.current(store).id)
    index = [i for i, item in enumerate(run.items) if item.kind == kind][occurrence]
    runs.act(store, run.id, "jump", time.time(), index=index)


def settle(page: Page) -> None:
    """Wait for the page's run to end, then check it shows no exception."""
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
