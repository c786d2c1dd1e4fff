"""Projector: read-only, for the room: the clock, the current item and its prompts, next up, the join link."""

import html
import time

import streamlit as st

from okrcoach import joining, progress, runs, ticks
from okrcoach.ui import board, clock, live, session

st.set_page_config(page_title="okrcoach · projector", layout="wide", initial_sidebar_state="collapsed")
store = session.store()
engagement = session.engagement()
session.require_code(engagement)
main, side = st.columns([4, 1], gap="large")
title_slot, clock_slot, body_slot = main.container(), main.container(), main.container()
live.tick("room", lambda: ticks.for_room(store, engagement.id, time.time()), clock.projector, where=clock_slot)
run = runs.current(store, engagement.id)

with side:
    link = joining.join_url(session.join_base(engagement), engagement.workshop_code)
    st.image(joining.qr_png(link), width="stretch")
    st.html(f'<div style="font-size:2.4vh;overflow-wrap:anywhere">Join: {html.escape(link)}</div>'
            f'<div style="font-size:4vh;font-weight:700">Code {html.escape(engagement.workshop_code)}</div>')
if run:
    item = run.items[run.state.current]
    title_slot.html(f'<div style="font-size:7vh;font-weight:700;line-height:1.15">{html.escape(item.title)}</div>')
    with body_slot:
        if item.kind == "breakout":
            board.large(progress.board(store, engagement.id))
        elif item.prompts:
            st.html("".join(f'<div style="font-size:4.2vh;margin:.6vh 0">• {html.escape(p)}</div>'
                            for p in item.prompts))
        if item.kind == "exercise" and item.instructions:
            st.html(f'<div style="font-size:3.4vh;white-space:pre-wrap;opacity:.85">'
                    f"{html.escape(item.instructions)}</div>")
