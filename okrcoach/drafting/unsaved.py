"""Typing that has left a field but is not saved yet, kept on the server per laptop until saved or discarded."""

import json
import time
from dataclasses import dataclass

from okrcoach.storage.store import Store


@dataclass(frozen=True)
class Typing:
    """One open editor on one laptop: the version it started from and what is typed in it."""

    editor: str
    base_version: int
    fields: dict
    kept_at: float


def kept(store: Store, laptop_id: str) -> dict[str, Typing]:
    """Every editor this laptop has open with unsaved typing, by editor name."""
    with store.read() as db:
        rows = db.query("SELECT editor, base_version, fields, kept_at FROM unsaved_typing WHERE laptop_id = ?",
                        [laptop_id])
        return {r["editor"]: Typing(r["editor"], r["base_version"], json.loads(r["fields"]), r["kept_at"])
                for r in rows}


def keep(store: Store, laptop_id: str, editor: str, base_version: int, fields: dict) -> None:
    """Keep what is typed in one editor (replacing what was kept for it before)."""
    with store.write() as db:
        db.execute("INSERT OR REPLACE INTO unsaved_typing (laptop_id, editor, base_version, fields, kept_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [laptop_id, editor, base_version, json.dumps(fields, default=str), time.time()])


def drop(store: Store, laptop_id: str, editor: str) -> None:
    """Forget an editor's typing: it was saved, or the person discarded it."""
    with store.write() as db:
        db.execute("DELETE FROM unsaved_typing WHERE laptop_id = ? AND editor = ?", [laptop_id, editor])
