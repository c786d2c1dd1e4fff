"""The revision log: every saved version of every draft, so overwritten text can be recovered."""

import json
import time

import sqlite_utils

from okrcoach.storage.store import Store


def record(db: sqlite_utils.Database, *, engagement_id: int, team_id: int | None, entity: str,
           entity_id: int, version: int, body: dict, author: str, outcome: str = "saved") -> None:
    """Add one version to the log inside the caller's write transaction."""
    db["revisions"].insert({
        "engagement_id": engagement_id,
        "team_id": team_id,
        "entity": entity,
        "entity_id": entity_id,
        "version": version,
        "body": json.dumps(body, ensure_ascii=False, default=str),
        "author": author,
        "saved_at": time.time(),
        "outcome": outcome,
    })


def history(store: Store, entity: str, entity_id: int) -> list[dict]:
    """Every logged version of one objective, key result or team purpose, oldest first."""
    with store.read() as db:
        rows = list(db.query(
            "SELECT version, body, author, saved_at, outcome FROM revisions "
            "WHERE entity = ? AND entity_id = ? ORDER BY id", [entity, entity_id]))
    return [{**row, "body": json.loads(row["body"])} for row in rows]


def first_saved(store: Store, engagement_id: int) -> float | None:
    """When the engagement's first draft was saved (seconds since 1970), or None if nothing was saved."""
    with store.read() as db:
        return db.execute("SELECT min(saved_at) FROM revisions WHERE engagement_id = ?", [engagement_id]).fetchone()[0]
