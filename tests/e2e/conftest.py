"""End-to-end fixtures: a real `streamlit run` server and the system Chromium driven by Playwright."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from okrcoach.drafting import demo
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, runs, teams
from okrcoach.workshop.engagements import Engagement

ROOT = Path(__file__).resolve().parents[2]
CODE, PIN = "DEMO42", "4242"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# The tests' browser only: a worker's tabs share one renderer, so a new tab finds the app's scripts compiled
# already (measured: a new tab's load 0.84-0.95 CPU-s, not 1.07-1.33; the whole suite 362 s where it took
# 387-421). The benchmarks keep a renderer a page, as a room's laptops each have a browser of their own.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--process-per-site"]
ARTIFACTS = ROOT / "tests" / "artifacts"
# How often a page.wait_for_function checks, in ms: by default it checks on every animation frame, which
# keeps the tab drawing frames while it waits (about 70 ms of CPU a second on a bare page).
POLL_MS = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A streamlit server on a store of its own; can be killed and restarted on the same file."""

    def __init__(self, db_path: Path, log_path: Path, script: str = "app.py"):
        self.db_path, self.log_path, self.script = db_path, log_path, script
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers its health check."""
        env = {**os.environ, "OKRCOACH_DB": str(self.db_path)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log_path}")
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server (SIGKILL to simulate a crash)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)


def pytest_collection_modifyitems(items):
    """Run a browser test that fails once more; pytest's summary names every rerun, so none goes unseen."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(scope="session")
def worker_server(tmp_path_factory):
    """One server a worker, shared by the modules that take `server` (each loads a fresh demo into its file).

    A start cost a module about 4.6 CPU-s: the app's imports, and the browser fetching and compiling the app's
    scripts again for a new port. Modules that need a server of their own (file faults, a kill, a database of
    their own making) start one themselves.
    """
    folder = tmp_path_factory.mktemp("e2e")
    running = Server(Store(folder / "okrcoach.db").path, folder / "streamlit.log")
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(worker_server):
    """The worker's server on a fresh demo engagement plus an empty team 'Finance team' (slug finance).

    The demo is loaded as "Load demo" on the set-up page loads it: the engagement the last module left is
    archived, and everything new has ids of its own. Wrong PINs the last module tried are forgotten; a module
    that stopped or killed the server leaves it to be started again here.
    """
    store = Store(worker_server.db_path)
    engagement = demo.load_demo(store, code=CODE, pin=PIN)
    teams.add(store, engagement.id, "Finance team", slug="finance")
    with store.write() as db:
        db.execute("DELETE FROM sign_in_attempts")
    if worker_server.process is None or worker_server.process.poll() is not None:
        worker_server.start()
    return worker_server


def first_breakout(store: Store, engagement: Engagement) -> None:
    """Run the team-drafting agenda from its first breakout, timer running, with a facilitator signed in."""
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    now = time.time()
    runs.act(store, run.id, "start", now)
    runs.act(store, run.id, "jump", now, index=next(i for i, it in enumerate(agenda.items) if it.kind == "breakout"))
    access.sign_in(store, PIN)


@pytest.fixture(scope="module")
def breakout_server(server):
    """The worker's server, its demo workshop in the first breakout of a running agenda."""
    store = Store(server.db_path)
    first_breakout(store, engagements.current(store))
    return server


@pytest.fixture(scope="session")
def browser():
    """The system Chromium (never a downloaded browser)."""
    # Three workers share two cores here: a confirmation a quiet laptop shows within a second took over 5 s
    # (Playwright's default wait) in two of eight runs of the suite on one day, and each rerun of a whole test
    # cost more than waiting would have. The load harness, not these tests, measures how fast a save is answered.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=TEST_CHROMIUM_ARGS)
        yield launched
        launched.close()


DIALOGS: dict[int, list[str]] = {}  # id(page) -> every alert, confirm or prompt it opened (the app opens none)
IDLE_TABS: dict[int, list[Page]] = {}  # id(context) -> tabs finished tests left on about:blank, to load again


@pytest.fixture(scope="session")
def room_context(browser: Browser):
    """One browser context a worker: its pages are separate laptops that share the HTTP cache.

    Each page is a Streamlit session of its own with a laptop id of its own (the app keeps nothing in cookies
    or storage), so sharing the context only spares every laptop from loading the app's scripts again, and
    each module from a context made anew (measured: a new context's first tab costs 2.1 CPU-s, a used tab 1.4).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    IDLE_TABS.pop(id(context), None)
    context.close()


@pytest.fixture
def open_page(room_context):
    """Open a URL in a tab of its own: a separate laptop with a session of its own.

    A tab an earlier test used is loaded again rather than a new one made: loading a link
    starts a new session all the same, and the tab's renderer has the app's scripts compiled already (a new
    tab compiles them anew).
    """
    pages: list[Page] = []
    idle = IDLE_TABS.setdefault(id(room_context), [])

    def _open(url: str, width: int = 1280, height: int = 900) -> Page:
        if idle:
            page = idle.pop()
            page.bring_to_front()  # as a new tab comes to the front (a tab behind others draws no frames)
        else:
            page = room_context.new_page()
            page.on("dialog", lambda dialog, page=page: (
                DIALOGS[id(page)].append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
        DIALOGS[id(page)] = []
        pages.append(page)
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(20_000)
        page.goto(url)
        wait_idle(page)
        return page

    yield _open
    room_context.set_offline(False)
    try:
        for page in pages:
            if not page.is_closed():
                assert_no_exception(page)
    finally:
        for page in pages:
            if page.is_closed():
                continue
            try:
                page.goto("about:blank")  # the session ends as when a tab closes
                idle.append(page)
            except Exception:  # noqa: BLE001 - a tab that will not leave its page is closed instead
                page.close()


def assert_no_exception(page: Page) -> None:
    """Fail if the page shows an exception element: no person may ever see one."""
    shown = page.locator("[data-testid='stException']")
    if shown.count():
        raise AssertionError(f"{page.url} shows an exception: {shown.first.inner_text()[:300]!r}")


# The page has drawn its run: the script is not running and no element is still a placeholder. Streamlit draws
# each kind of element from a script it loads when first needed and shows a skeleton (stSkeleton) until then; a
# run can end with most of the page still skeletons, and a click then finds the first button drawn so far, not
# the first on the page (seen: "Edit objective" opened the third objective in 23 of 60 loads under load).
IDLE = ("[data-testid='stApp'][data-test-script-state='notRunning']"
        ":not(:has([data-testid='stSkeleton']))")


def wait_idle(page: Page) -> None:
    """Wait until the page's script run has finished and its elements are drawn; fail if it shows an exception."""
    page.wait_for_selector(IDLE, state="attached")
    assert_no_exception(page)


def pick_option(page: Page, box: Locator, option: str) -> None:
    """Open a select box and click an option; a redraw that closes the list just means opening it again."""
    for _ in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"option {option!r} never became clickable")


def field_values(page: Page) -> list[str]:
    """What is typed in every input and text area (values are properties, not text)."""
    return page.eval_on_selector_all("input, textarea", "els => els.map(e => e.value)")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
