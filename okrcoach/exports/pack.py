"""The post-workshop draft pack (Word): cover, at a glance, contents, the OKRs with their open questions, next steps."""

import time
from dataclasses import dataclass, field
from datetime import date

from docx.document import Document as DocxDocument
from docx.shared import Pt

from okrcoach.drafting import discussions, executive, guidance
from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft, KeyResult, Objective
from okrcoach.exports import steps as next_steps, word
from okrcoach.exports.prose import Prose, from_to, load_prose
from okrcoach.review import alignment
from okrcoach.review import checks as review
from okrcoach.storage.store import Store
from okrcoach.workshop import runs
from okrcoach.workshop.engagements import Engagement

MATRIX_MAX_TEAMS = 7
HEADING_CHARS = 110
SUMMARY_LINES = 6  # per list on the one-page summary; the rest is counted, and marked in each team's section
CONTENTS_LEVELS = 2  # sections and teams: with 100 teams, objectives too would make the contents 12 pages


@dataclass(frozen=True)
class _OpenPoint:
    """One line of a team's box: what it is about, the question or point, and why it matters."""

    about: str
    text: str
    why: str


@dataclass(frozen=True)
class _PackContent:
    """Everything the pack shows, read once."""

    drafts: list[Draft]
    requests: list[Request]
    run: runs.Run | None
    agenda: list[dict]
    candidates: list[executive.Candidate]
    parked: list[runs.ParkedItem]
    workshop_day: date
    open_points: dict[int, list[_OpenPoint]] = field(default_factory=dict)
    requests_by_kr: dict[int, list[Request]] = field(default_factory=dict)
    matrix: object = None


def _gather(store: Store, engagement: Engagement, now: float, prose: Prose) -> _PackContent:
    data = alignment.load(store, engagement)
    by_kr: dict[int, list[Request]] = {}
    for request in data.requests:
        by_kr.setdefault(request.key_result_id, []).append(request)
    run = runs.current(store, engagement.id)
    agenda = runs.as_run(store, run.id, now) if run else []
    breakout = sum(draft.team.kind != "top" for draft in data.drafts)
    return _PackContent(
        drafts=data.drafts,
        requests=data.requests,
        run=run,
        agenda=agenda,
        candidates=executive.ranking(store, engagement.id),
        parked=runs.parked(store, engagement.id),
        workshop_day=next_steps.workshop_day(store, engagement, prose, now, agenda),
        open_points=_open_points(data, by_kr, discussions.discussed(store, engagement.id), prose,
                                 (engagement.cycle_start, engagement.cycle_end)),
        requests_by_kr=by_kr,
        # Only drawn up to a few teams: at 100 teams it would not fit on a page, and costs a second to build.
        matrix=alignment.dependency_matrix(data) if breakout <= MATRIX_MAX_TEAMS else None,
    )


def _open_points(data: alignment.AlignmentInput, by_kr: dict[int, list[Request]],
                 discussed: set[tuple[str, int, str]], prose: Prose,
                 cycle: tuple[date, date]) -> dict[int, list[_OpenPoint]]:
    """Team id → the coaching questions it has not marked discussed, and links that point at removed things."""
    statuses = {kr_id: [(r.to_team, r.status) for r in requests] for kr_id, requests in by_kr.items()}
    # The whole engagement at once: it also asks about top-level objectives no team supports.
    per_item = review.for_engagement(data.drafts, data.params, statuses, cycle=cycle).questions
    top_ids = {o.id for d in data.drafts if d.team.kind == "top" for o in d.objectives}
    points: dict[int, list[_OpenPoint]] = {}
    for draft in data.drafts:
        found = points.setdefault(draft.team.id, [])
        about = {("team", draft.team.id): prose("pack.questions.team")}
        for i, objective in enumerate(draft.objectives, start=1):
            label = prose("pack.questions.objective", number=i)
            about[("objective", objective.id)] = label
            for j, kr in enumerate(objective.key_results, start=1):
                about[("key_result", kr.id)] = prose("pack.questions.key_result", number=f"{i}.{j}")
            if draft.team.kind != "top" and any(t not in top_ids for t in objective.fields.contributes_to):
                found.append(_OpenPoint(label, prose("pack.questions.removed_top"),
                                        prose("pack.questions.removed_top_why")))
            for j, kr in enumerate(objective.key_results, start=1):
                for request in by_kr.get(kr.id, ()):
                    if request.to_team_removed:
                        found.append(_OpenPoint(prose("pack.questions.key_result", number=f"{i}.{j}"),
                                                prose("pack.questions.removed_team", team=request.to_team),
                                                prose("pack.questions.removed_team_why")))
        for key, label in about.items():
            found += [_OpenPoint(label, q.question, q.reason) for q in per_item.get(key, ())
                      if (*key, q.rule) not in discussed]
    return points


class _PackWriter:
    """Writes the pack's sections into one document."""

    def __init__(self, doc: DocxDocument, engagement: Engagement, facts: _PackContent, prose: Prose,
                 guide_labels: dict, with_questions: bool):
        self.doc, self.engagement, self.facts, self.prose = doc, engagement, facts, prose
        self.type_labels, self.with_questions = guide_labels, with_questions
        self.tops = [draft for draft in facts.drafts if draft.team.kind == "top"]
        self.breakout = [draft for draft in facts.drafts if draft.team.kind != "top"]
        self.top_texts = {o.id: o.fields.text for draft in self.tops for o in draft.objectives}
        self.team_names = {draft.team.id: draft.team.name for draft in facts.drafts}
        self.contents: list[word.ContentsEntry] = []

    def _heading(self, text: str, level: int, new_page: bool = False, limit: int = 150):
        """A heading; sections and teams are also listed in the contents."""
        if level > CONTENTS_LEVELS:
            return word.heading(self.doc, text, level, new_page=new_page, limit=limit)
        number = len(self.contents) + 1
        name = f"_Toc{number:05d}"
        self.contents.append(word.ContentsEntry(level, word.short(text, limit), name))
        return word.heading(self.doc, text, level, new_page=new_page, limit=limit, bookmark=(number, name))

    def _muted(self, text: str) -> None:
        word.para(self.doc, text, italic=True, color=word.MUTED)

    # --- cover, summary, contents ----------------------------------------------------------------
    def cover(self, workshop: str) -> None:
        doc, p, engagement = self.doc, self.prose, self.engagement
        kicker = word.para(doc, p("pack.kicker"), word.KICKER)
        kicker.paragraph_format.space_before = Pt(150)
        word.heading(doc, p("pack.title"), 0)
        word.para(doc, p("pack.subtitle"), "Subtitle")
        labels = p.names("pack.cover_labels")
        details = [
            (labels["client"], engagement.client or engagement.name),
            (labels["workshop"], workshop),
            (labels["date"], p.formats.long_date(self.facts.workshop_day)),
            (labels["facilitator"], engagement.facilitator or p("pack.not_set")),
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

    def summary(self) -> None:
        doc, p, facts = self.doc, self.prose, self.facts
        self._heading(p("pack.summary.heading"), 1, new_page=True)
        word.para(doc, p("pack.summary.intro"))
        objectives = [o for d in facts.drafts for o in d.objectives]
        ready = [o for o in objectives if o.fields.status == "ready"]
        krs_ready = sum(len(o.key_results) for o in ready)
        krs_total = sum(len(o.key_results) for o in objectives)
        answers = [r.status for r in facts.requests]
        pending = [r for r in facts.requests if r.status not in ("accepted", "declined") and not r.to_team_removed]
        declined = [r for r in facts.requests if r.status == "declined"]
        questions = sum(len(points) for points in facts.open_points.values())
        word.heading(doc, p("pack.summary.figures_heading"), 3)
        teams_value = "pack.summary.teams_value" if self.tops else "pack.summary.teams_value_no_top"
        figures = [
            [p("pack.summary.teams"), p.counted(teams_value, len(self.breakout))],
            [p("pack.summary.objectives"), p("pack.summary.objectives_value", total=len(objectives),
                                             ready=len(ready), drafting=len(objectives) - len(ready))],
            [p("pack.summary.key_results"), p("pack.summary.key_results_value", total=krs_total, ready=krs_ready,
                                              drafting=krs_total - krs_ready)],
            [p("pack.summary.dependencies"), p("pack.summary.dependencies_value", total=len(answers),
                                               accepted=answers.count("accepted"), pending=len(pending),
                                               declined=len(declined))],
        ]
        if self.with_questions:
            figures.append([p("pack.summary.questions"), p.counted("pack.summary.questions_value", questions)])
        self._two_column(figures)
        support = self._support()
        if self.tops and any(d.objectives for d in self.tops):
            word.heading(doc, p("pack.summary.support_heading"), 3)
            word.table(doc, p.many("pack.summary.support_columns"),
                       [[word.short(text, 140), str(count), self._some_teams(teams) if teams
                         else p("pack.summary.support_none")] for text, count, teams in support],
                       [8.5, 2.5, 6.0], keep_together=True)
        over = self._over_limits()
        word.heading(doc, p("pack.summary.limits_heading"), 3)
        if over:
            shown = over[:SUMMARY_LINES]
            if len(over) > len(shown):
                shown.append(p("pack.summary.limits_more", count=len(over) - len(shown)))
            word.bullets(doc, shown)
        else:
            word.para(doc, p("pack.summary.limits_none"))
        word.heading(doc, p("pack.summary.decisions_heading"), 3)
        decisions = self._decisions(support, over, pending, declined, objectives, ready)
        if decisions:
            word.bullets(doc, decisions, numbered=True)
        else:
            word.para(doc, p("pack.summary.decisions_none"))

    def _support(self) -> list[tuple[str, int, list[str]]]:
        """Each top-level objective, how many team objectives support it and which teams."""
        rows = []
        for top in (o for d in self.tops for o in d.objectives):
            under = [(d.team.name, o) for d in self.breakout for o in d.objectives
                     if top.id in o.fields.contributes_to]
            rows.append((top.fields.text, len(under), list(dict.fromkeys(name for name, _ in under))))
        return rows

    def _some_teams(self, names: list[str]) -> str:
        names = list(dict.fromkeys(names))
        if len(names) <= SUMMARY_LINES:
            return ", ".join(names)
        return self.prose("pack.summary.more_teams", teams=", ".join(names[:SUMMARY_LINES]),
                          count=len(names) - SUMMARY_LINES)

    def _over_limits(self) -> list[str]:
        p, params = self.prose, self.engagement.params
        found = []
        for draft in self.facts.drafts:
            numbers = {objective.id: number for number, objective in enumerate(draft.objectives, start=1)}
            for objective, _ in review.outside_limits(draft, params):
                if objective is None:
                    found.append(p("pack.summary.too_many_objectives", team=draft.team.name,
                                   count=len(draft.objectives)))
                else:
                    found.append(p.counted("pack.summary.key_result_count", len(objective.key_results),
                                           team=draft.team.name, number=numbers[objective.id]))
        return found

    def _decisions(self, support, over, pending, declined, objectives, ready) -> list[str]:
        p = self.prose
        decisions = [p("pack.summary.decision_unsupported", top=word.short(text, 120))
                     for text, count, _ in support if count == 0][:SUMMARY_LINES]
        if self.tops and "top" in self.engagement.params.levels:
            unlinked = sum(not o.fields.contributes_to for d in self.breakout for o in d.objectives)
            if unlinked:
                decisions.append(p.counted("pack.summary.decision_unlinked", unlinked))
        if declined:
            pairs = [f"{r.from_team} → {r.to_team}" for r in declined]
            decisions.append(p.counted("pack.summary.decision_declined", len(declined), teams=self._some_teams(pairs)))
        if pending:
            decisions.append(p.counted("pack.summary.decision_open", len(pending),
                                       teams=self._some_teams([r.to_team for r in pending])))
        if over:
            decisions.append(p.counted("pack.summary.decision_limits", len(over)))
        if len(ready) < len(objectives):
            decisions.append(p.counted("pack.summary.decision_drafting", len(objectives) - len(ready),
                                       total=len(objectives)))
        return decisions

    def contents_page(self):
        """The contents heading on a page of its own; the entries are added once every heading is written."""
        heading = word.para(self.doc, self.prose("pack.contents_heading"), word.KICKER)
        heading.paragraph_format.page_break_before = True
        return heading

    # --- parameters and agenda -------------------------------------------------------------------
    def parameters(self) -> None:
        doc, p, params = self.doc, self.prose, self.engagement.params
        self._heading(p("pack.parameters.heading"), 1, new_page=True)
        word.para(doc, p("pack.parameters.intro"))
        level_names = p.names("pack.parameters.level_names")
        self._two_column([
            [p("pack.parameters.levels"), ", ".join(level_names.get(level, level) for level in params.levels)],
            [p("pack.parameters.cycle"), p("pack.parameters.cycle_value")],
            [p("pack.parameters.objectives"), p("pack.parameters.objectives_value")],
            [p("pack.parameters.key_results"), p("pack.parameters.key_results_value")],
            [p("pack.parameters.milestones"), p("pack.parameters.milestones_allowed" if params.milestones_allowed
                                                else "pack.parameters.milestones_not_allowed")],
        ])

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
        if facts.run is None or not any(item["started"] for item in facts.agenda):
            return  # no agenda was run: the section is left out
        self._heading(p("pack.agenda.heading"), 1)
        word.para(doc, p("pack.agenda.intro", zone=self.engagement.time_zone))
        rows, planned_total, actual_total = [], 0.0, 0.0
        live = facts.run.state.current if facts.run.state.status in ("running", "paused") else None
        for item in facts.agenda:
            planned, actual = item["planned_minutes"], item["actual_minutes"]
            started = p.formats.clock(item["started"]) if item["started"] else ""
            if actual is None:  # skipped or still to come: in neither total, so the totals compare like with like
                actual_text = p("pack.agenda.skipped" if item["skipped"] else "pack.agenda.not_run")
                difference = ""
            else:
                planned_total += planned
                actual_total += actual
                actual_text = p.formats.number(round(actual))
                if item["index"] == live:
                    actual_text += f" ({p('pack.agenda.running')})"
                difference = _signed(round(actual) - round(planned))
            rows.append([str(item["index"] + 1), item["title"], item["kind"], started,
                         p.formats.number(round(planned)), actual_text, difference])
        # Rounded per row first, so the total row is the sum of the figures printed above it.
        planned_sum = sum(round(i["planned_minutes"]) for i in facts.agenda if i["actual_minutes"] is not None)
        actual_sum = sum(round(i["actual_minutes"]) for i in facts.agenda if i["actual_minutes"] is not None)
        rows.append(["", p("pack.agenda.total"), "", "", p.formats.number(planned_sum), p.formats.number(actual_sum),
                     _signed(actual_sum - planned_sum)])
        word.table(doc, p.many("pack.agenda.columns"), rows, [0.8, 6.4, 2.0, 1.8, 2.0, 2.0, 2.0],
                   bold_last_row=True)

    # --- OKRs ------------------------------------------------------------------------------------
    def top_level(self) -> None:
        if not any(draft.objectives for draft in self.tops):
            return  # no top-level objectives were drafted: the section is left out
        self._heading(self.prose("pack.top.heading"), 1, new_page=True)
        word.para(self.doc, self.prose("pack.top.intro"))
        for draft in self.tops:
            self.team(draft, new_page=False)

    def teams(self) -> None:
        if not self.breakout:
            return
        self._heading(self.prose("pack.teams.heading"), 1, new_page=True)
        intro = self.prose("pack.teams.intro")
        word.para(self.doc, f"{intro} {self.prose('pack.teams.intro_questions')}" if self.with_questions else intro)
        for number, draft in enumerate(self.breakout):
            self.team(draft, new_page=number > 0)

    def team(self, draft: Draft, new_page: bool) -> None:
        doc, p = self.doc, self.prose
        self._heading(draft.team.name, 2, new_page=new_page)
        if draft.team.purpose.strip():
            word.para(doc, p("pack.teams.purpose"), word.FIELD_LABEL)
            word.para(doc, draft.team.purpose)
        if not draft.objectives:
            self._muted(p("pack.teams.no_objectives"))
        for number, objective in enumerate(draft.objectives, start=1):
            self.objective(draft, objective, number)
        if self.with_questions:
            self.questions(draft)

    def objective(self, draft: Draft, objective: Objective, number: int) -> None:
        doc, p = self.doc, self.prose
        fields = objective.fields
        label = p("pack.objective.heading", number=number)
        # Heading, status, Why now? and the key results table are kept on one page where they fit.
        word.heading(doc, f"{label}: {word.short(fields.text, HEADING_CHARS)}", 3, limit=HEADING_CHARS + 40)
        if len(word.short(fields.text, 10**6)) > HEADING_CHARS:
            word.para(doc, fields.text, bold=True, keep_with_next=True)
        statuses = p.names("pack.objective.statuses")
        meta = [(p("pack.objective.status") + ": ", True), (statuses.get(fields.status, fields.status), False)]
        if draft.team.kind != "top" and "top" in self.engagement.params.levels:
            names = [word.short(self.top_texts.get(top_id, p("pack.objective.removed_top")), 90)
                     for top_id in fields.contributes_to]
            meta += [("    " + p("pack.objective.contributes_to") + ": ", True),
                     ("; ".join(names) or p("pack.objective.contributes_to_nothing"), False)]
        word.runs(doc, meta, keep_with_next=True)
        word.para(doc, p("pack.objective.why_now"), word.FIELD_LABEL, keep_with_next=True)
        lines = [line for line in word.safe(fields.why_now).split("\n") if line.strip()]
        if not lines:
            word.para(doc, p("pack.objective.why_now_missing"), italic=True, color=word.MUTED, keep_with_next=True)
        for line in lines:
            word.para(doc, line, keep_with_next=True)
        if not objective.key_results:
            self._muted(p("pack.objective.no_key_results"))
            return
        rows = [self._kr_row(f"{number}.{index}", kr) for index, kr in enumerate(objective.key_results, start=1)]
        word.table(doc, p.many("pack.objective.key_result_columns"), rows, [0.9, 4.7, 2.0, 2.3, 1.8, 2.9, 2.4],
                   keep_together=True)

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
        answers = p.names("pack.alignment.answers")
        depends = "\n".join(
            f"{r.to_team}{' ' + p('pack.objective.removed_team') if r.to_team_removed else ''}: "
            f"{answers.get(r.status, r.status)}" for r in self.facts.requests_by_kr.get(kr.id, ()))
        return [number, text, self.type_labels.get(fields.kr_type, fields.kr_type), from_to(kr, p),
                p.formats.short_date(fields.due) if fields.due else "", champion, depends]

    def questions(self, draft: Draft) -> None:
        """The team's open coaching questions and points, in a box right after its OKRs."""
        points = self.facts.open_points.get(draft.team.id, [])
        if not points:
            return
        p = self.prose
        word.para(self.doc, p("pack.questions.heading", team=word.short(draft.team.name, 80)), word.FIELD_LABEL,
                  keep_with_next=True)
        word.table(self.doc, p.many("pack.questions.columns"), [[x.about, x.text, x.why] for x in points],
                   [2.6, 7.6, 6.8], fill=word.LABEL_FILL_HEX)

    # --- alignment -------------------------------------------------------------------------------
    def alignment(self) -> None:
        doc, p = self.doc, self.prose
        if not any(d.objectives for d in self.breakout) and not self.facts.requests:
            return
        self._heading(p("pack.alignment.heading"), 1, new_page=True)
        word.para(doc, p("pack.alignment.intro"))
        if self.tops and "top" in self.engagement.params.levels and any(d.objectives for d in self.breakout):
            self._vertical()
        self._horizontal()
        self._matrix()

    def _vertical(self) -> None:
        doc, p = self.doc, self.prose
        word.heading(doc, p("pack.alignment.vertical_heading"), 2)
        statuses = p.names("pack.objective.statuses")
        groups: list[tuple[str, list]] = []
        for top in (o for d in self.tops for o in d.objectives):
            groups.append((top.fields.text, [(d, o) for d in self.breakout for o in d.objectives
                                             if top.id in o.fields.contributes_to]))
        removed = [(d, o) for d in self.breakout for o in d.objectives
                   if any(t not in self.top_texts for t in o.fields.contributes_to)]
        unlinked = [(d, o) for d in self.breakout for o in d.objectives if not o.fields.contributes_to]
        groups += [(p("pack.alignment.removed_group"), removed)] if removed else []
        groups += [(p("pack.alignment.unlinked_group"), unlinked)] if unlinked else []
        for title, under in groups:
            word.heading(doc, title, 3, limit=HEADING_CHARS + 40)
            if not under:
                self._muted(p("pack.alignment.vertical_none"))
                continue
            rows = [[d.team.name, o.fields.text, statuses.get(o.fields.status, o.fields.status),
                     p.formats.number(len(o.key_results))] for d, o in under]
            word.table(doc, p.many("pack.alignment.vertical_columns"), rows, [3.5, 9.5, 2.4, 1.6])

    def _horizontal(self) -> None:
        doc, p = self.doc, self.prose
        requests = self.facts.requests
        if not requests:
            return
        word.heading(doc, p("pack.alignment.horizontal_heading"), 2)
        answers = p.names("pack.alignment.answers")
        removed = p("pack.objective.removed_team")
        rows = [[r.from_team, f"{r.to_team} {removed}" if r.to_team_removed else r.to_team,
                 word.short(r.key_result, 200), answers.get(r.status, r.status), r.comment or ""] for r in requests]
        word.table(doc, p.many("pack.alignment.horizontal_columns"), rows, [2.6, 2.6, 6.0, 2.6, 3.2])

    def _matrix(self) -> None:
        doc, p, matrix = self.doc, self.prose, self.facts.matrix
        if matrix is None or not len(matrix.columns) or not matrix.values.any():
            return
        word.heading(doc, p("pack.alignment.matrix_heading"), 2)
        word.para(doc, p("pack.alignment.matrix_intro"))
        headers = [p("pack.alignment.matrix_corner"), *[str(name) for name in matrix.columns]]
        rows = [[str(asking), *[("—" if asking == asked else str(matrix.loc[asking, asked] or ""))
                                for asked in matrix.columns]] for asking in matrix.index]
        corner = 3.2
        word.table(doc, headers, rows, [corner, *[(word.TEXT_WIDTH_CM - corner) / len(matrix.columns)]
                                        * len(matrix.columns)])

    # --- the rest --------------------------------------------------------------------------------
    def candidates(self) -> None:
        passed = [c for c in self.facts.candidates if c.promoted_objective_id is None]
        if not passed:
            return  # no executive session, or every candidate chosen: the section is left out
        doc, p = self.doc, self.prose
        self._heading(p("pack.candidates.heading"), 1, new_page=True)
        word.para(doc, p("pack.candidates.intro"))
        rows = [[c.text, c.why, c.proposed_by, p.formats.number(c.dots)] for c in passed]
        word.table(doc, p.many("pack.candidates.columns"), rows, [7.0, 6.0, 2.7, 1.3])

    def parking_lot(self) -> None:
        if not self.facts.parked:
            return
        doc, p = self.doc, self.prose
        self._heading(p("pack.parking_lot.heading"), 1, new_page=True)
        word.para(doc, p("pack.parking_lot.intro"))
        rows = [[str(number), item.text, item.raised_by, p("pack.parking_lot.done" if item.done
                                                            else "pack.parking_lot.open")]
                for number, item in enumerate(self.facts.parked, start=1)]
        word.table(doc, p.many("pack.parking_lot.columns"), rows, [0.9, 11.1, 3.0, 2.0])

    def next_steps(self, steps: list) -> None:
        doc, p = self.doc, self.prose
        self._heading(p("pack.next_steps.heading"), 1, new_page=True)
        word.para(doc, p("pack.next_steps.intro"))
        rows = [[str(number), step.what, step.who, step.when] for number, step in enumerate(steps, start=1)]
        word.table(doc, p.many("pack.next_steps.columns"), rows, [0.8, 9.4, 3.6, 3.2])
        word.heading(doc, p("pack.next_steps.checkin_heading"), 2)
        word.para(doc, p("pack.next_steps.checkin_intro"))
        word.bullets(doc, p.many("pack.next_steps.checkin_questions"), numbered=True)


def _signed(minutes: int) -> str:
    return "0" if minutes == 0 else (f"+{minutes}" if minutes > 0 else f"−{-minutes}")


def build_pack(store: Store, engagement: Engagement, now: float | None = None, *,
               with_questions: bool = True) -> bytes:
    """The post-workshop draft pack as .docx bytes; with_questions=False leaves each team's open questions out."""
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
    word.contents_styles(doc, CONTENTS_LEVELS)
    writer = _PackWriter(doc, engagement, facts, prose, type_labels, with_questions)
    writer.cover(workshop)
    writer.summary()
    contents = writer.contents_page()
    writer.parameters()
    writer.agenda()
    writer.top_level()
    writer.teams()
    writer.alignment()
    writer.candidates()
    writer.parking_lot()
    writer.next_steps(next_steps.for_pack(engagement, facts.workshop_day, prose, facts.drafts, facts.requests,
                                          facts.parked))
    word.contents(contents, writer.contents)
    word.update_fields_on_open(doc)
    return word.to_bytes(doc)
