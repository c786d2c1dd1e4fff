"""The run of a timed agenda: state transitions and clock readings, all pure, time passed in."""

import math
from dataclasses import dataclass, replace
from typing import Literal

from okrcoach.errors import InputError

Status = Literal["ready", "running", "paused", "finished"]
STATUSES = ("ready", "running", "paused", "finished")
WARNING_SECONDS = 300

_STATUS_WORDS = {
    "ready": "has not started yet",
    "running": "is running",
    "paused": "is paused",
    "finished": "has finished",
}


@dataclass(frozen=True)
class RunState:
    """Where the workshop is in its agenda and what actually happened so far."""

    planned: tuple[int, ...]
    current: int
    status: Status
    ends_at: float | None
    remaining: float | None
    started: tuple[float | None, ...]
    ended: tuple[float | None, ...]
    extended: tuple[int, ...]
    left: tuple[float | None, ...] = ()  # seconds each item had left when last left; None: never left


_FIELDS = tuple(RunState.__dataclass_fields__)


def new_run(planned_minutes: list[int]) -> RunState:
    """A run of the agenda, ready to start on its first item."""
    if not planned_minutes:
        raise InputError("The agenda has no items; add at least one before running it.")
    for number, minutes in enumerate(planned_minutes, start=1):
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise InputError(
                f"Agenda item {number} has {minutes!r} minutes; "
                "give it a whole number of at least 1."
            )
    planned = tuple(minutes * 60 for minutes in planned_minutes)
    count = len(planned)
    return RunState(
        planned=planned,
        current=0,
        status="ready",
        ends_at=None,
        remaining=float(planned[0]),
        started=(None,) * count,
        ended=(None,) * count,
        extended=(0,) * count,
        left=(None,) * count,
    )


def start(state: RunState, now: float) -> RunState:
    """Start the clock on the current item."""
    _require(state, "start", "ready")
    return replace(
        state,
        status="running",
        ends_at=now + state.remaining,
        remaining=None,
        started=_first_time(state.started, state.current, now),
    )


def pause(state: RunState, now: float) -> RunState:
    """Stop the clock, keeping the time left (negative in overrun)."""
    _require(state, "pause", "running")
    return replace(state, status="paused", ends_at=None, remaining=state.ends_at - now)


def resume(state: RunState, now: float) -> RunState:
    """Restart a paused clock from where it stopped."""
    _require(state, "resume", "paused")
    return replace(state, status="running", ends_at=now + state.remaining, remaining=None)


def extend(state: RunState, now: float, seconds: int) -> RunState:
    """Give the current item more time."""
    _require(state, "extend", "ready", "running", "paused")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds <= 0:
        raise InputError(f"Cannot extend by {seconds!r} seconds; give a whole number above 0.")
    extended = _set(state.extended, state.current, state.extended[state.current] + seconds)
    if state.status == "running":
        return replace(state, ends_at=state.ends_at + seconds, extended=extended)
    return replace(state, remaining=state.remaining + seconds, extended=extended)


def next_item(state: RunState, now: float) -> RunState:
    """Move on to the next item, or finish after the last one."""
    _require(state, "move on", "running", "paused")
    if state.current == len(state.planned) - 1:
        return finish(state, now)
    return jump(state, now, state.current + 1)


def jump(state: RunState, now: float, index: int) -> RunState:
    """Move on to any item: a new one starts with its full time, one already run carries on where it was left."""
    _require(state, "jump to another item", "running", "paused")
    if not 0 <= index < len(state.planned):
        raise InputError(
            f"There is no agenda item {index + 1}; pick one from 1 to {len(state.planned)}."
        )
    if index == state.current:
        raise InputError(f"Agenda item {index + 1} is already the current item.")
    return _arrive(_leave(state, now), index, now)


def back(state: RunState, now: float) -> RunState:
    """Undo the last move on: reopen the item most recently left as it was (time run and minutes added kept)."""
    if state.status == "finished":
        target = state.current
    else:
        _require(state, "go back", "running", "paused")
        left = [
            (ended, i)
            for i, ended in enumerate(state.ended)
            if ended is not None and i != state.current
        ]
        if not left:
            raise InputError("There is no earlier item to go back to.")
        _, target = max(left)
    if target != state.current:
        if state.started[state.current] >= state.ended[target]:
            # Its start came from the move being undone: it gets a real start when the run reaches it.
            state = replace(state, started=_set(state.started, state.current, None),
                            left=_set(state.left, state.current, None))
        else:
            state = replace(state, left=_set(state.left, state.current, remaining(state, now)))
    return replace(_arrive(state, target, now), ended=_set(state.ended, target, None))


def finish(state: RunState, now: float) -> RunState:
    """End the run on the current item."""
    _require(state, "finish", "running", "paused")
    return replace(_leave(state, now), status="finished", ends_at=None, remaining=None)


def _leave(state: RunState, now: float) -> RunState:
    return replace(
        state,
        ended=_set(state.ended, state.current, now),
        left=_set(state.left, state.current, remaining(state, now)),
    )


def _arrive(state: RunState, index: int, now: float) -> RunState:
    return replace(
        state,
        current=index,
        status="running",
        ends_at=now + _time_left(state, index),
        remaining=None,
        started=_first_time(state.started, index, now),
    )


def skipped(state: RunState) -> tuple[int, ...]:
    """Items the run has passed by without ever starting them (before the current one, or all once finished)."""
    passed = len(state.planned) if state.status == "finished" else state.current
    return tuple(i for i in range(passed) if state.started[i] is None and i != state.current)


def time_run(state: RunState, index: int, now: float) -> float | None:
    """Seconds the item's clock has run (pauses left out); None if it never started."""
    if state.started[index] is None:
        return None
    live = index == state.current and state.status in ("running", "paused")
    left = remaining(state, now) if live else state.left[index]
    return None if left is None else _allotted(state, index) - left


def remaining(state: RunState, now: float) -> float:
    """Seconds left on the current item; negative in overrun, 0 once the run has finished."""
    if state.status == "running":
        return state.ends_at - now
    if state.status == "finished":
        return 0.0
    return state.remaining


def is_overrun(state: RunState, now: float) -> bool:
    """Whether the current item has used up its time."""
    return remaining(state, now) < 0


def warning_level(state: RunState, now: float) -> Literal["normal", "warning", "overrun"]:
    """How urgently the screens should show the clock."""
    left = remaining(state, now)
    if left < 0:
        return "overrun"
    if left <= WARNING_SECONDS and state.status != "finished":
        return "warning"
    return "normal"


def format_clock(seconds: float) -> str:
    """Clock face: "04:59", "1:05:00", and overrun counting up as "+03:12"."""
    # Rounding to the millisecond first keeps float noise in ends_at - now from adding a second.
    seconds = round(seconds, 3)
    if seconds >= 0:
        return _hours_minutes_seconds(math.ceil(seconds))
    # Counting down shows the whole seconds still to go, counting up the whole seconds gone, so the
    # face reads 00:00 for the one second straddling zero and every face lasts exactly one second.
    overrun = math.floor(-seconds)
    return f"+{_hours_minutes_seconds(overrun)}" if overrun else _hours_minutes_seconds(0)


def item_end_clock(state: RunState, now: float) -> float:
    """Epoch seconds when the current item is due to end, for "back at 10:45"."""
    if state.status == "running":
        return state.ends_at
    return now + remaining(state, now)


def projected_finish(state: RunState, now: float) -> float:
    """Epoch seconds the whole agenda is expected to end, given what actually happened so far."""
    if state.status == "finished":
        return max(ended for ended in state.ended if ended is not None)
    later = sum(max(_time_left(state, i), 0) for i in range(state.current + 1, len(state.planned)))
    return now + max(remaining(state, now), 0) + later


def schedule_delta(state: RunState, now: float) -> float:
    """Seconds behind plan (positive) or ahead (negative).

    The plan is the first actual start (now, before the run starts) plus the planned seconds of
    every item not skipped, without extensions: extending an item puts the run behind plan by that
    much, and skipping one does not put it ahead.
    """
    starts = [started for started in state.started if started is not None]
    plan_start = min(starts) if starts else now
    passed_by = set(skipped(state))
    planned = sum(seconds for i, seconds in enumerate(state.planned) if i not in passed_by)
    return projected_finish(state, now) - (plan_start + planned)


def as_run(state: RunState, now: float) -> list[dict]:
    """Planned against actual minutes (the clock's running time), one row per agenda item, skipped ones marked."""
    passed_by = set(skipped(state))
    rows = []
    for i, planned in enumerate(state.planned):
        run_for = time_run(state, i, now)
        rows.append(
            {
                "index": i,
                "planned_minutes": planned / 60,
                "extended_minutes": state.extended[i] / 60,
                "actual_minutes": None if run_for is None else run_for / 60,
                "started": state.started[i],
                "ended": state.ended[i],
                "skipped": i in passed_by,
            }
        )
    return rows


def to_dict(state: RunState) -> dict:
    """The state as JSON-safe plain data."""
    return {
        "planned": list(state.planned),
        "current": state.current,
        "status": state.status,
        "ends_at": state.ends_at,
        "remaining": state.remaining,
        "started": list(state.started),
        "ended": list(state.ended),
        "extended": list(state.extended),
        "left": list(state.left),
    }


def from_dict(d: dict) -> RunState:
    """The state back from `to_dict` output, checked so a damaged record fails clearly."""
    count = len(d.get("planned", ()))
    d = {"left": [None] * count, **d}  # runs stored before items kept their time left
    missing = [name for name in _FIELDS if name not in d]
    if missing:
        raise InputError(f"Stored timer state is missing {', '.join(missing)}.")
    if d["status"] not in STATUSES:
        raise InputError(f"Stored timer state has unknown status {d['status']!r}.")
    count = len(d["planned"])
    for name in ("started", "ended", "extended", "left"):
        if len(d[name]) != count:
            raise InputError(
                f"Stored timer state has {len(d[name])} {name} times for {count} agenda items."
            )
    if not 0 <= d["current"] < count:
        raise InputError(f"Stored timer state points at item {d['current']} of {count}.")
    return RunState(
        planned=tuple(d["planned"]),
        current=d["current"],
        status=d["status"],
        ends_at=d["ends_at"],
        remaining=d["remaining"],
        started=tuple(d["started"]),
        ended=tuple(d["ended"]),
        extended=tuple(d["extended"]),
        left=tuple(d["left"]),
    )


def _time_left(state: RunState, index: int) -> float:
    left = state.left[index]
    return _allotted(state, index) if left is None else left


def _allotted(state: RunState, index: int) -> int:
    return state.planned[index] + state.extended[index]


def _require(state: RunState, action: str, *allowed: Status) -> None:
    if state.status not in allowed:
        raise InputError(f"Cannot {action}: the timer {_STATUS_WORDS[state.status]}.")


def _set(values: tuple, index: int, value: float | None) -> tuple:
    return values[:index] + (value,) + values[index + 1 :]


def _first_time(started: tuple, index: int, now: float) -> tuple:
    return started if started[index] is not None else _set(started, index, now)


def _hours_minutes_seconds(total: int) -> str:
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
