"""One server thread that wakes a live page when what it shows changes, instead of each browser asking every second.

Each live page registers its ticking fragment here with the stamp it drew and the next moment its clock's colour or
words change. The thread reads the stamps a few times a second (one shared read per team or room) and asks
Streamlit to rerun a session's fragment when its stamp moves or its moment comes. The browser counts the seconds
itself (okrcoach/ui/clock.py). It also says a team laptop is connected while its page's websocket is open.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSessionState
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from okrcoach.errors import StorageUnavailable
from okrcoach.workshop import laptops

POLL_SECONDS = 0.2  # a save reaches the other screens within this and one fragment run
BUSY_POLL_SECONDS = 0.03  # ...and while sessions wait for their turn, the next round comes as soon as a run ends
# A save wakes every laptop of its team and the room's screens at once: woken together, their runs kept the next
# person's Save waiting behind them (measured at 120 sessions: save p95 461 ms), so the watcher wakes a session
# only while fewer than this many sessions run a script (a person's own click counts too).
MAX_RUNNING = 4  # the room's screens (projector, console) take their turn first, then the laptops in rotation
RETRY_SECONDS = 5  # a wake that no run answered (the page moved on, a lost message) is asked again after this
GONE_SECONDS = 300  # a session whose browser stays away this long is forgotten (a reconnect registers again)

_log = logging.getLogger(__name__)


@dataclass
class Watch:
    """One live fragment of one session: what it drew and when it wants to run again."""

    session_id: str
    name: str
    fragment_id: str
    page_script_hash: str
    query_string: str
    context_info: object
    read: Callable[[], tuple]  # the stamp as stored now
    stamp: tuple  # the stamp the page drew
    wake_at: float  # run at this moment even if nothing changed (the clock's next colour, a board's ages)
    not_before: float  # a change waits until then (a card's own redraw first, a page people study)
    beat: Callable[[], None] | None = None  # says this laptop is connected, while the websocket is open
    asked_at: float = 0.0
    beat_at: float = 0.0
    away_since: float | None = None


_watches: dict[tuple[str, str], Watch] = {}
_lock = threading.Lock()
_thread: threading.Thread | None = None
_turn = 0  # where the next round starts looking, so every session gets its turn to be woken first


def watch(ctx: ScriptRunContext, fragment_id: str, name: str, read: Callable[[], tuple], stamp: tuple,
          wake_at: float, not_before: float, beat: Callable[[], None] | None) -> None:
    """From a fragment's run: wake it when read() moves from `stamp` or at `wake_at`; no-op without a server."""
    if not _serving():
        return  # AppTest and the command line run pages without a server: nothing to wake
    key = (ctx.session_id, name)
    with _lock:
        kept = _watches.get(key)
        _watches[key] = Watch(ctx.session_id, name, fragment_id, ctx.page_script_hash, ctx.query_string,
                              ctx.context_info, read, stamp, wake_at, not_before, beat,
                              beat_at=kept.beat_at if kept else 0.0)
    _start()


def update(session_id: str, **fields) -> None:
    """Change this session's watches (wake now, or stop waiting) from its own run."""
    with _lock:
        for (session, _), entry in _watches.items():
            if session == session_id:
                for field, value in fields.items():
                    setattr(entry, field, value)


def _forget(entry: Watch) -> None:
    """This session's page no longer has this live fragment (unless a later run registered it again)."""
    with _lock:
        if _watches.get((entry.session_id, entry.name)) is entry:
            del _watches[(entry.session_id, entry.name)]


def _serving() -> bool:
    """Whether `streamlit run` serves this process (AppTest stands a mock in for the server)."""
    return Runtime.exists() and type(Runtime.instance()) is Runtime


def _start() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="okrcoach-watcher", daemon=True)
            _thread.start()


def _loop() -> None:
    while True:
        waiting = False
        try:
            waiting = _round(time.time())
        except Exception:  # the thread must outlive any one page's failure; the log keeps it
            _log.exception("The live-page watcher failed one round")
        time.sleep(BUSY_POLL_SECONDS if waiting else POLL_SECONDS)


def _round(now: float) -> bool:
    """Look at every watch once: beat for open team pages, wake fragments whose stamp moved or moment came.

    Returns whether a fragment that should run was left waiting for its turn.
    """
    global _turn
    if not _serving():
        return False
    runtime = Runtime.instance()
    with _lock:
        entries = list(_watches.values())
    _turn = (_turn + 1) % max(1, len(entries))
    entries = sorted(entries[_turn:] + entries[:_turn], key=lambda entry: entry.beat is not None)  # screens first
    waiting = False
    running = sum(info.session._scriptrunner is not None  # noqa: SLF001 - pinned Streamlit; a count, not a lock
                  for info in runtime._session_mgr.list_active_sessions())  # noqa: SLF001
    for entry in entries:
        info = runtime._session_mgr.get_active_session_info(entry.session_id)  # noqa: SLF001 - pinned Streamlit
        if info is None:  # no websocket now: no beat, no wake; forget it when it stays away
            entry.away_since = entry.away_since or now
            if now - entry.away_since > GONE_SECONDS:
                _forget(entry)
            continue
        entry.away_since = None
        if entry.beat and now - entry.beat_at >= laptops.HEARTBEAT_SECONDS:
            entry.beat_at = now
            try:
                entry.beat()
            except StorageUnavailable:
                pass  # the board misses one heartbeat
        if now - entry.asked_at < RETRY_SECONDS or now < entry.not_before:
            continue
        try:
            due = now >= entry.wake_at or entry.read() != entry.stamp
        except StorageUnavailable:
            continue
        if not due:
            continue
        if running >= MAX_RUNNING:
            waiting = True
            continue
        running += 1
        entry.asked_at = now
        session = info.session
        session._event_loop.call_soon_threadsafe(_wake, session, entry)  # noqa: SLF001 - its own thread
    return waiting


def _wake(session, entry: Watch) -> None:
    """On the server's event loop: rerun the fragment of an idle session, as AppSession.request_rerun would.

    A session that is running a script is left for the next round: that run draws the latest anyway, and a
    request folded into one the browser already made could replace its page or query (a navigation).
    """
    if session._scriptrunner is not None:  # noqa: SLF001
        entry.asked_at = 0.0
        return
    shut = session._state == AppSessionState.SHUTDOWN_REQUESTED  # noqa: SLF001 - pinned Streamlit
    if shut or not session.has_fragment(entry.fragment_id):
        _forget(entry)
        return
    # No widget states: the run keeps the session's own. No cached messages: the browser may have dropped any.
    session._create_scriptrunner(RerunData(  # noqa: SLF001
        query_string=entry.query_string, page_script_hash=entry.page_script_hash, fragment_id=entry.fragment_id,
        is_auto_rerun=True, context_info=entry.context_info))
