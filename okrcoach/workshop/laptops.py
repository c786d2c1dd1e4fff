"""Team laptops: each has a random id in its link, the name of the person using it, and when it was last seen."""

import time

from okrcoach import text
from okrcoach.storage import changes
from okrcoach.storage.store import Store

HEARTBEAT_SECONDS = 10  # an open team page says it is there this often
CONNECTED_SECONDS = 30  # ...and counts as connected for this long after


def name(store: Store, laptop_id: str) -> str:
    """The name given on this laptop, or ''."""
    with store.read() as db:
        row = db.execute("SELECT name FROM laptops WHERE id = ?", [laptop_id]).fetchone()
    return row[0] if row else ""


def set_name(store: Store, laptop_id: str, typed: str | None) -> str:
    """Keep the name of the person on this laptop; returns it cleaned."""
    cleaned = text.one_line(typed, "Your name", max_chars=60)
    with store.write() as db:
        db.execute("INSERT INTO laptops (id, name, seen_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at",
                   [laptop_id, cleaned, time.time()])
    return cleaned


def seen(store: Store, laptop_id: str, team_id: int, engagement_id: int, now: float | None = None) -> None:
    """Note that this laptop has its team's page open now (the board counts the laptops connected).

    Written only when the stored time is half-way to going stale or the laptop changed team: a heartbeat
    that would change nothing the board shows costs a read, not a write that saves must wait behind.
    """
    now = time.time() if now is None else now
    with store.read() as db:
        row = db.execute("SELECT team_id, seen_at FROM laptops WHERE id = ?", [laptop_id]).fetchone()
    if row is not None and row[0] == team_id and row[1] >= now - CONNECTED_SECONDS / 2:
        return
    with store.write() as db:
        row = db.execute("SELECT team_id, seen_at FROM laptops WHERE id = ?", [laptop_id]).fetchone()
        db.execute("INSERT INTO laptops (id, name, seen_at, team_id) VALUES (?, '', ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, team_id = excluded.team_id",
                   [laptop_id, now, team_id])
        if row is None or row[0] != team_id or row[1] < now - CONNECTED_SECONDS:
            changes.engagement_changed(db, engagement_id)  # a laptop joined: the console's board redraws
