"""The dot-vote ballot: an executive places their dots under their own name."""

import streamlit as st

from okrcoach import text
from okrcoach.drafting import executive
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.ui import session, state


def ballot(store: Store, engagement_id: int) -> None:
    """Name, then dots per candidate; voting again replaces your dots."""
    candidates = executive.ranking(store, engagement_id)
    if not candidates:
        st.info("No candidate objectives yet.")
        return
    dots = executive.dots_per_voter(store, engagement_id)
    if "voter" not in st.session_state:  # the name this laptop gave already, on the team page or earlier
        st.session_state["voter"] = session.participant_name()
    typed = st.text_input("Your name", key="voter", max_chars=60, on_change=session.keep_name, args=("voter",),
                          help=f"Each executive has {dots} dots; voting again replaces your dots.")
    voter = text.one_line(typed, "Your name")  # the name executive.cast records the dots under
    if not voter:
        return
    placed = executive.ballot(store, engagement_id, voter)
    with st.form(f"ballot-{voter}"):
        allocation = {c.id: st.number_input(f"#{rank}", min_value=0, max_value=dots, step=1,
                                            value=placed.get(c.id, 0), key=f"dots-{voter}-{c.id}",
                                            help="Dots for this candidate")
                      for rank, c in enumerate(candidates, 1)}
        if st.form_submit_button("Cast my dots", type="primary"):
            try:
                executive.cast(store, engagement_id, voter, allocation)
            except InputError as error:
                st.error(str(error))
            else:
                state.flash(f"Your {sum(allocation.values())} dots are in.")
                st.rerun()
