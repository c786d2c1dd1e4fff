"""The metrics-sorting exercise: what a team already tracks, sorted into health metric, key-result candidate or task."""

import time
from dataclasses import dataclass
from datetime import date

from okrcoach import text
from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop.engagements import DeploymentParameters
from okrcoach.workshop.teams import Team

CATEGORIES = {"health": "Health metric", "candidate": "Key-result candidate", "task": "Just-do-it"}


@dataclass(frozen=True)
class SortedMetric:
    """One metric or task a team listed, where they sorted it, and whether it became a key result."""

    id: int
    team_id: int
    team: str
    text: str
    category: str
    carried_key_result_id: int | None


def add(store: Store, team: Team, item: str, category: str, run_id: int | None = None) -> int:
    """List a metric or task the team already tracks, sorted into a category, in this agenda run."""
    if category not in CATEGORIES:
        raise InputError(f"Sort it as one of: {', '.join(CATEGORIES.values())}.")
    item = text.clean(item, "The metric or task", required=True, max_chars=300)
    with store.write() as db:
        item_id = db["sorted_metrics"].insert({"team_id": team.id, "run_id": run_id, "text": item,
                                               "category": category, "created_at": time.time()}).last_pk
        changes.teams_changed(db, {team.id})
        changes.engagement_changed(db, team.engagement_id)
        return item_id


def resort(store: Store, team: Team, item_id: int, category: str) -> None:
    """Move one of the team's items to another category."""
    if category not in CATEGORIES:
        raise InputError(f"Sort it as one of: {', '.join(CATEGORIES.values())}.")
    with store.write() as db:
        _owned(db, team, item_id)
        db.execute("UPDATE sorted_metrics SET category = ? WHERE id = ?", [category, item_id])
        changes.teams_changed(db, {team.id})
        changes.engagement_changed(db, team.engagement_id)


def delete(store: Store, team: Team, item_id: int) -> None:
    """Take one of the team's items off its list (kept in the database)."""
    with store.write() as db:
        _owned(db, team, item_id)
        db.execute("UPDATE sorted_metrics SET removed_at = ? WHERE id = ?", [time.time(), item_id])
        changes.teams_changed(db, {team.id})
        changes.engagement_changed(db, team.engagement_id)


def sorted_for(store: Store, engagement_id: int, team_id: int | None = None,
               run_id: int | None = None) -> list[SortedMetric]:
    """The room's sorted lists (or one team's), in the order listed: one agenda run's, or every run's."""
    where, params = "t.engagement_id = ? AND t.removed_at IS NULL AND m.removed_at IS NULL", [engagement_id]
    if run_id is not None:
        where, params = where + " AND m.run_id = ?", params + [run_id]
    if team_id is not None:
        where, params = where + " AND t.id = ?", params + [team_id]
    with store.read() as db:
        return [SortedMetric(**row) for row in db.query(
            f"SELECT m.id, m.team_id, t.name AS team, m.text, m.category, m.carried_key_result_id "
            f"FROM sorted_metrics m JOIN teams t ON t.id = m.team_id WHERE {where} ORDER BY t.position, m.id",
            params)]


def carry_into_draft(store: Store, team: Team, item_id: int, objective_id: int, params: DeploymentParameters,
                     cycle_end: date, author: str) -> int:
    """Make a key-result candidate a key result of one of the team's objectives, in one step."""
    with store.read() as db:
        row = _owned(db, team, item_id)
    if row["category"] != "candidate":
        raise InputError("Only key-result candidates are carried into the draft; health metrics are watched "
                         "beside the OKRs and just-do-its go in the plan.")
    if row["carried_key_result_id"]:
        raise InputError("This candidate is already a key result in your draft.")
    kr = drafts.add_key_result(store, team, objective_id, KeyResultFields(text=row["text"]), params, cycle_end,
                               author)
    with store.write() as db:
        db.execute("UPDATE sorted_metrics SET carried_key_result_id = ? WHERE id = ?", [kr.id, item_id])
    return kr.id


def _owned(db, team: Team, item_id: int) -> dict:
    rows = list(db.query("SELECT * FROM sorted_metrics WHERE id = ? AND removed_at IS NULL", [item_id]))
    if not rows:
        raise InputError("That item is no longer on the list; the page shows the current one.")
    if rows[0]["team_id"] != team.id:
        raise InputError("That item belongs to another team.")
    return rows[0]
