"""The post-workshop draft pack (Word): cover, parameters, agenda as run, every team's OKRs, alignment, next steps."""

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from docx.document import Document as DocxDocument
from docx.shared import Pt

from okrcoach.drafting import discussions, executive, guidance
from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft, KeyResult, Objective
from okrcoach.exports import word
from okrcoach.exports.prose import Prose, from_to, load_prose, long_date, short_date
from okrcoach.review import alignment
from okrcoach.review import checks as review
from okrcoach.storage.store import Store
from okrcoach.workshop import runs
from okrcoach.workshop.engagements import Engagement

MATRIX_MAX_TEAMS = 7
HEADING_CHARS = 110


@dataclass(frozen=True)
class _PackContent:
    """Everything the pack shows, read once."""

    drafts: list[Draft]
    run: runs.Run | None
    agenda: list[dict]
    candidates: list[executive.Candidate]
    parked: list[runs.ParkedItem]
    alignment: dict = field(default_factory=dict)
    review_rows: list[list[str]] = field(default_factory=list)
    requests_by_kr: dict[int, list[Request]] = field(default_factory=dict)


def _gather(store: Store, engagement: Engagement, now: float, prose: Prose) -> _PackContent:
    data = alignment.load(store, engagement)
    all_drafts, requests = data.drafts, data.requests
    tables = {"vertical": alignment.vertical_summary(data), "matrix": alignment.dependency_matrix(data),
              "horizontal": alignment.horizontal(data), "flags": alignment.flags(data)}
    by_kr: dict[int, list[Request]] = {}
    for request in requests:
        by_kr.setdefault(request.key_result_id, []).append(request)
    run = runs.current(store, engagement.id)
    return _PackContent(
        drafts=all_drafts,
        run=run,
        agenda=runs.as_run(store, run.id, now) if run else [],
        candidates=executive.ranking(store, engagement.id),
        parked=runs.parked(store, engagement.id),
        alignment=tables,
        review_rows=_review_rows(all_drafts, engagement, by_kr, discussions.discussed(store, engagement.id), prose),
        requests_by_kr=by_kr,
    )


def _review_rows(all_drafts: list[Draft], engagement: Engagement, by_kr: dict[int, list[Request]],
                 discussed: set[tuple[str, int, str]], prose: Prose) -> list[list[str]]:
    """Team, what the question is about, the question, why it is asked and whether it was discussed."""
    statuses = {kr_id: [(r.to_team, r.status) for r in requests] for kr_id, requests in by_kr.items()}
    # The whole engagement at once: it also asks about top-level objectives no team supports.
    per_item = review.for_engagement(all_drafts, engagement.params, statuses).questions
    rows = []
    for draft in all_drafts:
        about = {("team", draft.team.id): prose("pack.review.team")}
        for i, objective in enumerate(draft.objectives, start=1):
            about[("objective", objective.id)] = (
                f"{prose('pack.review.objective', number=i)}: {word.short(objective.fields.text, 80)}")
            for j, kr in enumerate(objective.key_results, start=1):
                about[("key_result", kr.id)] = (
                    f"{prose('pack.review.key_result', number=f'{i}.{j}')}: {word.short(kr.fields.text, 80)}")
        for key, label in about.items():
            for question in per_item.get(key, ()):
                state = prose("pack.review.discussed" if (*key, question.rule) in discussed else "pack.review.open")
                rows.append([draft.team.name, label, question.question, question.reason, state])
    return rows


class _PackWriter:
    """Writes the pack's sections into one document."""

    def __init__(self, doc: DocxDocument, engagement: Engagement, facts: _PackContent, prose: Prose,
                 guide_labels: dict):
        self.doc, self.engagement, self.facts, self.prose = doc, engagement, facts, prose
        self.type_labels = guide_labels
        self.top_texts = {objective.id: objective.fields.text
                          for draft in facts.drafts if draft.team.kind == "top" for objective in draft.objectives}
        self.team_names = {draft.team.id: draft.team.name for draft in facts.drafts}

    # --- cover -------------------------------------------------------------------------------
    def cover(self, workshop: str, day: date, sections: list[str]) -> None:
        doc, p, engagement = self.doc, self.prose, self.engagement
        kicker = word.para(doc, p("pack.kicker"), word.KICKER)
        kicker.paragraph_format.space_before = Pt(150)
        word.heading(doc, p("pack.title"), 0)
        word.para(doc, p("pack.subtitle"), "Subtitle")
        labels = p.names("pack.cover_labels")
        not_set = p("pack.not_set")
        details = [
            (labels["client"], engagement.client or engagement.name),
            (labels["workshop"], workshop),
            (labels["date"], long_date(day)),
            (labels["facilitator"], engagement.facilitator or not_set),
            (labels["cycle"], p("pack.parameters.cycle_value")),
        ]
        table = word.grid(doc, len(details), [4.0, 13.0], borders_hex="")
        for row, (label, value) in zip(table.rows, details, strict=True):
            label_cell, value_cell = word.row_cells(table, row)
            word.set_text(label_cell, label, bold=True)
            word.set_text(value_cell, word.short(value, 300))
            for cell in (label_cell, value_cell):
                cell.paragraphs[0].paragraph_format.space_after = Pt(3)
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(11)
        note = word.para(doc, p("pack.status_note"), italic=True, color=word.MUTED)
        note.paragraph_format.space_before = Pt(24)
        contents = word.para(doc, p("pack.contents_heading"), word.KICKER)
        contents.paragraph_format.space_before = Pt(18)
        word.bullets(doc, sections, numbered=True)

    # --- parameters and agenda ---------------------------------------------------------------
    def parameters(self) -> None:
        doc, p, params = self.doc, self.prose, self.engagement.params
        word.heading(doc, p("pack.parameters.heading"), 1, new_page=True)
        word.para(doc, p("pack.parameters.intro"))
        level_names = p.names("pack.parameters.level_names")
        rows = [
            [p("pack.parameters.levels"), ", ".join(level_names.get(level, level) for level in params.levels)],
            [p("pack.parameters.cycle"), p("pack.parameters.cycle_value")],
            [p("pack.parameters.objectives"), p("pack.parameters.objectives_value")],
            [p("pack.parameters.key_results"), p("pack.parameters.key_results_value")],
            [p("pack.parameters.milestones"), p("pack.parameters.milestones_allowed" if params.milestones_allowed
                                                else "pack.parameters.milestones_not_allowed")],
        ]
        self._two_column(rows)

    def _two_column(self, rows: list[list[str]]) -> None:
        table = word.grid(self.doc, len(rows), [6.0, 11.0])
        for row, (label, value) in zip(table.rows, rows, strict=True):
            label_cell, value_cell = word.row_cells(table, row)
            word.shade(label_cell, word.LABEL_FILL_HEX)
            word.set_text(label_cell, label, bold=True)
            word.set_text(value_cell, value)
        word.para(self.doc, "", word.SMALL)

    def agenda(self) -> None:
        doc, p, facts = self.doc, self.prose, self.facts
        word.heading(doc, p("pack.agenda.heading"), 1)
        if facts.run is None:
            word.para(doc, p("pack.agenda.missing"), italic=True, color=word.MUTED)
            return
        word.para(doc, p("pack.agenda.intro"))
        rows, planned_total, actual_total, difference_total = [], 0.0, 0.0, 0.0
        live = facts.run.state.current if facts.run.state.status in ("running", "paused") else None
        for item in facts.agenda:
            planned, actual = item["planned_minutes"], item["actual_minutes"]
            started = time.strftime("%H:%M", time.localtime(item["started"])) if item["started"] else ""
            if actual is None:  # skipped or still to come: in neither total, so the totals compare like with like
                actual_text = p("pack.agenda.skipped" if item["skipped"] else "pack.agenda.not_run")
                difference = ""
            else:
                planned_total += planned
                actual_total += actual
                difference_total += actual - planned
                actual_text = f"{round(actual)}"
                if item["index"] == live:
                    actual_text += f" ({p('pack.agenda.running')})"
                difference = _signed(actual - planned)
            rows.append([str(item["index"] + 1), item["title"], item["kind"], started, f"{round(planned)}",
                         actual_text, difference])
        rows.append(["", p("pack.agenda.total"), "", "", f"{round(planned_total)}", f"{round(actual_total)}",
                     _signed(difference_total)])
        word.table(doc, p.many("pack.agenda.columns"), rows, [0.8, 6.4, 2.0, 1.8, 2.0, 2.0, 2.0],
                   bold_last_row=True)

    # --- OKRs --------------------------------------------------------------------------------
    def top_level(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.top.heading"), 1, new_page=True)
        word.para(doc, p("pack.top.intro"))
        tops = [draft for draft in self.facts.drafts if draft.team.kind == "top"]
        if not tops or not any(draft.objectives for draft in tops):
            word.para(doc, p("pack.top.missing"), italic=True, color=word.MUTED)
        for draft in tops:
            self.team(draft, new_page=False)

    def teams(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.teams.heading"), 1, new_page=True)
        word.para(doc, p("pack.teams.intro"))
        breakout = [draft for draft in self.facts.drafts if draft.team.kind != "top"]
        if not breakout:
            word.para(doc, p("pack.teams.missing"), italic=True, color=word.MUTED)
        for number, draft in enumerate(breakout):
            self.team(draft, new_page=number > 0)

    def team(self, draft: Draft, new_page: bool) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, draft.team.name, 2, new_page=new_page)
        if draft.team.purpose.strip():
            word.para(doc, p("pack.teams.purpose"), word.FIELD_LABEL)
            word.para(doc, draft.team.purpose)
        if not draft.objectives:
            word.para(doc, p("pack.teams.no_objectives"), italic=True, color=word.MUTED)
        for number, objective in enumerate(draft.objectives, start=1):
            self.objective(draft, objective, number)

    def objective(self, draft: Draft, objective: Objective, number: int) -> None:
        doc, p = self.doc, self.prose
        fields = objective.fields
        label = p("pack.objective.heading", number=number)
        word.heading(doc, f"{label}: {word.short(fields.text, HEADING_CHARS)}", 3, limit=HEADING_CHARS + 40)
        if len(word.short(fields.text, 10**6)) > HEADING_CHARS:
            word.para(doc, fields.text, bold=True)
        meta = doc.add_paragraph()
        statuses = p.names("pack.objective.statuses")
        meta.add_run(p("pack.objective.status") + ": ").bold = True
        meta.add_run(statuses.get(fields.status, fields.status))
        if draft.team.kind != "top" and "top" in self.engagement.params.levels:
            meta.add_run("    " + p("pack.objective.contributes_to") + ": ").bold = True
            names = [word.short(self.top_texts.get(top_id, p("pack.objective.removed_top")), 90)
                     for top_id in fields.contributes_to]
            meta.add_run(word.safe("; ".join(names)) or p("pack.objective.contributes_to_nothing"))
        word.para(doc, p("pack.objective.why_now"), word.FIELD_LABEL)
        lines = [line for line in word.safe(fields.why_now).split("\n") if line.strip()]
        if not lines:
            word.para(doc, p("pack.objective.why_now_missing"), italic=True, color=word.MUTED)
        for line in lines:
            word.para(doc, line)
        if not objective.key_results:
            word.para(doc, p("pack.objective.no_key_results"), italic=True, color=word.MUTED)
            return
        rows = [self._kr_row(f"{number}.{index}", kr) for index, kr in enumerate(objective.key_results, start=1)]
        word.table(doc, p.many("pack.objective.key_result_columns"), rows, [0.9, 5.0, 1.7, 2.3, 1.9, 2.9, 2.3])

    def _kr_row(self, number: str, kr: KeyResult) -> list[str]:
        p, fields = self.prose, kr.fields
        text = fields.text
        if fields.shared_with:
            removed = p("pack.objective.removed_team")
            shared = ", ".join(self.team_names.get(team_id, removed) for team_id in fields.shared_with)
            text += f"\n{p('pack.objective.shared_with')}: {shared}"
        champion = fields.champion
        if fields.contributors:
            champion += f"\n{p('pack.objective.contributors')}: {fields.contributors}"
        depends = "\n".join(
            f"{r.to_team}{' ' + p('pack.objective.removed_team') if r.to_team_removed else ''}: {r.status}"
            for r in self.facts.requests_by_kr.get(kr.id, ()))
        return [number, text, self.type_labels.get(fields.kr_type, fields.kr_type), from_to(kr, p),
                short_date(fields.due) if fields.due else "", champion, depends]

    # --- alignment ---------------------------------------------------------------------------
    def alignment(self) -> None:
        doc, p, tables = self.doc, self.prose, self.facts.alignment
        word.heading(doc, p("pack.alignment.heading"), 1, new_page=True)
        word.para(doc, p("pack.alignment.intro"))
        word.heading(doc, p("pack.alignment.vertical_heading"), 2)
        vertical = tables["vertical"]
        if len(vertical):
            rows = [[r.top_objective, r.supporting_teams, str(r.team_objectives)]
                    for r in vertical.itertuples(index=False)]
            word.table(doc, p.many("pack.alignment.vertical_columns"), rows, [8.0, 6.5, 2.5])
        else:
            word.para(doc, p("pack.alignment.vertical_empty"), italic=True, color=word.MUTED)
        word.heading(doc, p("pack.alignment.horizontal_heading"), 2)
        horizontal = tables["horizontal"]
        if len(horizontal):
            removed = p("pack.objective.removed_team")
            rows = [[r.from_team, f"{r.to_team} {removed}" if r.to_team_removed else r.to_team, r.key_result,
                     r.status, r.comment or ""] for r in horizontal.itertuples(index=False)]
            word.table(doc, p.many("pack.alignment.horizontal_columns"), rows, [2.9, 2.9, 6.2, 2.0, 3.0])
        else:
            word.para(doc, p("pack.alignment.horizontal_empty"), italic=True, color=word.MUTED)
        self._matrix(tables["matrix"])
        word.heading(doc, p("pack.alignment.flags_heading"), 2)
        flags = tables["flags"]
        if len(flags):
            rows = [[r.kind[:1].upper() + r.kind[1:], r.team, word.short(r.item, 200), r.detail]
                    for r in flags.itertuples(index=False)]
            word.table(doc, p.many("pack.alignment.flags_columns"), rows, [3.2, 3.0, 5.0, 5.8])
        else:
            word.para(doc, p("pack.alignment.flags_empty"), italic=True, color=word.MUTED)

    def _matrix(self, matrix) -> None:
        doc, p = self.doc, self.prose
        if not len(matrix.columns) or not matrix.values.any():
            return
        word.heading(doc, p("pack.alignment.matrix_heading"), 2)
        if len(matrix.columns) > MATRIX_MAX_TEAMS:
            word.para(doc, p("pack.alignment.matrix_too_wide", count=len(matrix.columns)), italic=True,
                      color=word.MUTED)
            return
        word.para(doc, p("pack.alignment.matrix_intro"))
        headers = [p("pack.alignment.matrix_corner"), *[str(name) for name in matrix.columns]]
        rows = [[str(asking), *[("—" if asking == asked else str(matrix.loc[asking, asked] or ""))
                                for asked in matrix.columns]] for asking in matrix.index]
        corner = 3.2
        word.table(doc, headers, rows, [corner, *[(word.TEXT_WIDTH_CM - corner) / len(matrix.columns)]
                                        * len(matrix.columns)])

    # --- the rest ----------------------------------------------------------------------------
    def candidates(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.candidates.heading"), 1, new_page=True)
        candidates = self.facts.candidates
        if not candidates:
            word.para(doc, p("pack.candidates.none_recorded"), italic=True, color=word.MUTED)
            return
        word.para(doc, p("pack.candidates.intro"))
        passed = [c for c in candidates if c.promoted_objective_id is None]
        if not passed:
            word.para(doc, p("pack.candidates.all_chosen"), italic=True, color=word.MUTED)
            return
        rows = [[c.text, c.why, c.proposed_by, str(c.dots)] for c in passed]
        word.table(doc, p.many("pack.candidates.columns"), rows, [7.0, 6.0, 2.7, 1.3])

    def review(self) -> None:
        doc, p, rows = self.doc, self.prose, self.facts.review_rows
        word.heading(doc, p("pack.review.heading"), 1)
        word.para(doc, p("pack.review.intro"))
        if not rows:
            word.para(doc, p("pack.review.none"), italic=True, color=word.MUTED)
            return
        word.table(doc, p.many("pack.review.columns"), rows, [2.6, 4.2, 4.6, 4.0, 1.6])

    def parking_lot(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.parking_lot.heading"), 1, new_page=True)
        word.para(doc, p("pack.parking_lot.intro"))
        if not self.facts.parked:
            word.para(doc, p("pack.parking_lot.empty"), italic=True, color=word.MUTED)
            return
        rows = [[str(number), item.text, item.raised_by, p("pack.parking_lot.done" if item.done
                                                            else "pack.parking_lot.open")]
                for number, item in enumerate(self.facts.parked, start=1)]
        word.table(doc, p.many("pack.parking_lot.columns"), rows, [0.9, 11.1, 3.0, 2.0])

    def next_steps(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.next_steps.heading"), 1)
        word.para(doc, p("pack.next_steps.intro"))
        word.bullets(doc, p.many("pack.next_steps.steps"), numbered=True)


def _signed(minutes: float) -> str:
    value = round(minutes)
    return "0" if value == 0 else (f"+{value}" if value > 0 else f"−{-value}")


def _workshop_day(facts: _PackContent, now: float) -> date:
    started = [item["started"] for item in facts.agenda if item["started"]]
    return datetime.fromtimestamp(min(started) if started else now).date()


def build_pack(store: Store, engagement: Engagement, now: float | None = None) -> bytes:
    """The post-workshop draft pack for the engagement as .docx bytes."""
    now = time.time() if now is None else now
    prose = load_prose(engagement)
    facts = _gather(store, engagement, now, prose)
    type_labels = {kr_type: guide.label for kr_type, guide in guidance.load(engagement).kr_types.items()}
    workshop = facts.run.title if facts.run else engagement.name
    doc = word.new_document(
        title=f"{prose('pack.title')}: {prose.values['client']}",
        subject=workshop,
        author=engagement.facilitator,
        footer=prose("pack.footer"),
        header=prose("pack.header"),
        created=now,
    )
    word.plain_first_page(doc)
    writer = _PackWriter(doc, engagement, facts, prose, type_labels)
    sections = [prose(f"pack.{key}.heading") for key in
                ("parameters", "agenda", "top", "teams", "alignment", "candidates", "review", "parking_lot",
                 "next_steps")]
    writer.cover(workshop, _workshop_day(facts, now), sections)
    writer.parameters()
    writer.agenda()
    writer.top_level()
    writer.teams()
    writer.alignment()
    writer.candidates()
    writer.review()
    writer.parking_lot()
    writer.next_steps()
    return word.to_bytes(doc)
