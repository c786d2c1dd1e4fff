"""JSON backup of a whole engagement, and restoring one: validated first, applied in one transaction."""

import json
import math
import re
import sqlite3
import time
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated

import sqlite_utils
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from okrcoach import text
from okrcoach.content import loader as content
from okrcoach.content.loader import Known, expect, one_of
from okrcoach.drafting import drafts
from okrcoach.errors import InputError
from okrcoach.storage.store import Store, migrate
from okrcoach.workshop import engagements, runs, teams
from okrcoach.workshop.engagements import LEVELS, DeploymentParameters, Engagement

FORMAT, VERSION = "okrcoach-backup", 1
MAX_BYTES = 50_000_000
MAX_ROWS = 200_000
MAX_CHARS = 1_000_000  # a revision's or a run's JSON text; people's text is held to the app's own limits
MAX_FIGURE = 1e15  # the largest baseline or target the drafting form accepts

# Each table of an engagement, in an order where every referenced row comes first, with how its rows
# are found and which columns point at which table (ids are renumbered on restore).
TABLES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("teams", "engagement_id = :e", {"engagement_id": "engagements"}),
    ("objectives", "team_id IN (SELECT id FROM teams WHERE engagement_id = :e)", {"team_id": "teams"}),
    ("contributions", "objective_id IN (SELECT o.id FROM objectives o JOIN teams t ON t.id = o.team_id "
                      "WHERE t.engagement_id = :e)",
     {"objective_id": "objectives", "top_objective_id": "objectives"}),
    ("key_results", "objective_id IN (SELECT o.id FROM objectives o JOIN teams t ON t.id = o.team_id "
                    "WHERE t.engagement_id = :e)", {"objective_id": "objectives"}),
    ("dependencies", "to_team_id IN (SELECT id FROM teams WHERE engagement_id = :e)",
     {"key_result_id": "key_results", "to_team_id": "teams"}),
    ("shared_key_results", "team_id IN (SELECT id FROM teams WHERE engagement_id = :e)",
     {"key_result_id": "key_results", "team_id": "teams"}),
    ("parking_lot", "engagement_id = :e", {"engagement_id": "engagements"}),
    ("runs", "engagement_id = :e", {"engagement_id": "engagements", "presenting_team_id": "teams"}),
    ("candidates", "engagement_id = :e", {"engagement_id": "engagements", "promoted_objective_id": "objectives"}),
    ("votes", "candidate_id IN (SELECT id FROM candidates WHERE engagement_id = :e)",
     {"candidate_id": "candidates"}),
    ("revisions", "engagement_id = :e", {"engagement_id": "engagements", "team_id": "teams"}),
    ("discussed_questions", "team_id IN (SELECT id FROM teams WHERE engagement_id = :e)", {"team_id": "teams"}),
    ("sorted_metrics", "team_id IN (SELECT id FROM teams WHERE engagement_id = :e)",
     {"team_id": "teams", "carried_key_result_id": "key_results"}),
    ("comments", "from_team_id IN (SELECT id FROM teams WHERE engagement_id = :e)",
     {"objective_id": "objectives", "key_result_id": "key_results", "from_team_id": "teams"}),
)
ENTITY_TABLES = {"objective": "objectives", "key_result": "key_results", "purpose": "teams", "team": "teams"}
SECRET_COLUMNS = {"pin_hash"}


def build_backup(store: Store, engagement: Engagement) -> dict:
    """Everything of one engagement (drafts, revisions, runs, votes, dependencies, parking lot); no PIN."""
    with store.read() as db:
        row = dict(db["engagements"].get(engagement.id))
        tables = {name: list(db.query(f"SELECT * FROM {name} WHERE {where} ORDER BY rowid", {"e": engagement.id}))
                  for name, where, _ in TABLES}
    for column in SECRET_COLUMNS:
        row.pop(column)
    return {"format": FORMAT, "version": VERSION, "exported_at": time.time(), "engagement": row, **tables}


def backup_bytes(store: Store, engagement: Engagement) -> bytes:
    """The backup as a UTF-8 JSON file."""
    return json.dumps(build_backup(store, engagement), ensure_ascii=False, indent=1).encode("utf-8")


class _Row(Known, BaseModel):
    """One row of a table in a backup: the table's columns only, each of its column's type."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -2**63 <= value < 2**63


def _is_date(value) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _is_json(value, kind: type) -> bool:
    try:
        return isinstance(value, str) and len(value) <= MAX_CHARS and isinstance(json.loads(value), kind)
    except ValueError:
        return False


def _whole(low: int, high: int | None = None) -> type:
    return Annotated[int, expect(lambda v: _is_whole(v) and low <= v <= (high if high is not None else v),
                                 f"a whole number from {low} to {high}" if high is not None else
                                 f"a whole number, {low} or more")]


def _line(limit: int, required: bool = False) -> type:
    """A name-like value the app keeps on one line."""
    return Annotated[str, expect(
        lambda v: _is_text(v, limit, required) and not set(v) & set("\r\n\t"),
        f"{'non-empty ' if required else ''}one line of at most {limit:,} characters")]


def _text(required: bool = False) -> type:
    return Annotated[str, expect(lambda v: _is_text(v, text.MAX_CHARS, required),
                                 f"{'non-empty ' if required else ''}text of at most {text.MAX_CHARS:,} characters")]


def _is_text(value, limit: int, required: bool) -> bool:
    return isinstance(value, str) and len(value) <= limit and bool(value.strip() or not required)


_ID = Annotated[int, expect(lambda v: _is_whole(v) and v >= 1, "a whole number above 0")]
_INTEGER = Annotated[int, expect(_is_whole, "a whole number")]
_REAL = Annotated[float, expect(lambda v: (_is_whole(v) or isinstance(v, float)) and math.isfinite(v), "a number")]
_FIGURE = Annotated[float, expect(lambda v: (_is_whole(v) or isinstance(v, float)) and math.isfinite(v)
                                  and abs(v) <= MAX_FIGURE, f"a number from -{MAX_FIGURE:,.0f} to {MAX_FIGURE:,.0f}")]
_DATE = Annotated[str, expect(_is_date, "a date written YYYY-MM-DD")]
_CODE = Annotated[str, expect(lambda v: isinstance(v, str) and v.isascii() and v.isalnum() and v == v.upper()
                              and 4 <= len(v) <= 12, "4 to 12 capital letters (A to Z) or digits")]
_LEVELS = Annotated[str, expect(lambda v: isinstance(v, str) and bool(v) and set(v.split(",")) <= set(LEVELS),
                                f"{' or '.join(LEVELS)}, or both joined with a comma")]
_SLUG = Annotated[str, expect(lambda v: isinstance(v, str) and bool(v) and teams.slugify(v) == v,
                              "a link name of lower-case letters, digits and hyphens")]
_JSON = {kind: Annotated[str, expect(lambda v, kind=kind: _is_json(v, kind), f"JSON text holding {label}")]
         for kind, label in ((dict, "a table"), (list, "a list"))}

# What the app itself would accept in a column, where that is narrower than the column's SQL type; every
# other text column holds at most text.MAX_CHARS characters. Limits are the ones the app's forms apply.
RULES: dict[str, dict[str, type]] = {
    "engagements": {"name": _line(200, required=True), "client": _line(200), "facilitator": _line(200),
                    "cycle_start": _DATE, "cycle_end": _DATE, "levels": _LEVELS, "max_objectives": _whole(1, 5),
                    "min_key_results": _whole(1, 6), "max_key_results": _whole(1, 6),
                    "milestones_allowed": _whole(0, 1), "workshop_code": _CODE, "join_address": _line(200),
                    "dots_per_voter": _whole(1, 10)},
    "teams": {"name": _line(60, required=True), "slug": _SLUG, "purpose_version": _whole(0)},
    "objectives": {"text": _text(required=True), "version": _whole(1)},
    "key_results": {"text": _text(required=True), "baseline": _FIGURE, "target": _FIGURE, "unit": _line(40),
                    "due": _DATE, "champion": _line(120), "contributors": _line(500), "version": _whole(1)},
    "dependencies": {"comment": _text(), "version": _whole(0)},
    "parking_lot": {"text": _text(required=True), "raised_by": _line(100), "done": _whole(0, 1)},
    "runs": {"items": _JSON[list], "state": _JSON[dict]},
    "candidates": {"text": _text(required=True), "why": _line(300)},
    "votes": {"voter": _line(60, required=True), "dots": _whole(1, 10)},
    "revisions": {"body": _JSON[dict], "version": _whole(0)},
    "sorted_metrics": {"text": _text(required=True)},
    "comments": {"text": _text(required=True), "author": _line(100)},
}
_CHOICES = re.compile(r"CHECK \((\w+) IN \(([^)]*)\)\)")


def _column(table: str, column, choices: dict[str, tuple[str, ...]]) -> tuple:
    """A column's type for the row model: the app's own rule, else from its SQL type; NULL only where allowed."""
    if column.name in RULES.get(table, {}):
        kind = RULES[table][column.name]
    elif column.name in choices:
        kind = Annotated[str, one_of(choices[column.name])]
    elif column.type == "INTEGER":
        kind = _ID if column.name == "id" or column.name.endswith("_id") else _INTEGER
    else:
        kind = _REAL if column.type == "REAL" else _text()
    if not column.notnull:
        return kind | None, None
    return (kind, ...) if column.default_value is None else (kind, None)


def _schema() -> sqlite_utils.Database:
    """A new in-memory database with the schema the migrations build (a connection serves one thread only)."""
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    return db


@cache
def _primary_keys() -> dict[str, list[str]]:
    db = _schema()
    return {table: db[table].pks for table, _, _ in TABLES}


@cache
def _backup_model() -> type[BaseModel]:
    """The whole backup file as a model, its row models taken from the schema the migrations build."""
    db = _schema()

    def row_model(table: str) -> type[BaseModel]:
        # A CHECK (column IN (...)) in the schema is a list of allowed words: refused here, not mid-restore.
        choices = {name: tuple(word.strip(" '") for word in words.split(","))
                   for name, words in _CHOICES.findall(db[table].schema)}
        columns = {c.name: _column(table, c, choices) for c in db[table].columns if c.name not in SECRET_COLUMNS}
        return create_model(f"{table}_row", __base__=_Row, **columns)

    def rows(table: str):
        return Annotated[tuple[row_model(table), ...], expect(
            lambda v: isinstance(v, list) and len(v) <= MAX_ROWS, f"a list of at most {MAX_ROWS:,} rows")]

    return create_model("backup", __base__=_Row, format=(str, ...), version=(int, ...),
                        exported_at=(_REAL | None, None), engagement=(row_model("engagements"), ...),
                        **{table: (rows(table), ...) for table, _, _ in TABLES})


def _check_engagement(row: dict) -> str | None:
    """What is wrong with the engagement's settings taken together, if anything."""
    if row["cycle_end"] <= row["cycle_start"]:
        return f"engagement.cycle_end {row['cycle_end']} is not after cycle_start {row['cycle_start']}"
    try:
        engagements.validate_params(DeploymentParameters(
            levels=tuple(row.get("levels", ",".join(LEVELS)).split(",")),
            max_objectives=row.get("max_objectives", 3), min_key_results=row.get("min_key_results", 2),
            max_key_results=row.get("max_key_results", 4)))
    except InputError as error:
        return f"engagement: {error}"
    return None


def _check_rows(backup: dict) -> str | None:
    """What does not fit together across rows (keys, the one top-level team, links), if anything."""
    for table, keys in _primary_keys().items():
        seen = set()
        for number, row in enumerate(backup[table]):
            key = tuple(row.get(k) for k in keys)
            if None in key:  # a row without an id gets a new one on restore
                continue
            if key in seen:
                what = f".{keys[0]}" if len(keys) == 1 else f": {' and '.join(keys)}"
                return f"{table}[{number}]{what} {' and '.join(map(str, key))} appears twice"
            seen.add(key)
    kinds = {row["id"]: row["kind"] for row in backup["teams"]}
    present = [row for row in backup["teams"] if row.get("removed_at") is None]
    tops = [row["name"] for row in present if row["kind"] == "top"]
    if len(tops) > 1:
        return f"teams: {len(tops)} top-level teams ({', '.join(tops)}); an engagement has at most one"
    slugs = [row["slug"] for row in present]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        return f"teams: the link name {', '.join(twice)} is used by two teams"
    team_of = {row["id"]: row["team_id"] for row in backup["objectives"]}
    for number, row in enumerate(backup["contributions"]):
        if kinds.get(team_of.get(row["top_objective_id"])) != "top":
            return f"contributions[{number}].top_objective_id is not an objective of the top-level team"
        if kinds.get(team_of.get(row["objective_id"])) == "top":
            return f"contributions[{number}].objective_id is a top-level objective; those contribute to nothing"
    objective_of = {row["id"]: row["objective_id"] for row in backup["key_results"]}
    for number, row in enumerate(backup["dependencies"]):
        if team_of.get(objective_of.get(row["key_result_id"])) == row["to_team_id"]:
            return f"dependencies[{number}]: a key result depends on its own team"
    for number, row in enumerate(backup["comments"]):
        if row.get("key_result_id") is not None and objective_of.get(row["key_result_id"]) != row["objective_id"]:
            return f"comments[{number}].key_result_id is not a key result of its objective_id"
    for number, row in enumerate(backup["candidates"]):
        promoted = row.get("promoted_objective_id")
        if promoted is not None and kinds.get(team_of.get(promoted)) != "top":
            return f"candidates[{number}].promoted_objective_id is not an objective of the top-level team"
    if sum(row.get("archived_at") is None for row in backup["runs"]) > 1:
        return "runs: more than one run is in use (archived_at empty); at most one can be"
    return None


def check(backup: dict, name: str = "backup") -> dict:
    """The backup if every value is one the app would store, and every reference points inside it."""
    try:
        _backup_model().model_validate(backup)
    except ValidationError as error:
        raise InputError(f"{content.describe(error.errors()[0], backup, name)}. Nothing was changed.") from None
    ids = {"engagements": {backup["engagement"].get("id")}}
    for table, _, _ in TABLES:
        ids[table] = {row.get("id") for row in backup[table]}
    for table, _, references in TABLES:
        for number, row in enumerate(backup[table]):
            for column, target in _references(table, row, references).items():
                if row.get(column) is not None and row[column] not in ids[target]:
                    raise InputError(f"{name}: {table}[{number}].{column} points at a missing {target} row "
                                     f"({row[column]}). Nothing was changed.")
    problem = _check_engagement(backup["engagement"]) or _check_rows(backup)
    if problem:
        raise InputError(f"{name}: {problem}. Nothing was changed.")
    return backup


def read_backup(data: bytes, name: str = "backup") -> dict:
    """A parsed and checked backup; InputError names the file, line or field that is wrong."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data):,} bytes; a backup holds at most {MAX_BYTES:,}. Nothing was changed.")
    try:
        backup = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start}).") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{name}: not valid JSON at line {error.lineno}, column {error.colno} "
                         f"({error.msg}).") from error
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise InputError(f"{name}: not an okrcoach backup (field 'format' must be '{FORMAT}').")
    if backup.get("version") != VERSION:
        raise InputError(f"{name}: backup format version {backup.get('version')!r}; this okrcoach reads "
                         f"version {VERSION}. Nothing was changed.")
    return check(backup, name)


def restore(store: Store, backup: dict, name: str = "backup") -> Engagement:
    """Restore a backup as the engagement in use (the current one is archived); checked first, all or nothing."""
    check(backup, name)
    with store.write() as db:
        current = list(db.query("SELECT pin_hash FROM engagements WHERE archived_at IS NULL"))
        new_ids: dict[str, dict[int, int]] = {table: {} for table in ("engagements", *(t for t, _, _ in TABLES))}
        engagement_row = dict(backup["engagement"])
        db.execute("UPDATE engagements SET archived_at = ? WHERE archived_at IS NULL", [time.time()])
        old_id = engagement_row.pop("id", None)
        engagement_row.update(archived_at=None, pin_hash=current[0]["pin_hash"] if current else "")
        try:
            new_ids["engagements"][old_id] = db["engagements"].insert(engagement_row).last_pk
            for table, _, references in TABLES:
                for row in map(dict, backup[table]):
                    for column, target in _references(table, row, references).items():
                        if row.get(column) is not None:
                            row[column] = new_ids[target][row[column]]
                    old = row.pop("id", None)
                    inserted = _insert(db, table, row)
                    if old is not None:
                        new_ids[table][old] = inserted
            restored = engagements.current_in(db)
            # Read it back the way the app will, so a value that cannot be shown is refused now.
            try:
                drafts.objectives_in(db, restored.id)
                runs.current_in(db, restored.id)
            except InputError as error:
                raise ValueError(error) from error
        except InputError:
            raise
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as error:
            raise InputError(f"{name}: the backup does not fit together ({error}). Nothing was changed.") from error
        return restored


def _references(table: str, row: dict, references: dict[str, str]) -> dict[str, str]:
    if table in ("revisions", "discussed_questions"):
        entity_table = ENTITY_TABLES.get(row.get("entity"))
        return {**references, "entity_id": entity_table} if entity_table else references
    return references


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    names = list(row)
    cursor = db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                        [row[n] for n in names])
    return cursor.lastrowid


def restore_file(store: Store, path: Path) -> Engagement:
    """Read, check and restore a backup file."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}).") from error
    return restore(store, read_backup(data, Path(path).name), Path(path).name)
