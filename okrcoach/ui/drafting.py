"""The breakout drafting form: team purpose, objectives with Why now?, key results, and the stale-edit choice."""

import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date

import streamlit as st
from streamlit.errors import StreamlitAPIException

from okrcoach import discussions, drafts, humanize, revisions, rulebook, teams
from okrcoach.coaching import TeamQuestions
from okrcoach.dependencies import Request
from okrcoach.drafts import Draft, KeyResult, KeyResultFields, Objective, ObjectiveFields
from okrcoach.engagements import Engagement
from okrcoach.errors import InputError, StaleEdit
from okrcoach.guidance import Guidance
from okrcoach.store import Store
from okrcoach.ui import plain, state

FIELD_LABELS = {"purpose": "Why does our team exist?", "text": "Text", "why_now": "Why now?",
                "status": "Status", "kr_type": "Type", "baseline": "From", "target": "To", "unit": "Unit",
                "due": "Due", "champion": "Champion", "contributors": "Contributors"}
CANCEL = "cancel"


def flash_saved() -> None:
    """Show the confirmation left by the last committed save, in a slot that is always there."""
    message = state.take_flash()
    with st.container():
        if message:  # it may name a team or an engagement: shown as typed, never as markdown
            st.toast(plain.label(message))
            plain.alert(message, "success")


def _done(message: str) -> None:
    state.flash(f"{message} at {time.strftime('%H:%M:%S')}.")
    st.rerun()


class DraftingForm:
    """Everything one team page needs to draw and save its draft."""

    def __init__(self, store: Store, engagement: Engagement, draft: Draft, guide: Guidance, author: str,
                 answers: dict[tuple[int, int], Request] | None = None, editable: bool = True,
                 questions: TeamQuestions | None = None):
        self.store, self.engagement, self.draft, self.guide, self.author = store, engagement, draft, guide, author
        self.answers = answers or {}
        self.editable = editable
        self.questions = questions
        self.team = draft.team
        self.params = engagement.params
        self.top_options = self._top_options()
        self.team_names = self._team_names()

    def _top_options(self) -> dict[int, str]:
        return {o.id: _short(o.fields.text) for o in drafts.top_objectives(self.store, self.engagement.id)}

    def _team_names(self) -> dict[int, str]:
        return {t.id: t.name for t in teams.list_teams(self.store, self.engagement.id)}

    def guidance(self) -> None:
        """The same drafting guidance the handout prints, one click away (drawn only while open)."""
        with st.expander("How to write good OKRs", key="guidance-open", on_change="rerun") as shown:
            if not shown.open:
                return
            st.markdown(f"**Why now?** {self.guide.why_now_help}")
            for kind in drafts.KR_TYPES:
                guide = self.guide.kr_types[kind]
                if kind != "milestone" or self.params.milestones_allowed:
                    st.markdown(f"**{guide.label} key result.** {guide.summary} *Example: {guide.example}*")
            st.markdown(f"**Task or key result?** {self.guide.task_to_key_result}")
            st.markdown(f"**Health metric or key result?** {self.guide.health_metric}")

    def draw(self) -> None:
        """The whole form: purpose, each objective with its key results, and adding more."""
        self.guidance()
        # Each part that can grow or change sits in its own container, so a save on another laptop
        # never shifts an open form to a new place on the page (which would reset what is typed in it).
        _fragment(self.purpose)
        with st.container():
            for number, objective in enumerate(self.draft.objectives, 1):
                with st.container(border=True):
                    _fragment(self.objective, number, objective)
        self.add_objective()

    # --- team purpose ---------------------------------------------------------------------------
    def purpose(self) -> None:
        """'Why does our team exist?' with its own edit and stale-edit handling."""
        team = self.team

        def view() -> None:
            plain.lines([("label", self.guide.purpose_question), _shown(team.purpose, "Not answered yet.")])

        def form(key: str, values: dict) -> dict | str | None:
            with st.form(key):
                purpose = st.text_area(self.guide.purpose_question, value=values["purpose"], height=80)
                st.caption(self.guide.purpose_help)
                return _buttons("Save purpose", {"purpose": purpose})

        def save(values: dict, base: int) -> None:
            teams.save_purpose(self.store, team, values["purpose"], base, self.author)

        _editable(f"purpose-{team.id}", team.purpose_version, {"purpose": team.purpose}, view, form, save,
                  "team purpose", edit_label="Edit purpose", can_edit=self.editable,
                  history=lambda: revisions.history(self.store, "purpose", team.id),
                  questions=lambda: self.coach_questions("team", team.id))

    # --- objectives -----------------------------------------------------------------------------
    def objective(self, number: int, objective: Objective) -> None:
        """One objective: read view or edit form, then its key results."""
        values = asdict(objective.fields)

        def view() -> None:
            parts = [("title", f"Objective {number}"), ("body", objective.fields.text), ("label", "Why now?"),
                     _shown(objective.fields.why_now, "Not written yet: why is this so important right now?")]
            if self.team.kind == "team":
                names = [self.top_options.get(i, "a top-level objective that was removed — choose again")
                         for i in objective.fields.contributes_to]
                parts.append(("caption", "Contributes to: " + ("; ".join(names) if names else "nothing chosen yet")))
            parts.append(("caption", f"{objective.fields.status.capitalize()} · last saved by {objective.updated_by} "
                                     f"{humanize.ago(objective.updated_at, time.time())}"))
            plain.lines(parts)

        def form(key: str, current: dict) -> dict | str | None:
            return self._objective_form(key, current, "Save objective")

        def save(fields: dict, base: int) -> None:
            drafts.save_objective(self.store, self.team, objective.id, ObjectiveFields(**fields), base, self.author)

        _editable(f"objective-{objective.id}", objective.version, values, view, form, save,
                  f"objective {number}", edit_label="Edit objective", can_edit=self.editable,
                  remove=lambda: drafts.remove_objective(self.store, self.team, objective.id, self.author),
                  history=lambda: revisions.history(self.store, "objective", objective.id),
                  questions=lambda: self.coach_questions("objective", objective.id))
        with st.container():
            for kr_number, kr in enumerate(objective.key_results, 1):
                with st.container(border=True):
                    self.key_result(number, kr_number, kr)
        self.add_key_result(number, objective)

    def _objective_form(self, key: str, values: dict, submit: str, *, adding: bool = False) -> dict | str | None:
        with st.form(key):
            text = st.text_area("Objective", value=values["text"], height=80)
            st.caption(self.guide.objective_help)
            why_now = st.text_area("Why now?", value=values["why_now"], height=140)
            st.caption(self.guide.why_now_help)
            contributes_to: list[int] = []
            if self.team.kind == "team":
                # Read now, not with the page: a form opens in a fragment redraw, after the page was drawn.
                top_options = self._top_options()
                kept = [i for i in values["contributes_to"] if i in top_options]
                if len(kept) < len(values["contributes_to"]):
                    st.warning("A top-level objective this one contributed to was removed. Choose again.")
                contributes_to = st.multiselect(
                    "Contributes to", list(top_options), default=kept, format_func=top_options.get,
                    placeholder="Choose the top-level objectives this helps achieve")
            status = st.radio("Status", drafts.STATUSES, index=drafts.STATUSES.index(values["status"]),
                              horizontal=True, format_func=str.capitalize)
            return _buttons(submit, {"text": text, "why_now": why_now, "status": status,
                                     "contributes_to": tuple(contributes_to)}, can_cancel=not adding)

    def add_objective(self) -> None:
        """A form for a new objective, or the limit and the coach's question."""
        count, limit = len(self.draft.objectives), self.params.max_objectives
        if not self.editable:
            return
        if count >= limit:
            st.info(f"This engagement sets at most {limit} objectives per team, and you have {count}. "
                    f"{rulebook.question('too_many_objectives', self.params)}")
            return
        nonce = state.setdefault(f"new-objective-{self.team.id}", 0)
        with st.expander("Add an objective", expanded=count == 0, key=f"add-objective-open-{self.team.id}-{nonce}",
                         on_change="rerun") as adding:
            if not adding.open:
                return
            fields = self._objective_form(f"add-objective-{self.team.id}-{nonce}",
                                          asdict(ObjectiveFields(text="")), "Add objective", adding=True)
            if isinstance(fields, dict):
                try:
                    drafts.add_objective(self.store, self.team, ObjectiveFields(**fields), self.params, self.author)
                except InputError as error:
                    st.error(str(error))
                    return
                state.put(f"new-objective-{self.team.id}", nonce + 1)
                _done("Saved the new objective")

    # --- key results ----------------------------------------------------------------------------
    def key_result(self, objective_number: int, kr_number: int, kr: KeyResult) -> None:
        """One key result: read view or edit form."""
        label = f"key result {objective_number}.{kr_number}"

        def view() -> None:
            plain.lines([("label", f"Key result {objective_number}.{kr_number}"), ("body", kr.fields.text),
                         ("caption", self._kr_summary(kr))])

        def form(key: str, values: dict) -> dict | str | None:
            return self._kr_form(key, values, "Save key result")

        def save(fields: dict, base: int) -> None:
            drafts.save_key_result(self.store, self.team, kr.id, KeyResultFields(**fields), base, self.params,
                                   self.engagement.cycle_end, self.author)

        _editable(f"kr-{kr.id}", kr.version, asdict(kr.fields), view, form, save, label,
                  edit_label="Edit key result", can_edit=self.editable,
                  remove=lambda: drafts.remove_key_result(self.store, self.team, kr.id, self.author),
                  history=lambda: revisions.history(self.store, "key_result", kr.id),
                  questions=lambda: self.coach_questions("key_result", kr.id))

    def coach_questions(self, kind: str, item_id: int) -> None:
        """The coach's questions on one item, each of which the team can mark discussed."""
        found = self.questions.about(kind, item_id) if self.questions else ()
        for number, (question, discussed) in enumerate(found):
            row = st.container(horizontal=True, vertical_alignment="center")
            with row:
                plain.question(question.question, discussed)
            # A button, not a checkbox: it acts only when pressed, so a laptop redrawn by another
            # laptop's save can never send back a stale ticked or unticked value.
            row.button("Reopen" if discussed else "Mark discussed", help=question.reason,
                       key=f"discussed-{kind}-{item_id}-{number}-{question.rule}", on_click=_mark_discussed,
                       args=(self.store, self.team, kind, item_id, question.rule, self.author, not discussed))

    def _kr_summary(self, kr: KeyResult) -> str:
        fields = kr.fields
        parts = [fields.kr_type.capitalize()]
        if fields.kr_type == "metric":
            parts.append(f"from {humanize.figure(fields.baseline, '?')} to {humanize.figure(fields.target, '?')} "
                         f"{fields.unit}".rstrip())
        if fields.due:
            parts.append(f"due {fields.due:%d %b %Y}")
        parts.append(f"champion {fields.champion}" if fields.champion else "no champion yet")
        for team_id in fields.depends_on:
            request = self.answers.get((kr.id, team_id))
            name = self.team_names.get(team_id, "a removed team")
            answer = f"{request.status}" + (f": {request.comment}" if request and request.comment else "") \
                if request else "requested"
            parts.append(f"depends on {name} ({answer})")
        if fields.shared_with:
            parts.append("shared with " + ", ".join(self.team_names.get(t, "a removed team")
                                                     for t in fields.shared_with))
        return " · ".join(parts)

    def _kr_form(self, key: str, values: dict, submit: str, *, adding: bool = False) -> dict | str | None:
        kr_types = [t for t in drafts.KR_TYPES
                    if t != "milestone" or self.params.milestones_allowed or values["kr_type"] == t]
        others = {t: n for t, n in self._team_names().items() if t != self.team.id}  # read now, as above
        with st.form(key):
            text = st.text_area("Key result", value=values["text"], height=80)
            kr_type = st.selectbox("Type", kr_types, index=kr_types.index(values["kr_type"]),
                                   format_func=lambda t: f"{self.guide.kr_types[t].label}: "
                                                         f"{self.guide.kr_types[t].summary}")
            left, middle, right = st.columns(3)
            baseline = left.number_input("From", value=values["baseline"], step=1.0,
                                         help="Where the measure is today (metric key results).")
            target = middle.number_input("To", value=values["target"], step=1.0,
                                         help="Where it should be by the due date (metric key results).")
            unit = right.text_input("Unit", value=values["unit"], max_chars=40, placeholder="%, customers, days")
            left, right = st.columns(2)
            due = left.date_input("Due", value=values["due"] or self.engagement.cycle_end, format="DD/MM/YYYY")
            champion = right.text_input("Champion", value=values["champion"], max_chars=120,
                                        help=self.guide.champion_help)
            contributors = st.text_input("Contributors", value=values["contributors"], max_chars=500)
            depends_on = st.multiselect("Depends on", list(others),
                                        default=[t for t in values["depends_on"] if t in others],
                                        format_func=others.get, help=self.guide.depends_on_help,
                                        placeholder="Teams whose help this needs")
            shared_with = st.multiselect("Shared with", list(others),
                                         default=[t for t in values["shared_with"] if t in others],
                                         format_func=others.get,
                                         help="Teams that own this key result together with you.",
                                         placeholder="Teams that share this key result")
            if any(t not in others for t in (*values["depends_on"], *values["shared_with"])):
                st.warning("A team this key result named was removed from the workshop; saving drops it.")
            return _buttons(submit, {"text": text, "kr_type": kr_type, "baseline": baseline, "target": target,
                                     "unit": unit, "due": due, "champion": champion,
                                     "contributors": contributors, "depends_on": tuple(depends_on),
                                     "shared_with": tuple(shared_with)},
                            can_cancel=not adding)

    def add_key_result(self, number: int, objective: Objective) -> None:
        """A form for a new key result under an objective, or the limit and the coach's question."""
        count, limit = len(objective.key_results), self.params.max_key_results
        if not self.editable:
            return
        if count >= limit:
            st.caption(f"{count} key results: the most this engagement allows. "
                       f"{rulebook.question('too_many_key_results', self.params)}")
            return
        nonce = state.setdefault(f"new-kr-{objective.id}", 0)
        # Lazy: a closed expander costs nothing, and every laptop of a team redraws the page on each save.
        with st.expander(f"Add a key result to objective {number}", expanded=count < self.params.min_key_results,
                         key=f"add-kr-open-{objective.id}-{nonce}", on_change="rerun") as adding:
            if not adding.open:
                return
            st.caption(self.guide.key_result_help)
            fields = self._kr_form(f"add-kr-{objective.id}-{nonce}", asdict(KeyResultFields(text="")),
                                   "Add key result", adding=True)
            if isinstance(fields, dict):
                try:
                    drafts.add_key_result(self.store, self.team, objective.id, KeyResultFields(**fields),
                                          self.params, self.engagement.cycle_end, self.author)
                except InputError as error:
                    st.error(str(error))
                    return
                state.put(f"new-kr-{objective.id}", nonce + 1)
                _done(f"Saved the new key result on objective {number}")


def _buttons(submit: str, values: dict, *, can_cancel: bool = True) -> dict | str | None:
    """The form's Save (and Cancel) buttons: the values on save, CANCEL, or None."""
    row = st.container(horizontal=True)
    saved = row.form_submit_button(submit, type="primary")
    if can_cancel and row.form_submit_button("Cancel"):
        return CANCEL
    return values if saved else None


@st.fragment
def _fragment(draw: Callable[..., None], *args) -> None:
    """Draw the team purpose, or one objective with its key results, as a fragment of the page.

    Edit, Cancel and the stale-edit choice on any card in it redraw only this part; a save, a removal or
    'Mark discussed' redraws the page, because other parts of it (counts, questions, the board) change
    with them. One fragment per objective, not per card: each costs a copy of Streamlit's layout stack
    on every page redraw, and every laptop of a team redraws the page on each of its saves.
    """
    draw(*args)


def _editable(key: str, version: int, values: dict, view: Callable[[], None],
              form: Callable[[str, dict], dict | str | None], save: Callable[[dict, int], None],
              what: str, *, edit_label: str, remove: Callable[[], None] | None = None,
              history: Callable[[], list[dict]], questions: Callable[[], None], can_edit: bool = True) -> None:
    """A record shown live, edited in a form that later saves never disturb, with the stale-edit choice.

    Removing is offered while editing. The coach's questions come last, so however many there are,
    nothing above them moves.
    """
    conflict: StaleEdit | None = state.get(f"conflict-{key}")
    editing: dict | None = state.get(f"editing-{key}")
    if conflict:
        _choose(key, conflict, save, what)
    elif editing:
        result = form(f"{key}-form-{editing['nonce']}", editing["values"])
        if editing["base"] < version:
            st.warning("Another laptop saved a newer version while you were editing. "
                       "If you save, you will be asked which version to keep.")
        if result == CANCEL:
            state.pop(f"editing-{key}")
            _redraw_card()
        if isinstance(result, dict):
            _try_save(key, result, editing["base"], save, what)
        if remove:
            # Lazy: a closed popover draws nothing inside it.
            with st.popover(f"Remove {what}", key=f"remove-open-{key}", on_change="rerun") as removing:
                if removing.open:
                    _confirm_removal(what, key, remove)
    else:
        view()
        row = st.container(horizontal=True)
        if can_edit and row.button(edit_label, key=f"edit-{key}"):
            _open_editor(key, version, values)
        # Lazy: the log of a busy record grows all workshop long, so it is read only while the popover is open.
        with row.popover("History", key=f"history-{key}", on_change="rerun") as versions:
            if versions.open:
                _history(history())
    questions()


def _mark_discussed(*args) -> None:
    """Mark (or reopen) a question, then redraw the page: its open counts show outside this card too."""
    discussions.mark(*args)
    st.rerun()


def _confirm_removal(what: str, key: str, remove: Callable[[], None]) -> None:
    st.write(f"Remove {what}? It stays in the revision log.")
    if st.button(f"Yes, remove {what}", key=f"remove-{key}"):
        try:
            remove()
        except InputError as error:
            st.error(str(error))
            return
        _done(f"Removed {what}")


def _redraw_card() -> None:
    """Redraw only the fragment holding this card; when a whole-page run reached it, redraw the page."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def _history(versions: list[dict]) -> None:
    """Every version ever saved or offered, newest first, so overwritten text can be copied back."""
    outcomes = {"saved": "saved", "conflict": "not applied (stale edit)", "removed": "removed"}
    for entry in reversed(versions):
        plain.text(f"Version {entry['version']} · {outcomes[entry['outcome']]} · {entry['author']} · "
                   f"{time.strftime('%d %b %H:%M:%S', time.localtime(entry['saved_at']))}", caption=True)
        _describe(entry["body"])
        st.divider()


def _open_editor(key: str, base: int, values: dict) -> None:
    nonce = state.get(f"nonce-{key}", 0) + 1
    state.put(f"nonce-{key}", nonce)
    state.put(f"editing-{key}", {"base": base, "values": values, "nonce": nonce})
    _redraw_card()


def _try_save(key: str, values: dict, base: int, save: Callable[[dict, int], None], what: str) -> None:
    try:
        save(values, base)
    except InputError as error:
        st.error(str(error))
        return
    except StaleEdit as stale:
        state.put(f"conflict-{key}", stale)
        state.pop(f"editing-{key}", None)
        _redraw_card()
    state.pop(f"editing-{key}", None)
    state.pop(f"conflict-{key}", None)
    _done(f"Saved {what}")


def _choose(key: str, conflict: StaleEdit, save: Callable[[dict, int], None], what: str) -> None:
    """Both texts side by side; the team chooses. Neither is lost: both are in the revision log."""
    plain.alert(f"{conflict} Your save was not applied. Both versions are kept in the revision log; "
                f"choose which one stays.", "warning")
    mine, theirs = st.columns(2)
    with mine:
        st.markdown("**Your version**")
        _describe(conflict.mine)
    with theirs:
        st.markdown("**Saved version**")
        if conflict.their_author:
            plain.text(f"saved by {conflict.their_author}", caption=True)
        _describe(conflict.theirs)
    row = st.container(horizontal=True)
    if row.button("Keep my version", key=f"keep-mine-{key}", type="primary"):
        state.pop(f"conflict-{key}", None)
        _try_save(key, conflict.mine, conflict.their_version, save, what)
    if row.button("Keep the saved version", key=f"keep-theirs-{key}"):
        state.pop(f"conflict-{key}", None)
        st.rerun()
    if row.button("Edit my version", key=f"edit-mine-{key}"):
        state.pop(f"conflict-{key}", None)
        _open_editor(key, conflict.their_version, conflict.mine)


def _describe(values: dict) -> None:
    for field, label in FIELD_LABELS.items():
        value = values.get(field)
        if value not in (None, "", ()):
            shown = f"{value:%d %b %Y}" if isinstance(value, date) else str(value)
            if field != "text":
                plain.text(label, caption=True)
            plain.text(shown)


def _shown(value: str, empty: str) -> tuple[str, str]:
    """A person's text for plain.lines, or a muted placeholder when there is none."""
    return ("body", value) if value.strip() else ("caption", empty)


def _short(value: str, limit: int = 90) -> str:
    one_line = " ".join(value.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"

