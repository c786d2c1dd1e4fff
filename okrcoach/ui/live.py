"""Each live page's one ticking fragment: the clock every second, a full redraw when something changed."""

import time
from collections.abc import Callable

import streamlit as st

from okrcoach.errors import StorageUnavailable
from okrcoach.storage.store import Store
from okrcoach.ui import failure, state
from okrcoach.workshop import laptops
from okrcoach.workshop.ticks import Tick

# A page redraws at the tick that notices a change, so teammates see a save within a tick and a redraw
# (1.5 s p95). Each browser ticks on its own clock, so the laptops of a team still redraw at different moments.
TICK_SECONDS = 1
HELD = "redraw-held-until"


def remember(name: str, read: Callable[[], Tick]) -> None:
    """Note the stamp this run draws from; call it before reading anything else the page shows."""
    state.put(f"stamp-{name}", read()[0])


def tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], where=None,
         min_redraw_seconds: float = 0, remembered: bool = False) -> None:
    """Draw the clock from read() every second (in `where`); rerun the page when read()'s stamp moves.

    Call it before reading anything else the page shows (or call remember() first and pass
    remembered=True), so no change can slip in between. A page people study (the alignment view)
    sets min_redraw_seconds so it does not jump while read (the clock never waits).
    """
    if not remembered:
        remember(name, read)
    state.put(f"drawn-{name}", time.monotonic())
    with where if where is not None else st.container():
        _tick(name, read, draw, min_redraw_seconds)


@st.fragment(run_every=TICK_SECONDS)
@failure.guarded
def _tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], min_redraw_seconds: float) -> None:
    # Reads only the clock and a stamp: never the drafts, so a tick stays cheap and never touches forms.
    stamp, view = read()
    if stamp != state.get(f"stamp-{name}") and \
            time.monotonic() >= max(state.get(f"drawn-{name}", 0) + min_redraw_seconds, state.get(HELD, 0)):
        st.rerun(scope="app")
    draw(view)


def hold(seconds: float = 2.0) -> None:
    """Keep the ticks from redrawing the page for a moment: a card's own redraw, already asked for, comes first.

    A tick that redraws the whole page replaces a card's pending redraw, so the person who pressed Save
    would wait for the whole page instead of their card; release() once the card is drawn.
    """
    state.put(HELD, time.monotonic() + seconds)


def release() -> bool:
    """The card is drawn: the next tick may redraw the page. Whether a hold was on."""
    return state.pop(HELD, None) is not None


def heartbeat(store: Store, laptop_id: str, team_id: int, engagement_id: int) -> None:
    """From a team page's tick: say this laptop is connected, every few seconds (one small write)."""
    if time.monotonic() < state.get("heartbeat", -laptops.HEARTBEAT_SECONDS) + laptops.HEARTBEAT_SECONDS:
        return
    state.put("heartbeat", time.monotonic())
    try:
        laptops.seen(store, laptop_id, team_id, engagement_id)
    except StorageUnavailable:
        pass  # the board misses one heartbeat; the clock must keep ticking
