"""Dependency requests a team has been asked: accept or decline with a short comment, version-checked."""

import streamlit as st

from okrcoach.drafting import dependencies
from okrcoach.drafting.dependencies import Request
from okrcoach.errors import InputError, StaleEdit, StorageUnavailable
from okrcoach.storage.store import Store
from okrcoach.ui import editors, plain, state
from okrcoach.workshop.teams import Team

STATUS_WORDS = {"requested": "waiting for your answer", "accepted": "accepted", "declined": "declined"}


def answer_requests(store: Store, team: Team, asked: list[Request], author: str, laptop: str = "") -> None:
    """Every request made to this team, newest answer state first, each with its own answer."""
    waiting = sum(r.status == "requested" for r in asked)
    # The expander's label and default never change: a change to either would make it a new widget, closed,
    # hiding a comment being typed whenever a teammate answers or a request arrives.
    with st.expander("Requests from other teams", expanded=True, key="requests-open"):
        if asked:
            plain.text(f"{len(asked)} request{'s' if len(asked) != 1 else ''}, {waiting} waiting for your answer.",
                       caption=True)
        if not asked:
            st.caption("No team depends on you yet.")
        for request in asked:
            with st.container(border=True, key=f"request-{request.id}"):
                _answer(store, team, request, author, laptop)


def _answer(store: Store, team: Team, request: Request, author: str, laptop: str) -> None:
    plain.text(f"{request.from_team} asks for help with: {request.key_result}")
    plain.text(f"Objective: {request.objective} · {STATUS_WORDS[request.status]}"
               + (f" · {request.comment}" if request.comment else "")
               + (f" · answered by {request.answered_by}" if request.answered_by else ""), caption=True)
    name = f"answer-{request.id}"
    # Until this laptop types a comment, its answer follows the saved one; once it has, the typing stays.
    found = editors.ensure(name, request.version, {"comment": request.comment}, follow=True)
    if found["base"] < request.version:
        st.warning("Another laptop answered this request while you were typing; your answer would replace theirs.")
    comment = st.text_input("Comment", key=editors.key(name, "comment"), max_chars=500,
                            placeholder="What you can commit to, or why not",
                            on_change=editors.committed, args=(store, laptop, name, ("comment",)))
    row = st.container(horizontal=True)
    accept = row.button("Accept", key=f"ed.{name}.accept", type="primary")
    decline = row.button("Decline", key=f"ed.{name}.decline")
    if not (accept or decline):
        return
    status = "accepted" if accept else "declined"
    try:
        dependencies.answer(store, team, request.id, status, comment, author, base_version=found["base"])
    except (InputError, StorageUnavailable) as error:
        st.error(str(error))
        return
    except StaleEdit as stale:
        plain.alert(f"{stale} It now says: {stale.theirs['status']}"
                    + (f" ({stale.theirs['comment']})" if stale.theirs["comment"] else "")
                    + ". Your answer was not applied; your comment is still here. Answer again to replace theirs.",
                    "warning")
        editors.rebase(store, laptop, name, stale.their_version)
        return
    try:
        editors.close(store, laptop, name)
    except StorageUnavailable:
        pass  # answered already; the kept comment goes when this request is answered again
    state.flash(f"Answered {request.from_team}: {status}.")
    st.rerun()
