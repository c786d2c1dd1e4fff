"""Text typed by people: cleaned (control characters out, limits checked, nothing else changed) and told apart."""

import re
from collections.abc import Mapping
from typing import TypeVar

from okrcoach.errors import InputError

K = TypeVar("K")
MAX_CHARS = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but tab and line ends; DEL; C1
_LINE_BREAK = re.compile(r"\r\n?|[\n\t]")


def clean(value: str | None, field: str, *, required: bool = False, max_chars: int = MAX_CHARS) -> str:
    """The text as typed, minus control characters and outer spaces; refused if empty or too long."""
    text = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        raise InputError(f"{field} is empty: write something before saving.")
    if len(text) > max_chars:
        raise InputError(
            f"{field} is {len(text):,} characters long; the limit is {max_chars:,}. Shorten it and save again."
        )
    return text


def one_line(value: str | None, field: str, *, required: bool = False, max_chars: int = 200) -> str:
    """A name-like field: one line, cleaned, short."""
    return clean(_LINE_BREAK.sub(" ", value or ""), field, required=required, max_chars=max_chars)


def distinct(labels: Mapping[K, str]) -> dict[K, str]:
    """Labels a person can tell apart in a list to pick from: a label seen before gets " (2)", " (3)"…"""
    seen: set[str] = set()
    out = {}
    for option, label in labels.items():
        shown, count = label, 1
        while shown in seen:
            count += 1
            shown = f"{label} ({count})"
        seen.add(shown)
        out[option] = shown
    return out
