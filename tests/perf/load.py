"""Load harness: a real `streamlit run` server under a room's worth of sessions. Run: python -m tests.perf.load

    python -m tests.perf.load [--sessions 60] [--seconds 120] [--browsers 4] [--per-laptop] [--json PATH]

Sessions: 1 projector, 1 console and the rest team laptops spread over 12 breakout teams (60 sessions:
10 teams of 5 laptops and 2 of 4). The first --browsers sessions are real headless Chromium pages (the
projector, the console, then team laptops); the others are `LaptopSession`s: the Python client of
tests/perf/protocol.py (it refuses any Streamlit release but the one it was checked against), which
speaks the browser's own websocket protocol (`/_stcore/stream`, BackMsg/ForwardMsg protobufs) the way
the installed frontend bundle does: health + host-config first (the XSRF cookie), the first
`rerun_script` with the page name and query string, every later one with the page script hash from
the `navigation` message and the query string from `page_info_changed`; each `auto_rerun` message
starts a fixed-rate timer that sends a fragment rerun (`fragment_id`, `is_auto_rerun`) carrying every
widget state, exactly like the frontend's setInterval (the bare clock's; okrcoach's pages send none: the
server pushes their redraws, counted as runs the session did not ask for); widget defaults are committed as the frontend
commits them on mount; forms submit their fields plus the submit button's trigger; a widget drawn inside a
fragment (each draft card is one) reruns only that fragment, as the frontend sends it; stale elements and
widget states are dropped after each run and the ForwardMsg cache is kept the frontend's way.

Each team saves a change every 10-30 s, its laptops taking turns (--per-laptop: every laptop saves
every 10-30 s, five times the load, as a stress run beyond the room). A save goes through the page's
own form: "Edit …", type, "Save …", then wait for the "Saved …" flash (a stale edit answers "Keep my
version", as a person would). A save of an objective also flips its status, so it changes the team's
"Ready" count on the projector's board; those saves are timed until visible there. The board is
watched in the projector page (a MutationObserver in Chromium, or the board's own delta when the
projector is a protocol session).

Phases: the bare run_every clock (tests/perf/bare_clock.py) with the same session mix (the floor),
then okrcoach idle (clocks counting in the browsers), then okrcoach under load. Prints one markdown table.
"""

import argparse
import asyncio
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.WidgetStates_pb2 import WidgetState

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from tests.e2e.conftest import CHROMIUM_ARGS, CODE, PIN, ROOT, Server, wait_idle
from tests.perf.protocol import StreamlitSession
from tests.perf.bench import CLOCK_TICKS, cpu_seconds, demo_store

BREAKOUT_TEAMS = 12
MORE_TEAMS = ("Finance team", "People team", "Product team", "Data team", "Sales team", "Marketing team",
              "Legal team", "Facilities team")
READY_COLUMN = 4  # Team, Objectives, Key results, Why now?, Ready, … (okrcoach/ui/board.py HEADERS)
SAVE_TIMEOUT = 30.0
TARGETS = {"cores": 1.0, "visible_p95_ms": 1300.0, "teammate_p95_ms": 1500.0}


# --- the workshop under load ---------------------------------------------------------------------

@dataclass(frozen=True)
class TeamPlan:
    """A breakout team as the harness drives it."""

    id: int
    name: str
    slug: str
    objectives: tuple[int, ...]  # ids, in the order the page numbers them
    statuses: tuple[str, ...]  # each objective's status when the load starts


def workshop(folder: Path) -> tuple[Store, str, list[TeamPlan]]:
    """The demo engagement in its first breakout (timer running), 12 breakout teams of 3+ objectives."""
    store = demo_store(folder)
    engagement = engagements.current(store)
    for name in MORE_TEAMS:
        teams.add(store, engagement.id, name)
    plans = []
    for team in [t for t in teams.list_teams(store, engagement.id) if t.kind == "team"][:BREAKOUT_TEAMS]:
        draft = drafts.load(store, team.id)
        for number in range(len(draft.objectives) + 1, 4):
            objective = drafts.add_objective(
                store, team, ObjectiveFields(f"{team.name}: make objective {number} matter to customers",
                                             why_now="The season starts in ten weeks."),
                engagement.params, "harness")
            for kr in range(2):
                drafts.add_key_result(store, team, objective.id,
                                      KeyResultFields(f"Raise measure {kr + 1} from 10 to 20", baseline=10.0,
                                                      target=20.0, unit="%", champion="Sam"),
                                      engagement.params, engagement.cycle_end, "harness")
        objectives = drafts.load(store, team.id).objectives
        plans.append(TeamPlan(team.id, team.name, team.slug, tuple(o.id for o in objectives),
                              tuple(o.fields.status for o in objectives)))
    return store, access.sign_in(store, PIN), plans


@dataclass(frozen=True)
class Role:
    """What one team laptop edits: laptop 0 its first objective, 1-2 the others, 3 the team purpose,
    4 the second objective again (two laptops on one record: stale edits can happen); laptops 5-9 the same
    again, and so on (more than five laptops a team from 62 sessions on)."""

    team: TeamPlan
    laptop: int

    @property
    def entity(self) -> str:
        return "purpose" if self.laptop % 5 == 3 else "objective"

    @property
    def entity_id(self) -> int:
        return self.team.id if self.entity == "purpose" else self.team.objectives[(0, 1, 2, None, 1)[self.laptop % 5]]

    @property
    def key(self) -> str:
        return f"{self.entity}-{self.entity_id}"

    @property
    def name(self) -> str:
        return f"{self.team.slug}#{self.laptop}"


def roles(laptops: int, plans: list[TeamPlan]) -> list[Role]:
    """Laptop j sits with team j mod 12: 60 sessions give 10 teams of 5 and 2 of 4."""
    return [Role(plans[j % len(plans)], j // len(plans)) for j in range(laptops)]


class ReadyCount:
    """The board's Ready cell each team should show: every objective's status as its saves set it."""

    def __init__(self, plans: list[TeamPlan]):
        self.statuses = {plan.name: dict(zip(plan.objectives, plan.statuses, strict=True)) for plan in plans}
        self.lock = threading.Lock()

    def target(self, role: Role) -> str | None:
        """The status this laptop's next save sets: the other one (None for the team purpose)."""
        if role.entity != "objective":
            return None
        with self.lock:
            return "drafting" if self.statuses[role.team.name][role.entity_id] == "ready" else "ready"

    def expected(self, role: Role, status: str | None) -> str | None:
        """The Ready cell once this save (setting `status`) shows on the board."""
        if status is None:
            return None
        with self.lock:
            statuses = {**self.statuses[role.team.name], role.entity_id: status}
        return f"{sum(s == 'ready' for s in statuses.values())}/{len(statuses)}"

    def saved(self, role: Role, status: str | None) -> None:
        if status is not None:
            with self.lock:
                self.statuses[role.team.name][role.entity_id] = status


def schedule(laptops: list[Role], start: float, end: float, interval: tuple[float, float], rng: random.Random,
             per_laptop: bool) -> dict[str, list[float]]:
    """When each laptop saves: each team every 10-30 s, its laptops in turn; or each laptop on its own clock."""
    times: dict[str, list[float]] = {role.name: [] for role in laptops}
    groups = [[role] for role in laptops] if per_laptop else [
        [role for role in laptops if role.team == team] for team in dict.fromkeys(r.team for r in laptops)]
    for group in groups:
        at, turn = start + rng.uniform(0, interval[0]), rng.randrange(len(group))
        while at < end:
            times[group[turn % len(group)].name].append(at)
            at, turn = at + rng.uniform(*interval), turn + 1
    return times


# --- what the run records ------------------------------------------------------------------------

@dataclass
class Save:
    """One save a laptop made, as the person saw it."""

    who: str
    entity: str
    entity_id: int
    text: str
    submitted: float  # wall clock, when Save was pressed (or "Keep my version")
    acknowledged: float | None = None  # when the "Saved" flash arrived
    conflicts: int = 0
    team: str = ""
    expected_ready: str | None = None  # the board's Ready cell once this save shows (objective saves only)
    browser: bool = False


@dataclass
class Results:
    """Everything the sessions report, appended from any thread."""

    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    board: list[tuple[float, dict[str, list[str]]]] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)

# --- the protocol client, watching okrcoach's pages ------------------------------------------------

class LaptopSession(StreamlitSession):
    """A protocol session that notes what a person would read: save stamps, the board, plain alerts."""

    def __init__(self, base_url: str, path: str, query: str, name: str, results: Results):
        super().__init__(base_url, path, query, name, results.error)
        self.results = results
        self.seen: dict[str, float] = {}  # save stamp -> when this session first drew it

    def on_element(self, kind: str, element) -> None:
        """Note save stamps, board rows and okrcoach's plain alerts as they are drawn."""
        if kind != "html":
            return
        for stamp in SAVE_STAMP.findall(element.body):
            self.seen.setdefault(stamp, time.time())
        if 'data-testid="okc-board"' in element.body:
            self.results.board.append((time.time(), board_rows(element.body)))
        elif box := PLAIN_ALERT.match(element.body):
            self.alerts.append((time.time(), ALERT_FORMATS[box["kind"]], html.unescape(box["body"])))
            self._wake()

    def editor_widget(self, kind: str, editor: str, field: str):
        """A field of one open drafting editor (widget keys are 'ed.<editor>.<nonce>.<field>')."""
        for _, element in self.elements(kind):
            if f"-ed.{editor}." in element.id and element.id.endswith(f".{field}"):
                return element
        return None


def board_rows(body: str) -> dict[str, list[str]]:
    """The progress board's rows by team name, from its HTML."""
    tbody = body.split("<tbody>", 1)[-1]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.DOTALL):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        if cells:
            rows[cells[0]] = cells
    return rows


# --- team laptops -----------------------------------------------------------------------------------

SAVED, CONFLICT = "Saved", "Your save was not applied"
SAVE_STAMP = re.compile(r"\[([^\[\]]+ save \d+)\]")
ERROR, WARNING, SUCCESS = 1, 2, 4  # Alert.Format
ALERT_FORMATS = {"error": ERROR, "warning": WARNING, "success": SUCCESS}
ALERT_NAMES = {number: name for name, number in ALERT_FORMATS.items()}
# okrcoach/ui/plain.py alert(): a message holding a person's text, drawn as st.html instead of st.success.
PLAIN_ALERT = re.compile(r'<div data-testid="okc-(?P<kind>success|warning|error)"[^>]*>(?P<body>.*)</div>$', re.S)


def save_text(role: Role, number: int) -> str:
    """A unique text for each save, so the database can be checked for every one."""
    stamp = f"[{role.name} save {number}]"
    if role.entity == "purpose":
        return f"We help {role.team.name} customers get outdoors with confidence {stamp}"
    return f"Win back the loyalty of our core customers, laptop {role.laptop} {stamp}"


async def protocol_save(session: StreamlitSession, role: Role, number: int, status: str | None, expected: str | None,
                        results: Results, typing: tuple[float, float] = (1.0, 3.0)) -> bool:
    """Edit → type → Save through the page's form, then wait for the flash; answer a stale edit with 'Keep mine'."""
    text = save_text(role, number)
    field = "purpose" if role.entity == "purpose" else "text"
    pending = session.widget("button", id_suffix=f"-keep-mine-{role.key}")
    if pending is not None:
        # The last save's stale-edit choice arrived after its timeout: a person answers it before typing
        # anew. It keeps the text of that earlier save, so it is not counted as this one.
        seen = len(session.alerts)
        await session.click(pending.id)
        await session.until(lambda: any(kind == SUCCESS for _, kind, _ in session.alerts[seen:])
                            or session.widget("button", id_suffix=f"-keep-mine-{role.key}") is None, SAVE_TIMEOUT)
    # The page may be mid-redraw (its own save's catch-up, a teammate's save): a person waits for the card.
    try:
        await session.until(lambda: session.widget("button", id_suffix=f"-edit-{role.key}")
                            or session.editor_widget("text_area", role.key, field), SAVE_TIMEOUT)
    except TimeoutError:
        results.error(f"{role.name}: no 'Edit' button for {role.key}")
        return False
    edit = session.widget("button", id_suffix=f"-edit-{role.key}")
    if edit is not None:
        await session.click(edit.id)
        await session.until(lambda: session.editor_widget("text_area", role.key, field), SAVE_TIMEOUT)
    await asyncio.sleep(random.uniform(*typing))

    def editor():
        """The open editor's text box, status choice and Save button, once a redraw has drawn all three."""
        found = (session.editor_widget("text_area", role.key, field),
                 session.editor_widget("radio", role.key, "status") if status is not None else True,
                 session.widget("button", id_suffix=f"-ed.{role.key}.save"))
        return found if all(found) else None

    # A teammate's save redraws this page while the person types: a person waits for the form to be whole.
    box, radio, button = await session.until(editor, SAVE_TIMEOUT)
    typed = {box.id: WidgetState(id=box.id, string_value=text)}
    if status is not None:
        typed[radio.id] = WidgetState(id=radio.id, string_value=status.capitalize())
    save = Save(role.name, role.entity, role.entity_id, text, time.time(), team=role.team.name,
                expected_ready=expected)
    seen, runs_before = len(session.alerts), session.full_runs
    await session.submit(typed, button.id)
    for _ in range(4):
        def answer(seen=seen):
            for when, kind, body in session.alerts[seen:]:
                if kind == SUCCESS and body.startswith(SAVED) or kind == WARNING and CONFLICT in body \
                        or kind == ERROR:
                    return when, kind, body
            return None
        try:
            when, kind, body = await session.until(answer, SAVE_TIMEOUT)
        except TimeoutError:
            shown = [f"{ALERT_NAMES.get(kind, kind)}: {body[:80]}" for _, kind, body in session.alerts[seen:]]
            results.error(f"{role.name}: no answer {SAVE_TIMEOUT:.0f} s after pressing Save "
                          f"(alerts since: {shown or 'none'}; editor still open: "
                          f"{session.editor_widget('text_area', role.key, field) is not None})")
            return False
        if kind == SUCCESS:
            save.acknowledged = when
            results.saves.append(save)
            # The flash is drawn early in the run that follows the save; the closed editor leaves the tree only
            # when that run finishes. A person sees the page settle before pressing Edit again; so does this laptop.
            try:
                await session.until(lambda runs_before=runs_before: session.full_runs > runs_before
                                    or session.editor_widget("text_area", role.key, field) is None, SAVE_TIMEOUT)
            except TimeoutError:
                results.error(f"{role.name}: the page never settled after 'Saved' (its editor stayed open)")
            return True
        if kind == ERROR:
            results.error(f"{role.name}: the save showed an error: {body[:200]}")
            return False
        save.conflicts += 1
        keep = await session.until(lambda: session.widget("button", id_suffix=f"-keep-mine-{role.key}"),
                                   SAVE_TIMEOUT)
        seen, runs_before = len(session.alerts), session.full_runs
        save.submitted = time.time()
        await session.click(keep.id)
    results.error(f"{role.name}: still in conflict after 4 tries")
    return False


async def protocol_laptop(session: StreamlitSession, role: Role, times: list[float], ready: ReadyCount,
                          results: Results) -> None:
    """A person at a team laptop: a save at each of its times in the load window."""
    for number, at in enumerate(times, 1):
        if session.closing:
            return
        await asyncio.sleep(max(0.0, at - time.time()))
        target = ready.target(role)
        try:
            if await protocol_save(session, role, number, target, ready.expected(role, target), results):
                ready.saved(role, target)
        except (ConnectionError, websockets.ConnectionClosed) as error:
            results.error(f"{role.name}: {error}")
            return
        except TimeoutError:
            results.error(f"{role.name}: the page did not open the editor within {SAVE_TIMEOUT:.0f} s")


# --- Chromium pages ------------------------------------------------------------------------------------

BOARD_WATCH = """() => {
  window.__okcBoard = []; let last = null;
  const snap = () => {
    const board = document.querySelector("[data-testid='okc-board']");
    if (!board) return;
    const rows = [...board.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.textContent));
    const text = JSON.stringify(rows);
    if (text !== last) { last = text; window.__okcBoard.push([Date.now(), rows]); }
  };
  new MutationObserver(snap).observe(document.body, {subtree: true, childList: true, characterData: true});
  snap();
}"""

ANSWER_WATCH = """() => {
  window.__okcPressed = null;
  document.addEventListener('pointerdown', () => { window.__okcPressed = Date.now(); }, {capture: true, once: true});
  const ALERTS = "[data-testid='stAlert'], [data-testid^='okc-success'], [data-testid^='okc-warning'], "
    + "[data-testid^='okc-error']";
  const seen = new Set([...document.querySelectorAll(ALERTS)].map(a => a.innerText));
  window.__okcAnswer = new Promise(resolve => {
    const look = () => {
      for (const alert of document.querySelectorAll(ALERTS)) {
        const text = alert.innerText;
        if (!seen.has(text) && (text.startsWith('Saved') || text.includes('Your save was not applied')
            || alert.querySelector("[data-testid='stAlertContentError']")
            || alert.dataset.testid === 'okc-error')) {
          observer.disconnect(); resolve([Date.now(), text]); return;
        }
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve([Date.now(), 'no answer']); }, %d);
    look();
  });
}""" % (SAVE_TIMEOUT * 1000)


def chromium_save(page, role: Role, number: int, status: str | None, expected: str | None, results: Results) -> bool:
    """The same save a person makes in Chromium: Edit, type, (flip the status), Save, see the flash."""
    text = save_text(role, number)
    page.locator(f".st-key-edit-{role.key} button").click()
    form = page.locator(f".st-key-editor-{role.key}")
    form.locator("textarea").first.fill(text)
    if status is not None:
        form.get_by_text(status.capitalize(), exact=True).click()
    save = Save(role.name, role.entity, role.entity_id, text, 0.0, team=role.team.name, browser=True,
                expected_ready=expected)
    button = form.get_by_role("button", name=re.compile("^Save"))
    for _ in range(4):
        page.evaluate(ANSWER_WATCH)
        button.click()
        when, body = page.evaluate("window.__okcAnswer")
        save.submitted = page.evaluate("window.__okcPressed") / 1000  # the press, not Playwright's checks
        if body.startswith(SAVED):
            save.acknowledged = when / 1000
            results.saves.append(save)
            return True
        if CONFLICT not in body:
            results.error(f"{role.name} (Chromium): the save showed: {body[:200]}")
            return False
        save.conflicts += 1
        button = page.get_by_role("button", name="Keep my version")
    results.error(f"{role.name} (Chromium): still in conflict after 4 tries")
    return False


@dataclass
class ChromiumLaptop:
    """A team laptop that is a Chromium page, driven from the main thread."""

    page: object
    role: Role
    times: list[float]
    number: int = 0

    @property
    def at(self) -> float:
        """When the next save is due (never, once all are made)."""
        return self.times[self.number] if self.number < len(self.times) else float("inf")

    def save(self, ready: ReadyCount, results: Results) -> None:
        """Make the save that is due."""
        self.number += 1
        target = ready.target(self.role)
        try:
            if chromium_save(self.page, self.role, self.number, target, ready.expected(self.role, target), results):
                ready.saved(self.role, target)
        except Exception as error:  # noqa: BLE001 - a failed save is a reported error, not a crash
            results.error(f"{self.role.name} (Chromium): {type(error).__name__}: {str(error)[:200]}")


# --- one server under a set of sessions -----------------------------------------------------------------

class Room:
    """The sessions of one phase: Chromium pages in this thread, protocol sessions on an asyncio thread."""

    def __init__(self, server: Server, results: Results, browser, timeout: float = 120):
        self.server, self.results, self.browser, self.timeout = server, results, browser, timeout
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sessions: list[StreamlitSession] = []
        self.contexts = []
        self.pages = []
        # How late this thread's loop wakes: when it lags, every time the sessions note is late too, and a
        # slow figure is the harness's, not the server's.
        self.lags: list[tuple[float, float]] = []
        asyncio.run_coroutine_threadsafe(self._watch_lag(), self.loop)

    async def _watch_lag(self, every: float = 0.05) -> None:
        while True:
            due = time.monotonic() + every
            await asyncio.sleep(every)
            self.lags.append((time.time(), (time.monotonic() - due) * 1000))

    def run(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout or self.timeout)

    def open_page(self, path: str):
        context = self.browser.new_context(viewport={"width": 1280, "height": 720})
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(SAVE_TIMEOUT * 1000)
        page.on("pageerror", lambda error: self.results.error(f"Chromium {path}: page error {error}"))
        page.goto(self.server.url + path)
        wait_idle(page)
        self.pages.append(page)
        return page

    def open_sessions(self, specs: list[tuple[str, str, str]]) -> list[StreamlitSession]:
        """Open protocol sessions a little apart (people arrive), then wait for every first run to end."""
        async def open_all() -> list[StreamlitSession]:
            opened = []
            for path, query, name in specs:
                session = LaptopSession(self.server.url, path, query, name, self.results)
                await session.open()
                opened.append(session)
                await asyncio.sleep(0.05)
            await asyncio.gather(*(s.until(lambda s=s: s.finished > 0, self.timeout) for s in opened))
            return opened

        self.sessions = self.run(open_all(), self.timeout * 2)
        return self.sessions

    def close(self) -> None:
        async def close_all() -> None:
            await asyncio.gather(*(s.close() for s in self.sessions), return_exceptions=True)

        self.run(close_all(), 60)
        for task in asyncio.all_tasks(self.loop):
            self.loop.call_soon_threadsafe(task.cancel)
        for context in self.contexts:
            context.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak, in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def machine_busy_seconds() -> float:
    """CPU seconds every process on this machine has used so far (server, harness, Chromium, the rest)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLOCK_TICKS  # all but idle and iowait


def cores_over(pid: int, seconds: float, wait) -> tuple[float, float]:
    """CPU seconds the server used and the wall seconds it took, while wait() runs until `seconds` pass."""
    cpu, wall = cpu_seconds(pid), time.monotonic()
    wait(seconds)
    return cpu_seconds(pid) - cpu, time.monotonic() - wall


def floor_ms_per_tick(browser, folder: Path, sessions: int, browsers: int, seconds: float) -> float:
    """Server CPU ms per session-second on the bare run_every clock, with the same mix of sessions."""
    results = Results()
    server = Server(folder / "okrcoach.db", folder / "bare.log", script=str(ROOT / "tests" / "perf" / "bare_clock.py"))
    server.start()
    room = Room(server, results, browser)
    try:
        for _ in range(min(browsers, sessions)):
            room.open_page("/")
        room.open_sessions([("", "", f"bare#{i}") for i in range(sessions - min(browsers, sessions))])
        time.sleep(3)
        cpu, wall = cores_over(server.process.pid, seconds, time.sleep)
    finally:
        room.close()
        server.stop()
    return cpu * 1000 / (sessions * wall)


def blame(error: BaseException) -> str:
    """Where a laptop task's exception was raised, and so whose it is: the harness's or the app's.

    Whatever the app shows a browser (an exception element, an error alert, a closed socket, no answer) is
    reported by the session as it arrives, so an exception escaping a laptop task is the harness failing
    to read a page; the frames name the line.
    """
    here = Path(__file__).resolve().parent
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(here)]
    where = ", ".join(f"{Path(f.filename).name}:{f.lineno} ({f.name})" for f in (ours[-1:] + frames[-1:]))
    return f"harness error at {where or 'an unknown line'}: {type(error).__name__}: {error}"


class Profiler:
    """py-spy sampling the server's threads while they hold the GIL, for the load window; then its top entries."""

    def __init__(self, pid: int, path: Path, seconds: float):
        self.path = path
        self.process = subprocess.Popen(
            ["py-spy", "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "100", "--gil",
             "--nonblocking", "--format", "raw", "--output", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def finish(self) -> dict:
        """Wait for py-spy to write its stacks; the functions with the most samples, own and with callees."""
        _, stderr = self.process.communicate(timeout=120)
        if self.process.returncode or not self.path.exists():
            return {"error": f"py-spy failed: {stderr.strip()[-300:]}"}
        # py-spy copies names from the process as bytes; one that is not UTF-8 must not end the run
        return top_entries(self.path.read_text(encoding="utf-8", errors="replace"))


def top_entries(collapsed: str, count: int = 15) -> dict:
    """From py-spy's collapsed stacks: the share of samples in each function itself, and under okrcoach's own."""
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]  # a function, not a line
        total += int(samples)
        own[frames[-1]] += int(samples)
        for frame in set(frames):
            under[frame] += int(samples)
    share = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {"samples": total,
            "own": [(frame, share(n)) for frame, n in own.most_common(count)],
            "under": [(frame, share(n)) for frame, n in under.most_common() if _ours(frame)][:count]}


def _ours(frame: str) -> bool:
    """A frame of okrcoach's code: its package, a page or app.py (py-spy names those by file name only)."""
    file = frame.rpartition("(")[2].rstrip(")")
    return file.startswith("okrcoach/") or (ROOT / "pages" / file).is_file() or file == "app.py"


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def server_log_errors(log: Path) -> list[str]:
    """Tracebacks and error lines the server printed."""
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if "Traceback" in line or "Uncaught" in line or " ERROR " in line
            or line.startswith("Error")]


def lost_saves(store: Store, saves: list[Save]) -> tuple[list[str], dict[tuple[str, str], float]]:
    """Acknowledged saves missing from the revision log, or overwritten without a later save; commit times."""
    with store.read() as db:
        logged = {}
        for row in db.execute("SELECT entity, entity_id, body, saved_at FROM revisions WHERE outcome = 'saved'"):
            body = json.loads(row[2])
            logged[(row[0], row[1], body.get("text", body.get("purpose")))] = row[3]
        current = {("objective", r[0]): r[1] for r in db.execute("SELECT id, text FROM objectives")}
        current |= {("purpose", r[0]): r[1] for r in db.execute("SELECT id, purpose FROM teams")}
    lost, committed, latest = [], {}, {}
    for save in saves:
        at = logged.get((save.entity, save.entity_id, save.text))
        if at is None:
            lost.append(f"{save.who}: {save.text!r} not in the revision log")
            continue
        committed[(save.who, save.text)] = at
        if at > latest.get((save.entity, save.entity_id), (0, ""))[0]:
            latest[(save.entity, save.entity_id)] = (at, save.text)
    for record, (at, text) in latest.items():
        # A later save that committed but was not acknowledged in time is not a loss; an older text is.
        shown_at = logged.get((*record, current.get(record)))
        if current.get(record) != text and (shown_at is None or shown_at < at):
            lost.append(f"{record}: shows {current.get(record)!r}, the last acknowledged save was {text!r}")
    return lost, committed


def visible_delays(saves: list[Save], board: list[tuple[float, dict[str, list[str]]]],
                   committed: dict) -> tuple[list[float], list[float], list[str]]:
    """For each status-flipping save: ms from Save pressed, and from commit, to the board showing it.

    A save is looked for until the board shows the team's next status-flipping save: past that, a match with
    its Ready count would time something else.
    """
    from_press, from_commit, unseen = [], [], []
    frames = sorted(board, key=lambda frame: frame[0])
    flips = sorted((s for s in saves if s.expected_ready is not None), key=lambda s: s.submitted)

    def ready(rows: dict[str, list[str]], team: str) -> str:
        return rows.get(team, [""] * 7)[READY_COLUMN]

    for save in flips:
        later = next((s for s in flips if s.team == save.team and s.submitted > save.submitted), None)
        until = float("inf") if later is None else next(
            (t for t, rows in frames if t >= later.submitted and ready(rows, later.team) == later.expected_ready),
            float("inf"))
        shown = next((t for t, rows in frames if save.submitted <= t <= until
                      and ready(rows, save.team) == save.expected_ready), None)
        if shown is None:
            values = [ready(rows, save.team) for t, rows in frames if save.submitted <= t <= until]
            unseen.append(f"{save.who}: Ready {save.expected_ready} never shown after the save at "
                          f"{save.submitted:.1f} (acknowledged {save.acknowledged or 0:.1f}); the board showed "
                          f"{values[:5]} from {len(values)} frames, the last at {frames[-1][0] if frames else 0:.1f}")
            continue
        from_press.append((shown - save.submitted) * 1000)
        if (save.who, save.text) in committed:
            from_commit.append((shown - committed[(save.who, save.text)]) * 1000)
    return from_press, from_commit, unseen


def teammate_delays(saves: list[Save], committed: dict, laptops: list[tuple[Role, "StreamlitSession"]]
                    ) -> tuple[list[float], int]:
    """For each save and each other protocol laptop of its team: ms from the commit to that laptop drawing it.

    A teammate that never drew it counts as unseen (a later save of the same record can replace it first).
    """
    delays, unseen = [], 0
    for save in saves:
        at = committed.get((save.who, save.text))
        stamp = SAVE_STAMP.search(save.text)
        if at is None or stamp is None:
            continue
        for role, session in laptops:
            if role.team.name != save.team or role.name == save.who:
                continue
            shown = session.seen.get(stamp[1])
            if shown is None:
                unseen += 1
            else:
                delays.append(max(0.0, shown - at) * 1000)
    return delays, unseen


def integrity(store: Store) -> str:
    with store.read() as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def run_load(browser, folder: Path, args) -> dict:
    """Start okrcoach, open every session, idle, then load; return the measured figures."""
    store, token, plans = workshop(folder)
    laptops = roles(args.sessions - 2, plans)
    rng = random.Random(args.seed)
    results = Results()
    server = Server(store.path, folder / "streamlit.log")
    server.start()
    pid = server.process.pid
    room = Room(server, results, browser)
    specs = [("projector", f"/projector?code={CODE}"), ("console", f"/console?fac={token}")] + [
        (role, f"/team?team={role.team.slug}&code={CODE}&laptop=load-{role.team.slug}-{role.laptop}")
        for role in laptops]
    chromium, protocol = specs[:args.browsers], specs[args.browsers:]
    try:
        pages = [(who, room.open_page(path)) for who, path in chromium]
        projector = next((page for who, page in pages if who == "projector"), None)
        if projector is not None:
            projector.evaluate(BOARD_WATCH)
        sessions = room.open_sessions([(*path[1:].split("?", 1), getattr(who, "name", who)) for who, path in protocol])
        time.sleep(3)
        idle_cpu, idle_wall = cores_over(pid, args.idle, time.sleep)
        ticks_before = sum(s.ticks_sent for s in sessions)
        pushed_before = sum(s.runs_started - s.reruns_sent for s in sessions)
        redraws_before = sum(s.full_runs for s in sessions)
        load_start = time.time()
        load_end = load_start + args.seconds
        times = schedule(laptops, load_start, load_end, (args.min_interval, args.max_interval), rng, args.per_laptop)
        ready = ReadyCount(plans)
        tasks = [asyncio.run_coroutine_threadsafe(protocol_laptop(session, who, times[who.name], ready, results),
                                                  room.loop)
                 for session, (who, _) in zip(sessions, protocol, strict=True) if isinstance(who, Role)]
        browsers = [ChromiumLaptop(page, who, times[who.name]) for who, page in pages if isinstance(who, Role)]
        rss_samples = []

        def drive(seconds: float) -> None:
            """Chromium laptops save when due; memory is sampled every second."""
            while time.time() < load_end:
                for laptop in sorted(browsers, key=lambda b: b.at):
                    if laptop.at <= time.time() < load_end:
                        laptop.save(ready, results)
                rss_samples.append(rss_mb(pid)[0])
                wake = min([b.at for b in browsers] + [time.time() + 1, load_end])
                if wake > time.time():
                    time.sleep(wake - time.time())

        machine = machine_busy_seconds()
        sampler = Profiler(pid, args.profile, args.seconds) if args.profile else None
        load_cpu, load_wall = cores_over(pid, args.seconds, drive)
        profile = sampler.finish() if sampler else None
        machine = (machine_busy_seconds() - machine) / load_wall
        ticks = sum(s.ticks_sent for s in sessions) - ticks_before
        pushed = sum(s.runs_started - s.reruns_sent for s in sessions) - pushed_before  # at least this many
        redraws = sum(s.full_runs for s in sessions) - redraws_before
        for task in tasks:
            try:
                task.result(SAVE_TIMEOUT * 3)
            except Exception as error:  # noqa: BLE001 - reported, not raised
                results.error(f"laptop task: {blame(error)}")
        if projector is not None:
            projector.wait_for_timeout(3_000)  # saves pressed just before the window closed reach the board
            for stamp, rows in projector.evaluate("window.__okcBoard"):
                results.board.append((stamp / 1000, {row[0]: row for row in rows if row}))
        results.errors.extend(f"Chromium: an exception is shown on {page.url}" for _, page in pages
                              if page.locator("[data-testid='stException']").count())
        rss_now, rss_peak = rss_mb(pid)
        lags = [lag for at, lag in room.lags if load_start <= at <= load_end]
    finally:
        room.close()
        server.stop()
    lost, committed = lost_saves(store, results.saves)
    press, commit, unseen = visible_delays(results.saves, results.board, committed)
    teammate, teammate_unseen = teammate_delays(results.saves, committed, [
        (who, session) for session, (who, _) in zip(sessions, protocol, strict=True) if isinstance(who, Role)])
    log_errors = server_log_errors(folder / "streamlit.log")
    latencies = [(s.acknowledged - s.submitted) * 1000 for s in results.saves]
    errors = results.errors + log_errors
    return {
        "sessions": args.sessions, "browsers": len(chromium), "seconds": args.seconds,
        "saver": "laptop" if args.per_laptop else "team", "interval": [args.min_interval, args.max_interval],
        "protocol_sessions": len(protocol), "laptops": len(laptops),
        "idle_cores": idle_cpu / idle_wall, "load_cores": load_cpu / load_wall, "machine_cores": machine,
        "machine_cpus": os.cpu_count(),
        "idle_ms_per_tick": idle_cpu * 1000 / (args.sessions * idle_wall),
        "load_ms_per_tick": load_cpu * 1000 / (args.sessions * load_wall),
        "protocol_ticks_per_session_s": ticks / max(1, len(sessions)) / load_wall,
        "pushed_runs": pushed, "pushed_runs_per_session_s": pushed / max(1, len(sessions)) / load_wall,
        "rss_mb": rss_now, "rss_peak_mb": rss_peak,
        "saves": len(results.saves), "browser_saves": sum(s.browser for s in results.saves),
        "redraws_per_save": redraws / max(1, len(results.saves)),
        "conflicts": sum(s.conflicts for s in results.saves),
        "save_p50_ms": percentile(latencies, 0.5), "save_p95_ms": percentile(latencies, 0.95),
        "save_max_ms": max(latencies, default=None),
        "visible_n": len(press), "visible_unseen": len(unseen), "unseen_samples": unseen[:10],
        "visible_p50_ms": percentile(press, 0.5), "visible_p95_ms": percentile(press, 0.95),
        "visible_max_ms": max(press, default=None), "visible_commit_p95_ms": percentile(commit, 0.95),
        "teammate_n": len(teammate), "teammate_unseen": teammate_unseen,
        "teammate_p50_ms": percentile(teammate, 0.5), "teammate_p95_ms": percentile(teammate, 0.95),
        "teammate_max_ms": max(teammate, default=None),
        "harness_lag_p95_ms": percentile(lags, 0.95), "harness_lag_max_ms": max(lags, default=None),
        "errors": len(errors), "error_samples": errors[:10], "profile": profile,
        "lost": len(lost), "lost_samples": lost[:10], "integrity": integrity(store),
        "save_log": [{"who": s.who, "browser": s.browser, "ms": round((s.acknowledged - s.submitted) * 1000),
                      "conflicts": s.conflicts, "at": round(s.submitted - load_start, 1),
                      "submitted": s.submitted, "acknowledged": s.acknowledged}
                     for s in results.saves],
    }


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def table(figures: dict, floor: float | None, command: str) -> str:
    """The report: one markdown table with every figure and its target."""
    f = figures
    ratio = (lambda ms: f"{ms / floor:.1f}x") if floor else (lambda ms: "n/a")
    rows = [
        ("Sessions", (f"{f['sessions']} ({f['browsers']} Chromium, {f['protocol_sessions']} protocol; "
                     f"{f['laptops']} team laptops)"), "60"),
        ("Saving", f"each {f['saver']} every {f['interval'][0]:g}-{f['interval'][1]:g} s", "each team every 10-30 s"),
        ("Server CPU under load", f"{f['load_cores']:.2f} cores", f"≤ {TARGETS['cores']:.0f} core"),
        ("Server CPU idle (clocks counting in the browsers)", f"{f['idle_cores']:.2f} cores", ""),
        ("Whole machine under load (server + harness + Chromium)",
         f"{f['machine_cores']:.2f} of {f['machine_cpus']} cores", ""),
        ("Server memory (RSS end / peak)", f"{f['rss_mb']:.0f} MB / {f['rss_peak_mb']:.0f} MB", ""),
        ("Saves acknowledged (Chromium; stale edits resolved)",
         f"{f['saves']} ({f['browser_saves']}; {f['conflicts']})", ""),
        ("Whole-page redraws of protocol laptops per save (the saving laptop's own included)",
         f"{f['redraws_per_save']:.1f}", ""),
        ("Save latency p50 / p95 / max (Save pressed → 'Saved' flash)",
         f"{_ms(f['save_p50_ms'])} / {_ms(f['save_p95_ms'])} / {_ms(f['save_max_ms'])}", ""),
        ("Save → visible on the projector's board p50 / p95 / max (n)",
         (f"{_ms(f['visible_p50_ms'])} / {_ms(f['visible_p95_ms'])} / {_ms(f['visible_max_ms'])} "
         f"({f['visible_n']}, {f['visible_unseen']} never seen)"), "p95 ≤ 1300 ms"),
        ("Commit → visible on the board p95", _ms(f["visible_commit_p95_ms"]), ""),
        ("Save → visible on a teammate's laptop p50 / p95 / max (n teammate views)",
         (f"{_ms(f['teammate_p50_ms'])} / {_ms(f['teammate_p95_ms'])} / {_ms(f['teammate_max_ms'])} "
          f"({f['teammate_n']}, {f['teammate_unseen']} never seen)"),
         f"p95 ≤ {TARGETS['teammate_p95_ms']:.0f} ms"),
        ("Server CPU per session-second: bare run_every clock (the floor)",
         f"{floor:.2f} ms" if floor else "n/a", ""),
        ("Server CPU per session-second: okrcoach idle / ratio to the floor",
         f"{f['idle_ms_per_tick']:.2f} ms / {ratio(f['idle_ms_per_tick'])}", ""),
        ("Server CPU per session-second: okrcoach under load / ratio to the floor",
         f"{f['load_ms_per_tick']:.2f} ms / {ratio(f['load_ms_per_tick'])}", "≤ 1.5x"),
        ("Fragment ticks sent per protocol session per second", f"{f['protocol_ticks_per_session_s']:.2f}", "0"),
        ("Redraws the server pushed per protocol session per second (at least)",
         f"{f['pushed_runs_per_session_s']:.2f}", ""),
        ("Harness lag p95 / max (its sessions' loop waking late: every figure above is late by as much)",
         f"{_ms(f['harness_lag_p95_ms'])} / {_ms(f['harness_lag_max_ms'])}", ""),
        ("Errors (server log, sessions, saves)", str(f["errors"]), "0"),
        ("Lost saves", str(f["lost"]), "0"),
        ("PRAGMA integrity_check", f["integrity"], "ok"),
    ]
    lines = [f"`{command}` ({f['seconds']:.0f} s load window)", "", "| figure | measured | target |",
             "|---|---|---|"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    for name in ("error_samples", "lost_samples", "unseen_samples"):
        lines += [f"- {sample}" for sample in f[name]]
    if f.get("profile"):
        lines += ["", profile_table(f["profile"])]
    return "\n".join(lines)


def profile_table(profile: dict) -> str:
    """The profile's top entries as two short markdown lists."""
    if "error" in profile:
        return f"Profile: {profile['error']}"
    lines = [f"Profile ({profile['samples']} samples of threads holding the GIL): most samples in the function itself"]
    lines += [f"- {share:.1f} % {frame}" for frame, share in profile["own"]]
    lines += ["", "okrcoach functions with the most samples under them"]
    lines += [f"- {share:.1f} % {frame}" for frame, share in profile["under"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    """Run the floor and the load phase, print the table, optionally write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60, help="projector + console + team laptops")
    parser.add_argument("--seconds", type=float, default=120, help="load window (teams saving)")
    parser.add_argument("--browsers", type=int, default=4, help="how many sessions are headless Chromium pages")
    parser.add_argument("--idle", type=float, default=10, help="idle window before the load (no saves)")
    parser.add_argument("--floor-seconds", type=float, default=15, help="bare run_every floor window; 0 skips it")
    parser.add_argument("--min-interval", type=float, default=10, help="shortest pause between a team's saves")
    parser.add_argument("--max-interval", type=float, default=30, help="longest pause between a team's saves")
    parser.add_argument("--per-laptop", action="store_true",
                        help="stress: every laptop (not every team) saves every min-max interval seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--profile", type=Path,
                        help="sample the server with py-spy during the load window; collapsed stacks go here")
    args = parser.parse_args(argv)
    if args.sessions < 3:
        parser.error("--sessions needs at least 3 (projector, console, one laptop)")
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="okrcoach-load-"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        floor = None
        if args.floor_seconds > 0:
            floor_folder = folder / "floor"
            floor_folder.mkdir()
            floor = floor_ms_per_tick(browser, floor_folder, args.sessions, args.browsers, args.floor_seconds)
        figures = run_load(browser, folder, args)
        browser.close()
    figures["floor_ms_per_tick"] = floor
    figures["folder"] = str(folder)
    command = "python -m tests.perf.load " + " ".join(argv if argv is not None else sys.argv[1:])
    print(table(figures, floor, command.strip()))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
