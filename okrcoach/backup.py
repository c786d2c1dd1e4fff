"""JSON backup of a whole engagement, and restoring one: validated first, applied in one transaction."""

import json
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from okrcoach import drafts, engagements, runs
from okrcoach.engagements import Engagement
from okrcoach.errors import InputError
from okrcoach.store import Store

FORMAT, VERSION = "okrcoach-backup", 1

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


def read_backup(data: bytes, name: str = "backup") -> dict:
    """A parsed and checked backup; InputError names the file, line or field that is wrong."""
    try:
        content = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start}).") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{name}: not valid JSON at line {error.lineno}, column {error.colno} ({error.msg}).") from error
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise InputError(f"{name}: not an okrcoach backup (field 'format' must be '{FORMAT}').")
    if content.get("version") != VERSION:
        raise InputError(f"{name}: backup format version {content.get('version')!r}; this okrcoach reads "
                         f"version {VERSION}. Nothing was changed.")
    if not isinstance(content.get("engagement"), dict):
        raise InputError(f"{name}: field 'engagement' is missing or not an object.")
    for table, _, _ in TABLES:
        rows = content.get(table)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError(f"{name}: field '{table}' must be a list of objects.")
    return content


def restore(store: Store, content: dict, name: str = "backup") -> Engagement:
    """Restore a checked backup as the engagement in use (the current one is archived); all or nothing."""
    with store.write() as db:
        columns = {table: {c.name for c in db[table].columns} for table in ("engagements", *[t for t, _, _ in TABLES])}
        current = list(db.query("SELECT pin_hash FROM engagements WHERE archived_at IS NULL"))
        new_ids: dict[str, dict[int, int]] = {table: {} for table in columns}
        engagement_row = _checked_row(content["engagement"], columns["engagements"], "engagement", name)
        db.execute("UPDATE engagements SET archived_at = ? WHERE archived_at IS NULL", [time.time()])
        old_id = engagement_row.pop("id", None)
        engagement_row.update(archived_at=None, pin_hash=current[0]["pin_hash"] if current else "")
        try:
            new_ids["engagements"][old_id] = db["engagements"].insert(engagement_row).last_pk
            for table, _, references in TABLES:
                for number, row in enumerate(content[table]):
                    where = f"{table}[{number}]"
                    row = _checked_row(row, columns[table], where, name)
                    for column, target in _references(table, row, references).items():
                        if row.get(column) is not None:
                            if row[column] not in new_ids[target]:
                                raise InputError(f"{name}: {where}.{column} points at a missing {target} row "
                                                 f"({row[column]}).")
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


def _checked_row(row: dict, known: set[str], where: str, name: str) -> dict:
    unknown = set(row) - known
    if unknown:
        raise InputError(f"{name}: {where} has unknown field(s) {', '.join(sorted(unknown))}.")
    return dict(row)


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
