"""The CSV for the client's OKR tool: one row per key result, UTF-8 with a BOM, a fixed header, no formulas."""

import csv
import io

from okrcoach import humanize
from okrcoach.drafting import dependencies, drafts
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import Engagement

COLUMNS = ("objective_id", "key_result_id", "team", "team_level", "objective", "status", "why_now",
           "contributes_to", "key_result", "kr_type", "baseline", "target", "unit", "due", "champion",
           "contributors", "depends_on", "cycle_start", "cycle_end")
# What the offline review needs; a file with these (in any order, among others) can be reviewed.
REVIEW_COLUMNS = ("team", "objective", "why_now", "key_result", "kr_type", "baseline", "target", "unit", "due",
                  "champion", "contributes_to", "depends_on")
# Columns the export writes itself (ids, exact numbers, ISO dates): never people's text.
WRITTEN_BY_US = frozenset({"objective_id", "key_result_id", "baseline", "target", "due", "cycle_start",
                           "cycle_end"})
LIST_SEPARATOR = "; "
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def rows(store: Store, engagement: Engagement, team_slug: str | None = None,
         with_answers: bool = False) -> list[dict[str, str]]:
    """One row per key result (an objective without key results gets one row with them empty), as stored.

    team_slug keeps one team's rows; with_answers adds each dependency's answer ("Stores team (accepted)"),
    which is what the offline review needs to read a backup.
    """
    all_drafts = drafts.load_all(store, engagement.id)
    if team_slug is not None:
        all_drafts = [d for d in all_drafts if d.team.slug == team_slug]
        if not all_drafts:
            raise InputError(f"There is no team with the link name '{team_slug}' in this engagement; its teams "
                             f"are {', '.join(t.slug for t in teams.list_teams(store, engagement.id))}.")
    answers = {(r.key_result_id, r.to_team_id): r.status for r in dependencies.all_requests(store, engagement.id)}
    top_texts = {o.id: o.fields.text for o in drafts.top_objectives(store, engagement.id)}
    names = {t.id: t.name for t in teams.list_teams(store, engagement.id)}
    cycle = {"cycle_start": engagement.cycle_start.isoformat(), "cycle_end": engagement.cycle_end.isoformat()}
    result = []
    for draft in all_drafts:
        for objective in draft.objectives:
            base = {"objective_id": str(objective.id), "team": draft.team.name, "team_level": draft.team.kind,
                    "objective": objective.fields.text, "status": objective.fields.status,
                    "why_now": objective.fields.why_now,
                    "contributes_to": LIST_SEPARATOR.join(
                        top_texts.get(i, "(removed top-level objective)") for i in objective.fields.contributes_to),
                    **cycle}
            empty = dict.fromkeys(COLUMNS, "")
            if not objective.key_results:
                result.append({**empty, **base})
            for kr in objective.key_results:
                fields = kr.fields
                result.append({**empty, **base, "key_result_id": str(kr.id), "key_result": fields.text,
                               "kr_type": fields.kr_type, "baseline": humanize.exact(fields.baseline),
                               "target": humanize.exact(fields.target), "unit": fields.unit,
                               "due": fields.due.isoformat() if fields.due else "",
                               "champion": fields.champion, "contributors": fields.contributors,
                               "depends_on": LIST_SEPARATOR.join(
                                   names.get(t, "(removed team)")
                                   + (f" ({answers.get((kr.id, t), 'requested')})" if with_answers else "")
                                   for t in fields.depends_on)})
    return result


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as typed and never runs: a leading formula character gets a quote before it.

    A text that already looks like that gets one more quote, so reading back (`as_typed`) is exact.
    """
    return QUOTE + text if text.startswith(FORMULA_STARTS) or as_typed(text) != text else text


def as_typed(cell: str) -> str:
    """A cell written by `neutralised` read back as the person typed it."""
    return cell[1:] if cell.startswith(QUOTE) and cell[1:].startswith((*FORMULA_STARTS, QUOTE)) else cell


def build_csv(store: Store, engagement: Engagement, team_slug: str | None = None) -> bytes:
    """The CSV file's bytes (UTF-8 with a byte-order mark, so Excel shows accents and € as typed)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(store, engagement, team_slug):
        writer.writerow({name: value if name in WRITTEN_BY_US else neutralised(value) for name, value in row.items()})
    return buffer.getvalue().encode("utf-8-sig")
