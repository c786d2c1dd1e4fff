"""Comments other teams attach to a presenting team's objectives and key results during a share-out."""

import time
from dataclasses import dataclass

from okrcoach import text
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop.teams import Team


@dataclass(frozen=True)
class Comment:
    """One team's comment on another team's objective or key result."""

    id: int
    objective_id: int
    key_result_id: int | None
    from_team: str
    text: str
    created_at: float
    author: str = ""


def add(store: Store, from_team: Team, objective_id: int, key_result_id: int | None, comment: str,
        author: str = "") -> int:
    """Attach a comment to another team's objective (or one of its key results), with who wrote it."""
    comment = text.clean(comment, "The comment", required=True, max_chars=1000)
    with store.write() as db:
        row = db.execute("SELECT o.team_id, t.engagement_id FROM objectives o JOIN teams t ON t.id = o.team_id "
                         "WHERE o.id = ? AND o.removed_at IS NULL", [objective_id]).fetchone()
        if not row or row[1] != from_team.engagement_id:
            raise InputError("That objective is no longer in the workshop.")
        if key_result_id is not None and not db.execute(
                "SELECT 1 FROM key_results WHERE id = ? AND objective_id = ?", [key_result_id, objective_id]
        ).fetchone():
            raise InputError("That key result is not part of the objective.")
        comment_id = db["comments"].insert({"objective_id": objective_id, "key_result_id": key_result_id,
                                            "from_team_id": from_team.id, "text": comment,
                                            "created_at": time.time(),
                                            "author": text.one_line(author, "Your name", max_chars=100)}).last_pk
        changes.teams_changed(db, {row[0], from_team.id})
        changes.engagement_changed(db, from_team.engagement_id)
        return comment_id


def on_team(store: Store, team_id: int) -> list[Comment]:
    """Every comment made on a team's objectives and key results, oldest first."""
    with store.read() as db:
        return [Comment(**row) for row in db.query(
            "SELECT c.id, c.objective_id, c.key_result_id, f.name AS from_team, c.text, c.created_at, c.author "
            "FROM comments c JOIN objectives o ON o.id = c.objective_id JOIN teams f ON f.id = c.from_team_id "
            "WHERE o.team_id = ? ORDER BY c.id", [team_id])]
