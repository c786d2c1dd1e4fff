"""Executive drafting session: candidates in a stable order, one ballot per laptop, a tally hidden until revealed."""

import time

import streamlit as st

from okrcoach.drafting import drafts, executive
from okrcoach.errors import InputError
from okrcoach.ui import ballot, clock, drafting, live, pages, plain, session, state
from okrcoach.workshop import teams, ticks

pages.through_router()  # before anything else: this run must come through app.py

store = session.store()
engagement = session.engagement()
session.require_code(engagement)
live.tick("room", lambda: ticks.for_room(store, engagement.id, time.time()), clock.strip)
facilitator = session.is_facilitator()
if facilitator:
    session.facilitator_nav()
listed = executive.candidates(store, engagement.id)
dots = executive.dots_per_voter(store, engagement.id)
top = next((t for t in teams.list_teams(store, engagement.id) if t.kind == "top"), None)
tops = {o.id: o.fields.text for o in drafts.load(store, top.id).objectives} if top else {}

st.title("Executive drafting session")
drafting.flash_saved()
st.caption(f"Each executive has {dots} dots. At most {engagement.params.max_objectives} candidates become "
           f"top-level objectives; the others stay on the list and go to the draft pack.")

if not facilitator:  # an executive's laptop: the ballot first, on the first screen
    st.subheader("Your ballot")
    ballot.ballot(store, engagement.id)
st.subheader("Tally")
ballot.tally(store, engagement.id)
if facilitator:
    shown = executive.revealed(store, engagement.id)
    if st.button("Hide the tally" if shown else "Reveal the tally", type="secondary" if shown else "primary"):
        executive.reveal(store, engagement.id, not shown)
        st.rerun()
    with st.expander("Who has voted"):
        ballot.voters(store, engagement.id)

if facilitator:
    st.subheader("Candidates")
    if not listed:
        st.info("No candidate objectives yet.")
    room = len(tops) < engagement.params.max_objectives
    for candidate in listed:
        with st.container(border=True):
            text_column, action_column = st.columns([3, 2])
            with text_column:
                plain.lines(ballot.candidate_lines(candidate)
                            + ([("caption", f"Proposed by {candidate.proposed_by}")] if candidate.proposed_by else []))
            with action_column:
                ballot.candidate_controls(store, engagement.id, candidate, [c for c in listed if c.id != candidate.id],
                                          tops, room, session.author())
    with st.form(state.form_key("propose")):  # cleared once saved, never on a refused save
        proposal = st.text_area("Candidate objective", height=70, max_chars=500)
        why = st.text_input("Why (one line)", max_chars=300)
        proposer = st.text_input("Proposed by", max_chars=100)
        if st.form_submit_button("Add candidate"):
            try:
                executive.propose(store, engagement.id, proposal, why, proposer)
            except InputError as error:
                st.error(str(error))
            else:
                state.clear_form("propose")
                st.rerun()
    with st.form("dots"):
        new_dots = st.number_input("Dots per executive", 1, 10, dots)
        if st.form_submit_button("Save dots per executive"):
            executive.set_dots_per_voter(store, engagement.id, int(new_dots))
            st.rerun()
    chosen = [c for c in listed if c.promoted_objective_id]
    if top and chosen:
        st.page_link("pages/team.py", label=f"Draft Why now? and key results for the {len(chosen)} chosen",
                     query_params=session.link_params(team=top.slug))
