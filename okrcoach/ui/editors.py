"""Open editors on one laptop: which are open, what is typed in them, and keeping that typing on the server.

An editor is named by what it edits ("objective-12", "kr-40", "purpose-3", "add-kr-12", "answer-7"), never by
its place on the page. Its widgets are keyed by that name, so a redraw, a teammate's save or a new order of
cards never hands one editor's typing to another. Each field commit (leaving a field) keeps the editor's
values in the database under the laptop's id, so a server restart or a laptop away for an hour reopens it
with the typing, marked "not saved yet"; only the person's own Save, Discard or Remove closes it.
"""

import json
from datetime import date

import streamlit as st

from okrcoach.drafting import unsaved
from okrcoach.errors import StorageUnavailable
from okrcoach.storage.store import Store
from okrcoach.ui import state


def _record_name(name: str) -> str:
    return f"editor-{name}"


def record(name: str) -> dict | None:
    """The open editor's record: base version, values, nonce; None when it is closed."""
    return state.get(_record_name(name))


def open_names() -> list[str]:
    """Every editor open on this laptop, in the order they were opened."""
    return list(state.get("open-editors", {}))


def _register(name: str, found: dict) -> None:
    state.put(_record_name(name), found)
    state.setdefault("open-editors", {})[name] = True


def restore(store: Store, laptop: str) -> None:
    """Once per browser session, reopen every editor this laptop left open with typing (restart, lid closed)."""
    if state.get("typing-restored") == laptop:
        return
    for name, typing in unsaved.kept(store, laptop).items():
        if record(name) is None:
            _register(name, {"base": typing.base_version, "values": typing.fields, "typed": True,
                             "restored": True, "nonce": _next_nonce(name)})
    state.put("typing-restored", laptop)


def _next_nonce(name: str) -> int:
    nonce = state.get(f"nonce-{name}", 0) + 1
    state.put(f"nonce-{name}", nonce)
    return nonce


def open_editor(store: Store, laptop: str, name: str, base: int, values: dict, *, keep: bool = True) -> None:
    """Open an editor on these values (kept on the server at once, unless keep is False: an empty add form)."""
    _register(name, {"base": base, "values": _plain(values), "typed": keep, "restored": False,
                     "nonce": _next_nonce(name)})
    if keep:
        _keep(store, laptop, name)


def ensure(name: str, base: int, values: dict, *, follow: bool = False) -> dict:
    """The editor's record, opening it untyped if closed; with follow, an untyped one follows the saved values."""
    found = record(name)
    if found is None:
        _register(name, {"base": base, "values": _plain(values), "typed": False, "restored": False,
                         "nonce": _next_nonce(name)})
        found = record(name)
    elif follow and not found["typed"] and found["base"] != base:
        found.update(base=base, values=_plain(values), nonce=_next_nonce(name))
    return found


def rebase(store: Store, laptop: str, name: str, base: int) -> None:
    """Carry the typing over to a newer saved version (the person has seen it)."""
    found = record(name)
    if found:
        found["base"] = base
        _keep(store, laptop, name)


def key(name: str, field: str) -> str:
    """The widget key of one field of an open editor, given its starting value the first time."""
    found = record(name)
    widget = f"ed.{name}.{found['nonce']}.{field}"
    if widget not in st.session_state:
        st.session_state[widget] = _typed(field, found["values"].get(field))
    return widget


def committed(store: Store, laptop: str, name: str, fields: tuple[str, ...]) -> None:
    """Widget callback: a field was left; keep the editor's values on the server."""
    found = record(name)
    if found is None:
        return
    for field in fields:
        widget = f"ed.{name}.{found['nonce']}.{field}"
        if widget in st.session_state and _plain_value(st.session_state[widget]) != found["values"].get(field):
            found["values"][field] = _plain_value(st.session_state[widget])
            # Sent back to the browser with this run: a whole-page redraw that came while the person left this
            # field may have drawn it anew from the value before, and the field must show what was just kept.
            st.session_state[widget] = st.session_state[widget]
    found["typed"] = True
    _keep(store, laptop, name)


def _keep(store: Store, laptop: str, name: str) -> None:
    found = record(name)
    try:
        unsaved.keep(store, laptop, name, found["base"], found["values"])
        found.pop("problem", None)
    except StorageUnavailable as error:
        found["problem"] = str(error)


def problem(name: str) -> str | None:
    """Why the last typing could not be kept on the server, if it could not."""
    found = record(name)
    return found.get("problem") if found else None


def close(store: Store, laptop: str, name: str) -> None:
    """Close an editor and forget its typing: the person saved, discarded or removed it."""
    unsaved.drop(store, laptop, name)  # first: if the file refuses, the editor stays open with its typing
    state.pop(_record_name(name))
    state.get("open-editors", {}).pop(name, None)


def _plain(values: dict) -> dict:
    return {field: _plain_value(value) for field, value in values.items()}


def _plain_value(value):
    """A value as JSON keeps it: dates as ISO text, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return list(value)
    return json.loads(json.dumps(value, default=str))


def _typed(field: str, value):
    """A kept value as its widget wants it back."""
    if field == "due" and isinstance(value, str) and value:
        return date.fromisoformat(value)
    return value
