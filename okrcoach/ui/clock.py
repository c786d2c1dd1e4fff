"""The workshop clock drawn three ways: huge on the projector, full on the console, a strip on team pages."""

import html
import io
import math
import time
import wave
from functools import cache

import streamlit as st

from okrcoach.ui import state
from okrcoach.workshop.runs import TimerView

COLOURS = {"normal": "#1b5e20", "warning": "#e65100", "overrun": "#b71c1c"}
PAUSED = "#455a64"
TIMES_UP_SECONDS = 5  # a screen whose tick comes late still notices the moment (once)
CHIME_KEY = "console-chime"  # the console's "Chime when time is up" toggle
TIMES_UP = "Time's up — +1 min, +5 min or Next?"
_FLASH = ('<style>@keyframes okc-flash {from {opacity: .8} to {opacity: 0}}</style>'
          '<div data-testid="okc-flash" style="position:fixed;inset:0;background:#b71c1c;opacity:0;'
          'animation:okc-flash 1.2s ease-out 1;pointer-events:none;z-index:1000"></div>')


def times_up_now(view: TimerView | None) -> bool:
    """True on this screen's first tick after the current item's time ran out, and only then."""
    if view is None or view.status != "running" or not -TIMES_UP_SECONDS < view.remaining <= 0:
        return False
    moment = f"times-up-{view.run_id}-{view.index}-{round(view.item_ends_at)}"
    if state.get(moment):
        return False
    state.put(moment, True)
    return True


@cache
def chime() -> bytes:
    """A soft two-note chime (WAV), made here: nothing is fetched from the network."""
    rate, notes = 22050, ((880.0, 0.35), (660.0, 0.55))
    frames = bytearray()
    for frequency, seconds in notes:
        count = int(rate * seconds)
        for n in range(count):
            fade = min(1.0, n / 200) * (1 - n / count)  # no click at the start, dies away at the end
            frames += int(12000 * fade * math.sin(2 * math.pi * frequency * n / rate)).to_bytes(2, "little",
                                                                                                 signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(bytes(frames))
    return out.getvalue()


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
    if times_up_now(view):
        st.html(_FLASH)  # the whole screen flashes once as the time runs out; the clock is red from then on
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
        st.error(TIMES_UP)
        if times_up_now(view) and st.session_state.get(CHIME_KEY):
            st.audio(chime(), format="audio/wav", autoplay=True)


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
