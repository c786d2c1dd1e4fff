"""The breakout progress board: how far each team's draft has come, for the projector and console."""

import time
from dataclasses import dataclass

from okrcoach.storage.store import Store
from okrcoach.workshop.laptops import CONNECTED_SECONDS


@dataclass(frozen=True)
class TeamProgress:
    """One row of the board."""

    team_id: int
    name: str
    slug: str
    objectives: int
    key_results: int
    why_now_written: int
    ready: int
    last_edit: float | None
    laptops: int = 0  # connected now


def board(store: Store, engagement_id: int, now: float | None = None) -> list[TeamProgress]:
    """Every team of the engagement with its draft counts, last edit and laptops connected now, in one query."""
    since = (time.time() if now is None else now) - CONNECTED_SECONDS
    with store.read() as db:
        rows = db.query(
            """
            SELECT t.id AS team_id, t.name, t.slug,
                   count(DISTINCT o.id) AS objectives,
                   count(DISTINCT k.id) AS key_results,
                   count(DISTINCT CASE WHEN trim(o.why_now) != '' THEN o.id END) AS why_now_written,
                   count(DISTINCT CASE WHEN o.status = 'ready' THEN o.id END) AS ready,
                   max(max(coalesce(o.updated_at, 0), coalesce(k.updated_at, 0))) AS last_edit,
                   (SELECT count(*) FROM laptops l WHERE l.team_id = t.id AND l.seen_at > ?) AS laptops
            FROM teams t
            LEFT JOIN objectives o ON o.team_id = t.id AND o.removed_at IS NULL
            LEFT JOIN key_results k ON k.objective_id = o.id AND k.removed_at IS NULL
            WHERE t.engagement_id = ? AND t.removed_at IS NULL
            GROUP BY t.id ORDER BY t.kind = 'team', t.position, t.id
            """, [since, engagement_id])
        return [TeamProgress(**{**row, "last_edit": row["last_edit"] or None}) for row in rows]


def stamp(store: Store, engagement_id: int) -> int:
    """A number that changes whenever anything in the engagement changes."""
    with store.read() as db:
        row = db.execute("SELECT stamp FROM engagements WHERE id = ?", [engagement_id]).fetchone()
    return row[0] if row else -1
