"""Breakout team page: the clock, what the current agenda item asks of the team, and the team's draft."""

import time

import streamlit as st

from okrcoach.drafting import dependencies, drafts, guidance
from okrcoach.ui import clock, drafting, live, pages, plain, requests, session, views
from okrcoach.workshop import runs, screens, ticks

pages.through_router()  # before anything else: this run must come through app.py

store = session.store()
engagement = session.engagement()
session.require_code(engagement)
team = session.require_team(engagement)
laptop = session.laptop_id()


def read_tick() -> ticks.Tick:
    return ticks.for_team(store, engagement.id, team.id, time.time())


ticking, tick_name = st.container(), f"team-{team.id}"
live.remember(tick_name, read_tick)
run = runs.current(store, engagement.id)
if run and run.state.status == "ready":
    run = None  # before the workshop starts, teams may draft; the agenda drives the screens once it runs
item = run.items[run.state.current] if run else None
view = screens.load().for_item(item.kind if item else None, view=item.view if item else "").team
# A teammate's edit of one card redraws that card alone, unless the item's view above the draft shows it too.
live.tick(tick_name, read_tick, clock.strip, where=ticking, remembered=True,
          changed_card=ticks.changed_card if view in views.DRAFT_ONLY_BELOW else None,
          beat=live.beat(store, laptop, team.id, engagement.id))  # the progress board counts this laptop
draft = drafts.load(store, team.id)
author = session.author(team)

with st.sidebar:
    st.text_input("Your name (optional)", key=session.NAME_KEY, max_chars=60, on_change=session.keep_name,
                  help="Recorded with your saves, comments and votes; kept for this laptop.")
    if session.name_problem():
        st.error(session.name_problem())
plain.heading(team.name)
plain.text(f"{engagement.name} · cycle ends {engagement.cycle_end:%d %B %Y}", caption=True)
drafting.flash_saved()
requests.answer_requests(store, team, dependencies.asked_of(store, team.id), author, laptop)
# The item's own view sits in one container above the draft, so switching items never moves the draft's
# forms: whatever a laptop is typing stays put when the facilitator moves on.
with st.container(key=f"agenda-view-{view}"):
    if run:
        views.TEAM[view](store, engagement, team, run, item, author)
views.comments_for(store, team)
drafting.DraftingForm(store, engagement, draft, guidance.load(engagement), author,
                      editable=view in ("drafting", "exercise"), laptop=laptop).draw()
