"""Coaching questions a team has discussed: kept, and shown as discussed rather than open."""

import time

from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop.teams import Team

ENTITIES = ("team", "objective", "key_result")


def mark(store: Store, team: Team, entity: str, entity_id: int, rule: str, author: str,
         discussed: bool = True) -> None:
    """Mark (or unmark) one question on one of the team's own items as discussed."""
    if entity not in ENTITIES:
        raise InputError(f"Questions are asked of {', '.join(ENTITIES)}.")
    with store.write() as db:
        owner = {"team": "SELECT id FROM teams WHERE id = ?",
                 "objective": "SELECT team_id FROM objectives WHERE id = ?",
                 "key_result": "SELECT o.team_id FROM key_results k JOIN objectives o ON o.id = k.objective_id "
                               "WHERE k.id = ?"}[entity]
        row = db.execute(owner, [entity_id]).fetchone()
        if not row or row[0] != team.id:
            raise InputError("That question is about another team's draft.")
        already = db.execute("SELECT 1 FROM discussed_questions WHERE entity = ? AND entity_id = ? AND rule = ?",
                             [entity, entity_id, rule]).fetchone() is not None
        if already == discussed:
            return  # a second laptop pressing the same button: nothing changes, nothing redraws
        if discussed:
            db.execute("INSERT INTO discussed_questions VALUES (?, ?, ?, ?, ?, ?)",
                       [team.id, entity, entity_id, rule, author, time.time()])
        else:
            db.execute("DELETE FROM discussed_questions WHERE entity = ? AND entity_id = ? AND rule = ?",
                       [entity, entity_id, rule])
        changes.teams_changed(db, {team.id})
        changes.engagement_changed(db, team.engagement_id)


def discussed(store: Store, engagement_id: int) -> set[tuple[str, int, str]]:
    """(entity, id, rule) of every question marked discussed in the engagement."""
    with store.read() as db:
        return {(r["entity"], r["entity_id"], r["rule"]) for r in db.query(
            "SELECT d.entity, d.entity_id, d.rule FROM discussed_questions d JOIN teams t ON t.id = d.team_id "
            "WHERE t.engagement_id = ?", [engagement_id])}
