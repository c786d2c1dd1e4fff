"""The drafting handout (Word): a worked example, then the spaces a team fills in on paper, blank or pre-filled."""

import time

from docx.shared import Pt

from okrcoach.drafting import dependencies, drafts, guidance
from okrcoach.drafting.drafts import Draft, KeyResult, Objective
from okrcoach.drafting.guidance import Guidance
from okrcoach.errors import InputError
from okrcoach.exports import word
from okrcoach.exports.prose import Prose, from_to, load_prose
from okrcoach.exports.word import FormCell
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import Engagement

UNCHECKED, CHECKED = "☐", "☒"
KR_WIDTHS = [3.2, 5.2, 2.6, 6.0]
KR_TEXT_CM = 2.1  # room to write a key result by hand: at least 2 cm
LINE_CM = 0.65


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
        subtitle = word.para(doc, p("handout.subtitle_team", team=team) if self.draft else p("handout.subtitle_blank"),
                             "Subtitle")
        subtitle.paragraph_format.space_after = Pt(8)  # the guidance has to fit on the first page
        word.para(doc, p("handout.intro"))
        if self.draft:
            word.para(doc, p("handout.prefilled_note", date=today), word.SMALL, italic=True)
        word.heading(doc, p("handout.rules_heading"), 2)
        params = self.engagement.params
        rules = p.many("handout.rules")
        rules.append(p("handout.milestones_allowed" if params.milestones_allowed else "handout.milestones_not_allowed"))
        word.bullets(doc, rules)

    def guidance(self) -> None:
        doc, p, guide = self.doc, self.prose, self.guide
        word.heading(doc, p("handout.guidance_heading"), 2)
        word.heading(doc, p("handout.writing_heading"), 3)
        word.para(doc, guide.objective_help)
        word.para(doc, f"{p('handout.why_now_heading')} {guide.why_now_help}")
        word.para(doc, guide.key_result_help)
        word.heading(doc, p("handout.kr_types_heading"), 3)
        rows = []
        for kr_type, spec in guide.kr_types.items():
            summary = spec.summary if kr_type in self.kr_types else f"{spec.summary} {p('handout.kr_type_not_used')}"
            rows.append([spec.label, summary, spec.example])
        word.table(doc, p.many("handout.kr_types_columns"), rows, [2.4, 6.6, 8.0])
        word.heading(doc, p("handout.task_heading"), 3)
        word.para(doc, guide.task_to_key_result)
        word.para(doc, guide.health_metric)

    def example(self) -> None:
        """One complete OKR, written the way the worksheet asks for it."""
        doc, p = self.doc, self.prose
        word.heading(doc, p("handout.example.heading"), 1, new_page=True)
        word.para(doc, p("handout.example.intro"), word.SMALL)
        rows = [(None, [FormCell(p("handout.objective_label"), label=True), FormCell(p("handout.example.objective"))]),
                (None, [FormCell(p("handout.why_now_label"), label=True), FormCell(p("handout.example.why_now"))])]
        word.form(doc, rows, [2.7, 14.3])
        word.para(doc, "", word.SMALL)
        word.table(doc, p.many("handout.example.columns"),
                   [[f"{number}", kr["text"], kr["type"], kr["from_to"], kr["champion"], kr["depends_on"]]
                    for number, kr in enumerate((p.names(f"handout.example.key_results.{key}")
                                                 for key in p.keys("handout.example.key_results")), start=1)],
                   [0.6, 6.4, 1.7, 2.6, 2.6, 3.1], keep_together=True)
        word.para(doc, p("handout.example.note"), word.SMALL)

    def our_team(self) -> None:
        doc, p, guide = self.doc, self.prose, self.guide
        word.heading(doc, p("handout.team_heading"), 1)
        word.para(doc, p("handout.team_name"), word.FIELD_LABEL)
        word.box(doc, 0.9, self.draft.team.name if self.draft else "", p("handout.team_name_hint"))
        word.para(doc, guide.purpose_question, word.FIELD_LABEL)
        self._help(guide.purpose_help)
        word.box(doc, 2.6, self.draft.team.purpose if self.draft else "", p("handout.purpose_hint"))
        word.para(doc, p("handout.members_label"), word.FIELD_LABEL)
        word.box(doc, 1.4, "", p("handout.members_hint"))

    def objectives(self) -> int:
        """A page per objective with its key results: the team's own first, then blank ones up to the maximum."""
        written = list(self.draft.objectives) if self.draft else []
        count = max(len(written), self.engagement.params.max_objectives)
        for number in range(1, count + 1):
            self.objective(number, written[number - 1] if number <= len(written) else None)
        return count

    def objective(self, number: int, objective: Objective | None) -> None:
        doc, p = self.doc, self.prose
        # The help for each box is in "Before you write"; here the boxes carry short hints, so that an
        # objective and four key results fit on one A4 page.
        heading = word.heading(doc, p("handout.objective_heading", number=number), 1, new_page=True)
        heading.paragraph_format.space_before = Pt(0)  # it opens the page: the space is better spent on writing
        word.para(doc, p("handout.objective_label"), word.FIELD_LABEL)
        word.box(doc, 1.1, objective.fields.text if objective else "", p("handout.objective_hint"))
        self.contributes_to(objective)
        word.para(doc, p("handout.why_now_label"), word.FIELD_LABEL)
        word.box(doc, 2.2, objective.fields.why_now if objective else "", p("handout.why_now_hint"))
        word.para(doc, "", word.SPACER)
        written = list(objective.key_results) if objective else []
        for index in range(max(len(written), self.engagement.params.max_key_results)):
            self.key_result(number, index + 1, written[index] if index < len(written) else None)

    def contributes_to(self, objective: Objective | None) -> None:
        is_top = self.draft is not None and self.draft.team.kind == "top"
        if is_top or "top" not in self.engagement.params.levels:
            return
        doc, p = self.doc, self.prose
        word.para(doc, p("handout.contributes_to_label"), word.FIELD_LABEL)
        chosen = set(objective.fields.contributes_to) if objective else set()
        lines = [f"{CHECKED if top.id in chosen else UNCHECKED}  {word.short(top.fields.text, 160)}"
                 for top in self.top_objectives]
        lines.append(f"{UNCHECKED}  {p('handout.contributes_to_write_in')} ")
        if len(lines) == 1:  # no top-level objectives yet: room to write one in
            word.form(doc, [(0.9, [FormCell(lines[0], span=2)])], [word.TEXT_WIDTH_CM / 2] * 2)
            return
        # Two to a row, so the objective and all its key results fit on one page.
        pairs = [lines[i:i + 2] + [""] * (i + 2 - len(lines)) for i in range(0, len(lines), 2)]
        word.form(doc, [(None, [FormCell(left), FormCell(right)]) for left, right in pairs],
                  [word.TEXT_WIDTH_CM / 2] * 2)

    def key_result(self, objective_number: int, number: int, kr: KeyResult | None) -> None:
        p = self.prose
        fields = kr.fields if kr else None
        types = [t for t in self.kr_types]
        if fields and fields.kr_type not in types:  # drafted before milestones were ruled out
            types.append(fields.kr_type)
        marks = [f"{CHECKED if fields and fields.kr_type == t else UNCHECKED} {self.guide.kr_types[t].label}"
                 for t in types]
        label = "\n".join([p("handout.key_result_label", number=f"{objective_number}.{number}"), *marks])
        if kr:
            due = p.formats.short_date(fields.due) if fields.due else ""
            line = f"{p('handout.from_to_label')}:  {from_to(kr, p)}        {p('handout.due_label')}:  {due}"
        else:
            line = p("handout.from_to_blank")
        depends = "\n".join(self.asked.get(kr.id, ())) if kr else ""
        rows = [
            (KR_TEXT_CM, [FormCell(label, label=True), FormCell(fields.text if fields else "", span=3)]),
            # One line across the page: room for a starting point, a target, a unit and a date written by hand.
            (LINE_CM, [FormCell(line, span=4)]),
            (LINE_CM, [FormCell(p("handout.champion_label"), label=True), FormCell(fields.champion if fields else ""),
                       FormCell(p("handout.depends_on_label"), label=True), FormCell(depends)]),
        ]
        word.form(self.doc, rows, KR_WIDTHS)
        word.para(self.doc, "", word.SPACER)

    def checklist(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("handout.checklist_heading"), 1, new_page=True)
        for item in p.many("handout.checklist"):
            word.para(doc, f"{UNCHECKED}  {item}")
        word.para(doc, p("handout.notes_heading"), word.FIELD_LABEL)
        word.box(doc, 12.0)


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
    writer.opening(prose.formats.long_date(prose.formats.day_of(now)))
    writer.guidance()
    writer.example()
    writer.our_team()
    writer.objectives()
    writer.checklist()
    return word.to_bytes(doc)
