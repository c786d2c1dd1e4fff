"""Breakout team page: the workshop clock, requests from other teams, and the team's drafting form."""

import time

import streamlit as st

from okrcoach import dependencies, drafts, guidance, ticks
from okrcoach.ui import clock, drafting, live, plain, requests, session

store = session.store()
engagement = session.engagement()
session.require_code(engagement)
team = session.require_team(engagement)
live.tick(f"team-{team.id}", lambda: ticks.for_team(store, engagement.id, team.id, time.time()), clock.strip)
draft = drafts.load(store, team.id)
answers = {(r.key_result_id, r.to_team_id): r for r in dependencies.asked_by(store, team.id)}

with st.sidebar:
    st.text_input("Your name (optional)", key="author_name", max_chars=60,
                  help="Recorded with your saves in the revision log.")
plain.heading(team.name)
plain.text(f"{engagement.name} · cycle ends {engagement.cycle_end:%d %B %Y}", caption=True)
drafting.flash_saved()
requests.answer_requests(store, team, dependencies.asked_of(store, team.id), session.author(team))
drafting.DraftingForm(store, engagement, draft, guidance.load(engagement), session.author(team), answers).draw()
