"""Dependency requests a team has been asked: accept or decline with a short comment."""

import streamlit as st

from okrcoach import dependencies
from okrcoach.dependencies import Request
from okrcoach.errors import InputError
from okrcoach.store import Store
from okrcoach.teams import Team
from okrcoach.ui import plain, state

STATUS_WORDS = {"requested": "waiting for your answer", "accepted": "accepted", "declined": "declined"}


def answer_requests(store: Store, team: Team, asked: list[Request], author: str) -> None:
    """Every request made to this team, newest answer state first, each with its own answer form."""
    waiting = sum(r.status == "requested" for r in asked)
    label = f"Requests from other teams ({waiting} waiting)" if waiting else f"Requests from other teams ({len(asked)})"
    with st.expander(label, expanded=bool(waiting)):
        if not asked:
            st.caption("No team depends on you yet.")
        for request in asked:
            with st.container(border=True):
                plain.text(f"{request.from_team} asks for help with: {request.key_result}")
                plain.text(f"Objective: {request.objective} · {STATUS_WORDS[request.status]}"
                           + (f" · {request.comment}" if request.comment else ""), caption=True)
                with st.form(f"answer-{request.id}"):
                    comment = st.text_input("Comment", value=request.comment, max_chars=500,
                                            placeholder="What you can commit to, or why not")
                    row = st.container(horizontal=True)
                    accept = row.form_submit_button("Accept", type="primary")
                    decline = row.form_submit_button("Decline")
                    if accept or decline:
                        try:
                            dependencies.answer(store, team, request.id, "accepted" if accept else "declined",
                                                comment, author)
                        except InputError as error:
                            st.error(str(error))
                        else:
                            state.flash(f"Answered {request.from_team}: "
                                                         f"{'accepted' if accept else 'declined'}.")
                            st.rerun()
