"""Who may do what on a shared network: the workshop code, the facilitator PIN, sign-in throttling."""

import hashlib
import hmac
import ipaddress
import math
import secrets
import time

import sqlite_utils

from okrcoach.storage.store import Store

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread from a projector
FAILURES_PER_WINDOW = 5  # wrong PINs checked per address per window; more wait their turn
FAILURE_WINDOW_S = 60
UNKNOWN_ADDRESS = "unknown"
TOKEN_LIFETIME_S = 24 * 3600
# PBKDF2 rounds for the PIN hash; tests lower it (tests/conftest.py), production keeps at least 100k.
PIN_HASH_ITERATIONS = 100_000


class SignInPaused(Exception):
    """Too many wrong PINs from this address lately: this one was not checked."""

    def __init__(self, seconds: int):
        super().__init__(f"Too many wrong PINs from this laptop. Try again in {seconds} seconds.")
        self.seconds = seconds


def new_code(length: int = 6) -> str:
    """A workshop code that reads unambiguously from the back of a room."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_pin() -> str:
    """A six-digit facilitator PIN."""
    return f"{secrets.randbelow(10**6):06d}"


def normalise_code(code: str | None) -> str:
    """A typed code as compared: upper case, no spaces."""
    return "".join((code or "").split()).upper()


def hash_pin(pin: str) -> str:
    """A salted hash of the PIN, as stored."""
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_HASH_ITERATIONS).hex()
    return f"{salt}${digest}"


def _pin_matches(pin: str, stored: str) -> bool:
    salt, _, digest = stored.partition("$")
    if not salt or not digest:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_HASH_ITERATIONS).hex()
    return hmac.compare_digest(candidate, digest)


def code_matches(typed: str | None, workshop_code: str) -> bool:
    """Whether a typed workshop code is this workshop's."""
    # Bytes, not str: compare_digest refuses non-ASCII text, and a laptop may type anything.
    return bool(typed) and hmac.compare_digest(normalise_code(typed).encode(), workshop_code.encode())


def is_own_machine(address: str | None) -> bool:
    """Whether a request comes from the coach's own laptop (the loopback address)."""
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _wait_in(db: sqlite_utils.Database, address: str | None, now: float) -> int:
    if is_own_machine(address):
        return 0
    failures = [r["at"] for r in db.query(
        "SELECT at FROM sign_in_attempts WHERE ok = 0 AND address = ? AND at > ? ORDER BY at DESC LIMIT ?",
        [address or UNKNOWN_ADDRESS, now - FAILURE_WINDOW_S, FAILURES_PER_WINDOW])]
    if len(failures) < FAILURES_PER_WINDOW:
        return 0
    # The oldest of the last few failures must leave the window before another PIN is checked.
    return max(1, math.ceil(failures[-1] + FAILURE_WINDOW_S - now))


def seconds_to_wait(store: Store, address: str | None = None, now: float | None = None) -> int:
    """How long this address must wait before its next PIN is checked (0 when it may try now)."""
    now = time.time() if now is None else now
    with store.read() as db:
        return _wait_in(db, address, now)


def sign_in(store: Store, pin: str, now: float | None = None, address: str | None = None) -> str | None:
    """A facilitator token for the right PIN, None for a wrong one; SignInPaused while this address must wait."""
    now = time.time() if now is None else now
    # Count, check and record in one write transaction, so a burst of attempts cannot slip past the count.
    with store.write() as db:
        wait = _wait_in(db, address, now)
        if wait:
            raise SignInPaused(wait)
        rows = list(db.query("SELECT id, pin_hash FROM engagements WHERE archived_at IS NULL"))
        ok = bool(rows) and _pin_matches((pin or "").strip(), rows[0]["pin_hash"])
        db["sign_in_attempts"].insert({"at": now, "ok": int(ok), "address": address or UNKNOWN_ADDRESS})
        if not ok:
            return None
        db.execute("DELETE FROM sign_in_attempts WHERE ok = 0 AND address = ?", [address or UNKNOWN_ADDRESS])
        return _issue_in(db, rows[0]["id"], now)


def _issue_in(db: sqlite_utils.Database, engagement_id: int, now: float) -> str:
    token = secrets.token_urlsafe(24)
    db["facilitator_sessions"].insert({"token": token, "created_at": now, "engagement_id": engagement_id})
    return token


def renew(store: Store, now: float | None = None) -> str:
    """A fresh token for the engagement in use, for a facilitator whose own action just revoked theirs."""
    now = time.time() if now is None else now
    with store.write() as db:
        row = next(db.query("SELECT id FROM engagements WHERE archived_at IS NULL"))
        return _issue_in(db, row["id"], now)


def revoke_all_in(db: sqlite_utils.Database) -> None:
    """End every facilitator sign-in (a new PIN was set)."""
    db.execute("DELETE FROM facilitator_sessions")


def sign_out(store: Store, token: str | None) -> None:
    """End one facilitator sign-in."""
    with store.write() as db:
        db.execute("DELETE FROM facilitator_sessions WHERE token = ?", [token or ""])


def token_valid(store: Store, token: str | None, now: float | None = None) -> bool:
    """Whether a facilitator token is still good: not signed out, not older than a day, same PIN and engagement."""
    if not token:
        return False
    now = time.time() if now is None else now
    with store.read() as db:
        rows = list(db.query(
            "SELECT 1 FROM facilitator_sessions s JOIN engagements e ON e.id = s.engagement_id "
            "WHERE s.token = ? AND e.archived_at IS NULL AND s.created_at > ?", [token, now - TOKEN_LIFETIME_S]))
    return bool(rows)
