"""The engagement: one client, its cycle and the deployment parameters agreed before training."""

import calendar
import json
import time
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import babel

import sqlite_utils

from okrcoach import text
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop import access

CYCLE_KINDS = ("quarter", "4-month", "custom")
CYCLE_MONTHS = {"quarter": 3, "4-month": 4}
LEVELS = ("top", "team")
DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE = "en_GB", "Europe/London"
# Offered on the set-up page; the pack's text stays English, these set how numbers, money and dates are written.
LANGUAGES = ("en_GB", "en_US", "en_IE", "en_AU", "en_NZ", "en_CA", "en_IN", "en_ZA", "en_SG", "de_DE", "de_AT",
             "de_CH", "fr_FR", "fr_BE", "fr_CA", "nl_NL", "nl_BE", "es_ES", "es_MX", "it_IT", "pt_PT", "pt_BR",
             "sv_SE", "da_DK", "nb_NO", "fi_FI", "pl_PL")
MAX_NEXT_STEPS = 20


@dataclass(frozen=True)
class DeploymentParameters:
    """What the client settled before training: levels, how many objectives and key results."""

    levels: tuple[str, ...] = LEVELS
    max_objectives: int = 3
    min_key_results: int = 2
    max_key_results: int = 4
    milestones_allowed: bool = True


@dataclass(frozen=True)
class Engagement:
    """One client engagement and its settings."""

    id: int
    name: str
    client: str
    facilitator: str
    cycle_kind: str
    cycle_start: date
    cycle_end: date
    params: DeploymentParameters
    workshop_code: str
    join_address: str = ""
    language: str = DEFAULT_LANGUAGE
    time_zone: str = DEFAULT_TIME_ZONE
    next_steps: tuple["NextStep", ...] = ()


@dataclass(frozen=True)
class NextStep:
    """One next step of the draft pack as the facilitator edited it: what, who, and by when."""

    what: str
    who: str = ""
    when: str = ""


def cycle_end_for(kind: str, start: date) -> date:
    """The last day of a quarter or 4-month cycle beginning on start."""
    months = CYCLE_MONTHS[kind]
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() - 1)


def _from_row(row: dict) -> Engagement:
    params = DeploymentParameters(
        levels=tuple(row["levels"].split(",")),
        max_objectives=row["max_objectives"],
        min_key_results=row["min_key_results"],
        max_key_results=row["max_key_results"],
        milestones_allowed=bool(row["milestones_allowed"]),
    )
    return Engagement(
        id=row["id"],
        name=row["name"],
        client=row["client"],
        facilitator=row["facilitator"],
        cycle_kind=row["cycle_kind"],
        cycle_start=date.fromisoformat(row["cycle_start"]),
        cycle_end=date.fromisoformat(row["cycle_end"]),
        params=params,
        workshop_code=row["workshop_code"],
        join_address=row["join_address"],
        language=row["language"],
        time_zone=row["time_zone"],
        next_steps=_next_steps(row["next_steps"]),
    )


def _next_steps(stored: str) -> tuple[NextStep, ...]:
    """The edited next steps as stored; a value this version did not write (a hand-edited backup) counts as none."""
    try:
        return tuple(NextStep(str(step["what"]), str(step["who"]), str(step["when"]))
                     for step in json.loads(stored or "[]"))
    except (ValueError, TypeError, KeyError):
        return ()


def current_in(db: sqlite_utils.Database) -> Engagement | None:
    """The engagement in use (not archived), read on an open connection."""
    rows = list(db.query("SELECT * FROM engagements WHERE archived_at IS NULL"))
    return _from_row(rows[0]) if rows else None


def current(store: Store) -> Engagement | None:
    """The engagement in use, or None on an empty database."""
    with store.read() as db:
        return current_in(db)


def _insert(db: sqlite_utils.Database, name: str, code: str, pin_hash: str, start: date) -> int:
    return db["engagements"].insert(
        {
            "name": name,
            "cycle_kind": "quarter",
            "cycle_start": start.isoformat(),
            "cycle_end": cycle_end_for("quarter", start).isoformat(),
            "workshop_code": code,
            "pin_hash": pin_hash,
            "created_at": time.time(),
        }
    ).last_pk


def ensure_current(store: Store, today: date | None = None) -> tuple[Engagement, str | None]:
    """The engagement in use; on a fresh database create one and return its new PIN too."""
    with store.write() as db:
        existing = current_in(db)
        if existing:
            return existing, None
        pin = access.new_pin()
        _insert(db, "New engagement", access.new_code(), access.hash_pin(pin), today or date.today())
        return current_in(db), pin


def start_new(store: Store, name: str, today: date | None = None) -> Engagement:
    """Archive the engagement in use (never delete it) and start an empty one with the same code and PIN."""
    name = text.one_line(name, "Engagement name", required=True)
    with store.write() as db:
        old = list(db.query("SELECT workshop_code, pin_hash FROM engagements WHERE archived_at IS NULL"))
        code, pin_hash = (old[0]["workshop_code"], old[0]["pin_hash"]) if old else (access.new_code(), "")
        db.execute("UPDATE engagements SET archived_at = ? WHERE archived_at IS NULL", [time.time()])
        _insert(db, name, code, pin_hash, today or date.today())
        return current_in(db)


def archived(store: Store) -> list[dict]:
    """Earlier engagements kept on this laptop, newest first."""
    with store.read() as db:
        return list(
            db.query("SELECT id, name, client, created_at, archived_at FROM engagements "
                     "WHERE archived_at IS NOT NULL ORDER BY archived_at DESC")
        )


def switch_to(store: Store, engagement_id: int) -> Engagement:
    """Archive the engagement in use and bring back an archived one in its place, with the PIN in use."""
    with store.write() as db:
        wanted = list(db.query("SELECT archived_at FROM engagements WHERE id = ?", [engagement_id]))
        if not wanted or wanted[0]["archived_at"] is None:
            listed = [str(row["id"]) for row in db.query("SELECT id FROM engagements WHERE archived_at IS NOT NULL")]
            raise InputError(f"There is no archived engagement {engagement_id}; the archived ones are "
                             f"{', '.join(listed) or 'none'}.")
        # The PIN the facilitator uses now signs in to the engagement brought back, as after a restore.
        current = list(db.query("SELECT pin_hash FROM engagements WHERE archived_at IS NULL"))
        db.execute("UPDATE engagements SET archived_at = ? WHERE archived_at IS NULL", [time.time()])
        db.execute("UPDATE engagements SET archived_at = NULL, pin_hash = COALESCE(?, pin_hash) WHERE id = ?",
                   [current[0]["pin_hash"] if current else None, engagement_id])
        changes.engagement_changed(db, engagement_id)
        return current_in(db)


def validate_params(params: DeploymentParameters) -> DeploymentParameters:
    """The parameters if they make sense for an OKRs deployment; InputError says what does not."""
    if not 1 <= params.max_objectives <= 5:
        raise InputError("Maximum objectives per team must be between 1 and 5 (2 ± 1 works best).")
    if not 1 <= params.min_key_results <= params.max_key_results <= 6:
        raise InputError("Key results per objective: the minimum must be at least 1 and not above the maximum (at most 6).")
    unknown = set(params.levels) - set(LEVELS)
    if unknown or not params.levels:
        raise InputError(f"Levels must be chosen from {', '.join(LEVELS)}.")
    return params


def update(store: Store, engagement_id: int, *, name: str, client: str, facilitator: str,
           cycle_kind: str, cycle_start: date, cycle_end: date | None, params: DeploymentParameters) -> Engagement:
    """Save the engagement's settings; a quarter or 4-month cycle computes its own end date."""
    if cycle_kind not in CYCLE_KINDS:
        raise InputError(f"Cycle must be one of {', '.join(CYCLE_KINDS)}.")
    if cycle_kind != "custom":
        cycle_end = cycle_end_for(cycle_kind, cycle_start)
    if cycle_end is None or cycle_end <= cycle_start:
        raise InputError("The cycle must end after it starts.")
    validate_params(params)
    values = {
        "name": text.one_line(name, "Engagement name", required=True),
        "client": text.one_line(client, "Client"),
        "facilitator": text.one_line(facilitator, "Facilitator"),
        "cycle_kind": cycle_kind,
        "cycle_start": cycle_start.isoformat(),
        "cycle_end": cycle_end.isoformat(),
        "levels": ",".join(params.levels),
        "max_objectives": params.max_objectives,
        "min_key_results": params.min_key_results,
        "max_key_results": params.max_key_results,
        "milestones_allowed": int(params.milestones_allowed),
    }
    with store.write() as db:
        db["engagements"].update(engagement_id, values)
        changes.engagement_changed(db, engagement_id)
        return current_in(db)


def checked_code(code: str) -> str:
    """A workshop code as stored (upper case), or InputError: 4 to 12 plain letters or digits."""
    code = access.normalise_code(code)
    if not 4 <= len(code) <= 12 or not (code.isascii() and code.isalnum()):
        raise InputError("The workshop code must be 4 to 12 letters (A to Z) or digits.")
    return code


def checked_pin(pin: str) -> str:
    """A facilitator PIN, or InputError: 4 to 12 plain digits."""
    pin = (pin or "").strip()
    if not 4 <= len(pin) <= 12 or not (pin.isascii() and pin.isdigit()):
        raise InputError("The facilitator PIN must be 4 to 12 digits (0 to 9).")
    return pin


def set_workshop_code(store: Store, engagement_id: int, code: str) -> str:
    """Change the code teams type to join; returns it as stored (upper case)."""
    code = checked_code(code)
    with store.write() as db:
        db["engagements"].update(engagement_id, {"workshop_code": code})
    return code


def set_join_address(store: Store, engagement_id: int, address: str) -> str:
    """Set how team laptops reach this laptop (e.g. http://192.168.1.20:8501); empty means detect it."""
    address = text.one_line(address, "Join address", max_chars=200).rstrip("/")
    if address and (not address.startswith(("http://", "https://")) or " " in address):
        raise InputError("The join address must look like http://192.168.1.20:8501 (no spaces).")
    with store.write() as db:
        db["engagements"].update(engagement_id, {"join_address": address})
        changes.engagement_changed(db, engagement_id)
    return address


def set_pin(store: Store, engagement_id: int, pin: str) -> None:
    """Change the facilitator PIN; every facilitator sign-in made with the old one ends."""
    pin = checked_pin(pin)
    with store.write() as db:
        db["engagements"].update(engagement_id, {"pin_hash": access.hash_pin(pin)})
        access.revoke_all_in(db)


def checked_language(language: str) -> str:
    """A language and region Babel knows (en_GB, de_DE…), or InputError."""
    try:
        return str(babel.Locale.parse((language or "").strip().replace("-", "_")))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise InputError(f"'{text.one_line(language, 'Language', max_chars=40)}' is not a language we know; "
                         "choose one such as en_GB or de_DE.") from None


def checked_time_zone(name: str) -> str:
    """A time zone name such as Europe/London, or InputError."""
    name = (name or "").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"'{text.one_line(name, 'Time zone', max_chars=60)}' is not a time zone we know; "
                         "choose one such as Europe/London.") from None
    return name


def language_name(code: str) -> str:
    """'English (United Kingdom)' for en_GB, in English; the code itself if Babel does not know it."""
    try:
        return babel.Locale.parse(code).get_display_name("en") or code
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return code


def time_zones() -> list[str]:
    """Every time zone name this computer knows, sorted."""
    return sorted(available_timezones())


def set_locale(store: Store, engagement_id: int, language: str, time_zone: str) -> Engagement:
    """Set the language numbers and dates are written in, and the time zone times are shown in."""
    values = {"language": checked_language(language), "time_zone": checked_time_zone(time_zone)}
    with store.write() as db:
        db["engagements"].update(engagement_id, values)
        changes.engagement_changed(db, engagement_id)
        return current_in(db)


def set_next_steps(store: Store, engagement_id: int, steps: list[NextStep] | None) -> Engagement:
    """Keep the facilitator's next steps for the pack; None or an empty list goes back to the derived ones."""
    cleaned = []
    for number, step in enumerate(steps or [], start=1):
        what = text.clean(step.what, f"Next step {number}", max_chars=1000)
        if not what:
            continue
        cleaned.append({"what": what, "who": text.one_line(step.who, f"Who, step {number}", max_chars=200),
                        "when": text.one_line(step.when, f"When, step {number}", max_chars=100)})
    if len(cleaned) > MAX_NEXT_STEPS:
        raise InputError(f"At most {MAX_NEXT_STEPS} next steps, please; there are {len(cleaned)}.")
    with store.write() as db:
        db["engagements"].update(engagement_id, {"next_steps": json.dumps(cleaned) if cleaned else ""})
        changes.engagement_changed(db, engagement_id)
        return current_in(db)
