"""Each live page's one live fragment, its tick: a run the server's watcher starts when what the page shows changes."""

import math
import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from okrcoach.errors import StorageUnavailable
from okrcoach.storage.store import Store
from okrcoach.ui import clock, failure, state, watcher
from okrcoach.workshop import laptops, ticks
from okrcoach.workshop.ticks import Tick

HELD = "redraw-held-until"
BEHIND = "page-behind"  # a card drew a change that other parts of the page show too


def remember(name: str, read: Callable[[], Tick]) -> None:
    """Note the stamp this run draws from; call it before reading anything else the page shows."""
    with ticks.read_fresh():
        state.put(f"stamp-{name}", read()[0])
    state.pop(BEHIND, None)


def tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], where=None,
         min_redraw_seconds: float = 0, remembered: bool = False,
         changed_card: Callable[[tuple | None, tuple], str | None] | None = None,
         draw_on: Callable[[], object] | None = None, every: float | None = None,
         changes_at: Callable[..., float | None] = clock.changes_at, beat: Callable[[], None] | None = None) -> None:
    """Draw the clock from read() (in `where`); rerun the page when read()'s stamp moves.

    Call it before reading anything else the page shows (or call remember() first and pass
    remembered=True), so no change can slip in between. The browser counts the seconds; the server's
    watcher reruns this fragment when the stamp moves, at changes_at(view, now) (the clock's next colour
    or words), when draw_on()'s stamp moves (what draw() shows besides the clock) and every `every` seconds.
    A page people study (the alignment view) sets min_redraw_seconds so it does not jump while read. A page
    of cards (the team page) names the one card a change touched with changed_card(before, now): only that
    card is redrawn, if the page drew it (card_drawn). `beat` says a team laptop is connected while it is.
    """
    if not remembered:
        remember(name, read)
    if beat:
        _beat(beat)  # at once on opening the page; the watcher keeps beating while it stays open
    state.put(f"drawn-{name}", time.monotonic())
    with where if where is not None else st.container():
        _tick(name, read, draw, min_redraw_seconds, changed_card, draw_on, every, changes_at, beat)


@st.fragment
@failure.guarded
def _tick(name: str, read: Callable[[], Tick], draw: Callable[..., None], min_redraw_seconds: float,
          changed_card: Callable[[tuple | None, tuple], str | None] | None, draw_on: Callable[[], object] | None,
          every: float | None, changes_at: Callable[..., float | None], beat: Callable[[], None] | None) -> None:
    # Reads only the clock and a stamp: never the drafts, so a tick stays cheap and never touches forms.
    stamp, view = read()
    drawing_on = draw_on() if draw_on else None
    before, behind = state.get(f"stamp-{name}"), state.get(BEHIND, False)
    wait = max(state.get(f"drawn-{name}", 0) + min_redraw_seconds, state.get(HELD, 0)) - time.monotonic()
    redraw = (stamp != before or behind) and wait <= 0
    if redraw and (behind or not changed_card):
        st.rerun(scope="app")
    draw(view)
    now = time.time()
    wake_at = min(changes_at(view, now) or math.inf, now + every if every else math.inf)
    if redraw:
        card = changed_card(before, stamp)
        if card:
            state.put(f"stamp-{name}", stamp)  # before asking: Streamlit may stop this run as soon as it is asked
            _watch(name, read, draw_on, (stamp, drawing_on), wake_at, 0.0, beat)
            _rerun_card(card)
        st.rerun(scope="app")
    _watch(name, read, draw_on, (before, drawing_on), wake_at, now + max(wait, 0.0), beat)


def _watch(name: str, read: Callable[[], Tick], draw_on: Callable[[], object] | None, drawn: tuple,
           wake_at: float, not_before: float, beat: Callable[[], None] | None) -> None:
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    watcher.watch(ctx, ThreadState.get().fragment_id, name, lambda: (read()[0], draw_on() if draw_on else None),
                  drawn, wake_at, not_before, beat)


def card_drawn(card: str) -> None:
    """Inside a card's fragment: a tick may redraw this card alone when a change touches only it."""
    state.put(f"card-{card}", ThreadState.get().fragment_id)


def _rerun_card(card: str) -> None:
    """Ask Streamlit to rerun the fragment that drew `card` instead of this tick, if the page has it now.

    Streamlit lets a widget callback rerun a named fragment, not another fragment's run, so this makes the
    request st.rerun(scope="fragment") makes, for another fragment (streamlit is pinned in requirements),
    and stops here as st.rerun does.
    """
    ctx, fragment = get_script_run_ctx(), state.get(f"card-{card}")
    if ctx is None or ctx.script_requests is None or not fragment or not ctx.fragment_storage.contains(fragment):
        return
    ctx.script_requests.request_rerun(RerunData(
        query_string=ctx.query_string, page_script_hash=ctx.page_script_hash, fragment_id_queue=[fragment],
        is_fragment_scoped_rerun=True, cached_message_hashes=ctx.cached_message_hashes,
        context_info=ctx.context_info))
    st.empty()  # Streamlit stops a run that was asked to rerun at its next element


def hold(seconds: float = 2.0) -> None:
    """Keep the ticks from redrawing the page for a moment: a card's own redraw, already asked for, comes first.

    A tick that redraws the whole page replaces a card's pending redraw, so the person who pressed Save
    would wait for the whole page instead of their card; release() once the card is drawn.
    """
    state.put(HELD, time.monotonic() + seconds)
    _update(not_before=time.time() + seconds)


def release() -> None:
    """The card is drawn: the next tick may redraw the page."""
    if state.pop(HELD, None) is not None:
        _update(not_before=0.0)


def page_behind() -> None:
    """A card drew a change the rest of the page shows too (a coach's question elsewhere): the next tick redraws it."""
    state.put(BEHIND, True)
    _update(not_before=0.0, wake_at=0.0)


def card_run() -> bool:
    """Whether this run redraws fragments alone (a card), not the whole page."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def beat(store: Store, laptop_id: str, team_id: int, engagement_id: int) -> Callable[[], None]:
    """For a team page's tick: say this laptop is connected (the progress board counts it) while its page is open."""
    return lambda: laptops.seen(store, laptop_id, team_id, engagement_id)


def _beat(beat: Callable[[], None]) -> None:
    if time.monotonic() < state.get("heartbeat", -laptops.HEARTBEAT_SECONDS) + laptops.HEARTBEAT_SECONDS:
        return
    state.put("heartbeat", time.monotonic())
    try:
        beat()
    except StorageUnavailable:
        pass  # the board misses one heartbeat; the page must still draw


def _update(**fields) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        watcher.update(ctx.session_id, **fields)
