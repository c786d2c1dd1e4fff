"""Breakout team page: the workshop clock and the team's drafting form, live as other laptops save."""

import time

import streamlit as st

from okrcoach import drafts, guidance, ticks
from okrcoach.ui import clock, drafting, live, plain, session

store = session.store()
engagement = session.engagement()
session.require_code(engagement)
team = session.require_team(engagement)
live.tick(f"team-{team.id}", lambda: ticks.for_team(store, engagement.id, team.id, time.time()), clock.strip)
draft = drafts.load(store, team.id)

with st.sidebar:
    st.text_input("Your name (optional)", key="author_name", max_chars=60,
                  help="Recorded with your saves in the revision log.")
plain.heading(team.name)
plain.text(f"{engagement.name} · cycle ends {engagement.cycle_end:%d %B %Y}", caption=True)
drafting.flash_saved()
drafting.DraftingForm(store, engagement, draft, guidance.load(engagement), session.author(team)).draw()
