"""A coach's first hour in real Chromium: fresh database, the PIN from the terminal, demo, set-up, console,
projector, sign out, a new PIN from the command line; and a burst of wrong PINs never locks the coach out."""

import re
import time
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from okrcoach.cli.commands import main as cli
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, timer
from tests.e2e.conftest import PIN, Server, pick_option, screenshot, wait_idle


def pin_from_terminal(server: Server, page: Page) -> str:
    """The PIN the first start printed in the terminal (the engagement is made on the first visit)."""
    for _ in range(100):
        found = re.search(r"Facilitator PIN: (\d+)", server.log_path.read_text())
        if found:
            return found.group(1)
        page.wait_for_timeout(100)
    raise AssertionError("the terminal never showed a facilitator PIN")


def sign_in(page: Page, pin: str) -> None:
    """Sign in from the join page's "Facilitator" section, as a coach does."""
    field = page.locator("input[aria-label='Facilitator PIN']")
    if not field.is_visible():
        page.get_by_text("Facilitator", exact=True).first.click()
    field.fill(pin)
    field.press("Enter")
    expect(page.get_by_role("heading", name="Set-up")).to_be_visible(timeout=20_000)
    wait_idle(page)


def submit(page: Page, button: str, confirmed: str | None = None) -> None:
    """Press a button; with `confirmed`, wait for the page's confirmation saying it."""
    page.get_by_role("button", name=button, exact=True).first.click()
    if confirmed:
        try:
            expect(page.get_by_test_id("okc-success")).to_contain_text(confirmed, timeout=20_000)
        except AssertionError:
            screenshot(page, f"first-hour-{button}")
            raise
    wait_idle(page)


def eventually(page: Page, check, what: str, seconds: float = 20) -> None:
    """Wait until check() holds (what the page did reaches the database), or fail saying what never happened."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        page.wait_for_timeout(100)


def add_agenda_row(page: Page, rows: int, order: int, title: str, minutes: int) -> None:
    """Add a row after the table's `rows` rows with its "+" button and type into its cells."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    table = grid.locator("[role=grid]").first  # the table's accessible twin of what the canvas draws
    count = table.get_attribute("aria-rowcount")
    # The toolbar shows while the pointer is over the table; a dispatched click needs no hovering.
    page.locator("[data-testid='stElementToolbar'] button[aria-label='Add row']").first.dispatch_event("click")
    expect(table).not_to_have_attribute("aria-rowcount", count)
    box = grid.bounding_box()
    row_y = box["y"] + 35 * (rows + 1) + 17  # set-up shows the whole table: header, then one row each
    for column, text in ((0.25, str(order)), (0.495, title), (0.75, str(minutes))):
        page.mouse.dblclick(box["x"] + box["width"] * column, row_y)
        editor = page.locator("#portal textarea, #portal input").first
        editor.wait_for(state="visible")
        editor.fill(text)
        editor.press("Tab")
        editor.wait_for(state="detached")
        expect(table.locator("tr").nth(rows + 1)).to_contain_text(text)
    page.get_by_text("Adapt this engagement's copy").click()  # leave the table, as a person does before Save


def minutes_ahead(console: Page) -> int:
    shown = console.get_by_text(re.compile(r"plan")).first.inner_text()
    ahead = re.search(r"(\d+) min ahead", shown)
    return int(ahead.group(1)) if ahead else 0


def test_a_coachs_first_hour_from_a_fresh_database(tmp_path, open_page):
    server = Server(tmp_path / "okrcoach.db", tmp_path / "streamlit.log")
    server.start()
    try:
        page = open_page(f"{server.url}/")
        pin = pin_from_terminal(server, page)
        sign_in(page, pin)
        other_laptop = open_page(f"{server.url}/")
        sign_in(other_laptop, pin)
        old_link = other_laptop.url
        # Only its link is needed later. Closed, it leaves the coach's tab in front: headless Chromium draws a tab
        # behind another of its window at 2 frames a second, and every click there waits ~2 s for a steady frame.
        other_laptop.close()
        store = Store(server.db_path)

        submit(page, "Load demo engagement", "ready to start on the console")
        engagement = engagements.current(store)
        assert runs.current(store, engagement.id).agenda_slug == "team-drafting"

        page.get_by_label("New team name").fill("Finance team")
        submit(page, "Add team", "Added team Finance team")
        pick_option(page, page.get_by_label("Team to rename"), "Finance team")
        page.get_by_label("New name", exact=True).fill("Finance and legal")
        submit(page, "Rename team", "Renamed the team")
        pick_option(page, page.get_by_label("Team to remove"), "Finance and legal")
        submit(page, "Remove team", "Removed Finance and legal")
        names = [team["name"] for team in store_rows(store, "SELECT name FROM teams WHERE removed_at IS NULL")]
        assert "Finance team" not in names and "Finance and legal" not in names

        add_agenda_row(page, len(runs.current(store, engagement.id).items), 2, "Energiser", 5)
        submit(page, "Save agenda changes", "Saved the agenda changes")
        items = runs.current(store, engagement.id).items
        assert [item.title for item in items[:3]] == ["Welcome from the sponsor", "Energiser", "Introductions"], items

        page.get_by_role("link", name="Console").click()
        wait_idle(page)
        console = page
        state = lambda: runs.current(store, engagement.id).state  # noqa: E731
        submit(console, "Start")
        eventually(console, lambda: state().status == "running", "Start")
        submit(console, "+1 min")
        eventually(console, lambda: state().extended[0] == 60, "+1 min")
        console.wait_for_timeout(1_100)  # let the first item's clock run a whole second
        submit(console, "Next")
        eventually(console, lambda: state().current == 1, "Next")
        submit(console, "Back")
        eventually(console, lambda: state().current == 0, "Back")
        state = state()
        left = timer.remaining(state, time.time())
        assert 5 * 60 + 60 - 30 < left < 5 * 60 + 60 - 1, "Back kept the minute added and the time already run"
        wait_idle(console)
        pick_option(console, console.get_by_label("Jump to item").first, f"4. {items[3].title} "
                    f"({items[3].minutes} min, {items[3].kind})")
        submit(console, "Jump")
        eventually(console, lambda: runs.current(store, engagement.id).state.current == 3, "Jump")
        assert timer.skipped(runs.current(store, engagement.id).state) == (1, 2)
        assert minutes_ahead(console) <= 6, "skipped items are not time saved"

        with console.expect_popup() as opened:
            console.get_by_role("link", name=re.compile("Open projector")).click()
        projector = opened.value
        wait_idle(projector)
        assert "fac" not in parse_qs(urlparse(projector.url).query)
        assert parse_qs(urlparse(projector.url).query)["code"] == [engagement.workshop_code]
        expect(projector.locator("[data-testid='okc-clock']").first).to_be_visible()

        console.get_by_role("button", name="Sign out").click()
        expect(console.get_by_role("heading", name="Facilitator sign-in")).to_be_visible()
        assert cli(["pin", "--db", str(server.db_path), "--pin", "905172"]) == 0
        refused = open_page(old_link.replace("/setup", "/export"))
        expect(refused.get_by_role("heading", name="Facilitator sign-in")).to_be_visible()
        expect(refused.get_by_role("button", name="Download the draft pack (.docx)")).to_have_count(0)
    finally:
        server.stop()


def store_rows(store: Store, sql: str) -> list[dict]:
    with store.read() as db:
        return list(db.query(sql))


def test_a_burst_of_wrong_pins_from_ten_laptops_never_delays_the_coachs_own_sign_in(server, browser):
    # Uvicorn trusts a forwarding header from the loopback address only: here it names a room laptop.
    room = browser.new_context(extra_http_headers={"X-Forwarded-For": "192.168.1.77"})
    coach_laptop = browser.new_context()
    try:
        # Every tab is a session of its own: twice the five wrong PINs a minute a laptop may try, all sent at
        # once, so five are checked and as many again wait (a tab costs the machine a second or two of CPU).
        pages = [room.new_page() for _ in range(10)]
        for page in pages:
            page.goto(f"{server.url}/console")
        for page in pages:
            wait_idle(page)
            page.locator("input[aria-label='Facilitator PIN']").fill("000000")
        for page in pages:  # all sent before any answer is awaited
            page.locator("input[aria-label='Facilitator PIN']").press("Enter")
        answers = {"checked": "That PIN is not right.", "waiting": "Too many wrong PINs from this laptop"}
        seen = {"checked": 0, "waiting": 0}
        for page in pages:
            expect(page.get_by_text(re.compile("|".join(answers.values())))).to_be_visible()
            seen["checked" if page.get_by_text(answers["checked"]).count() else "waiting"] += 1
        assert seen == {"checked": 5, "waiting": 5}, "at most five wrong PINs a minute are checked per laptop"
        coach = coach_laptop.new_page()
        coach.goto(f"{server.url}/console")
        wait_idle(coach)
        coach.locator("input[aria-label='Facilitator PIN']").fill(PIN)
        coach.locator("input[aria-label='Facilitator PIN']").press("Enter")
        expect(coach.get_by_role("heading", name="Console")).to_be_visible(timeout=5_000)
    finally:
        room.close()
        coach_laptop.close()
