"""Each live page's one ticking fragment: the clock every second, a full redraw when something changed."""

import random
import time
from collections.abc import Callable

import streamlit as st

from okrcoach.ticks import Tick
from okrcoach.ui import state

TICK_SECONDS = 1
# A team laptop redraws for a teammate's save this long after noticing it, at random: the laptops of a
# team do not all redraw in the same instant. Short, since teammates must see a save within 1.5 s (p95):
# noticing takes up to a tick (1 s), the redraw itself a few hundred ms.
FOLLOW_SECONDS = (0.0, 0.25)


def remember(name: str, read: Callable[[], Tick]) -> None:
    """Note the stamp this run draws from; call it before reading anything else the page shows."""
    state.put(f"stamp-{name}", read()[0])
    state.pop(f"due-{name}", None)


def tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], where=None,
         min_redraw_seconds: float = 0, remembered: bool = False,
         follow_seconds: tuple[float, float] = (0, 0)) -> None:
    """Draw the clock from read() every second (in `where`); rerun the page when read()'s stamp moves.

    Call it before reading anything else the page shows (or call remember() first and pass
    remembered=True), so no change can slip in between. A page people study (the alignment view)
    sets min_redraw_seconds so it does not jump while read; a page that follows others' changes
    sets follow_seconds, the range its redraw waits after noticing one (the clock never waits).
    """
    if not remembered:
        remember(name, read)
    state.put(f"drawn-{name}", time.monotonic())
    with where if where is not None else st.container():
        _tick(name, read, draw, min_redraw_seconds, follow_seconds)


@st.fragment(run_every=TICK_SECONDS)
def _tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], min_redraw_seconds: float,
          follow_seconds: tuple[float, float]) -> None:
    # Reads only the clock and a stamp: never the drafts, so a tick stays cheap and never touches forms.
    stamp, view = read()
    if stamp != state.get(f"stamp-{name}"):
        now = time.monotonic()
        due = state.setdefault(f"due-{name}", now + random.uniform(*follow_seconds))
        if now >= max(due, state.get(f"drawn-{name}", 0) + min_redraw_seconds):
            st.rerun(scope="app")
    draw(view)
