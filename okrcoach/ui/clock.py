"""The workshop clock drawn three ways: huge on the projector, full on the console, a strip on team pages."""

import html
import time

import streamlit as st

from okrcoach.workshop.runs import TimerView

COLOURS = {"normal": "#1b5e20", "warning": "#e65100", "overrun": "#b71c1c"}
PAUSED = "#455a64"


def _colour(view: TimerView) -> str:
    return PAUSED if view.status in ("paused", "ready") else COLOURS[view.warning_level]


def _status_words(view: TimerView) -> str:
    return {"ready": "Not started", "paused": "Paused", "finished": "Agenda finished"}.get(view.status, "")


def hhmm(epoch: float) -> str:
    """A wall-clock time on the coach's laptop, as the room reads it."""
    return time.strftime("%H:%M", time.localtime(epoch))


def projector(view: TimerView | None, compact: bool = False) -> None:
    """The room's clock: readable from the back, amber from 5 minutes left, red and counting up after zero.

    Compact when the item's view needs the screen (board, presenter, exercise): still legible at 5 m.
    """
    if view is None:
        st.html('<div style="font-size:6vh;opacity:.6">The workshop has not started yet.</div>')
        return
    if view.kind == "break" and view.status == "running":
        st.html(f'<div style="font-size:9vh;font-weight:700;color:{_colour(view)}">'
                f'Back at {hhmm(view.item_ends_at)}</div>')
    status = _status_words(view)
    st.html(
        f'<div data-testid="okc-clock" style="font-size:{11 if compact else 30}vh;'
        f'line-height:1;font-weight:800;'
        f'font-variant-numeric:tabular-nums;color:{_colour(view)}">{html.escape(view.clock)}</div>'
        + (f'<div style="font-size:5vh;color:{PAUSED}">{status}</div>' if status else "")
        + (f'<div style="font-size:{2.8 if compact else 4.5}vh;opacity:.75;margin-top:1vh">'
           f'Next up: {html.escape(view.next_title)}</div>' if view.next_title else ""))


def console(view: TimerView | None) -> None:
    """The facilitator's clock with the projected finish and how far ahead or behind plan."""
    if view is None:
        st.info("No agenda run yet. Choose an agenda on the set-up page.")
        return
    delta = round(view.schedule_delta / 60)
    plan = "on plan" if delta == 0 else f"{abs(delta)} min {'behind' if delta > 0 else 'ahead of'} plan"
    st.html(
        f'<div data-testid="okc-clock" style="font-size:5rem;line-height:1;font-weight:800;'
        f'font-variant-numeric:tabular-nums;color:{_colour(view)}">{html.escape(view.clock)}</div>'
        f'<div style="font-size:1.1rem">Item {view.index + 1} of {view.item_count}: '
        f'{html.escape(view.title)} · {_status_words(view) or "Running"}</div>'
        f'<div style="font-size:1.1rem">Projected finish {hhmm(view.projected_finish)} · {plan}</div>')
    if view.status == "running" and view.remaining <= 0:
        st.error("Time is up for this item. Extend it (+1 min, +5 min) or move on (Next)?")


def strip(view: TimerView | None) -> None:
    """A one-line clock for team laptops: the current item and the time left."""
    if view is None:
        return
    words = "left" if view.remaining >= 0 else "over"
    if view.kind == "break" and view.status == "running":
        words = f"left · back at {hhmm(view.item_ends_at)}"
    st.html(
        f'<div data-testid="okc-strip" style="display:flex;justify-content:space-between;gap:1rem;'
        f'padding:.4rem .8rem;border-radius:.5rem;color:white;background:{_colour(view)};font-size:1.1rem">'
        f'<span>{html.escape(view.title)}</span>'
        f'<span style="font-variant-numeric:tabular-nums;font-weight:700">'
        f'<span data-testid="okc-clock">{html.escape(view.clock)}</span> {words}'
        f'{" · " + _status_words(view) if _status_words(view) else ""}</span></div>')
