"""Horizontal alignment: a key result's request for help from another team, answered by that team."""

import time
from dataclasses import dataclass

from okrcoach import text
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import changes, revisions
from okrcoach.storage.store import Store
from okrcoach.workshop.teams import Team

ANSWERS = ("accepted", "declined")


@dataclass(frozen=True)
class Request:
    """One key result asking one team for help, and the answer so far."""

    id: int
    key_result_id: int
    key_result: str
    objective: str
    from_team_id: int
    from_team: str
    to_team_id: int
    to_team: str
    to_team_removed: bool
    status: str
    comment: str
    answered_by: str
    answered_at: float | None
    version: int


_SELECT = """
    SELECT d.id, d.key_result_id, k.text AS key_result, o.text AS objective,
           f.id AS from_team_id, f.name AS from_team, t.id AS to_team_id, t.name AS to_team,
           t.removed_at IS NOT NULL AS to_team_removed, d.status, d.comment, d.answered_by, d.answered_at,
           d.version
    FROM dependencies d
    JOIN key_results k ON k.id = d.key_result_id AND k.removed_at IS NULL
    JOIN objectives o ON o.id = k.objective_id AND o.removed_at IS NULL
    JOIN teams f ON f.id = o.team_id AND f.removed_at IS NULL
    JOIN teams t ON t.id = d.to_team_id
"""


def _requests(store: Store, where: str, params: list) -> list[Request]:
    with store.read() as db:
        rows = db.query(f"{_SELECT} WHERE {where} ORDER BY f.position, o.position, k.position, d.id", params)
        return [Request(**{**row, "to_team_removed": bool(row["to_team_removed"])}) for row in rows]


def all_requests(store: Store, engagement_id: int) -> list[Request]:
    """Every dependency in the engagement, requests to removed teams included (they are flagged)."""
    return _requests(store, "f.engagement_id = ?", [engagement_id])


def asked_of(store: Store, team_id: int) -> list[Request]:
    """What other teams ask of this team."""
    return _requests(store, "d.to_team_id = ?", [team_id])


def asked_by(store: Store, team_id: int) -> list[Request]:
    """What this team asks of others, with the answers."""
    return _requests(store, "f.id = ?", [team_id])


def answer(store: Store, team: Team, request_id: int, status: str, comment: str, author: str,
           base_version: int | None = None) -> None:
    """The asked team accepts or declines, with a short comment; only the asked team may answer.

    With base_version, an answer to a request someone answered since raises StaleEdit and changes nothing;
    every answer, applied or not, is in the revision log.
    """
    if status not in ANSWERS:
        raise InputError("Answer with accept or decline.")
    comment = text.clean(comment, "Comment", max_chars=500)
    if status == "declined" and not comment:
        raise InputError("Say briefly why you decline, so the other team can plan around it.")
    with store.write() as db:
        rows = list(db.query(
            "SELECT d.to_team_id, o.team_id AS from_team_id, d.version, d.status, d.comment, d.answered_by "
            "FROM dependencies d "
            "JOIN key_results k ON k.id = d.key_result_id JOIN objectives o ON o.id = k.objective_id "
            "WHERE d.id = ?", [request_id]))
        if not rows or rows[0]["to_team_id"] != team.id:
            raise InputError("That request was made to another team; only the team asked can answer it.")
        row = rows[0]
        mine = {"status": status, "comment": comment}
        stale = base_version is not None and row["version"] != base_version
        if not stale:
            db.execute("UPDATE dependencies SET status = ?, comment = ?, answered_at = ?, answered_by = ?, "
                       "version = version + 1 WHERE id = ?", [status, comment, time.time(), author, request_id])
            changes.teams_changed(db, {team.id, row["from_team_id"]})
            changes.engagement_changed(db, team.engagement_id)
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="dependency",
                         entity_id=request_id, version=row["version"] if stale else row["version"] + 1, body=mine,
                         author=author, outcome="conflict" if stale else "saved")
    if stale:
        raise StaleEdit("This request", mine, {"status": row["status"], "comment": row["comment"]},
                        row["version"], row["answered_by"])


def shared_with(store: Store, engagement_id: int) -> dict[int, list[int]]:
    """Key result id → the other teams that share it."""
    with store.read() as db:
        rows = db.query(
            "SELECT s.key_result_id, s.team_id FROM shared_key_results s JOIN teams t ON t.id = s.team_id "
            "WHERE t.engagement_id = ? ORDER BY t.position, t.id", [engagement_id])
        result: dict[int, list[int]] = {}
        for row in rows:
            result.setdefault(row["key_result_id"], []).append(row["team_id"])
        return result
