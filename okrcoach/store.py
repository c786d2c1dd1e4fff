"""The SQLite store: a connection per operation, WAL, busy timeout, BEGIN IMMEDIATE writes."""

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

import sqlite_utils

from okrcoach.migrations import MIGRATIONS

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "okrcoach.db"
BUSY_TIMEOUT_MS = 15_000


def resolve_path(cli_path: str | None = None) -> Path:
    """The database file: the --db flag, else OKRCOACH_DB, else data/okrcoach.db."""
    return Path(cli_path or os.environ.get("OKRCOACH_DB") or DEFAULT_PATH)


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a save acknowledged to a team survives even a power cut on the coach's laptop.
    conn.execute("PRAGMA synchronous = FULL")
    return sqlite_utils.Database(conn)


class Store:
    """Where one workshop's state lives; safe to share, as it holds only the file's path."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(self.path)
        try:
            db.enable_wal()
            migrate(db)
        finally:
            db.close()

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A connection for reading, closed afterwards."""
        db = _connect(self.path)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A short write transaction begun with BEGIN IMMEDIATE; committed on success."""
        db = _connect(self.path)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of the last migration applied to this database."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the numbered migrations this database has not had yet; return the new version."""
    for number, statements in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) < number:
                for statement in _split(statements):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return schema_version(db)


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
