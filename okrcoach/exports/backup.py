"""JSON backup of a whole engagement, and restoring one: validated first, applied in one transaction."""

import json
import math
import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import Annotated

import sqlite_utils
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from okrcoach.content import loader as content
from okrcoach.content.loader import Known, expect
from okrcoach.drafting import drafts
from okrcoach.errors import InputError
from okrcoach.storage.store import Store, migrate
from okrcoach.workshop import engagements, runs
from okrcoach.workshop.engagements import Engagement

FORMAT, VERSION = "okrcoach-backup", 1
MAX_BYTES = 50_000_000
MAX_ROWS = 200_000
MAX_CHARS = 1_000_000

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


_ID = Annotated[int, expect(lambda v: _is_whole(v) and v >= 1, "a whole number above 0")]
_INTEGER = Annotated[int, expect(_is_whole, "a whole number")]
_REAL = Annotated[float, expect(lambda v: (_is_whole(v) or isinstance(v, float)) and math.isfinite(v), "a number")]
_TEXT = Annotated[str, expect(lambda v: isinstance(v, str) and len(v) <= MAX_CHARS,
                              f"text of at most {MAX_CHARS:,} characters")]


def _column(column) -> tuple:
    """A column's type for the row model: ids above 0; NULL only where the schema allows it."""
    if column.type == "INTEGER":
        kind = _ID if column.name == "id" or column.name.endswith("_id") else _INTEGER
    else:
        kind = _REAL if column.type == "REAL" else _TEXT
    if not column.notnull:
        return kind | None, None
    return (kind, ...) if column.default_value is None else (kind, None)


@cache
def _backup_model() -> type[BaseModel]:
    """The whole backup file as a model, its row models taken from the schema the migrations build."""
    db = sqlite_utils.Database(memory=True)
    migrate(db)

    def row_model(table: str) -> type[BaseModel]:
        columns = {c.name: _column(c) for c in db[table].columns if c.name not in SECRET_COLUMNS}
        return create_model(f"{table}_row", __base__=_Row, **columns)

    def rows(table: str):
        return Annotated[tuple[row_model(table), ...], expect(
            lambda v: isinstance(v, list) and len(v) <= MAX_ROWS, f"a list of at most {MAX_ROWS:,} rows")]

    return create_model("backup", __base__=_Row, format=(str, ...), version=(int, ...),
                        exported_at=(_REAL | None, None), engagement=(row_model("engagements"), ...),
                        **{table: (rows(table), ...) for table, _, _ in TABLES})


def check(backup: dict, name: str = "backup") -> dict:
    """The backup if every row has its table's columns and types and every reference points inside it."""
    try:
        _backup_model().model_validate(backup)
    except ValidationError as error:
        raise InputError(content.describe(error.errors()[0], backup, name)) from None
    ids = {"engagements": {backup["engagement"].get("id")}}
    for table, _, _ in TABLES:
        seen = ids[table] = set()
        for number, row in enumerate(backup[table]):
            if row.get("id") is not None and row["id"] in seen:
                raise InputError(f"{name}: {table}[{number}].id {row['id']} appears twice.")
            seen.add(row.get("id"))
    for table, _, references in TABLES:
        for number, row in enumerate(backup[table]):
            for column, target in _references(table, row, references).items():
                if row.get(column) is not None and row[column] not in ids[target]:
                    raise InputError(f"{name}: {table}[{number}].{column} points at a missing {target} row "
                                     f"({row[column]}).")
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
