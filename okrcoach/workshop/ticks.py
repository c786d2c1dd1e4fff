"""What a live page is drawn from: the clock, and a stamp that moves when the page must redraw."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlite_utils

from okrcoach.storage.store import Store
from okrcoach.workshop import runs
from okrcoach.workshop.runs import TimerView

Tick = tuple[tuple, TimerView | None]

# The server's watcher reads every live page's stamp a few times a second, and a room's pages read the same rows:
# one read serves the others until this process writes to the file, or this long has passed (another process, the
# command line, may have written).
SHARED_SECONDS = 0.5
_read_by: dict[tuple, tuple[int, float, object]] = {}  # (file, what) -> (the file's writes, when, rows)
_fresh = threading.local()  # set while a page run remembers its stamp (each session runs on a thread of its own)


@contextmanager
def read_fresh() -> Iterator[None]:
    """Within it, reads go to the file and are shared from then on: a page never remembers a stamp older than
    what it is about to draw, so a write from another process cannot make it redraw for nothing a tick later."""
    _fresh.on = True
    try:
        yield
    finally:
        _fresh.on = False


def for_room(store: Store, engagement_id: int, now: float) -> Tick:
    """Projector and console: redraw on any change in the engagement (drafts, run, parking lot)."""
    clock, row = _shared(store, ("room", engagement_id), lambda db: (
        runs.timer_row_in(db, engagement_id),
        db.execute("SELECT stamp FROM engagements WHERE id = ?", [engagement_id]).fetchone()))
    return (row[0] if row else None,), runs.timer_view_of(clock, now)


def for_run(store: Store, engagement_id: int, now: float) -> Tick:
    """The projector's progress board, which is redrawn with its clock: redraw the page when the run moves on,
    the engagement is archived or its workshop code changes (the join link), not on every team's save."""
    clock, row = _shared(store, ("run", engagement_id), lambda db: (
        runs.timer_row_in(db, engagement_id),
        db.execute("SELECT archived_at, workshop_code FROM engagements WHERE id = ?", [engagement_id]).fetchone()))
    view = runs.timer_view_of(clock, now)
    return (view and view.run_id, view and view.stamp, *(row or (None, None))), view


def for_team(store: Store, engagement_id: int, team_id: int, now: float) -> Tick:
    """A team laptop: redraw when its own team's page changes or the run changes (item, presenter, timer)."""
    clock, row = _shared(store, ("team", engagement_id, team_id), lambda db: (
        runs.timer_row_in(db, engagement_id),
        db.execute("SELECT stamp, changed_card FROM teams WHERE id = ?", [team_id]).fetchone()))
    view = runs.timer_view_of(clock, now)
    return (*(row or (None, None)), view and view.run_id, view and view.stamp), view


def changed_card(before: tuple | None, now: tuple) -> str | None:
    """The one card of a team page that changed between two of for_team's stamps, or None: redraw the page."""
    if before is None or before[2:] != now[2:] or before[0] is None or now[0] != before[0] + 1:
        return None
    return now[1]


def _shared(store: Store, what: tuple, read: Callable[[sqlite_utils.Database], tuple]) -> tuple:
    """read()'s rows as one session of this process last read them, if nothing can have changed them since."""
    key, writes, at = (store.path, *what), store.writes(), time.monotonic()
    kept = _read_by.get(key)
    if kept and kept[0] == writes and at - kept[1] < SHARED_SECONDS and not getattr(_fresh, "on", False):
        return kept[2]
    with store.read() as db:  # the writes were counted first: a write during this read makes the rows stale
        rows = read(db)
    latest = _read_by.get(key)
    if latest is None or (writes, at) >= latest[:2]:  # a read begun earlier never replaces a later one
        _read_by[key] = (writes, at, rows)
    return rows
