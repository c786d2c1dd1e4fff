"""Runs of an agenda: the live timer, the items as adapted for this engagement, and the parking lot."""

import json
import math
import time
from dataclasses import asdict, dataclass
from typing import NamedTuple

import sqlite_utils

from okrcoach.content.vocabulary import ITEM_VIEWS
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.text import clean, one_line
from okrcoach.workshop import timer
from okrcoach.workshop.agendas import ITEM_KINDS, Agenda, AgendaItem

# Migration 3. Items and timer state are JSON: the run is read and written whole, and the timer
# state (timer.to_dict) holds ends_at while running and remaining while paused, as DESIGN 5 asks.
MIN_ITEM_MINUTES = 1
MAX_ITEM_MINUTES = 600
MAX_ITEMS = 100
MAX_PARKED_CHARS = 500

_ARGUMENTS = {"extend": {"seconds"}, "jump": {"index"}}
_MOVES = {
    "start": timer.start,
    "pause": timer.pause,
    "resume": timer.resume,
    "extend": timer.extend,
    "next": timer.next_item,
    "back": timer.back,
    "jump": timer.jump,
    "finish": timer.finish,
}
ACTIONS = tuple(_MOVES)


@dataclass(frozen=True)
class Run:
    """One live run of an agenda for an engagement: its items as adapted, and the timer."""

    id: int
    engagement_id: int
    agenda_slug: str
    title: str
    items: tuple[AgendaItem, ...]
    state: timer.RunState
    stamp: int
    projector_pin: str = ""
    presenting_team_id: int | None = None
    presenting_page: int = 0
    pin_item: int | None = None  # the item the pin was made for; None: for the rest of the workshop

    @property
    def pin(self) -> str:
        """The projector's pin now: one made for an item ends when the run moves to another item."""
        return self.projector_pin if self.pin_item is None or self.pin_item == self.state.current else ""


@dataclass(frozen=True)
class TimerView:
    """What every screen's clock shows this second, read in one small query."""

    run_id: int
    stamp: int
    index: int
    item_count: int
    title: str
    kind: str
    status: str
    remaining: float
    warning_level: str
    clock: str
    next_title: str | None
    item_ends_at: float
    projected_finish: float
    schedule_delta: float


class TimerRow(NamedTuple):
    """The current run's clock as stored (state parsed), before the time of a tick is applied."""

    run_id: int
    stamp: int
    state: timer.RunState
    item_count: int
    title: str
    kind: str
    next_title: str | None


@dataclass(frozen=True)
class ParkedItem:
    """A question or topic raised in the room and deferred, kept for the pack."""

    id: int
    engagement_id: int
    text: str
    raised_by: str
    created_at: float
    done: bool


def fitting_agenda(agendas: list[Agenda], current_run: "Run | None", top_level_team: bool,
                   top_level_objectives: int) -> Agenda | None:
    """The agenda set-up offers first: the one in use, else what this engagement is ready for next."""
    if current_run and (match := next((a for a in agendas if a.slug == current_run.agenda_slug), None)):
        return match
    # Leaders draft the top-level objectives before teams draft theirs; before either, the room learns.
    wanted = ("team-drafting" if top_level_objectives else "executive-drafting" if top_level_team
              else "fundamentals")
    return next((a for a in agendas if a.kind == wanted), agendas[0] if agendas else None)


def current_in(db: sqlite_utils.Database, engagement_id: int) -> Run | None:
    """The engagement's current run on an open connection, or None."""
    row = _one(db, "SELECT * FROM runs WHERE engagement_id = ? AND archived_at IS NULL", [engagement_id])
    return _run(row) if row else None


def current(store: Store, engagement_id: int) -> Run | None:
    """The engagement's current run, or None before an agenda has been chosen."""
    with store.read() as db:
        return current_in(db, engagement_id)


def get(store: Store, run_id: int) -> Run:
    """One run by id, current or archived."""
    with store.read() as db:
        return _run(_row_in(db, run_id))


def start_run(store: Store, engagement_id: int, agenda: Agenda, now: float | None = None) -> Run:
    """Archive the current run (kept, never deleted) and begin a fresh one from an agenda template."""
    now = time.time() if now is None else now
    state = timer.new_run([item.minutes for item in agenda.items])
    with store.write() as db:
        db.execute(
            "UPDATE runs SET archived_at = ?, stamp = stamp + 1 "
            "WHERE engagement_id = ? AND archived_at IS NULL",
            [now, engagement_id],
        )
        run_id = db.execute(
            "INSERT INTO runs (engagement_id, agenda_slug, title, items, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [engagement_id, agenda.slug, agenda.title, _items_json(agenda.items),
             _state_json(state), now],
        ).lastrowid
        changes.engagement_changed(db, engagement_id)
        return _run(_row_in(db, run_id))


def adapt(store: Store, run_id: int, items: list[dict]) -> Run:
    """Replace the run's items (titles, minutes, kinds, order…) while it has not started yet."""
    adapted = _checked_items(items)
    state = timer.new_run([item.minutes for item in adapted])
    with store.write() as db:
        row = _row_in(db, run_id)
        _require_current(row)
        if json.loads(row["state"])["status"] != "ready":
            raise InputError(
                "The run has started, so its items can no longer be changed; "
                "start a fresh run to change the agenda."
            )
        db.execute(
            "UPDATE runs SET items = ?, state = ?, stamp = stamp + 1 WHERE id = ?",
            [_items_json(adapted), _state_json(state), run_id],
        )
        changes.engagement_changed(db, row["engagement_id"])
        return _run(_row_in(db, run_id))


def table_rows(run: Run) -> list[dict]:
    """The run's items as the rows of set-up's agenda table ("#" is the item's place in the template)."""
    return [{"#": number, "Order": number, "Title": item.title, "Minutes": item.minutes, "Kind": item.kind}
            for number, item in enumerate(run.items, start=1)]


def items_from_table(run: Run, rows: list[dict]) -> list[dict]:
    """The items an edited agenda table describes, in its chosen order; rows from the template keep their prompts and notes."""
    # A table editor hands back numbers as floats, and NaN or None in rows added by hand.
    filled = [(number, row) for number, row in enumerate(rows, start=1)
              if any(_blank_to_none(value) is not None for value in row.values())]
    def place(pair: tuple[int, dict]) -> tuple[int, bool]:
        number, row = pair
        order = _whole(row.get("Order"), number, "Order")
        # A row given a place that another row already has goes before it: that is where it was put.
        return (order or len(rows) + number, order is not None and order == _whole(row.get("#"), number, "#"))

    ordered = sorted(filled, key=place)
    items = []
    for number, row in ordered:
        place = _whole(row.get("#"), number, "#")
        template = run.items[place - 1] if place and 1 <= place <= len(run.items) else None
        kind = _blank_to_none(row.get("Kind")) or (template.kind if template else "talk")
        items.append({
            "title": _blank_to_none(row.get("Title")) or "",
            "minutes": _whole(row.get("Minutes"), number, "Minutes"),
            "kind": kind,
            "prompts": list(template.prompts) if template else [],
            "notes": template.notes if template else "",
            "instructions": template.instructions if template else "",
            # The view the template names fits its kind; an item given another kind shows that kind's view.
            "view": template.view if template and template.kind == kind else "",
        })
    return items


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _whole(value: object, row: int, column: str) -> int | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InputError(f"Row {row} of the agenda table: '{column}' must be a whole number; got {value!r}.")


def act(store: Store, run_id: int, action: str, now: float, **kwargs) -> Run:
    """Apply one timer control ("start", "pause", "resume", "extend", "next", "back", "jump", "finish")."""
    move = _MOVES.get(action)
    if move is None:
        raise InputError(f"Unknown timer action {action!r}; use one of {', '.join(ACTIONS)}.")
    needed = _ARGUMENTS.get(action, set())
    if set(kwargs) != needed:
        wanted = ", ".join(sorted(needed)) or "nothing"
        given = ", ".join(sorted(kwargs)) or "nothing"
        raise InputError(f"The timer action {action!r} takes {wanted}; got {given}.")
    # Read, change and write under one BEGIN IMMEDIATE: two consoles clicking at once queue up.
    with store.write() as db:
        row = _row_in(db, run_id)
        _require_current(row)
        state = move(timer.from_dict(json.loads(row["state"])), now, **kwargs)
        db.execute(
            "UPDATE runs SET state = ?, stamp = stamp + 1 WHERE id = ?", [_state_json(state), run_id]
        )
        changes.engagement_changed(db, row["engagement_id"])
        return _run(_row_in(db, run_id))


_VIEW_SQL = """
SELECT id, stamp, state, json_array_length(items),
       json_extract(items, '$[' || json_extract(state, '$.current') || '].title',
                           '$[' || json_extract(state, '$.current') || '].kind',
                           '$[' || (json_extract(state, '$.current') + 1) || '].title')
FROM runs WHERE engagement_id = ? AND archived_at IS NULL
"""


def timer_view_in(db: sqlite_utils.Database, engagement_id: int, now: float) -> TimerView | None:
    """The clock of the engagement's current run on an open connection, or None."""
    return timer_view_of(timer_row_in(db, engagement_id), now)


def timer_row_in(db: sqlite_utils.Database, engagement_id: int) -> TimerRow | None:
    """What the clock of the engagement's current run is drawn from (for timer_view_of), or None."""
    # SQLite picks the current and next titles out of the items: prompts and notes are never parsed here.
    row = db.execute(_VIEW_SQL, [engagement_id]).fetchone()
    if row is None:
        return None
    run_id, stamp, state_json, item_count, picked = row
    return TimerRow(run_id, stamp, timer.from_dict(json.loads(state_json)), item_count, *json.loads(picked))


def timer_view_of(row: TimerRow | None, now: float) -> TimerView | None:
    """The clock at `now` from timer_row_in's row, or None."""
    if row is None:
        return None
    run_id, stamp, state, item_count, title, kind, next_title = row
    left = timer.remaining(state, now)
    return TimerView(
        run_id=run_id,
        stamp=stamp,
        index=state.current,
        item_count=item_count,
        title=title,
        kind=kind,
        status=state.status,
        remaining=left,
        warning_level=timer.warning_level(state, now),
        clock=timer.format_clock(left),
        next_title=None if state.status == "finished" else next_title,
        item_ends_at=timer.item_end_clock(state, now),
        projected_finish=timer.projected_finish(state, now),
        schedule_delta=timer.schedule_delta(state, now),
    )


def timer_view(store: Store, engagement_id: int, now: float) -> TimerView | None:
    """The clock of the engagement's current run, cheap enough to read every second; None if no run."""
    with store.read() as db:
        return timer_view_in(db, engagement_id, now)


def as_run(store: Store, run_id: int, now: float) -> list[dict]:
    """Planned against actual minutes per item, with titles and kinds, for the console and the pack."""
    run = get(store, run_id)
    return [
        {"title": item.title, "kind": item.kind, **row}
        for item, row in zip(run.items, timer.as_run(run.state, now), strict=True)
    ]


def add_parked(store: Store, engagement_id: int, text: str, raised_by: str = "",
               now: float | None = None) -> int:
    """Put a question or topic on the parking lot; returns its id."""
    text = clean(text, "Parking lot item", required=True, max_chars=MAX_PARKED_CHARS)
    raised_by = one_line(raised_by, "Raised by", max_chars=100)
    with store.write() as db:
        item_id = db.execute(
            "INSERT INTO parking_lot (engagement_id, text, raised_by, created_at) VALUES (?, ?, ?, ?)",
            [engagement_id, text, raised_by, time.time() if now is None else now],
        ).lastrowid
        changes.engagement_changed(db, engagement_id)
        return item_id


def parked(store: Store, engagement_id: int) -> list[ParkedItem]:
    """The engagement's parking lot in the order it was raised."""
    with store.read() as db:
        rows = db.execute(
            "SELECT id, engagement_id, text, raised_by, created_at, done FROM parking_lot "
            "WHERE engagement_id = ? ORDER BY created_at, id",
            [engagement_id],
        ).fetchall()
    return [ParkedItem(*row[:5], done=bool(row[5])) for row in rows]


def set_parked_done(store: Store, item_id: int, done: bool) -> None:
    """Tick a parking lot item off as dealt with, or open it again."""
    with store.write() as db:
        row = db.execute("SELECT engagement_id FROM parking_lot WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise InputError(f"There is no parking lot item {item_id}; reload the page.")
        db.execute("UPDATE parking_lot SET done = ? WHERE id = ?", [int(bool(done)), item_id])
        changes.engagement_changed(db, row[0])


def pin_projector(store: Store, run_id: int, view: str, rest_of_workshop: bool = False) -> None:
    """Keep the projector on one view for the current item, or for the rest of the workshop ("" follows the agenda)."""
    with store.write() as db:
        row = _row_in(db, run_id)
        _require_current(row)
        item = None if rest_of_workshop else json.loads(row["state"])["current"]
        db.execute("UPDATE runs SET projector_pin = ?, pin_item = ?, stamp = stamp + 1 WHERE id = ?",
                   [view, item, run_id])
        changes.engagement_changed(db, _row_in(db, run_id)["engagement_id"])


def present(store: Store, run_id: int, team_id: int | None, page: int = 0) -> None:
    """Choose the team presenting in a share-out and which of its objectives is on screen."""
    with store.write() as db:
        row = _row_in(db, run_id)
        _require_current(row)
        if team_id is not None and not db.execute(
                "SELECT 1 FROM teams WHERE id = ? AND engagement_id = ? AND removed_at IS NULL",
                [team_id, row["engagement_id"]]).fetchone():
            raise InputError("That team is not in this workshop.")
        db.execute("UPDATE runs SET presenting_team_id = ?, presenting_page = ?, stamp = stamp + 1 WHERE id = ?",
                   [team_id, max(0, int(page)), run_id])
        changes.engagement_changed(db, row["engagement_id"])


def next_presenter(objective_counts: dict[int, int], team_id: int | None, page: int,
                   move: str) -> tuple[int | None, int]:
    """Where 'Next objective' or 'Next team' goes in a share-out: (team, objective page), teams in their order.

    Past a team's last objective, Next objective goes on to the next team; after the last team, to the first.
    """
    order = list(objective_counts)
    if not order:
        return None, 0
    if team_id not in objective_counts:
        return order[0], 0
    if move == "objective" and page + 1 < objective_counts[team_id]:
        return team_id, page + 1
    return order[(order.index(team_id) + 1) % len(order)], 0


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip((column[0] for column in cursor.description), row, strict=True))


def _row_in(db: sqlite_utils.Database, run_id: int) -> dict:
    row = _one(db, "SELECT * FROM runs WHERE id = ?", [run_id])
    if row is None:
        raise InputError(f"There is no agenda run {run_id}; reload the page.")
    return row


def _run(row: dict) -> Run:
    return Run(
        id=row["id"],
        engagement_id=row["engagement_id"],
        agenda_slug=row["agenda_slug"],
        title=row["title"],
        items=tuple(
            AgendaItem(**{**item, "prompts": tuple(item["prompts"])}) for item in json.loads(row["items"])
        ),
        state=timer.from_dict(json.loads(row["state"])),
        stamp=row["stamp"],
        projector_pin=row["projector_pin"],
        presenting_team_id=row["presenting_team_id"],
        presenting_page=row["presenting_page"],
        pin_item=row["pin_item"],
    )


def _require_current(row: dict) -> None:
    if row["archived_at"] is not None:
        raise InputError("This agenda run was replaced by a fresh run; reload the console.")


def _items_json(items: tuple[AgendaItem, ...]) -> str:
    return json.dumps([asdict(item) for item in items], ensure_ascii=False)


def _state_json(state: timer.RunState) -> str:
    return json.dumps(timer.to_dict(state))


def _checked_items(items: list[dict]) -> tuple[AgendaItem, ...]:
    if not items:
        raise InputError("The agenda has no items; keep at least one.")
    if len(items) > MAX_ITEMS:
        raise InputError(f"The agenda has {len(items)} items; the limit is {MAX_ITEMS}.")
    return tuple(_checked_item(item, number) for number, item in enumerate(items, start=1))


def _checked_item(item: dict | AgendaItem, number: int) -> AgendaItem:
    if isinstance(item, AgendaItem):
        item = asdict(item)
    where = f"Agenda item {number}"
    title = one_line(item.get("title"), f"{where} title", required=True)
    minutes = _checked_minutes(item.get("minutes"), where)
    kind = item.get("kind")
    if kind not in ITEM_KINDS:
        raise InputError(f"{where} kind must be one of {', '.join(ITEM_KINDS)}; got {kind!r}.")
    prompts = item.get("prompts") or ()
    if isinstance(prompts, str):
        # A text area gives one prompt question per line.
        prompts = prompts.splitlines()
    prompts = tuple(
        prompt
        for prompt in (
            one_line(p, f"{where} prompt {k}", max_chars=1000) for k, p in enumerate(prompts, start=1)
        )
        if prompt
    )
    return AgendaItem(
        title=title,
        minutes=minutes,
        kind=kind,
        prompts=prompts,
        notes=clean(item.get("notes"), f"{where} notes"),
        instructions=clean(item.get("instructions"), f"{where} instructions"),
        view=_checked_view(item.get("view"), where),
    )


def _checked_view(value: object, where: str) -> str:
    if value in (None, ""):
        return ""
    if value not in ITEM_VIEWS:
        raise InputError(f"{where} view must be one of {', '.join(ITEM_VIEWS)}; got {value!r}.")
    return value


def _checked_minutes(value: object, where: str) -> int:
    # A number column in a data editor can hand back 15.0; a whole float is fine, 2.5 is not.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or not MIN_ITEM_MINUTES <= value <= MAX_ITEM_MINUTES:
        raise InputError(
            f"{where} minutes must be a whole number from {MIN_ITEM_MINUTES} to {MAX_ITEM_MINUTES};"
            f" got {value!r}."
        )
    return value
