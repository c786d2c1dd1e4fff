"""The drafting handout (Word): the questions and spaces a team fills in on paper, blank or pre-filled."""

import time
from datetime import datetime

from okrcoach.drafting import dependencies, drafts, guidance
from okrcoach.drafting.drafts import Draft, KeyResult, Objective
from okrcoach.drafting.guidance import Guidance
from okrcoach.errors import InputError
from okrcoach.exports import word
from okrcoach.exports.prose import Prose, from_to, load_prose, long_date, short_date
from okrcoach.exports.word import FormCell
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import Engagement

UNCHECKED, CHECKED = "☐", "☒"
KR_WIDTHS = [2.7, 5.8, 2.5, 6.0]


class _HandoutWriter:
    """Writes the handout's pages into one document."""

    def __init__(self, doc, engagement: Engagement, prose: Prose, guide: Guidance, draft: Draft | None,
                 top_objectives: list[Objective], asked: dict[int, list[str]]):
        self.doc, self.engagement, self.prose, self.guide = doc, engagement, prose, guide
        self.draft, self.top_objectives, self.asked = draft, top_objectives, asked
        self.kr_types = [t for t in drafts.KR_TYPES if t != "milestone" or engagement.params.milestones_allowed]

    def _help(self, text: str) -> None:
        word.para(self.doc, text, word.SMALL)

    def opening(self, today: str) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("handout.title"), 0)
        team = self.draft.team.name if self.draft else ""
        word.para(doc, p("handout.subtitle_team", team=team) if self.draft else p("handout.subtitle_blank"),
                  "Subtitle")
        word.para(doc, p("handout.intro"))
        if self.draft:
            word.para(doc, p("handout.prefilled_note", date=today), italic=True, color=word.MUTED)
        word.heading(doc, p("handout.rules_heading"), 1)
        params = self.engagement.params
        rules = p.many("handout.rules")
        rules.append(p("handout.milestones_allowed" if params.milestones_allowed else "handout.milestones_not_allowed"))
        word.bullets(doc, rules)

    def guidance(self) -> None:
        doc, p, guide = self.doc, self.prose, self.guide
        word.heading(doc, p("handout.guidance_heading"), 1)
        word.heading(doc, p("handout.kr_types_heading"), 2)
        rows = []
        for kr_type, spec in guide.kr_types.items():
            summary = spec.summary if kr_type in self.kr_types else f"{spec.summary} {p('handout.kr_type_not_used')}"
            rows.append([spec.label, summary, spec.example])
        word.table(doc, p.many("handout.kr_types_columns"), rows, [2.4, 6.6, 8.0])
        word.heading(doc, p("handout.task_heading"), 2)
        word.para(doc, guide.task_to_key_result)
        word.heading(doc, p("handout.health_heading"), 2)
        word.para(doc, guide.health_metric)
        word.heading(doc, p("handout.why_now_heading"), 2)
        word.para(doc, guide.why_now_help)

    def our_team(self) -> None:
        doc, p, guide = self.doc, self.prose, self.guide
        word.heading(doc, p("handout.team_heading"), 1, new_page=True)
        word.para(doc, p("handout.team_name"), word.FIELD_LABEL)
        word.box(doc, 0.9, self.draft.team.name if self.draft else "", p("handout.team_name_hint"))
        word.para(doc, guide.purpose_question, word.FIELD_LABEL)
        self._help(guide.purpose_help)
        word.box(doc, 4.0, self.draft.team.purpose if self.draft else "", p("handout.purpose_hint"))
        word.para(doc, p("handout.members_label"), word.FIELD_LABEL)
        word.box(doc, 2.5, "", p("handout.members_hint"))

    def objectives(self) -> int:
        """A page per objective and one for its key results: the team's own first, then blank ones up to the maximum."""
        written = list(self.draft.objectives) if self.draft else []
        count = max(len(written), self.engagement.params.max_objectives)
        for number in range(1, count + 1):
            self.objective(number, written[number - 1] if number <= len(written) else None)
        return count

    def objective(self, number: int, objective: Objective | None) -> None:
        doc, p, guide = self.doc, self.prose, self.guide
        word.heading(doc, p("handout.objective_heading", number=number), 1, new_page=True)
        word.para(doc, p("handout.objective_label"), word.FIELD_LABEL)
        self._help(guide.objective_help)
        word.box(doc, 2.0, objective.fields.text if objective else "", p("handout.objective_hint"))
        self.contributes_to(objective)
        word.para(doc, p("handout.why_now_label"), word.FIELD_LABEL)
        self._help(guide.why_now_help)
        word.box(doc, 8.5, objective.fields.why_now if objective else "", p("handout.why_now_hint"))
        # Key results on a page of their own: four of them and the objective do not fit on one A4 page.
        word.heading(doc, p("handout.key_results_heading", number=number), 2, new_page=True)
        word.para(doc, p("handout.key_results_for"), word.FIELD_LABEL)
        word.box(doc, 1.0, objective.fields.text if objective else "")
        self._help(guide.key_result_help)
        written = list(objective.key_results) if objective else []
        for index in range(max(len(written), self.engagement.params.max_key_results)):
            self.key_result(number, index + 1, written[index] if index < len(written) else None)

    def contributes_to(self, objective: Objective | None) -> None:
        is_top = self.draft is not None and self.draft.team.kind == "top"
        if is_top or "top" not in self.engagement.params.levels:
            return
        doc, p = self.doc, self.prose
        word.para(doc, p("handout.contributes_to_label"), word.FIELD_LABEL)
        self._help(p("handout.contributes_to_help"))
        chosen = set(objective.fields.contributes_to) if objective else set()
        lines = [f"{CHECKED if top.id in chosen else UNCHECKED}  {word.short(top.fields.text, 160)}"
                 for top in self.top_objectives]
        lines.append(f"{UNCHECKED}  {p('handout.contributes_to_write_in')} ")
        cells = [(None, [FormCell(line)]) for line in lines]
        if len(lines) == 1:  # no top-level objectives yet: room to write one in
            cells = [(0.9, [FormCell(lines[0])])]
        word.form(doc, cells, [word.TEXT_WIDTH_CM])

    def key_result(self, objective_number: int, number: int, kr: KeyResult | None) -> None:
        p = self.prose
        fields = kr.fields if kr else None
        type_marks = "   ".join(
            f"{CHECKED if fields and fields.kr_type == t else UNCHECKED} {self.guide.kr_types[t].label}"
            for t in self.kr_types)
        if fields and fields.kr_type not in self.kr_types:  # drafted before milestones were ruled out
            type_marks += f"   {CHECKED} {self.guide.kr_types[fields.kr_type].label}"
        depends = "\n".join(self.asked.get(kr.id, ())) if kr else ""
        label = p("handout.key_result_label", number=f"{objective_number}.{number}")
        rows = [
            (1.6, [FormCell(label, label=True), FormCell(fields.text if fields else "", span=3)]),
            (1.0, [FormCell(p("handout.type_label"), label=True), FormCell(type_marks),
                   FormCell(p("handout.due_label"), label=True),
                   FormCell(short_date(fields.due) if fields and fields.due else "")]),
            (1.0, [FormCell(p("handout.from_to_label"), label=True),
                   FormCell(from_to(kr, p) if kr else p("handout.from_to_blank"), hint=kr is None),
                   FormCell(p("handout.champion_label"), label=True),
                   FormCell(fields.champion if fields else "")]),
            (1.0, [FormCell(p("handout.depends_on_label"), label=True),
                   FormCell(depends or ("" if kr else p("handout.depends_on_help")), span=3, hint=kr is None)]),
        ]
        word.form(self.doc, rows, KR_WIDTHS)
        word.para(self.doc, "", word.SMALL)

    def checklist(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("handout.checklist_heading"), 1, new_page=True)
        for item in p.many("handout.checklist"):
            word.para(doc, f"{UNCHECKED}  {item}")
        word.para(doc, p("handout.notes_heading"), word.FIELD_LABEL)
        word.box(doc, 9.0)


def build_handout(store: Store, engagement: Engagement, team_slug: str | None = None,
                  now: float | None = None) -> bytes:
    """The drafting handout as .docx bytes: blank, or pre-filled with the named team's current draft."""
    now = time.time() if now is None else now
    prose = load_prose(engagement)
    guide = guidance.load(engagement)
    draft = None
    if team_slug:
        team = teams.by_slug(store, engagement.id, team_slug)
        if team is None:
            raise InputError(f"There is no team with the link name '{team_slug}' in this engagement.")
        draft = drafts.load(store, team.id)
    top_objectives = drafts.top_objectives(store, engagement.id)
    asked: dict[int, list[str]] = {}
    if draft:
        for request in dependencies.asked_by(store, draft.team.id):
            asked.setdefault(request.key_result_id, []).append(f"{request.to_team}: {request.status}")
    team_name = draft.team.name if draft else ""
    doc = word.new_document(
        title=f"{prose('handout.title')}: {prose.values['client']}",
        subject=team_name or prose("handout.subject_blank"),
        author=engagement.facilitator,
        footer=prose("handout.footer"),
        header=prose("handout.header_team", team=team_name) if draft else prose("handout.header_blank"),
        created=now,
    )
    writer = _HandoutWriter(doc, engagement, prose, guide, draft, top_objectives, asked)
    writer.opening(long_date(datetime.fromtimestamp(now).date()))
    writer.guidance()
    writer.our_team()
    writer.objectives()
    writer.checklist()
    return word.to_bytes(doc)
