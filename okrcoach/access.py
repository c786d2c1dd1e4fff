"""Who may do what on a shared network: the workshop code, the facilitator PIN, sign-in throttling."""

import hashlib
import hmac
import secrets
import time

from okrcoach.store import Store

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread from a projector
FAILURES_BEFORE_WAIT = 5
FAILURE_WINDOW_S = 300
TOKEN_LIFETIME_S = 24 * 3600
# PBKDF2 rounds for the PIN hash; tests lower it (tests/conftest.py), production keeps at least 100k.
PIN_HASH_ITERATIONS = 100_000


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


def seconds_to_wait(store: Store, now: float | None = None) -> int:
    """How long sign-in is refused after repeated wrong PINs (0 when it is open)."""
    now = time.time() if now is None else now
    with store.read() as db:
        failures = [r["at"] for r in db.query(
            "SELECT at FROM sign_in_attempts WHERE ok = 0 AND at > ? ORDER BY at",
            [now - FAILURE_WINDOW_S])]
    if len(failures) < FAILURES_BEFORE_WAIT:
        return 0
    # Each failure past the allowance doubles the wait, from 5 s up to the window.
    wait = min(FAILURE_WINDOW_S, 5 * 2 ** (len(failures) - FAILURES_BEFORE_WAIT))
    return max(0, int(failures[-1] + wait - now) + 1)


def sign_in(store: Store, pin: str, now: float | None = None) -> str | None:
    """A facilitator token for the right PIN, None for a wrong one; the caller checks seconds_to_wait first."""
    now = time.time() if now is None else now
    with store.write() as db:
        rows = list(db.query("SELECT pin_hash FROM engagements WHERE archived_at IS NULL"))
        ok = bool(rows) and _pin_matches((pin or "").strip(), rows[0]["pin_hash"])
        db["sign_in_attempts"].insert({"at": now, "ok": int(ok)})
        if not ok:
            return None
        token = secrets.token_urlsafe(24)
        db["facilitator_sessions"].insert({"token": token, "created_at": now})
        db.execute("DELETE FROM sign_in_attempts WHERE ok = 0")
        return token


def token_valid(store: Store, token: str | None, now: float | None = None) -> bool:
    """Whether a facilitator token from a link is still good."""
    if not token:
        return False
    now = time.time() if now is None else now
    with store.read() as db:
        rows = list(db.query("SELECT created_at FROM facilitator_sessions WHERE token = ?", [token]))
    return bool(rows) and rows[0]["created_at"] > now - TOKEN_LIFETIME_S
