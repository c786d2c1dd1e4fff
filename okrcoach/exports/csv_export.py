"""The CSV for the client's OKR tool: one row per key result, UTF-8, a fixed header."""

import csv
import io

from okrcoach import humanize
from okrcoach.drafting import dependencies, drafts
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import Engagement

COLUMNS = ("team", "objective", "why_now", "key_result", "kr_type", "baseline", "target", "unit", "due",
           "champion", "contributes_to", "depends_on")
LIST_SEPARATOR = "; "


def rows(store: Store, engagement: Engagement, with_answers: bool = False) -> list[dict[str, str]]:
    """One row per key result (an objective without key results gets one row with them empty).

    with_answers adds each dependency's answer ("Stores team (accepted)") and a team_kind column,
    which is what the offline review needs to read a backup.
    """
    all_drafts = drafts.load_all(store, engagement.id)
    answers = {(r.key_result_id, r.to_team_id): r.status for r in dependencies.all_requests(store, engagement.id)}
    top_texts = {o.id: o.fields.text for d in all_drafts if d.team.kind == "top" for o in d.objectives}
    names = {t.id: t.name for t in teams.list_teams(store, engagement.id)}
    result = []
    for draft in all_drafts:
        for objective in draft.objectives:
            base = {"team": draft.team.name, **({"team_kind": draft.team.kind} if with_answers else {}),
                    "objective": objective.fields.text,
                    "why_now": objective.fields.why_now,
                    "contributes_to": LIST_SEPARATOR.join(
                        top_texts.get(i, "(removed top-level objective)") for i in objective.fields.contributes_to)}
            empty = dict.fromkeys(COLUMNS, "")
            if not objective.key_results:
                result.append({**empty, **base})
            for kr in objective.key_results:
                fields = kr.fields
                result.append({**empty, **base, "key_result": fields.text, "kr_type": fields.kr_type,
                               "baseline": humanize.figure(fields.baseline), "target": humanize.figure(fields.target),
                               "unit": fields.unit, "due": fields.due.isoformat() if fields.due else "",
                               "champion": fields.champion,
                               "depends_on": LIST_SEPARATOR.join(
                                   names.get(t, "(removed team)")
                                   + (f" ({answers.get((kr.id, t), 'requested')})" if with_answers else "")
                                   for t in fields.depends_on)})
    return result


def build_csv(store: Store, engagement: Engagement) -> bytes:
    """The CSV file's bytes."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(store, engagement))
    return buffer.getvalue().encode("utf-8")

