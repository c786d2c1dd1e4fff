"""What a live page reads each second: the clock, and a stamp that moves when the page must redraw."""

from okrcoach.storage.store import Store
from okrcoach.workshop import runs
from okrcoach.workshop.runs import TimerView

Tick = tuple[tuple, TimerView | None]


def for_room(store: Store, engagement_id: int, now: float) -> Tick:
    """Projector and console: redraw on any change in the engagement (drafts, run, parking lot)."""
    with store.read() as db:
        view = runs.timer_view_in(db, engagement_id, now)
        row = db.execute("SELECT stamp FROM engagements WHERE id = ?", [engagement_id]).fetchone()
    return (row[0] if row else None,), view


def for_run(store: Store, engagement_id: int, now: float) -> Tick:
    """The projector's progress board, which draws itself every tick: redraw the page when the run moves on,
    the engagement is archived or its workshop code changes (the join link), not on every team's save."""
    with store.read() as db:
        view = runs.timer_view_in(db, engagement_id, now)
        row = db.execute("SELECT archived_at, workshop_code FROM engagements WHERE id = ?", [engagement_id]).fetchone()
    return (view and view.run_id, view and view.stamp, *(row or (None, None))), view


def for_team(store: Store, engagement_id: int, team_id: int, now: float) -> Tick:
    """A team laptop: redraw when its own team's page changes or the run changes (item, presenter, timer)."""
    with store.read() as db:
        view = runs.timer_view_in(db, engagement_id, now)
        row = db.execute("SELECT stamp, changed_card FROM teams WHERE id = ?", [team_id]).fetchone()
    return (*(row or (None, None)), view and view.run_id, view and view.stamp), view


def changed_card(before: tuple | None, now: tuple) -> str | None:
    """The one card of a team page that changed between two of for_team's stamps, or None: redraw the page."""
    if before is None or before[2:] != now[2:] or before[0] is None or now[0] != before[0] + 1:
        return None
    return now[1]
