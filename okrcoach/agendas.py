"""Workshop agendas: the TOML templates in agendas/, loaded and checked."""

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from okrcoach.errors import InputError
from okrcoach.vocabulary import AGENDA_KINDS, ITEM_KINDS

AGENDAS_DIR = Path(__file__).resolve().parent.parent / "agendas"

_AGENDA_FIELDS = ("title", "kind", "audience", "minutes", "description", "items")
_ITEM_FIELDS = ("title", "minutes", "kind", "prompts", "notes", "instructions")


@dataclass(frozen=True)
class AgendaItem:
    """One block of a workshop: what the room does, for how long, and what is asked."""

    title: str
    minutes: int
    kind: str
    prompts: tuple[str, ...]
    notes: str
    instructions: str = ""


@dataclass(frozen=True)
class Agenda:
    """A workshop template from one file in agendas/, items in running order."""

    slug: str
    title: str
    kind: str
    audience: str
    minutes: int
    description: str
    items: tuple[AgendaItem, ...]
    path: Path


def load_agenda(path: Path | str) -> Agenda:
    """Read one agenda file; a problem raises InputError naming the file, item and field."""
    path = Path(path)
    table = _read_toml(path)
    where = path.name
    _reject_unknown_fields(table, _AGENDA_FIELDS, where)
    title = _title(table, where)
    kind = _kind(table, AGENDA_KINDS, where)
    audience = _text(table, "audience", where)
    minutes = _minutes(table, where)
    description = _text(table, "description", where)
    items = tuple(
        _item(raw_item, number, where)
        for number, raw_item in enumerate(_raw_items(table, where), start=1)
    )
    planned = sum(item.minutes for item in items)
    if minutes != planned:
        raise InputError(
            f"{where}: minutes says {minutes} but the items add up to {planned}; make them equal"
        )
    return Agenda(
        slug=path.stem,
        title=title,
        kind=kind,
        audience=audience,
        minutes=minutes,
        description=description,
        items=items,
        path=path,
    )


def load_agendas(folder: Path | str = AGENDAS_DIR) -> tuple[list[Agenda], list[str]]:
    """Every agenda in a folder by file name, plus one error message per file that failed."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [f"{folder}: agenda folder not found"]
    agendas, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            agendas.append(load_agenda(path))
        except InputError as error:
            errors.append(str(error))
    return agendas, errors


def _read_toml(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror or error})") from error
    try:
        # utf-8-sig: some Windows editors start UTF-8 files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path.name}: is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line});"
            " save the file as UTF-8"
        ) from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path.name}: TOML syntax error: {error}") from error


def _raw_items(table: dict, where: str) -> list[dict]:
    raw_items = _required(table, "items", where)
    if not isinstance(raw_items, list):
        raise InputError(f"{where}: items must be [[items]] tables, got {_shown(raw_items)}")
    if not raw_items:
        raise InputError(f"{where}: has no items; add at least one [[items]] table")
    for number, raw_item in enumerate(raw_items, start=1):
        if not isinstance(raw_item, dict):
            raise InputError(
                f"{where}, item {number}: must be an [[items]] table, got {_shown(raw_item)}"
            )
    return raw_items


def _item(table: dict, number: int, file_where: str) -> AgendaItem:
    where = f"{file_where}, item {number}"
    title = table.get("title")
    if isinstance(title, str) and title.strip():
        where += f' "{title}"'
    _reject_unknown_fields(table, _ITEM_FIELDS, where)
    return AgendaItem(
        title=_title(table, where),
        minutes=_minutes(table, where),
        kind=_kind(table, ITEM_KINDS, where),
        prompts=_prompts(table, where),
        notes=_text(table, "notes", where),
        instructions=_text(table, "instructions", where) if "instructions" in table else "",
    )


def _reject_unknown_fields(table: dict, known: tuple[str, ...], where: str) -> None:
    unknown = [name for name in table if name not in known]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise InputError(
            f"{where}: unknown field{plural} {', '.join(_shown(name) for name in unknown)}"
            f" (allowed: {', '.join(known)})"
        )


def _required(table: dict, name: str, where: str) -> object:
    if name not in table:
        raise InputError(f'{where}: missing field "{name}"')
    return table[name]


def _text(table: dict, name: str, where: str) -> str:
    value = _required(table, name, where)
    if not isinstance(value, str):
        raise InputError(f"{where}: {name} must be text, got {_shown(value)}")
    return value


def _title(table: dict, where: str) -> str:
    title = _text(table, "title", where)
    if not title.strip():
        raise InputError(f"{where}: title must not be empty")
    return title


def _minutes(table: dict, where: str) -> int:
    value = _required(table, "minutes", where)
    # TOML true/false arrive as bool, which Python also counts as int.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InputError(f"{where}: minutes must be a whole number above 0, got {_shown(value)}")
    return value


def _kind(table: dict, allowed: tuple[str, ...], where: str) -> str:
    value = _required(table, "kind", where)
    if value not in allowed:
        choices = ", ".join(_shown(kind) for kind in allowed)
        raise InputError(f"{where}: kind must be one of {choices}; got {_shown(value)}")
    return value


def _prompts(table: dict, where: str) -> tuple[str, ...]:
    value = _required(table, "prompts", where)
    if not isinstance(value, list):
        raise InputError(f"{where}: prompts must be a list of text, got {_shown(value)}")
    for number, prompt in enumerate(value, start=1):
        if not isinstance(prompt, str):
            raise InputError(f"{where}: prompt {number} must be text, got {_shown(prompt)}")
    return tuple(value)


def _shown(value: object) -> str:
    """A TOML value as the person wrote it, short enough for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:39] + "…", ensure_ascii=False)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return str(value)
