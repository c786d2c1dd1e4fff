"""What the projector and team laptops show for each view of the workshop flow (chosen by okrcoach.workshop.screens)."""

import html
import time
from dataclasses import replace

import streamlit as st

from okrcoach.drafting import comments, dependencies, drafts, executive, exercise
from okrcoach.errors import InputError
from okrcoach.review import alignment, coaching
from okrcoach.storage.store import Store
from okrcoach.text import distinct
from okrcoach.ui import alignment_room, ballot, board, clock, plain, state
from okrcoach.workshop import progress, teams
from okrcoach.workshop.agendas import AgendaItem
from okrcoach.workshop.engagements import Engagement
from okrcoach.workshop.runs import Run
from okrcoach.workshop.teams import Team


# Projector type is sized in vh: 2.8vh is 30 px on a 1080-line projector, readable from 5 m (at least 28 px).
READABLE = 2.8


def _big(value: str, size: float, extra: str = "") -> str:
    return (f'<div style="font-size:{max(size, READABLE)}vh;line-height:1.25;margin:.5vh 0;'
            f'white-space:pre-wrap;overflow-wrap:anywhere;{extra}">{html.escape(value)}</div>')


SHOWS_PROMPTS = ("prompts", "board")  # the projector views that put the item's prompts on the screen


def sentence(title: str) -> str:
    """An item's title as the end of a sentence: 'Draft Why now?' keeps its question mark, others get a full stop."""
    return title if title.rstrip().endswith(("?", "!", ".", "…")) else f"{title}."


def prompts_aside(item: AgendaItem) -> None:
    """The item's prompt questions beside the board, in room type."""
    if item.prompts:
        st.html('<div data-testid="okc-prompts">' + "".join(_big(f"• {prompt}", 3.2) for prompt in item.prompts)
                + "</div>")


# --- projector ------------------------------------------------------------------------------------
def projector_prompts(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The item's prompt questions, in room-sized type."""
    st.html("".join(_big(f"• {prompt}", 4.2) for prompt in item.prompts))


def projector_exercise(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The exercise's instructions and the room's sorted lists, one column per category."""
    if item.instructions:
        st.html(_big(item.instructions, 3, "white-space:pre-wrap;opacity:.85"))
    room = exercise.sorted_for(store, engagement.id, run_id=run.id)
    columns = st.columns(len(exercise.CATEGORIES))
    for column, (category, label) in zip(columns, exercise.CATEGORIES.items(), strict=True):
        entries = [m for m in room if m.category == category]
        column.html(_big(f"{label} ({len(entries)})", 3.4, "font-weight:700")
                    + "".join(_big(f"{m.text} — {m.team}", READABLE) for m in entries[-12:]))


def projector_board(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """Every team's progress."""
    board.large(progress.board(store, engagement.id), coaching.open_counts(store, engagement.id, engagement.params))


def projector_presenter(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The presenting team's objective on this page, large enough for the back of the room."""
    if run.presenting_team_id is None:
        st.html(_big("The facilitator will choose the team presenting.", 4, "opacity:.6"))
        return
    draft = drafts.load(store, run.presenting_team_id)
    if not draft.objectives:
        st.html(_big(f"{draft.team.name} has no objectives yet.", 4))
        return
    page = min(run.presenting_page, len(draft.objectives) - 1)
    objective = draft.objectives[page]
    names = {t.id: t.name for t in teams.list_teams(store, engagement.id)}
    answers = {(r.key_result_id, r.to_team_id): r.status for r in dependencies.asked_by(store, draft.team.id)}

    def details(kr) -> str:
        champion = f"Champion: {kr.fields.champion}" if kr.fields.champion else "No champion yet"
        depends = ", ".join(f"{names.get(t, 'a removed team')} ({answers.get((kr.id, t), 'requested')})"
                            for t in kr.fields.depends_on)
        return champion + (f" · depends on {depends}" if depends else "")

    st.html(_big(f"{draft.team.name} · objective {page + 1} of {len(draft.objectives)}", 3, "opacity:.7")
            + _big(objective.fields.text, 5, "font-weight:700")
            + _big(f"Why now? {objective.fields.why_now}", READABLE, "opacity:.85")
            + "".join(_big(f"• {kr.fields.text}", 3, "margin-top:1.2vh") + _big(details(kr), READABLE,
                                                                                 "opacity:.75;margin-left:1.6vw")
                      for kr in objective.key_results))


def _turnout(store: Store, engagement: Engagement) -> str:
    turnout = executive.turnout(store, engagement.id)
    return _big(f"{turnout.voted} of {turnout.expected} have voted", 6, "font-weight:800")


def projector_tally(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """How many have voted; the tally only once the facilitator reveals it, as bars readable from the back."""
    listed = executive.candidates(store, engagement.id)
    if not listed:
        st.html(_big("No candidate objectives yet.", 4, "opacity:.6"))
        return
    shown = executive.revealed(store, engagement.id)
    if not shown:
        st.html(f'<div data-testid="okc-tally" data-revealed="false">{_turnout(store, engagement)}'
                + _big("The tally stays hidden until the facilitator reveals it.", 3.2, "opacity:.7")
                + "".join(_big(f"{c.number}. {c.text}", 3.2) for c in listed) + "</div>")
        return
    ranked = executive.ranking(store, engagement.id)
    most = max(c.dots for c in ranked) or 1
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:1.2vw;margin:1vh 0">'
        f'<div style="flex:0 0 45%">{_big(f"{c.number}. {c.text}", 3.2, "font-weight:700" if c.promoted_objective_id else "")}</div>'
        f'<div style="flex:1;display:flex;align-items:center;gap:1vw">'
        f'<div style="height:4.5vh;width:{max(c.dots / most * 80, 0.5):.1f}%;background:#1565c0;border-radius:.6vh"></div>'
        f'<div style="font-size:5vh;font-weight:800;white-space:nowrap">{c.dots}</div></div></div>'
        for c in ranked)
    st.html(f'<div data-testid="okc-tally" data-revealed="true">{_turnout(store, engagement)}{rows}</div>')


def projector_candidates(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The candidate objectives, numbered as on the ballots, each with its one-line why (dots once revealed)."""
    listed = executive.candidates(store, engagement.id)
    if not listed:
        st.html(_big("No candidate objectives yet.", 4, "opacity:.6"))
        return
    shown = executive.revealed(store, engagement.id)
    st.html('<div data-testid="okc-candidates">' + "".join(
        _big(f"{c.number}. {c.text}" + (f" · {c.dots} dots" if shown else ""), 3.6,
             "font-weight:700;margin-top:1.4vh") + (_big(c.why, READABLE, "opacity:.75") if c.why else "")
        for c in listed) + "</div>")


def projector_leadership(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The leadership team's draft, large: the chosen objectives, their Why now? and key results."""
    top = next((t for t in teams.list_teams(store, engagement.id) if t.kind == "top"), None)
    if top is None:
        st.html(_big("There is no leadership team yet.", 4, "opacity:.6"))
        return
    draft = drafts.load(store, top.id)
    if not draft.objectives:
        st.html(_big(f"{top.name} has no objectives yet.", 4, "opacity:.6"))
        return
    parts = [_big(top.name, 3, "opacity:.7")]
    for number, objective in enumerate(draft.objectives, 1):
        parts.append(_big(f"{number}. {objective.fields.text}", 4, "font-weight:700;margin-top:2vh"))
        parts.append(_big(f"Why now? {objective.fields.why_now or '(not written yet)'}", READABLE, "opacity:.85"))
        parts += [_big(f"• {kr.fields.text}" + (f" — {kr.fields.champion}" if kr.fields.champion else ""), 3)
                  for kr in objective.key_results]
    st.html('<div data-testid="okc-leadership">' + "".join(parts) + "</div>")


def projector_alignment(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """The vertical alignment view in room type: every team objective under the top-level objective it serves."""
    alignment_room.vertical(alignment.vertical(alignment.load(store, engagement)))


def projector_break(store: Store, engagement: Engagement, run: Run, item: AgendaItem) -> None:
    """Nothing but the clock ('back at') during a break."""


PROJECTOR = {"prompts": projector_prompts, "exercise": projector_exercise, "board": projector_board,
             "presenter": projector_presenter, "tally": projector_tally, "alignment": projector_alignment,
             "break": projector_break, "candidates": projector_candidates, "leadership": projector_leadership}


# --- team laptops -----------------------------------------------------------------------------------
def team_draft(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem, author: str) -> None:
    """During a talk the draft is read-only (anything already being edited keeps its form)."""
    plain.alert(f"Now: {sentence(item.title)} Your draft is below, read-only until the next breakout.", "info")


def team_drafting(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem,
                  author: str) -> None:
    """Breakout: the item's prompts, then the drafting form below, open for editing."""
    plain.text(f"Breakout: {sentence(item.title)} Draft together below; every laptop of your team sees each save.",
               caption=True)
    if item.prompts:
        plain.lines([("label", "Questions for your team"), *(("question", f"• {p}") for p in item.prompts)])


def team_exercise(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem,
                  author: str) -> None:
    """The metrics-sorting exercise: list, sort, and carry a candidate into the draft."""
    plain.subheading(item.title)
    if item.instructions:
        plain.text(item.instructions, caption=True)
    with st.form(state.form_key(f"sort-{team.id}")):  # cleared once saved, never on a refused save
        entry = st.text_input("Metric or task you already track", max_chars=300)
        category = st.radio("Sort it as", list(exercise.CATEGORIES), format_func=exercise.CATEGORIES.get,
                            horizontal=True)
        if st.form_submit_button("Add"):
            try:
                exercise.add(store, team, entry, category, run.id)
            except InputError as error:
                st.error(str(error))
            else:
                state.clear_form(f"sort-{team.id}")
                st.rerun()
    objectives = drafts.load(store, team.id).objectives
    for item_sorted in exercise.sorted_for(store, engagement.id, team.id, run.id):
        with st.container(border=True):
            _sorted_metric(store, engagement, team, item_sorted, objectives, author)


def _sorted_metric(store: Store, engagement: Engagement, team: Team, item_sorted, objectives, author: str) -> None:
    plain.text(f"{exercise.CATEGORIES[item_sorted.category]}: {item_sorted.text}")
    sort_column, delete_column = st.columns([4, 1], vertical_alignment="bottom")
    moved = sort_column.selectbox("Sorted as", list(exercise.CATEGORIES), format_func=exercise.CATEGORIES.get,
                                  index=list(exercise.CATEGORIES).index(item_sorted.category),
                                  key=f"resort-{item_sorted.id}-{item_sorted.category}")
    try:
        if moved != item_sorted.category:
            exercise.resort(store, team, item_sorted.id, moved)
            st.rerun()
        if delete_column.button("Delete", key=f"delete-sorted-{item_sorted.id}"):
            exercise.delete(store, team, item_sorted.id)
            st.rerun()
    except InputError as error:
        st.error(str(error))
    if item_sorted.carried_key_result_id:
        st.caption("Carried into your draft as a key result.")
    elif item_sorted.category == "candidate" and objectives:
        labels = distinct({o.id: o.fields.text[:80] for o in objectives})
        chosen = st.selectbox("Objective", list(labels), key=f"carry-to-{item_sorted.id}",
                              format_func=lambda i: plain.label(labels[i]))
        if st.button("Carry into the draft as a key result", key=f"carry-{item_sorted.id}"):
            try:
                exercise.carry_into_draft(store, team, item_sorted.id, chosen, engagement.params,
                                          engagement.cycle_end, author)
            except InputError as error:
                st.error(str(error))
            else:
                state.flash("Carried into your draft as a key result.")
                st.rerun()


def team_presenter(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem,
                   author: str) -> None:
    """The presenting team's draft, with a comment or a dependency request from this team."""
    if run.presenting_team_id is None:
        st.info("Share-out: the facilitator will choose the team presenting.")
        return
    draft = drafts.load(store, run.presenting_team_id)
    st.subheader("Presenting now")
    plain.text(draft.team.name)
    if draft.team.id == team.id:
        st.info("Your team is presenting: the room sees your draft on the projector.")
    own_krs = {kr.id: kr for o in drafts.load(store, team.id).objectives for kr in o.key_results}
    for objective in draft.objectives:
        with st.container(border=True):
            plain.text(objective.fields.text)
            plain.text(objective.fields.why_now, caption=True)
            for kr in objective.key_results:
                plain.text(f"• {kr.fields.text}")
            if draft.team.id != team.id:
                _respond(store, engagement, team, draft.team, objective, own_krs, author)


def _respond(store, engagement, team, presenting: Team, objective, own_krs, author) -> None:
    with st.form(state.form_key(f"respond-{objective.id}")):  # cleared once sent, never on a refused send
        comment = st.text_input("Comment", max_chars=1000, placeholder="A question or an offer for this team")
        labels = distinct({None: "—"} | {kr_id: kr.fields.text[:90] for kr_id, kr in own_krs.items()})
        depends = st.selectbox("Our key result that depends on this team", list(labels), format_func=labels.get)
        if st.form_submit_button("Send"):
            try:
                if comment.strip():
                    comments.add(store, team, objective.id, None, comment, author)
                if depends is not None:
                    kr = own_krs[depends]
                    wanted = tuple(dict.fromkeys((*kr.fields.depends_on, presenting.id)))
                    drafts.save_key_result(store, team, kr.id, replace(kr.fields, depends_on=wanted), kr.version,
                                           engagement.params, engagement.cycle_end, author)
                if not comment.strip() and depends is None:
                    raise InputError("Write a comment or choose a key result that depends on this team.")
            except InputError as error:
                st.error(str(error))
            else:
                state.clear_form(f"respond-{objective.id}")
                state.flash(f"Sent to {presenting.name}.")
                st.rerun()


def team_ballot(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem, author: str) -> None:
    """The dot-vote ballot."""
    plain.subheading(item.title)
    ballot.ballot(store, engagement.id)


def team_candidates(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem,
                    author: str) -> None:
    """The candidate objectives as the projector numbers them."""
    plain.subheading(item.title)
    ballot.candidate_list(store, engagement.id)


def team_requests(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem,
                  author: str) -> None:
    """Review: answer the requests from other teams (above), then check the alignment view."""
    plain.alert(f"Now: {sentence(item.title)} Answer the requests from other teams above; the projector shows "
                f"the alignment view.", "info")


def team_break(store: Store, engagement: Engagement, team: Team, run: Run, item: AgendaItem, author: str) -> None:
    """A break notice."""
    st.info(f"Break. Back at {clock.hhmm(run.state.ends_at or time.time())}.")


DRAFT_ONLY_BELOW = ("draft", "drafting", "requests", "break")  # team views that show nothing of the draft themselves
TEAM = {"draft": team_draft, "drafting": team_drafting, "exercise": team_exercise, "presenter": team_presenter,
        "ballot": team_ballot, "requests": team_requests, "break": team_break, "candidates": team_candidates}


def comments_for(store: Store, team: Team) -> None:
    """Comments other teams left on this team's draft."""
    received = comments.on_team(store, team.id)
    if received:
        with st.expander(f"Comments from other teams ({len(received)})"):
            for comment in received:
                plain.text(f"{comment.from_team}: {comment.text}")
                if comment.author:
                    plain.text(f"Written by {comment.author}", caption=True)


