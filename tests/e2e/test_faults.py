"""Faults in the room: the server is killed in the middle of a burst of saves, and a laptop drops off the network.

Each team laptop is its own Chromium (a thread with its own Playwright) saving its first objective again and
again; a save counts as acknowledged once the page shows "Saved objective 1" with the new text read back.
The server gets SIGKILL while saves are in flight, and starts again on the same file and port.
"""

import json
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from okrcoach.drafting import drafts
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, teams
from tests.e2e.conftest import CHROMIUM_ARGS, CODE, POLL_MS, Server, wait_idle
from tests.e2e.laptops import EDITOR
from tests.perf.bench import demo_store

pytestmark = pytest.mark.timeout(300)

TEAMS = ("stores", "online-store", "supply")
ACKS_BEFORE_KILL = 9
SHOWN_JS = """(wanted) => [...document.querySelectorAll("[data-testid='stHtml'] div")]
    .some(e => e.textContent === wanted)"""


@dataclass
class Laptop:
    """One team laptop's burst: what it sent and what the page acknowledged as saved."""

    slug: str
    sent: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    problem: str = ""


class Killed(Exception):
    """The server was killed while this laptop waited for the page: the burst is over."""


def unless_killed(step: Callable[[float], object], killed: threading.Event, seconds: float = 20) -> None:
    """Run a Playwright step that waits (given a timeout in ms) within `seconds`, in half-second slices,
    and stop as soon as the server is killed: a page cut off from its server would only wait out the timeout."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            step(500)
            return
        except (AssertionError, PlaywrightTimeout):
            if killed.is_set():
                raise Killed from None
            if time.monotonic() > deadline:
                raise


def save_objective(page: Page, text: str, killed: threading.Event) -> None:
    """Edit the first objective, type `text`, save, and return once the page shows it saved."""
    edit = page.get_by_role("button", name="Edit objective").first
    unless_killed(lambda ms: expect(edit).to_be_enabled(timeout=ms), killed)
    edit.click()
    form = page.locator(EDITOR).filter(has=page.get_by_role("button", name="Save objective"))
    unless_killed(lambda ms: form.get_by_label("Objective", exact=True).fill(text, timeout=ms), killed)
    save = form.get_by_role("button", name="Save objective")
    unless_killed(lambda ms: expect(save).to_be_enabled(timeout=ms), killed)
    save.click()
    unless_killed(lambda ms: expect(page.get_by_text("Saved objective 1").first).to_be_visible(timeout=ms), killed)
    unless_killed(lambda ms: page.wait_for_function(SHOWN_JS, arg=text, polling=POLL_MS, timeout=ms), killed)


def burst(url: str, laptop: Laptop, started: threading.Barrier, killed: threading.Event) -> None:
    """Save again and again until the server is gone; record every save the page acknowledged."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(url)
            wait_idle(page)
            started.wait()
            while not killed.is_set():
                text = f"{laptop.slug} burst save {len(laptop.sent) + 1}"
                laptop.sent.append(text)
                save_objective(page, text, killed)
                laptop.acknowledged.append(text)
        except Exception as error:  # the kill ends every burst; anything before it is a failure
            if not killed.is_set():
                laptop.problem = f"{type(error).__name__}: {error}"[:300]
                started.abort()  # the other laptops and the test stop waiting for this one
        finally:
            browser.close()


@pytest.fixture
def killable_server(tmp_path):
    """A demo engagement with an agenda running, on a server this test may kill."""
    store = demo_store(tmp_path)
    running = Server(store.path, tmp_path / "streamlit.log")
    running.start()
    yield running
    running.stop()


def saved_texts(store: Store) -> set[str]:
    """Every objective text the revision log holds as saved."""
    with store.read() as db:
        return {json.loads(row["body"])["text"] for row in db.query(
            "SELECT body FROM revisions WHERE entity = 'objective' AND outcome = 'saved'")}


def test_killing_the_server_during_a_burst_of_saves_loses_no_acknowledged_save(killable_server, browser):
    server, store = killable_server, Store(killable_server.db_path)
    engagement = engagements.current(store)
    laptops = [Laptop(slug) for slug in TEAMS]
    started, killed = threading.Barrier(len(laptops) + 1), threading.Event()
    threads = [threading.Thread(target=burst, args=(f"{server.url}/team?team={laptop.slug}&code={CODE}",
                                                    laptop, started, killed)) for laptop in laptops]
    for thread in threads:
        thread.start()
    try:
        started.wait(timeout=120)
    except threading.BrokenBarrierError:
        killed.set()
        for thread in threads:
            thread.join(timeout=60)
        pytest.fail(f"a laptop could not start: {[laptop.problem for laptop in laptops]}")
    deadline = time.monotonic() + 120
    while sum(len(laptop.acknowledged) for laptop in laptops) < ACKS_BEFORE_KILL:
        assert time.monotonic() < deadline, [laptop.problem for laptop in laptops]
        assert not any(laptop.problem for laptop in laptops), [laptop.problem for laptop in laptops]
        time.sleep(0.05)  # polling other threads' progress; no page event to wait for here
    server.stop(signal.SIGKILL)
    killed.set()
    acknowledged_at_kill = {laptop.slug: list(laptop.acknowledged) for laptop in laptops}
    for thread in threads:
        thread.join(timeout=60)
    assert not any(laptop.problem for laptop in laptops), [laptop.problem for laptop in laptops]
    in_flight = [laptop.sent[-1] for laptop in laptops if laptop.sent[-1] not in laptop.acknowledged]
    assert in_flight, "the kill should land while at least one save is in flight"

    server.start()
    with store.read() as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = saved_texts(store)
    for slug, acknowledged in acknowledged_at_kill.items():
        assert acknowledged, f"{slug} saved nothing before the kill"
        missing = [text for text in acknowledged if text not in logged]
        assert not missing, f"{slug}: acknowledged saves lost in the kill: {missing}"
        team = teams.by_slug(store, engagement.id, slug)
        current = drafts.load(store, team.id).objectives[0].fields.text
        laptop = next(laptop for laptop in laptops if laptop.slug == slug)
        # The last acknowledged save, or the one in flight if it committed just before the kill.
        assert current in (acknowledged[-1], laptop.sent[-1]), (slug, current)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        for laptop in laptops:  # each laptop reloads its link and finds its draft
            page = context.new_page()
            page.goto(f"{server.url}/team?team={laptop.slug}&code={CODE}")
            wait_idle(page)
            current = drafts.load(store, teams.by_slug(store, engagement.id, laptop.slug).id).objectives[0]
            page.wait_for_function(SHOWN_JS, arg=current.fields.text, polling=POLL_MS, timeout=15_000)
        projector = context.new_page()
        projector.goto(f"{server.url}/projector?code={CODE}")
        clock = projector.locator("[data-testid='okc-clock']").first
        expect(clock).to_be_visible(timeout=15_000)
        first = clock.inner_text()
        expect(clock).not_to_have_text(first, timeout=5_000)  # ticking again
        view = runs.timer_view(store, engagement.id, time.time())
        assert view.status == "running", "the timer should still be running after the restart"
        shown = [int(part) for part in clock.inner_text().strip().split(":")]
        assert abs(shown[0] * 60 + shown[1] - view.remaining) <= 2
    finally:
        context.close()


def test_a_laptop_that_drops_off_the_network_reloads_its_team_page_with_nothing_lost(server, open_page):
    page = open_page(f"{server.url}/team?team=finance&code={CODE}")
    page.get_by_label("Objective", exact=True).fill("Close the books in five days")
    page.get_by_label("Why now?", exact=True).fill("The bank wants figures sooner.")
    page.get_by_role("button", name="Add objective").click()
    expect(page.get_by_text("Saved the new objective").first).to_be_visible()
    page.context.set_offline(True)
    with pytest.raises(Exception):  # the laptop is off the network: reloading fails
        page.reload(timeout=5_000)
    page.context.set_offline(False)
    page.goto(f"{server.url}/team?team=finance&code={CODE}")
    wait_idle(page)
    expect(page.get_by_text("Finance team", exact=True)).to_be_visible()
    page.wait_for_function(SHOWN_JS, arg="Close the books in five days", polling=POLL_MS, timeout=15_000)
    page.wait_for_function(SHOWN_JS, arg="The bank wants figures sooner.", polling=POLL_MS, timeout=15_000)
    expect(page.get_by_label("Workshop code", exact=True)).to_have_count(0)


def test_the_first_link_opened_after_a_start_is_a_team_page_and_still_comes_through_app_py(killable_server,
                                                                                            open_page):
    # After a restart the laptops reconnect before anyone opens the join page. Streamlit ran such a first
    # team link as a page of its older pages-folder layout, without app.py: no title, no failure boundary.
    page = open_page(f"{killable_server.url}/team?team=stores&code={CODE}")
    expect(page.get_by_text("Stores team", exact=True)).to_be_visible()
    expect(page).to_have_title("okrcoach")  # app.py's st.set_page_config: the run came through app.py
    second = open_page(f"{killable_server.url}/console?code={CODE}")
    expect(second.get_by_label("Facilitator PIN", exact=True)).to_be_visible()
    expect(second).to_have_title("okrcoach")
