"""What the app keeps in a browser session, under its own namespace so no widget key can collide with it."""

import time
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

PREFIX = "okrcoach:"
FLASH_SECONDS = 8  # a confirmation stays this long, so a teammate's save redrawing the page never wipes it at once


def key(name: str) -> str:
    """The session-state key the app keeps `name` under; widget and form keys never start with PREFIX."""
    return PREFIX + name


def get(name: str, default: Any = None) -> Any:
    """A value the app keeps for this browser session."""
    return st.session_state.get(key(name), default)


def put(name: str, value: Any) -> None:
    """Keep a value for this browser session."""
    st.session_state[key(name)] = value


def pop(name: str, default: Any = None) -> Any:
    """Forget a kept value, returning it."""
    return st.session_state.pop(key(name), default)


def setdefault(name: str, value: Any) -> Any:
    """The kept value, keeping `value` first if there is none."""
    return st.session_state.setdefault(key(name), value)


def flash(message: str, slot: str = "flash") -> None:
    """A one-line confirmation, shown from the next redraw on for FLASH_SECONDS (a slot per place it shows)."""
    put(slot, {"message": message, "at": time.monotonic(), "shown": False, "page": _page()})


def current_flash(slot: str = "flash") -> tuple[str, bool] | None:
    """The confirmation to show now, and whether this is its first showing; None once it is old."""
    found = get(slot)
    if found is None:
        return None
    if time.monotonic() - found["at"] > FLASH_SECONDS or found["page"] != _page():  # old, or another page's
        pop(slot)
        return None
    first, found["shown"] = not found["shown"], True
    return found["message"], first


def _page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def seeded(form: str, values: dict[str, Any]) -> dict[str, str]:
    """Widget keys for a form's fields, filled with `values` whenever the stored values change.

    A save keeps the same widgets, so nothing is drawn anew around the saved values (a field drawn anew
    shows twice for a moment, and typing into the old copy is lost); a change made elsewhere fills them again.
    """
    keys = {field: f"{form}-{field}" for field in values}
    if get(f"seeded-{form}") != values or any(k not in st.session_state for k in keys.values()):
        put(f"seeded-{form}", dict(values))
        for field, value in values.items():
            st.session_state[keys[field]] = value
    return keys


def form_key(name: str) -> str:
    """A form's key, the same on every draw until clear_form(name): the form keeps its typing until then."""
    return f"{name}-{get(f'form-{name}', 0)}"


def clear_form(name: str) -> None:
    """Give the form empty fields on its next draw, once what was typed in it is saved."""
    put(f"form-{name}", get(f"form-{name}", 0) + 1)
