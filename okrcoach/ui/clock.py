"""The workshop clock drawn three ways: huge on the projector, full on the console, a strip on team pages.

The server draws the clock's face, colour and words; the browser counts the seconds down from the stored end time
(the script below), so no screen needs the server every second. The server redraws the clock at changes_at().
"""

import html
import io
import math
import time
import wave
from functools import cache

import streamlit as st

from okrcoach.ui import state
from okrcoach.workshop import timer
from okrcoach.workshop.runs import TimerView

COLOURS = {"normal": "#1b5e20", "warning": "#e65100", "overrun": "#b71c1c"}
PAUSED = "#455a64"
TIMES_UP_SECONDS = 5  # a screen whose tick comes late still notices the moment (once)
CHIME_KEY = "console-chime"  # the console's "Chime when time is up" toggle
TIMES_UP = "Time's up — +1 min, +5 min or Next?"
_FLASH = ('<style>@keyframes okc-flash {from {opacity: .8} to {opacity: 0}}</style>'
          '<div data-testid="okc-flash" style="position:fixed;inset:0;background:#b71c1c;opacity:0;'
          'animation:okc-flash 1.2s ease-out 1;pointer-events:none;z-index:1000"></div>')


# Counts every running clock face on the page down to the second, as timer.format_clock does on the server. The
# server's time at drawing corrects a laptop whose clock is wrong: the largest (server - laptop) seen is the
# closest, since a page only arrives after it was drawn; under 1.5 s apart the clocks are taken to agree (laptops
# on a network keep time to the millisecond, and the page's trip would only make this one late). Installed once
# per browser tab; every clock drawn runs it again, harmlessly.
_COUNT = """<script data-okc-count>(() => {
  const w = window, c = w.okcClock || (w.okcClock = {offset: null});
  for (const el of document.querySelectorAll("[data-okc-now]")) {
    const offset = Number(el.dataset.okcNow) - Date.now();
    if (c.offset === null || offset > c.offset) c.offset = offset;
    el.removeAttribute("data-okc-now");
  }
  const two = n => String(n).padStart(2, "0");
  const hms = t => { const h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60), s = t % 60;
                     return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`; };
  const face = left => { left = Math.round(left * 1000) / 1000;
                         if (left >= 0) return hms(Math.ceil(left));
                         const over = Math.floor(-left); return over ? "+" + hms(over) : hms(0); };
  c.face = face;
  if (c.timer) clearTimeout(c.timer);
  const count = () => {
    const now = Date.now() + (Math.abs(c.offset) < 1500 ? 0 : c.offset);
    let next = 1000;
    for (const el of document.querySelectorAll("[data-okc-ends]")) {
      const left = (Number(el.dataset.okcEnds) - now) / 1000, shown = face(left);
      if (el.textContent !== shown) el.textContent = shown;
      next = Math.min(next, ((left * 1000) % 1000 + 1000) % 1000 || 1000);
    }
    c.timer = setTimeout(count, next + 15);
  };
  count();
})();</script>"""


def _face(view: TimerView) -> str:
    """The clock's digits; a running clock carries its end time so the browser counts on (see _COUNT)."""
    if view.status != "running":
        return html.escape(view.clock)
    return (f'<span data-okc-ends="{round(view.item_ends_at * 1000)}" data-okc-now="{round(time.time() * 1000)}">'
            f'{html.escape(view.clock)}</span>')


def changes_at(view: TimerView | None, now: float) -> float | None:
    """When this clock's colour or words next change with time alone (amber at 5 minutes, red at zero), or None."""
    if view is None or view.status != "running":
        return None
    return next((moment for moment in (view.item_ends_at - timer.WARNING_SECONDS, view.item_ends_at)
                 if moment > now), None)


def console_changes_at(view: TimerView | None, now: float) -> float | None:
    """changes_at() for the console, whose projected finish and plan move on each minute the run is not on time."""
    moments = [changes_at(view, now)]
    if view is not None and view.status != "finished" and (view.status != "running" or view.remaining < 0):
        # The finish grows a second a second, and so does the plan's delta once the run has started: the
        # finish's minute turns at :00, the delta's whole minutes round anew at :30.
        moments.append(now + 60 - view.projected_finish % 60)
        if view.status != "ready":
            moments.append(now + ((30 - view.schedule_delta) % 60 or 60))
    return min((moment for moment in moments if moment is not None), default=None)


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
        f'font-variant-numeric:tabular-nums;color:{_colour(view)}">{_face(view)}</div>'
        + (f'<div style="font-size:5vh;color:{PAUSED}">{status}</div>' if status else "")
        + (f'<div style="font-size:{2.8 if compact else 4.5}vh;opacity:.75;margin-top:1vh">'
           f'Next up: {html.escape(view.next_title)}</div>' if view.next_title else "") + _COUNT,
        unsafe_allow_javascript=True)


def console(view: TimerView | None) -> None:
    """The facilitator's clock with the projected finish and how far ahead or behind plan."""
    if view is None:
        st.info("No agenda run yet. Choose an agenda on the set-up page.")
        return
    delta = round(view.schedule_delta / 60)
    plan = "on plan" if delta == 0 else f"{abs(delta)} min {'behind' if delta > 0 else 'ahead of'} plan"
    st.html(
        f'<div data-testid="okc-clock" style="font-size:5rem;line-height:1;font-weight:800;'
        f'font-variant-numeric:tabular-nums;color:{_colour(view)}">{_face(view)}</div>'
        f'<div style="font-size:1.1rem">Item {view.index + 1} of {view.item_count}: '
        f'{html.escape(view.title)} · {_status_words(view) or "Running"}</div>'
        f'<div style="font-size:1.1rem">Projected finish {hhmm(view.projected_finish)} · {plan}</div>' + _COUNT,
        unsafe_allow_javascript=True)
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
        f'<span data-testid="okc-clock">{_face(view)}</span> {words}'
        f'{" · " + _status_words(view) if _status_words(view) else ""}</span></div>' + _COUNT,
        unsafe_allow_javascript=True)
