"""Executive drafting session: candidate objectives, dot voting with a live tally, promoting the chosen few."""

import time

import streamlit as st

from okrcoach.drafting import executive
from okrcoach.errors import InputError
from okrcoach.ui import ballot, clock, drafting, live, plain, session, state
from okrcoach.workshop import teams, ticks

store = session.store()
engagement = session.engagement()
session.require_code(engagement)
live.tick("room", lambda: ticks.for_room(store, engagement.id, time.time()), clock.strip)
facilitator = session.is_facilitator()
if facilitator:
    session.facilitator_nav()
candidates = executive.ranking(store, engagement.id)
dots = executive.dots_per_voter(store, engagement.id)
chosen = [c for c in candidates if c.promoted_objective_id]

st.title("Executive drafting session")
drafting.flash_saved()
st.caption(f"Each executive has {dots} dots. At most {engagement.params.max_objectives} candidates become "
           f"top-level objectives; the others stay on the list and go to the draft pack.")

st.subheader("Tally")
if candidates:
    for rank, candidate in enumerate(candidates, 1):
        with st.container(border=True):
            left, right = st.columns([5, 1])
            with left:
                plain.text(f"#{rank} · {candidate.text}")
                plain.text(" · ".join(part for part in (
                    candidate.why, f"proposed by {candidate.proposed_by}" if candidate.proposed_by else "",
                    "now a top-level objective" if candidate.promoted_objective_id else "") if part), caption=True)
            right.metric("Dots", candidate.dots, help=f"from {candidate.voters} executive(s)")
            if facilitator and not candidate.promoted_objective_id:
                if right.button("Promote", key=f"promote-{candidate.id}",
                                disabled=len(chosen) >= engagement.params.max_objectives):
                    try:
                        executive.promote(store, engagement.id, candidate.id, session.author())
                    except InputError as error:
                        st.error(str(error))
                    else:
                        state.flash("Promoted to a top-level objective.")
                        st.rerun()
else:
    st.info("No candidate objectives yet.")

if candidates:
    st.subheader("Your dots")
    ballot.ballot(store, engagement.id)

if facilitator:
    st.subheader("Candidates")
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
    top = next((t for t in teams.list_teams(store, engagement.id) if t.kind == "top"), None)
    if top and chosen:
        st.page_link("pages/team.py", label=f"Draft Why now? and key results for the {len(chosen)} chosen",
                     query_params=session.link_params(team=top.slug))
