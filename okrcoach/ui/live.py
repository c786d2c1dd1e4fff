"""Each live page's one ticking fragment: the clock every second, a full redraw when something changed."""

import time
from collections.abc import Callable

import streamlit as st

from okrcoach.ticks import Tick

TICK_SECONDS = 1


def remember(name: str, read: Callable[[], Tick]) -> None:
    """Note the stamp this run draws from; call it before reading anything else the page shows."""
    st.session_state[f"stamp-{name}"] = read()[0]


def tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], where=None,
         min_redraw_seconds: float = 0, remembered: bool = False) -> None:
    """Draw the clock from read() every second (in `where`); rerun the page when read()'s stamp moves.

    Call it before reading anything else the page shows (or call remember() first and pass
    remembered=True), so no change can slip in between. A page people study (the alignment view)
    sets min_redraw_seconds so it does not jump while read.
    """
    if not remembered:
        remember(name, read)
    st.session_state[f"drawn-{name}"] = time.monotonic()
    with where if where is not None else st.container():
        _tick(name, read, draw, min_redraw_seconds)


@st.fragment(run_every=TICK_SECONDS)
def _tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], min_redraw_seconds: float) -> None:
    # Reads only the clock and a stamp: never the drafts, so a tick stays cheap and never touches forms.
    stamp, view = read()
    if (stamp != st.session_state.get(f"stamp-{name}")
            and time.monotonic() - st.session_state.get(f"drawn-{name}", 0) >= min_redraw_seconds):
        st.rerun(scope="app")
    draw(view)
