"""Projector: read-only, for the room: the clock, the current item, the view its kind calls for, the join link."""

import html
import time
from functools import partial

import streamlit as st

from okrcoach.ui import clock, live, pages, session, views
from okrcoach.workshop import joining, runs, screens, ticks

pages.through_router()  # before anything else: this run must come through app.py

ROOMY_VIEWS = ("prompts", "break")  # views that leave room for the full-size clock
BOARD_SECONDS = 10  # the board's "last edit" ages and laptops connected move on without a save

st.set_page_config(page_title="okrcoach · projector", layout="wide", initial_sidebar_state="collapsed")
store = session.store()
engagement = session.engagement()
session.require_code(engagement)
main, side = st.columns([4, 1], gap="large")
title_slot, roomy_clock_slot, body_slot = main.container(), main.container(), main.container()
side_clock_slot, side_prompts_slot = side.container(), side.container()
room = lambda: ticks.for_room(store, engagement.id, time.time())  # noqa: E731 - read on every tick
by_run = lambda: ticks.for_run(store, engagement.id, time.time())  # noqa: E731 - read on every tick
live.remember("room", room)
live.remember("run", by_run)
run = runs.current(store, engagement.id)
item = run.items[run.state.current] if run else None
view = screens.load().for_item(item.kind, run.pin, item.view).projector if run else "prompts"
roomy = view in ROOMY_VIEWS  # otherwise the clock moves beside the content, which needs the height
draw_clock = partial(clock.projector, compact=not roomy)
if view == "board":
    # The board is drawn with the clock: a team's save (the room's stamp) redraws the two without redrawing
    # the page, and so does time, for the board's ages. The page redraws when the run moves on.
    def draw_clock_and_board(timer, draw=draw_clock) -> None:
        draw(timer)
        with body_slot:
            views.projector_board(store, engagement, run, item)

    with side_prompts_slot:
        views.prompts_aside(item)  # the breakout's questions beside the board

    live.tick("run", by_run, draw_clock_and_board, where=side_clock_slot, remembered=True,
              draw_on=lambda: room()[0], every=BOARD_SECONDS)
else:
    live.tick("room", room, draw_clock, where=roomy_clock_slot if roomy else side_clock_slot, remembered=True)

with side:
    link = joining.join_url(session.join_base(engagement), engagement.workshop_code)
    st.image(joining.qr_png(link), width="stretch")
    st.html(f'<div style="font-size:2.8vh;overflow-wrap:anywhere">Join: {html.escape(link)}</div>'
            f'<div style="font-size:4vh;font-weight:700">Code {html.escape(engagement.workshop_code)}</div>')
if run:
    title_slot.html(f'<div data-testid="okc-item" data-view="{view}" style="font-size:{7 if roomy else 4.5}vh;'
                    f'font-weight:700;line-height:1.15">{html.escape(item.title)}</div>')
    if view != "board":
        with body_slot:
            views.PROJECTOR[view](store, engagement, run, item)
