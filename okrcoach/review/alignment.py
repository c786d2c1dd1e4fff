"""Vertical and horizontal alignment as tables, and the flags the room should talk about."""

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from okrcoach.content.rules import Question
from okrcoach.drafting import dependencies, drafts
from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft, Objective
from okrcoach.review import checks as review
from okrcoach.storage.store import Store
from okrcoach.workshop.engagements import DeploymentParameters, Engagement
from okrcoach.workshop.teams import Team

NOTHING = "(contributes to nothing yet)"
REMOVED_TOP = "(removed top-level objective)"
STATUSES = ("accepted", "requested", "declined")
FLAG_KINDS = (
    "over the objective limit",
    "top-level objective without support",
    "contributes to nothing",
    "contributes to a removed objective",
    "too few key results",
    "too many key results",
    "dependency not answered",
    "dependency declined",
    "depends on a removed team",
)
VERTICAL_COLUMNS = ["top_objective", "team", "team_objective", "key_result", "kr_type", "champion",
                    "shared_with", "top_objective_id", "team_slug", "team_objective_id", "key_result_id"]
HORIZONTAL_COLUMNS = ["from_team", "to_team", "key_result", "objective", "status", "comment", "to_team_removed"]
FLAG_COLUMNS = ["kind", "team", "item", "detail"]
_LAST = 10**9  # sorts anything the drafts do not know (a stale link) after everything they do


@dataclass(frozen=True)
class AlignmentInput:
    """Everything the alignment views need, loaded once."""

    drafts: list[Draft]
    requests: list[Request]
    shared: dict[int, list[int]]
    params: DeploymentParameters
    removed_top_objective_ids: set[int]


def load(store: Store, engagement: Engagement) -> AlignmentInput:
    """The engagement's drafts, dependency requests and shared key results as they are now."""
    all_drafts = drafts.load_all(store, engagement.id)
    pointed_at = sorted({top_id for draft in all_drafts for objective in draft.objectives
                         for top_id in objective.fields.contributes_to})
    removed: set[int] = set()
    if pointed_at:
        marks = ",".join("?" * len(pointed_at))
        with store.read() as db:
            removed = {row["id"] for row in db.query(
                f"SELECT o.id FROM objectives o JOIN teams t ON t.id = o.team_id WHERE o.id IN ({marks}) "
                f"AND (o.removed_at IS NOT NULL OR t.removed_at IS NOT NULL)", pointed_at)}
    return AlignmentInput(
        drafts=all_drafts,
        requests=dependencies.all_requests(store, engagement.id),
        shared=dependencies.shared_with(store, engagement.id),
        params=engagement.params,
        removed_top_objective_ids=removed,
    )


def _top_draft(data: AlignmentInput) -> Draft | None:
    return next((draft for draft in data.drafts if draft.team.kind == "top"), None)


def _team_drafts(data: AlignmentInput) -> list[Draft]:
    return [draft for draft in data.drafts if draft.team.kind != "top"]


def _top_objectives(data: AlignmentInput) -> dict[int, Objective]:
    top = _top_draft(data)
    return {objective.id: objective for objective in top.objectives} if top else {}


def _team_named(data: AlignmentInput, team_slug: str | None) -> Team | None:
    return next((draft.team for draft in data.drafts if draft.team.slug == team_slug), None)


def _frame(rows: list[dict], columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """A table keeping None as None (pandas 3 would otherwise turn missing text into NaN)."""
    frame = pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns, dtype=object)
    return frame.astype(dtypes) if dtypes else frame


def _groups(data: AlignmentInput) -> list[tuple[str, int | None, list[tuple[Draft, Objective]]]]:
    """Each top-level objective (then the removed ones, then none) with the team objectives under it."""
    tops = _top_objectives(data)
    under: dict[int, list] = {top_id: [] for top_id in tops}
    removed, nothing = [], []
    for draft in _team_drafts(data):
        for objective in draft.objectives:
            links = objective.fields.contributes_to
            for top_id in links:
                if top_id in under:
                    under[top_id].append((draft, objective))
            # A link to anything that is no longer a live top-level objective counts as removed,
            # whether or not the loader saw it: the link is shown, never dropped.
            if any(top_id not in tops for top_id in links):
                removed.append((draft, objective))
            if not links:
                nothing.append((draft, objective))
    groups = [(objective.fields.text, top_id, under[top_id]) for top_id, objective in tops.items()]
    if removed:
        groups.append((REMOVED_TOP, None, removed))
    if nothing:
        groups.append((NOTHING, None, nothing))
    return groups


def vertical(data: AlignmentInput, team_slug: str | None = None) -> pd.DataFrame:
    """Top-level objective → contributing team objective → key result, one row per key result."""
    names = {draft.team.id: draft.team.name for draft in data.drafts}
    chosen = _team_named(data, team_slug) if team_slug else None
    everything = not team_slug or (chosen is not None and chosen.kind == "top")
    rows = []
    for label, top_id, contributors in _groups(data):
        shown = [(d, o) for d, o in contributors if everything or (chosen and d.team.id == chosen.id)]
        if not shown:
            if top_id is not None:  # top-level objectives stay for context, with nobody under them
                rows.append({"top_objective": label, "top_objective_id": top_id})
            continue
        for draft, objective in shown:
            base = {"top_objective": label, "top_objective_id": top_id, "team": draft.team.name,
                    "team_slug": draft.team.slug, "team_objective": objective.fields.text,
                    "team_objective_id": objective.id}
            if not objective.key_results:
                rows.append(base)
            for kr in objective.key_results:
                rows.append({**base, "key_result": kr.fields.text, "kr_type": kr.fields.kr_type,
                             "champion": kr.fields.champion, "key_result_id": kr.id,
                             "shared_with": ", ".join(names.get(t, "a removed team")
                                                      for t in data.shared.get(kr.id, ()))})
    return _frame(rows, VERTICAL_COLUMNS)


def _request_order(data: AlignmentInput):
    """A sort key putting requests in team, objective and key result order, then asked-team order."""
    team_index = {draft.team.id: i for i, draft in enumerate(data.drafts)}
    kr_index = {kr.id: (i, j) for draft in data.drafts for i, objective in enumerate(draft.objectives)
                for j, kr in enumerate(objective.key_results)}

    def key(request: Request) -> tuple:
        return (team_index.get(request.from_team_id, _LAST), *kr_index.get(request.key_result_id, (_LAST, _LAST)),
                team_index.get(request.to_team_id, _LAST), request.id)
    return key


def _requests(data: AlignmentInput, team_slug: str | None) -> list[Request]:
    chosen = _team_named(data, team_slug) if team_slug else None
    if team_slug and chosen is None:
        return []
    return sorted((r for r in data.requests if chosen is None or chosen.id in (r.from_team_id, r.to_team_id)),
                  key=_request_order(data))


def horizontal(data: AlignmentInput, team_slug: str | None = None) -> pd.DataFrame:
    """One row per dependency request with its answer; filtered to those the team asks or is asked."""
    rows = [{"from_team": r.from_team, "to_team": r.to_team, "key_result": r.key_result, "objective": r.objective,
             "status": r.status, "comment": r.comment, "to_team_removed": r.to_team_removed}
            for r in _requests(data, team_slug)]
    return _frame(rows, HORIZONTAL_COLUMNS, {"to_team_removed": bool})


def team_label(name: str, removed: bool) -> str:
    """How a team is named in the matrix; a removed team is marked so it is never mistaken for a live one."""
    return f"{name} (removed)" if removed else name


def status_summary(statuses) -> str:
    """'2 accepted, 1 requested' for a list of statuses, in a fixed order."""
    counts = Counter(statuses)
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])


def dependency_matrix(data: AlignmentInput) -> pd.DataFrame:
    """Asking teams (rows) × asked teams (columns), each cell counting requests by status."""
    live = [draft.team.name for draft in data.drafts]
    requests = _requests(data, None)
    askers = list(dict.fromkeys([*live, *(r.from_team for r in requests)]))
    asked = list(dict.fromkeys([*live, *(team_label(r.to_team, r.to_team_removed) for r in requests)]))
    cells: dict[tuple[str, str], list[str]] = {}
    for r in requests:
        cells.setdefault((r.from_team, team_label(r.to_team, r.to_team_removed)), []).append(r.status)
    matrix = pd.DataFrame([[status_summary(cells.get((a, b), [])) for b in asked] for a in askers],
                          index=pd.Index(askers, name="asking team", dtype=object),
                          columns=pd.Index(asked, name="asked team", dtype=object), dtype=object)
    return matrix


def _flag(kind: str, team: str, item: str, detail: str, order: tuple) -> tuple:
    """A flag row with its sort key: team, objective, key result, asked team, request, then kind."""
    key = (*order, *(-1,) * (5 - len(order)), FLAG_KINDS.index(kind))
    return key, {"kind": kind, "team": team, "item": item, "detail": detail}


def _raised(questions: list[Question], rule_id: str) -> str | None:
    """The question a rule raised among these, or None if it did not fire."""
    return next((q.question for q in questions if q.rule == rule_id), None)


def _draft_flags(data: AlignmentInput, index: int, draft: Draft, tops: dict[int, Objective],
                 supported: set[int], check_contributions: bool) -> list[tuple]:
    params, team = data.params, draft.team
    found = []
    asked = _raised(review.for_team(len(draft.objectives), params), "too_many_objectives")
    if asked:
        found.append(_flag("over the objective limit", team.name, f"{len(draft.objectives)} objectives",
                           f"The engagement allows {params.max_objectives} objectives per team. {asked}", (index,)))
    for i, objective in enumerate(draft.objectives):
        order = (index, i)
        links = objective.fields.contributes_to
        if team.kind == "top" and objective.id not in supported:
            asked = _raised(review.for_top_objective(0, params), "top_objective_unsupported")
            if asked:
                found.append(_flag("top-level objective without support", team.name, objective.fields.text, asked,
                                   order))
        questions = review.for_objective(objective.fields, [kr.fields for kr in objective.key_results], params,
                                         team.kind)
        asked = _raised(questions, "contributes_to_nothing")
        if check_contributions and asked:
            found.append(_flag("contributes to nothing", team.name, objective.fields.text, asked, order))
        gone = [top_id for top_id in links if top_id not in tops]
        if team.kind != "top" and gone:
            what = ("A top-level objective it contributes to was" if len(gone) == 1
                    else f"{len(gone)} top-level objectives it contributes to were")
            found.append(_flag("contributes to a removed objective", team.name, objective.fields.text,
                               f"{what} removed. Choose again under 'Contributes to'.", order))
        count = len(objective.key_results)
        plural = "key result" if count == 1 else "key results"
        asked = _raised(questions, "too_few_key_results")
        if asked:
            found.append(_flag("too few key results", team.name, objective.fields.text,
                               f"{count} {plural}; the engagement asks for {params.min_key_results} to "
                               f"{params.max_key_results}. {asked}", order))
        asked = _raised(questions, "too_many_key_results")
        if asked:
            found.append(_flag("too many key results", team.name, objective.fields.text,
                               f"{count} {plural}; the engagement allows {params.max_key_results}. {asked}", order))
    return found


def _request_flag(r: Request, params: DeploymentParameters, order: tuple) -> tuple | None:
    if r.to_team_removed:
        return _flag("depends on a removed team", r.from_team, r.key_result,
                     f"{r.to_team} was removed from the workshop. Agree this with another team, or drop it.",
                     order)
    questions = review.for_dependencies([(r.to_team, r.status)], params)
    asked = _raised(questions, "dependency_unanswered")
    if asked:
        return _flag("dependency not answered", r.from_team, r.key_result, asked, order)
    asked = _raised(questions, "dependency_declined")
    if asked:
        return _flag("dependency declined", r.from_team, r.key_result,
                     f"{asked} Their comment: {r.comment}" if r.comment else asked, order)
    return None


def flags(data: AlignmentInput, team_slug: str | None = None) -> pd.DataFrame:
    """What the room should talk about: one row per offending objective, key result, request or team."""
    chosen = _team_named(data, team_slug) if team_slug else None
    if team_slug and chosen is None:
        return _frame([], FLAG_COLUMNS)
    tops = _top_objectives(data)
    supported = {top_id for d in _team_drafts(data) for o in d.objectives for top_id in o.fields.contributes_to}
    check_contributions = bool(_top_draft(data)) and "top" in data.params.levels
    found = []
    for index, draft in enumerate(data.drafts):
        if chosen is None or draft.team.id == chosen.id:
            found += _draft_flags(data, index, draft, tops, supported, check_contributions)
    order_of = _request_order(data)
    for r in _requests(data, team_slug):
        flag = _request_flag(r, data.params, order_of(r))
        if flag:
            found.append(flag)
    found.sort(key=lambda pair: pair[0])
    return _frame([row for _, row in found], FLAG_COLUMNS)
