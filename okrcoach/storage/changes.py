"""The one place that records "this changed, redraw": team laptops and live screens poll these stamps."""

import sqlite_utils


def teams_changed(db: sqlite_utils.Database, team_ids: set[int] | list[int], card: str | None = None) -> None:
    """Mark teams' pages changed so their open laptops redraw: only `card` (e.g. "objective-12") if that is all."""
    for team_id in team_ids:
        db.execute("UPDATE teams SET stamp = stamp + 1, changed_card = ? WHERE id = ?", [card, team_id])


def engagement_changed(db: sqlite_utils.Database, engagement_id: int) -> None:
    """Mark the engagement changed so the projector, the console and the board redraw."""
    db.execute("UPDATE engagements SET stamp = stamp + 1 WHERE id = ?", [engagement_id])
