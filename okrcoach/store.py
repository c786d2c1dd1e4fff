"""The SQLite store: a connection per thread, WAL, busy timeout, BEGIN IMMEDIATE writes."""

import os
import sqlite3
import threading
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
    """Where one workshop's state lives; safe to share, as each thread gets a connection of its own."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Streamlit runs each burst of script runs on a fresh thread: one connection serves a whole page
        # run instead of one per read, and goes when its thread does. Never shared between threads.
        self._local = threading.local()
        db = _connect(self.path)
        try:
            db.enable_wal()
            migrate(db)
        finally:
            db.close()
        # Held open and otherwise unused: when the last connection to a WAL database closes, SQLite
        # checkpoints and removes the log under an exclusive lock, and a page opening a connection then
        # can wait in the busy handler. With this one open, that never happens while the app runs.
        self._keeper = _connect(self.path)
        self._keeper.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()

    def _connection(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = _connect(self.path)
        return db

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """This thread's connection, for reading; inside this thread's own write, a separate one."""
        db = self._connection()
        if not db.conn.in_transaction:
            yield db
            return
        # A read nested in a write sees what is committed, as every other reader does.
        separate = _connect(self.path)
        try:
            yield separate
        finally:
            separate.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A short write transaction begun with BEGIN IMMEDIATE; committed on success."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


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
