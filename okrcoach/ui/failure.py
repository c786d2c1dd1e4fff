"""What a person sees when something fails: one plain sentence on the screen, the traceback in the log."""

import functools
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from okrcoach.errors import StorageUnavailable
from okrcoach.storage.store import file_problem

log = logging.getLogger("okrcoach")
UNEXPECTED = ("Something went wrong on this page; it has been noted in the log for the facilitator. "
              "Reload the page to carry on.")


def sentence(error: Exception) -> str:
    """The one sentence a person gets for this failure."""
    if isinstance(error, StorageUnavailable):
        return str(error)
    if isinstance(error, sqlite3.Error) and file_problem(error):
        return file_problem(error)
    return UNEXPECTED


def show(error: Exception) -> None:
    """Log the failure with its traceback and tell the person in one sentence."""
    log.error("A page failed: %s", error, exc_info=error)
    st.error(sentence(error), icon=":material/error:")


@contextmanager
def boundary() -> Iterator[None]:
    """Run a page; any failure becomes one sentence (Streamlit's own stop and rerun pass through)."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the boundary: everything a page did not handle
        show(error)


def guarded(draw: Callable) -> Callable:
    """A fragment body behind the same boundary (a fragment rerun does not pass through the page's)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with boundary():
            return draw(*args, **kwargs)

    return wrapper
