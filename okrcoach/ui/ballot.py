"""The dot-vote ballot (one per executive laptop) and the candidates as everyone sees them."""

import streamlit as st

from okrcoach.drafting import executive
from okrcoach.drafting.executive import Candidate
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.text import distinct
from okrcoach.ui import plain, session, state


def candidate_lines(candidate: Candidate, dots: bool = False) -> list[tuple[str, str]]:
    """A candidate as its number, its own text and its one-line why (with its dots once the tally is shown)."""
    count = f" · {candidate.dots} dot{'s' if candidate.dots != 1 else ''}" if dots else ""
    return [("title", f"{candidate.number}. {candidate.text}{count}"),
            *([("caption", candidate.why)] if candidate.why else [])]


def candidate_list(store: Store, engagement_id: int) -> None:
    """The candidates in the order proposed, read-only; their dots once the facilitator reveals the tally."""
    shown = executive.revealed(store, engagement_id)
    listed = executive.candidates(store, engagement_id)
    if not listed:
        st.info("No candidate objectives yet.")
    for candidate in listed:
        with st.container(border=True):
            plain.lines(candidate_lines(candidate, dots=shown))


def ballot(store: Store, engagement_id: int) -> None:
    """This laptop's ballot: dots per candidate, in the order proposed; casting again replaces them."""
    listed = executive.candidates(store, engagement_id)
    if not listed:
        st.info("No candidate objectives yet.")
        return
    laptop = session.laptop_id()
    executive.open_ballot(store, engagement_id, laptop)
    dots = executive.dots_per_voter(store, engagement_id)
    name = session.participant_name()
    if "voter" not in st.session_state:
        st.session_state["voter"] = name
    st.text_input("Your name (optional)", key="voter", max_chars=60, on_change=session.keep_name, args=("voter",),
                  help="Lets the facilitator see who has voted; your dots belong to this laptop either way.")
    placed = executive.ballot(store, engagement_id, laptop)
    st.caption(f"You have {dots} dots: put them on the candidates that matter most, more than one on a "
               f"candidate if you like. Casting again replaces your dots. "
               + (f"You have placed {sum(placed.values())}." if placed else "You have not voted yet."))
    with st.form(f"ballot-{laptop}"):
        allocation = {}
        for candidate in listed:
            with st.container(border=True, key=f"ballot-candidate-{candidate.number}"):
                plain.lines(candidate_lines(candidate))
                allocation[candidate.id] = st.number_input(
                    f"Dots for {candidate.number}", min_value=0, max_value=dots, step=1,
                    value=placed.get(candidate.id, 0), key=f"dots-{laptop}-{candidate.id}")
        if st.form_submit_button("Cast my dots", type="primary"):
            try:
                executive.cast(store, engagement_id, laptop, allocation)
            except InputError as error:
                st.error(str(error))
            else:
                state.flash(f"Your {sum(allocation.values())} dots are in.")
                st.rerun()


def _act(action, done: str) -> None:
    try:
        action()
    except InputError as error:
        st.error(str(error))
    else:
        state.flash(done)
        st.rerun()


def tally(store: Store, engagement_id: int) -> None:
    """The tally as bars, most dots first, once revealed; until then only how many have voted."""
    turnout = executive.turnout(store, engagement_id)
    plain.lines([("subheading", f"{turnout.voted} of {turnout.expected} have voted")])
    if not executive.revealed(store, engagement_id):
        st.caption("The tally stays hidden until the facilitator reveals it, so nobody anchors on early votes.")
        return
    ranked = executive.ranking(store, engagement_id)
    most = max((c.dots for c in ranked), default=0) or 1
    for candidate in ranked:
        plain.lines(candidate_lines(candidate, dots=True))
        st.progress(candidate.dots / most)


def voters(store: Store, engagement_id: int) -> None:
    """The facilitator's view of who has voted, with a way to clear one laptop's dots."""
    for voter in executive.voters(store, engagement_id):
        left, right = st.columns([4, 1], vertical_alignment="center")
        with left:
            plain.text(f"{voter.label}: " + (f"voted ({voter.dots} dots)" if voter.dots else "not voted yet"))
        if voter.dots and right.button("Clear", key=f"clear-{voter.laptop_id}",
                                       help="Take back this laptop's dots; it can vote again."):
            _act(lambda laptop=voter.laptop_id: executive.clear(store, engagement_id, laptop),
                 f"{voter.label}'s dots cleared.")


def candidate_controls(store: Store, engagement_id: int, candidate: Candidate, others: list[Candidate],
                       tops: dict[int, str], room: bool, author: str) -> None:
    """The facilitator's edit, merge, remove and promote for one candidate."""
    number = candidate.number
    if candidate.promoted_objective_id:
        st.caption("Now a top-level objective.")
    elif room:
        if st.button("Promote", key=f"promote-{candidate.id}", type="primary"):
            _act(lambda: executive.promote(store, engagement_id, candidate.id, author),
                 "Promoted to a top-level objective.")
    elif tops:
        with st.form(f"promote-in-place-{candidate.id}"):
            labels = distinct(tops)
            replaced = st.selectbox("In place of", list(labels), format_func=lambda i: plain.label(labels[i]),
                                    key=f"in-place-of-{candidate.id}",
                                    help="The leadership team has as many objectives as the engagement allows; "
                                         "the one replaced can be restored on its page.")
            if st.form_submit_button("Promote in place of…"):
                _act(lambda: executive.promote(store, engagement_id, candidate.id, author, in_place_of=replaced),
                     "Promoted to a top-level objective.")
    with st.expander(f"Edit, merge or remove {number}"):
        with st.form(f"edit-candidate-{candidate.id}"):
            wording = st.text_area("Candidate objective", candidate.text, height=70, max_chars=500)
            why = st.text_input("Why (one line)", candidate.why, max_chars=300)
            proposer = st.text_input("Proposed by", candidate.proposed_by, max_chars=100)
            if st.form_submit_button("Save candidate"):
                _act(lambda: executive.edit(store, engagement_id, candidate.id, wording, why, proposer),
                     f"Candidate {number} saved.")
        if others and not candidate.promoted_objective_id:
            with st.form(f"merge-candidate-{candidate.id}"):
                names = {c.id: f"{c.number}. {c.text}" for c in others}
                into = st.selectbox("Merge into", list(names), format_func=lambda i: plain.label(names[i]),
                                    key=f"merge-into-{candidate.id}")
                wording = st.text_area("Wording of the merged candidate (empty: keep it)", height=70, max_chars=500,
                                       key=f"merge-wording-{candidate.id}")
                if st.form_submit_button("Merge (dots carried)"):
                    _act(lambda: executive.merge(store, engagement_id, candidate.id, into, wording or None),
                         f"Candidate {number} merged; its dots went with it.")
        if not candidate.promoted_objective_id and st.button(f"Remove {number}", key=f"remove-{candidate.id}"):
            _act(lambda: executive.remove(store, engagement_id, candidate.id), f"Candidate {number} removed.")
