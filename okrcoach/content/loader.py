"""One loader for every content file (agendas, handouts, the demo): TOML read into typed models, errors named."""

import json
import string
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError, model_validator

from okrcoach.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
AGENDAS_DIR = ROOT / "agendas"
HANDOUTS_DIR = ROOT / "handouts"

Model = TypeVar("Model")


def expect(check: Callable[[Any], bool], expectation: str) -> BeforeValidator:
    """A value check whose failure reads '<field> must be <expectation>, got <value>'."""
    def validate(value):
        if not check(value):
            raise ValueError(f"must be {expectation}")
        return value
    return BeforeValidator(validate)


def _is_text(value) -> bool:
    return isinstance(value, str)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # TOML true is a bool, which Python counts as int


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def one_of(choices: Iterable[str]) -> BeforeValidator:
    """Exactly one of the listed words."""
    choices = tuple(choices)
    return expect(lambda value: isinstance(value, str) and value in choices,
                  f"one of {', '.join(shown(choice) for choice in choices)}")


Text = Annotated[str, expect(_is_text, "text")]
NonEmptyText = Annotated[str, expect(_is_text, "text"), AfterValidator(_not_blank)]
Minutes = Annotated[int, expect(lambda v: _is_whole(v) and v > 0, "a whole number above 0")]
Count = Annotated[int, expect(lambda v: _is_whole(v) and v >= 0, "a whole number, 0 or more")]
Number = Annotated[float, expect(lambda v: _is_whole(v) or isinstance(v, float), "a number")]
Flag = Annotated[bool, expect(lambda v: isinstance(v, bool), "true or false")]
Texts = Annotated[tuple[Text, ...], expect(lambda v: isinstance(v, list), "a list of text")]
Words = Annotated[tuple[NonEmptyText, ...], expect(lambda v: isinstance(v, list) and bool(v), "a list of words"),
                  AfterValidator(lambda words: tuple(word.strip().lower() for word in words))]


def placeholders(text: str) -> set[str]:
    """The {names} a text fills in; ValueError for a stray brace."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise ValueError(f"has a stray brace ({error})") from None


def fills(text: str, values: dict, what: str = "") -> str:
    """The text with its placeholders filled; ValueError names an unknown one."""
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"{what}has an unknown placeholder ({error})") from None


class Known:
    """A table of a content file: refuses fields it does not have, naming them with the allowed ones."""

    NOT_IN_FILE: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _only_known_fields(cls, data):
        if isinstance(data, dict):
            names = [f.name for f in fields(cls)] if is_dataclass(cls) else list(cls.model_fields)
            unknown = [key for key in data if key not in names]
            if unknown:
                allowed = [name for name in names if name not in cls.NOT_IN_FILE]
                plural = "s" if len(unknown) > 1 else ""
                raise ValueError(f"unknown field{plural} {', '.join(shown(key) for key in unknown)} "
                                 f"(allowed: {', '.join(allowed)})")
        return data


def read_toml(path: Path) -> dict:
    """The TOML table in path; InputError names the file, and the line for a bad byte or bad syntax."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror or error})") from error
    return decode_toml(path, data)


def decode_toml(path: Path, data: bytes) -> dict:
    """The TOML table in the bytes of path; InputError names the file, and the line for a bad byte or bad syntax."""
    try:
        # utf-8-sig: some Windows editors start UTF-8 files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path.name}: is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line});"
                         " save the file as UTF-8") from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path.name}: TOML syntax error: {error}") from error


def load(file: Path | str, model: type[Model], given: dict | None = None) -> Model:
    """A content file read into its model (given: values that are not in the file, e.g. its slug).

    Pages load content on every redraw: the bytes are read each time, so an edited file shows at once,
    but they are parsed and checked once per change (models are frozen, so one serves every session).
    """
    file = Path(file)
    try:
        data = file.read_bytes()
    except OSError:
        return parse(read_toml(file), model, file.name, given)  # read_toml says why, naming the file
    return _parsed(file, data, model, tuple(sorted((given or {}).items())))


@lru_cache(maxsize=128)
def _parsed(file: Path, data: bytes, model: type[Model], given: tuple) -> Model:
    return parse(decode_toml(file, data), model, file.name, dict(given))


def parse(table: dict, model: type[Model], name: str, given: dict | None = None) -> Model:
    """A table checked into its model; InputError names the file, the item and the field at fault."""
    try:
        return _adapter(model).validate_python({**table, **(given or {})})
    except ValidationError as error:
        raise InputError(describe(error.errors()[0], table, name)) from None


@cache
def _adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def describe(problem: dict, table: dict, name: str) -> str:
    """One validation problem as a person can fix it: 'agenda.toml, item 2 "Draft": minutes must be ...'."""
    where, field = [name], []
    node: Any = table
    for part in problem["loc"]:
        if isinstance(part, int) and field:
            element = node[part] if isinstance(node, list) and part < len(node) else None
            label = f"{_singular(field.pop())} {part + 1}"
            if isinstance(element, dict):
                title = next((element[k] for k in ("title", "id", "slug", "ref", "name")
                              if isinstance(element.get(k), str) and element[k].strip()), None)
                where.append(f"{label} {shown(title)}" if title else label)
            else:
                field.append(label)
            node = element
        elif part == "[key]":  # the name of a table entry, not its value
            field[-1] += " name"
        else:
            field.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    place, named = ", ".join(where), ".".join(field)
    kind, message = problem["type"], str(problem.get("ctx", {}).get("error", problem["msg"]))
    if kind == "missing":
        return f'{place}: missing field "{named}"'
    if kind != "value_error":
        message = f"must be {_EXPECTED.get(kind, 'something else')}"
    if message.startswith("must be"):
        message += f", got {shown(problem.get('input'))}"
    return f"{place}: {named} {message}" if named else f"{place}: {message}"


_EXPECTED = {"dict_type": "a table", "dataclass_type": "a table", "model_type": "a table", "list_type": "a list",
             "tuple_type": "a list", "string_type": "text", "int_type": "a whole number", "bool_type": "true or false"}


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3].replace("_", " ") + "y"
    singular = name[:-1] if name.endswith("s") and not name.endswith("ss") else name
    return singular.replace("_", " ")


def shown(value: object) -> str:
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
