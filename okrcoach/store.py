"""The SQLite store: a connection per thread (kept for the next thread), WAL, busy timeout, BEGIN IMMEDIATE writes."""

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
    # check_same_thread off only so a finished thread's connection can serve the next thread: a
    # connection is still used by one thread at a time (see _Lease).
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a save acknowledged to a team survives even a power cut on the coach's laptop.
    conn.execute("PRAGMA synchronous = FULL")
    return sqlite_utils.Database(conn)


class _Lease:
    """One thread's hold on a connection; when the thread ends, the connection goes back to the pool."""

    def __init__(self, db: sqlite_utils.Database, pool: list[sqlite_utils.Database], lock: threading.Lock):
        self.db, self._pool, self._lock = db, pool, lock

    def __del__(self) -> None:
        if self.db.conn.in_transaction:  # never expected: write() always commits or rolls back
            self.db.conn.rollback()
        with self._lock:
            self._pool.append(self.db)


class Store:
    """Where one workshop's state lives; safe to share, as each thread gets a connection of its own."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Streamlit runs each burst of script runs (a clock tick, a page redraw) on a fresh thread: one
        # connection serves that thread's whole run. When the thread ends, its connection waits in the
        # pool for the next thread, so a tick does not pay for opening one. Never two threads at once.
        self._local = threading.local()
        self._pool: list[sqlite_utils.Database] = []
        self._pool_lock = threading.Lock()
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
        lease = getattr(self._local, "lease", None)
        if lease is None:
            with self._pool_lock:
                db = self._pool.pop() if self._pool else None
            lease = self._local.lease = _Lease(db or _connect(self.path), self._pool, self._pool_lock)
        return lease.db

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
