"""Cleaning text typed by people: control characters out, limits checked, nothing else changed."""

import re

from okrcoach.errors import InputError

MAX_CHARS = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    return clean((value or "").replace("\n", " ").replace("\t", " "), field, required=required, max_chars=max_chars)
