"""Fixtures and checks shared by the hostile-input browser tests: a running workshop, plain-text checks."""

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, runs, teams
from tests.data.hostile import CORPUS, INJECTED_JS, LIMIT
from tests.e2e.conftest import DIALOGS, POLL_MS, ROOT, wait_idle
from tests.e2e.laptops import EDITOR

SHOWN_JS = """([wanted, exact]) => [...document.querySelectorAll("[data-testid='stHtml'] div")]
    .some(e => exact ? e.textContent === wanted : e.textContent.includes(wanted))"""
ERROR = "[data-testid='stAlertContentError']"
WORKSHOP_ITEMS = (("Draft your OKRs", "breakout"), ("Sort your metrics", "exercise"), ("Share-out", "share-out"))
MARKDOWN = CORPUS["markdown"]


@pytest.fixture(scope="module")
def db(server) -> Store:
    """The store the module's server runs on (the test reads and prepares it directly)."""
    return Store(server.db_path)


@pytest.fixture(scope="module")
def workshop(db):
    """A running agenda whose items put team laptops in drafting, the sorting exercise and a share-out."""
    engagement = engagements.current(db)
    items = tuple(agendas.AgendaItem(title, 20, kind, (), "", "Sort each metric you track.")
                  for title, kind in WORKSHOP_ITEMS)
    agenda = agendas.Agenda("hostile", "Hostile input workshop", "team-drafting", "Teams", 60, "", items,
                            ROOT / "agendas" / "team-drafting.toml")
    run = runs.start_run(db, engagement.id, agenda)
    runs.act(db, run.id, "start", time.time())
    return run


def go_to_item(db: Store, run, kind: str) -> None:
    """Jump to the item of that kind, unless it is current already (a test run once more finds it so)."""
    index = [k for _, k in WORKSHOP_ITEMS].index(kind)
    if runs.get(db, run.id).state.current != index:
        runs.act(db, run.id, "jump", time.time(), index=index)


@pytest.fixture
def laptop(open_page):
    """A laptop of its own; every dialog it opens is recorded (tests.e2e.conftest.DIALOGS) and dismissed."""
    return open_page


def assert_plain(page: Page, what: str = "") -> None:
    """Nothing in the document was made from a hostile text, and no dialog opened."""
    found = page.evaluate(INJECTED_JS)
    assert not found, f"{what}: markup from typed text reached the page: {found}"
    assert not DIALOGS.get(id(page)), f"{what}: a dialog opened: {DIALOGS[id(page)]}"


def wait_shown(page: Page, wanted: str, *, exact: bool = True, what: str = "") -> None:
    """Wait until a plain-text block of the page shows `wanted` (its textContent, character for character)."""
    try:
        page.wait_for_function(SHOWN_JS, arg=[wanted, exact], polling=POLL_MS, timeout=15_000)
    except Exception as error:  # a timeout, made readable
        raise AssertionError(f"{what}: the page does not show {wanted[:120]!r}") from error


def wait_for(check: Callable[[], object], what: str, timeout: float = 15) -> object:
    """Poll the database until check() is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_error(page: Page, words: str) -> None:
    expect(page.locator(ERROR).filter(has_text=words).first).to_be_visible()
    wait_idle(page)


def form_with(page: Page, button: str):
    """The form (or drafting editor) whose submit button is labelled `button`."""
    return page.locator(EDITOR).filter(
        has=page.get_by_role("button", name=button, exact=True))


def field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def team(db: Store, slug: str) -> teams.Team:
    return teams.by_slug(db, engagements.current(db).id, slug)


def refusal(value: str, field_name: str, *, required: bool = True, limit: int = LIMIT) -> str | None:
    """The words of the message the app gives for a value, or None when it is accepted."""
    if required and not value:
        return f"{field_name} is empty"
    if len(value) > limit:
        return f"{field_name} is {len(value):,} characters long"
    return None


def pick(*names: str) -> list[tuple[str, str]]:
    return [(name, CORPUS[name]) for name in names]
