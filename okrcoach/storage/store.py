"""The SQLite store: a connection per thread (kept for the next thread), WAL, busy timeout, BEGIN IMMEDIATE writes."""

import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

import sqlite_utils

from okrcoach.errors import StorageUnavailable
from okrcoach.storage.migrations import MIGRATIONS

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "okrcoach.db"
BUSY_TIMEOUT_MS = 15_000
log = logging.getLogger("okrcoach")
# What SQLite says when the file, not the statement, is the problem, and the sentence a person gets.
_BUSY = ("Saving is paused: another program is holding the workshop's file. "
         "Your text is still here; try again in a moment.")
_READ_ONLY = ("Saving is paused: the laptop running the workshop cannot write its file. "
              "Your text is still here; try again in a moment.")
_FULL = ("Saving is paused: the disk of the laptop running the workshop is full. "
         "Your text is still here; try again once the facilitator has freed some space.")
_written: dict[Path, int] = {}  # committed writes to each file by this process (any Store on it)
_written_lock = threading.Lock()
_FILE_PROBLEMS = {
    "database is locked": _BUSY,
    "database is busy": _BUSY,
    "database or disk is full": _FULL,
    "disk i/o error": _READ_ONLY,
    "unable to open database file": _READ_ONLY,
    "readonly database": _READ_ONLY,
}


def file_problem(error: sqlite3.Error) -> str | None:
    """The plain sentence for an error that comes from the file (locked, full, read-only), else None."""
    message = str(error).lower()
    return next((sentence for words, sentence in _FILE_PROBLEMS.items() if words in message), None)


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

    def __init__(self, db: sqlite_utils.Database, pool: list[sqlite_utils.Database], lock: threading.Lock,
                 generation: int, writable: bool):
        self.db, self._pool, self._lock, self.generation, self.writable = db, pool, lock, generation, writable
        # A connection opened while the file could not be written stays read-only: it serves this thread only.
        self._discarded = not writable

    def discard(self) -> None:
        """Never hand this connection on (it may be stuck read-only); it closes once nothing uses it."""
        self._discarded = True

    def __del__(self) -> None:
        if self._discarded:
            return
        if self.db.conn.in_transaction:  # never expected: write() always commits or rolls back
            self.db.conn.rollback()
        with self._lock:
            self._pool.append(self.db)


class Store:
    """Where one workshop's state lives; safe to share, as each thread gets a connection of its own."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.resolve()
        # Streamlit runs each burst of script runs (a clock tick, a page redraw) on a fresh thread: one
        # connection serves that thread's whole run. When the thread ends, its connection waits in the
        # pool for the next thread, so a tick does not pay for opening one. Never two threads at once.
        self._local = threading.local()
        self._generation = 0  # moves on each time the file refuses a write
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

    def _connection(self, for_writing: bool = False) -> sqlite_utils.Database:
        lease = getattr(self._local, "lease", None)
        stale = lease is not None and (lease.generation != self._generation or (
            for_writing and not lease.writable and os.access(self.path, os.W_OK)))
        if stale:
            lease.discard()  # opened before the file last refused a write, or while it was read-only
            lease = None
        if lease is None:
            with self._pool_lock:
                db = self._pool.pop() if self._pool else None
            writable = db is not None or os.access(self.path, os.W_OK)
            lease = self._local.lease = _Lease(db or _connect(self.path), self._pool, self._pool_lock,
                                               self._generation, writable)
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

    def writes(self) -> int:
        """How many writes this process has committed to this file, through any Store: moves on with each."""
        return _written.get(self._file, 0)

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A short write transaction begun with BEGIN IMMEDIATE; committed on success.

        When the file refuses the write (locked past the busy timeout, full, read-only) nothing is
        written and StorageUnavailable carries a sentence for the person; the log keeps the cause.
        """
        db = self._connection(for_writing=True)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            with _written_lock:
                _written[self._file] = _written.get(self._file, 0) + 1
        except sqlite3.OperationalError as error:
            sentence = file_problem(error)
            if sentence is None:
                raise
            if db.conn.in_transaction:
                db.conn.rollback()
            # A connection opened while the file was read-only stays read-only: from now on every thread
            # opens anew. Leases still out return their connections to the old pool, which nobody reads.
            log.warning("The workshop's file refused a write: %s", error)
            with self._pool_lock:
                self._generation += 1
                self._pool = []
            raise StorageUnavailable(sentence) from error


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of the last migration applied to this database."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the numbered migrations this database has not had yet; return the new version."""
    if schema_version(db) >= MIGRATIONS[-1][0]:
        return schema_version(db)  # up to date: nothing to write, so a read-only file still opens
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
