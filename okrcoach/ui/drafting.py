"""The breakout drafting form: team purpose, objectives with Why now?, key results, and the stale-edit choice."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import NoReturn

import streamlit as st
from streamlit.errors import StreamlitAPIException

from okrcoach import humanize
from okrcoach.content import rules as rulebook
from okrcoach.drafting import dependencies, discussions, drafts
from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft, KeyResult, KeyResultFields, Objective, ObjectiveFields, Removed
from okrcoach.drafting.guidance import Guidance
from okrcoach.errors import InputError, StaleEdit, StorageUnavailable
from okrcoach.review import coaching
from okrcoach.review.coaching import TeamQuestions
from okrcoach.storage import revisions
from okrcoach.storage.store import Store
from okrcoach.text import distinct
from okrcoach.ui import editors, failure, live, plain, state
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import Engagement

FIELD_LABELS = {"purpose": "Why does our team exist?", "text": "Text", "why_now": "Why now?",
                "status": "Status", "kr_type": "Type", "baseline": "From", "target": "To", "unit": "Unit",
                "due": "Due", "champion": "Champion", "contributors": "Contributors"}
OBJECTIVE_FIELDS = ("text", "why_now", "status", "contributes_to")
KR_FIELDS = ("text", "kr_type", "baseline", "target", "unit", "due", "champion", "contributors", "depends_on",
             "shared_with")
EDITOR_PREFIX = {"key_result": "kr"}  # editor names stored with laptops' typing keep their short form
SAVE, DISCARD = "save", "discard"
PROBLEMS = (InputError, StorageUnavailable)  # refused: a message, the editor stays open with the typing
PURPOSE_CARD = "purpose"  # the card names storage.changes records (objective cards are "objective-<id>")
NOT_SAVED = "Not saved yet: this laptop's typing was kept on the server and is back in the form. Save or discard it."


@dataclass(frozen=True)
class Editable:
    """One saved record on the form: what it is, its version and values, and how to draw, save and remove it."""

    noun: str  # "purpose", "objective", "key result": the buttons say "Edit …" and "Save …"
    what: str  # how messages name this one, e.g. "objective 2"
    entity: str  # its kind in the revision log and in the coach's questions
    item_id: int
    version: int
    values: dict
    view: Callable[[], None]
    fields: Callable[[str], dict]
    save: Callable[[dict, int], None]
    remove: Callable[[int], None] | None = None

    @property
    def name(self) -> str:
        """The editor's name, unique on the page ("objective-12", "kr-40", "purpose-3"; kept on the server)."""
        return f"{EDITOR_PREFIX.get(self.entity, self.entity)}-{self.item_id}"


def flash_saved() -> None:
    """Show the confirmation left by the last add, removal or restore, in a slot that is always there.

    A saved edit is confirmed on its own card instead, which its redraw reaches first.
    """
    with st.container():
        _confirmation("flash")


def _done(message: str) -> None:
    state.flash(_stamped(message))
    st.rerun()


def _stamped(message: str) -> str:
    return f"{message} at {time.strftime('%H:%M:%S')}."


class DraftingForm:
    """Everything one team page needs to draw and save its draft."""

    def __init__(self, store: Store, engagement: Engagement, draft: Draft, guide: Guidance, author: str,
                 editable: bool = True, laptop: str = ""):
        self.store, self.engagement, self.draft, self.guide, self.author = store, engagement, draft, guide, author
        self.editable = editable
        self.laptop = laptop
        self.team = draft.team
        self.params = engagement.params
        self.answers, self.questions = self._answers(), self._questions()
        live.release()  # the draft was read just now: no card needs to catch up
        self.top_options = self._top_options()
        self.team_names = self._team_names()
        self.orphans: dict[int | None, list[Removed]] = {}

    def _answers(self) -> dict[tuple[int, int], Request]:
        """How the teams this team asked for help answered, by (key result, team asked)."""
        return {(r.key_result_id, r.to_team_id): r for r in dependencies.asked_by(self.store, self.team.id)}

    def _questions(self) -> TeamQuestions:
        return coaching.for_team(self.store, self.team.id, self.engagement.id, self.params)

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
        """The whole form: purpose, each objective with its key results, adding more, and what was removed."""
        editors.restore(self.store, self.laptop)
        self.orphans = self._find_orphans()
        self.guidance()
        # Each part that can grow or change sits in its own container, so a save on another laptop
        # never shifts an open form to a new place on the page. Cards are keyed by the item's id.
        _fragment(self.purpose)
        with st.container():
            for number, objective in enumerate(self.draft.objectives, 1):
                with st.container(border=True, key=f"objective-card-{objective.id}"):
                    _fragment(self.objective_card, number, objective.id)
        with st.container():
            for removed in self.orphans.get(None, ()):
                with st.container(border=True, key=f"orphan-card-{removed.entity}-{removed.id}"):
                    self.orphan(removed)
        _fragment(self.add_objective)
        self.removed_items()

    def _find_orphans(self) -> dict[int | None, list[Removed]]:
        """Editors open on this laptop whose item was removed: by the live objective to show them under, or None."""
        live_objectives = {o.id for o in self.draft.objectives}
        live_krs = {kr.id for o in self.draft.objectives for kr in o.key_results}
        found: dict[int | None, list[Removed]] = {}
        for name in editors.open_names():
            kind, _, number = name.rpartition("-")
            if kind not in ("objective", "kr") or not number.isdigit():
                continue
            item = int(number)
            if item in (live_objectives if kind == "objective" else live_krs):
                continue
            removed = drafts.was_removed(self.store, "objective" if kind == "objective" else "key_result", item)
            if removed:
                live_parent = kind == "kr" and removed.objective_id in live_objectives
                found.setdefault(removed.objective_id if live_parent else None, []).append(removed)
        return found

    def _catch_up(self, card: str) -> None:
        """Drawing a card alone (this laptop's own save, or a tick for a teammate's): read the draft again first.

        The page drew everything else from what it read before; should this change raise or settle a coach's
        question on another card, the whole page is redrawn at its next tick, after this card has answered.
        """
        live.card_drawn(card)
        if not live.card_run():
            return  # drawn with the whole page, which read the draft just now (and released any hold)
        live.release()
        questions, mine = self.questions, self._card_items(card)
        self.draft = drafts.load(self.store, self.team.id)
        self.team = self.draft.team
        self.answers, self.questions = self._answers(), self._questions()
        mine |= self._card_items(card)
        if self.questions.outside(mine) != questions.outside(mine):
            live.page_behind()

    def _card_items(self, card: str) -> set[tuple[str, int]]:
        """What the coach's questions on this card are about: the team purpose, or an objective and its key results."""
        if card == PURPOSE_CARD:
            return {("team", self.team.id)}
        objective_id = int(card.rpartition("-")[2])
        return {("objective", objective_id)} | {("key_result", kr.id) for o in self.draft.objectives
                                                if o.id == objective_id for kr in o.key_results}

    # --- team purpose ---------------------------------------------------------------------------
    def purpose(self) -> None:
        """'Why does our team exist?' with its own edit and stale-edit handling."""
        self._catch_up(PURPOSE_CARD)
        team = self.team

        def view() -> None:
            plain.lines([("label", self.guide.purpose_question), _shown(team.purpose, "Not answered yet.")])

        def fields(name: str) -> dict:
            purpose = st.text_area(self.guide.purpose_question, key=editors.key(name, "purpose"), height=80,
                                   on_change=editors.committed, args=(self.store, self.laptop, name, ("purpose",)))
            st.caption(self.guide.purpose_help)
            return {"purpose": purpose}

        def save(values: dict, base: int) -> None:
            teams.save_purpose(self.store, team, values["purpose"], base, self.author)

        self._editable(Editable("purpose", "team purpose", "purpose", team.id, team.purpose_version,
                                {"purpose": team.purpose}, view, fields, save))

    # --- objectives -----------------------------------------------------------------------------
    def objective_card(self, number: int, objective_id: int) -> None:
        """The objective with this id as saved when the page or this card was last drawn."""
        self._catch_up(f"objective-{objective_id}")
        objective = next((o for o in self.draft.objectives if o.id == objective_id), None)
        if objective is not None:  # removed on another laptop: the page's next tick redraws without it
            self.objective(number, objective)

    def objective(self, number: int, objective: Objective) -> None:
        """One objective: read view or edit form, then its key results."""

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

        def save(fields: dict, base: int) -> None:
            drafts.save_objective(self.store, self.team, objective.id, _objective_fields(fields), base, self.author)

        def remove(base: int) -> None:
            drafts.remove_objective(self.store, self.team, objective.id, self.author, base_version=base)

        self._editable(Editable("objective", f"objective {number}", "objective", objective.id, objective.version,
                                asdict(objective.fields), view, self._objective_form, save, remove))
        with st.container():
            for kr_number, kr in enumerate(objective.key_results, 1):
                with st.container(border=True, key=f"kr-card-{kr.id}"):
                    self.key_result(number, kr_number, kr)
            for removed in self.orphans.get(objective.id, ()):
                with st.container(border=True, key=f"orphan-card-{removed.entity}-{removed.id}"):
                    self.orphan(removed)
        self.add_key_result(number, objective)

    def _objective_form(self, name: str) -> dict:
        """The objective's fields, each keyed by the editor's name and kept on the server when left."""
        commit = {"on_change": editors.committed, "args": (self.store, self.laptop, name, OBJECTIVE_FIELDS)}
        text = st.text_area("Objective", key=editors.key(name, "text"), height=80, **commit)
        st.caption(self.guide.objective_help)
        why_now = st.text_area("Why now?", key=editors.key(name, "why_now"), height=140, **commit)
        st.caption(self.guide.why_now_help)
        contributes_to: list[int] = []
        if self.team.kind == "team":
            # Read now, not with the page: a form opens in a fragment redraw, after the page was drawn.
            contributes_to = _choices(name, "contributes_to", "Contributes to", self._top_options(),
                                      "a top-level objective that was removed",
                                      "A top-level objective this one contributes to was removed; the link stays "
                                      "until you take it out.",
                                      placeholder="Choose the top-level objectives this helps achieve", **commit)
        status = st.radio("Status", drafts.STATUSES, key=editors.key(name, "status"), horizontal=True,
                          format_func=str.capitalize, **commit)
        return {"text": text, "why_now": why_now, "status": status, "contributes_to": contributes_to}

    def add_objective(self) -> None:
        """A form for a new objective, or the limit and the coach's question."""
        name = f"add-objective-{self.team.id}"
        count, limit = len(self.draft.objectives), self.params.max_objectives
        found = editors.record(name)
        typed = bool(found and found["typed"])
        if not self.editable and not typed:  # typing in it stays on screen through a talk or a break
            return
        if count >= limit and not typed:
            st.info(f"This engagement sets at most {limit} objectives per team, and you have {count}. "
                    f"{rulebook.question('too_many_objectives', self.params)}")
            return
        # Open by default for a team with nothing yet, decided once: a teammate's save never closes it.
        opened = state.setdefault(f"add-open-{name}", count == 0 or typed)
        with st.expander("Add an objective", expanded=opened, key=f"add-open-{name}", on_change="rerun") as adding:
            if not adding.open:
                return
            editors.ensure(name, 0, asdict(ObjectiveFields(text="")))
            with st.container(key=f"editor-{name}"):
                self._marks(name)
                values = self._objective_form(name)
                action = _buttons(name, "Add objective", discard="Discard")
            if action == DISCARD and self._close(name):
                _redraw_card()
            if action == SAVE:
                try:
                    drafts.add_objective(self.store, self.team, _objective_fields(values), self.params, self.author)
                except PROBLEMS as error:
                    _refused(name, str(error))
                self._close(name)
                _done("Saved the new objective")

    # --- key results ----------------------------------------------------------------------------
    def key_result(self, objective_number: int, kr_number: int, kr: KeyResult) -> None:
        """One key result: read view or edit form."""
        label = f"key result {objective_number}.{kr_number}"

        def view() -> None:
            plain.lines([("label", f"Key result {objective_number}.{kr_number}"), ("body", kr.fields.text),
                         ("caption", self._kr_summary(kr))])

        def save(fields: dict, base: int) -> None:
            drafts.save_key_result(self.store, self.team, kr.id, _kr_fields(fields), base, self.params,
                                   self.engagement.cycle_end, self.author)

        def remove(base: int) -> None:
            drafts.remove_key_result(self.store, self.team, kr.id, self.author, base_version=base)

        self._editable(Editable("key result", label, "key_result", kr.id, kr.version, asdict(kr.fields), view,
                                self._kr_form, save, remove))

    def coach_questions(self, kind: str, item_id: int) -> None:
        """The coach's questions on one item, each of which the team can mark discussed."""
        found = self.questions.about(kind, item_id)
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

    def _kr_form(self, name: str) -> dict:
        """The key result's fields, each keyed by the editor's name and kept on the server when left."""
        commit = {"on_change": editors.committed, "args": (self.store, self.laptop, name, KR_FIELDS)}
        type_key = editors.key(name, "kr_type")
        kr_types = [t for t in drafts.KR_TYPES
                    if t != "milestone" or self.params.milestones_allowed or st.session_state[type_key] == t]
        others = {t: n for t, n in self._team_names().items() if t != self.team.id}  # read now, as above
        text = st.text_area("Key result", key=editors.key(name, "text"), height=80, **commit)
        kr_type = st.selectbox("Type", kr_types, key=type_key,
                               format_func=lambda t: f"{self.guide.kr_types[t].label}: "
                                                     f"{self.guide.kr_types[t].summary}", **commit)
        left, middle, right = st.columns(3)
        baseline = left.number_input("From", key=editors.key(name, "baseline"), step=1.0,
                                     help="Where the measure is today (metric key results).", **commit)
        target = middle.number_input("To", key=editors.key(name, "target"), step=1.0,
                                     help="Where it should be by the due date (metric key results).", **commit)
        unit = right.text_input("Unit", key=editors.key(name, "unit"), max_chars=40,
                                placeholder="%, customers, days", **commit)
        left, right = st.columns(2)
        due = left.date_input("Due", key=editors.key(name, "due"), format="DD/MM/YYYY", **commit)
        champion = right.text_input("Champion", key=editors.key(name, "champion"), max_chars=120,
                                    help=self.guide.champion_help, **commit)
        contributors = st.text_input("Contributors", key=editors.key(name, "contributors"), max_chars=500, **commit)
        depends_on = _choices(name, "depends_on", "Depends on", others, "a team that was removed",
                              "A team this key result names was removed from the workshop; it stays named until "
                              "you take it out.", help=self.guide.depends_on_help,
                              placeholder="Teams whose help this needs", **commit)
        shared_with = _choices(name, "shared_with", "Shared with", others, "a team that was removed", "",
                               help="Teams that own this key result together with you.",
                               placeholder="Teams that share this key result", **commit)
        return {"text": text, "kr_type": kr_type, "baseline": baseline, "target": target, "unit": unit, "due": due,
                "champion": champion, "contributors": contributors, "depends_on": depends_on,
                "shared_with": shared_with}

    def _blank_kr(self) -> dict:
        return {**asdict(KeyResultFields(text="")), "due": self.engagement.cycle_end}

    def add_key_result(self, number: int, objective: Objective) -> None:
        """A form for a new key result under an objective, or the limit and the coach's question."""
        name = f"add-kr-{objective.id}"
        count, limit = len(objective.key_results), self.params.max_key_results
        found = editors.record(name)
        typed = bool(found and found["typed"])
        if not self.editable and not typed:
            return
        if count >= limit and not typed:
            st.caption(f"{count} key results: the most this engagement allows. "
                       f"{rulebook.question('too_many_key_results', self.params)}")
            return
        opened = state.setdefault(f"add-open-{name}", count < self.params.min_key_results or typed)
        # Lazy: a closed expander costs nothing, and every laptop of a team redraws the page on each save.
        with st.expander(f"Add a key result to objective {number}", expanded=opened, key=f"add-open-{name}",
                         on_change="rerun") as adding:
            if not adding.open:
                return
            st.caption(self.guide.key_result_help)
            editors.ensure(name, 0, self._blank_kr())
            with st.container(key=f"editor-{name}"):
                self._marks(name)
                values = self._kr_form(name)
                action = _buttons(name, "Add key result", discard="Discard")
            if action == DISCARD and self._close(name):
                _redraw_card()
            if action == SAVE:
                try:
                    drafts.add_key_result(self.store, self.team, objective.id, _kr_fields(values), self.params,
                                          self.engagement.cycle_end, self.author)
                except PROBLEMS as error:
                    _refused(name, str(error))
                self._close(name)
                _done(f"Saved the new key result on objective {number}")

    # --- an open editor whose item was removed on another laptop --------------------------------------
    def orphan(self, removed: Removed) -> None:
        """The removed item's editor with the person's typing, and their choice: restore, keep as new, discard."""
        objective = removed.entity == "objective"
        name = f"{'objective' if objective else 'kr'}-{removed.id}"
        noun = "objective" if objective else "key result"
        plain.alert(f"The {noun} you were editing was removed by {removed.removed_by or 'another laptop'} "
                    f"{humanize.ago(removed.removed_at, time.time())}. Your typing is kept below: restore the "
                    f"{noun} with your text, keep your text as a new {noun}, or discard it.", "warning")
        with st.container(key=f"editor-{name}"):
            _notice(name)
            values = self._objective_form(name) if objective else self._kr_form(name)
            row = st.container(horizontal=True)
        if row.button("Restore it with my text", key=f"ed.{name}.restore", type="primary"):
            self._settle(name, f"Restored the {noun} with your text", lambda: self._restore_with(removed, values))
        if row.button(f"Keep as a new {noun}", key=f"ed.{name}.as-new"):
            self._settle(name, f"Saved your text as a new {noun}", lambda: (
                drafts.add_objective(self.store, self.team, _objective_fields(values), self.params, self.author)
                if objective else
                drafts.add_key_result(self.store, self.team, removed.objective_id, _kr_fields(values), self.params,
                                      self.engagement.cycle_end, self.author)))
        if row.button("Discard my text", key=f"ed.{name}.discard") and self._close(name):
            st.rerun()

    def _restore_with(self, removed: Removed, values: dict) -> None:
        if removed.entity == "objective":
            back = drafts.restore_objective(self.store, self.team, removed.id, self.params, self.author)
            drafts.save_objective(self.store, self.team, removed.id, _objective_fields(values), back.version,
                                  self.author)
        else:
            back = drafts.restore_key_result(self.store, self.team, removed.id, self.params, self.author)
            drafts.save_key_result(self.store, self.team, removed.id, _kr_fields(values), back.version, self.params,
                                   self.engagement.cycle_end, self.author)

    def _settle(self, name: str, message: str, act: Callable[[], object]) -> None:
        try:
            act()
        except (*PROBLEMS, StaleEdit) as error:
            _refused(name, str(error))
        self._close(name)
        _done(message)

    def removed_items(self) -> None:
        """Objectives and key results removed from this team's draft, each with Restore (read only while open)."""
        with st.expander("Removed objectives and key results", key=f"removed-open-{self.team.id}",
                         on_change="rerun") as shown:
            if not shown.open:
                return
            found = drafts.removed(self.store, self.team.id)
            if not found:
                st.caption("Nothing was removed.")
            for item in found:
                row = st.container(horizontal=True, vertical_alignment="center")
                with row:
                    plain.text(f"{'Objective' if item.entity == 'objective' else 'Key result'}: {item.text} · removed "
                               f"by {item.removed_by or 'a laptop'} {humanize.ago(item.removed_at, time.time())}")
                if row.button("Restore", key=f"restore-{item.entity}-{item.id}"):
                    restore = drafts.restore_objective if item.entity == "objective" else drafts.restore_key_result
                    try:
                        restore(self.store, self.team, item.id, self.params, self.author)
                    except PROBLEMS as error:
                        st.error(str(error))
                    else:
                        _done(f"Restored the {'objective' if item.entity == 'objective' else 'key result'}")

    # --- editing one record ---------------------------------------------------------------------------
    def _editable(self, record: Editable) -> None:
        """A record shown live, or edited in an editor that others' actions never disturb, with the stale-edit choice.

        Removing is offered while editing. The coach's questions come last, so however many there are,
        nothing above them moves.
        """
        name, what = record.name, record.what
        conflict: StaleEdit | None = state.get(f"conflict-{name}")
        found = editors.record(name)
        if conflict and found:
            self._choose(name, conflict, record.save, what)
        elif found:
            with st.container(key=f"editor-{name}"):
                self._marks(name)
                typed = record.fields(name)
                if found["base"] < record.version:
                    st.warning("Another laptop saved a newer version while you were editing. "
                               "If you save, you will be asked which version to keep.")
                action = _buttons(name, f"Save {record.noun}", discard="Discard")
                if action == DISCARD and self._close(name):
                    _redraw_card()
                if action == SAVE:
                    self._try_save(name, typed, found["base"], record.save, what)
                if record.remove:
                    # Lazy: a closed popover draws nothing inside it.
                    with st.popover(f"Remove {what}", key=f"remove-open-{name}", on_change="rerun") as removing:
                        if removing.open:
                            self._confirm_removal(what, name, lambda: record.remove(found["base"]))
        else:
            record.view()
            _confirmation(f"saved-{name}")  # "Saved objective 2 at 10:32:01." under the record this laptop saved
            row = st.container(horizontal=True)
            if self.editable and row.button(f"Edit {record.noun}", key=f"edit-{name}"):
                self._open(name, record.version, record.values)
            # Lazy: the log of a busy record grows all workshop long, so it is read only while the popover is open.
            with row.popover("History", key=f"history-{name}", on_change="rerun") as versions:
                if versions.open:
                    _history(revisions.history(self.store, record.entity, record.item_id))
        self.coach_questions("team" if record.entity == "purpose" else record.entity, record.item_id)

    def _marks(self, name: str) -> None:
        """'Not saved yet' on typing brought back from the server, and a failure to keep typing there."""
        found = editors.record(name)
        if found.get("restored"):
            plain.text(NOT_SAVED, caption=True)
        if editors.problem(name):
            st.error(editors.problem(name))
        _notice(name)

    def _open(self, name: str, base: int, values: dict) -> None:
        try:
            editors.open_editor(self.store, self.laptop, name, base, values)
        except StorageUnavailable as error:
            st.error(str(error))
            return
        _redraw_card()

    def _close(self, name: str) -> bool:
        """Close an editor and forget its typing on the server; False (the reason shown) if the file refused."""
        try:
            editors.close(self.store, self.laptop, name)
        except StorageUnavailable as error:
            st.error(str(error))
            return False
        state.pop(f"conflict-{name}", None)
        state.pop(f"notice-{name}", None)
        return True

    def _confirm_removal(self, what: str, name: str, remove: Callable[[], None]) -> None:
        st.write(f"Remove {what}? It stays in the revision log, and the team can restore it.")
        if st.button(f"Yes, remove {what}", key=f"remove-{name}"):
            try:
                remove()
            except PROBLEMS as error:
                _refused(name, str(error))
            except StaleEdit as stale:
                _refused(name, f"{stale} Nothing was removed: look at the saved version before removing it.",
                         "warning")
            self._close(name)
            _done(f"Removed {what}")

    def _try_save(self, name: str, values: dict, base: int, save: Callable[[dict, int], None], what: str) -> None:
        try:
            save(values, base)
        except PROBLEMS as error:
            _refused(name, str(error))
        except StaleEdit as stale:
            state.put(f"conflict-{name}", stale)  # the typing stays kept on the server until the choice is made
            _redraw_card()
        self._close(name)
        # The card answers at once with the saved text; the rest of the page (counts, questions, the
        # board) catches up at its next tick, as teammates' pages do, instead of a whole redraw first.
        state.flash(_stamped(f"Saved {what}"), slot=f"saved-{name}")
        live.hold()
        _redraw_card()

    def _choose(self, name: str, conflict: StaleEdit, save: Callable[[dict, int], None], what: str) -> None:
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
        if row.button("Keep my version", key=f"keep-mine-{name}", type="primary"):
            state.pop(f"conflict-{name}", None)
            self._try_save(name, conflict.mine, conflict.their_version, save, what)
        if row.button("Keep the saved version", key=f"keep-theirs-{name}") and self._close(name):
            st.rerun()
        if row.button("Edit my version", key=f"edit-mine-{name}"):
            state.pop(f"conflict-{name}", None)
            try:
                editors.rebase(self.store, self.laptop, name, conflict.their_version)
            except StorageUnavailable as error:
                st.error(str(error))
            _redraw_card()


def _choices(name: str, field: str, label: str, options: dict[int, str], gone: str, warning: str,
             **kwargs) -> list[int]:
    """A multiselect by id that keeps its choices when its options change; a chosen option now gone stays shown.

    The browser keeps a multiselect's choices as their labels, so a label that changes (a team renamed, a
    top-level objective reworded) would drop the choice: each option keeps the label it first had while
    the editor is open.
    """
    widget = editors.key(name, field)
    options = distinct(options)  # two equal labels would be one choice
    labels: dict[int, str] = state.setdefault(f"labels-{widget}", {})
    for option, text in options.items():
        labels.setdefault(option, text)
    by_label = {text: option for option, text in labels.items()}
    kept = st.session_state.get(widget) or []
    chosen = [by_label.get(v) if isinstance(v, str) else v for v in kept]
    chosen = [v for v in chosen if isinstance(v, int)]
    if chosen != kept:
        st.session_state[widget] = chosen
    missing = [i for i in chosen if i not in options]
    if missing and warning:
        st.warning(warning)
    shown = {option: labels[option] for option in options} | {i: labels.get(i, gone) for i in missing}
    return st.multiselect(label, list(shown), key=widget, format_func=shown.get, **kwargs)


def _objective_fields(values: dict) -> ObjectiveFields:
    return ObjectiveFields(text=values["text"], why_now=values["why_now"], status=values["status"],
                           contributes_to=tuple(values["contributes_to"] or ()))


def _kr_fields(values: dict) -> KeyResultFields:
    due = values["due"]
    return KeyResultFields(**{**values, "due": date.fromisoformat(due) if isinstance(due, str) else due,
                              "depends_on": tuple(values["depends_on"] or ()),
                              "shared_with": tuple(values["shared_with"] or ())})


def _buttons(name: str, submit: str, *, discard: str) -> str | None:
    """The editor's Save (or Add) and Discard buttons: SAVE, DISCARD or None."""
    row = st.container(horizontal=True)
    saved = row.button(submit, key=f"ed.{name}.save", type="primary")
    discarded = row.button(discard, key=f"ed.{name}.discard")  # drawn either way, so the row never changes
    return SAVE if saved else DISCARD if discarded else None


def _refused(name: str, message: str, kind: str = "error") -> NoReturn:
    """Answer a refused save or removal in its editor, where it stays until the editor's next action."""
    state.put(f"notice-{name}", (kind, message))
    _redraw_card()


def _notice(name: str) -> None:
    """The editor's last refusal, drawn on every redraw (a teammate's save never wipes it) until it is answered."""
    found = state.get(f"notice-{name}")
    if found and found[0] == "error":
        st.error(found[1])  # the app's own sentence
    elif found:
        plain.alert(found[1], found[0])  # it may quote a name a person typed


def _confirmation(slot: str) -> None:
    """A confirmation kept in this slot, while it is recent; a toast too the first time."""
    found = state.current_flash(slot)
    if found:  # it may name a team or quote a person's text: shown as typed, never as markdown
        message, first = found
        if first:
            st.toast(plain.label(message))
        plain.alert(message, "success")


@st.fragment
@failure.guarded
def _fragment(draw: Callable[..., None], *args) -> None:
    """Draw the team purpose, one objective with its key results, or the add form, as a fragment of the page.

    Leaving a field, Edit, Discard, the stale-edit choice and saving an edit redraw only this part (the
    page catches up at its next tick); adding, removing or 'Mark discussed' redraws the page at once,
    because other parts of it change shape with them. One fragment per objective, not per card: each costs
    a copy of Streamlit's layout stack on every page redraw, and every laptop of a team redraws the page on
    each of its saves.
    """
    draw(*args)


@failure.guarded
def _mark_discussed(*args) -> None:
    """Mark (or reopen) a question, then redraw the page: its open counts show outside this card too."""
    discussions.mark(*args)
    st.rerun()


def _redraw_card() -> NoReturn:
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


def _describe(values: dict) -> None:
    for field, label in FIELD_LABELS.items():
        value = values.get(field)
        if value not in (None, "", (), []):
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

