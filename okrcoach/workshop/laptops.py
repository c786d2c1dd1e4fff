"""Team laptops: each has a random id in its link, and the name of the person using it."""

import time

from okrcoach import text
from okrcoach.storage.store import Store


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
