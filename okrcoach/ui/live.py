"""Redrawing a page when another laptop changes what it shows."""

from collections.abc import Callable

import streamlit as st

POLL_SECONDS = 2


def follow(name: str, read_stamp: Callable[[], int]) -> None:
    """Note the change stamp this run drew from, and rerun the page when it moves."""
    st.session_state[f"stamp-{name}"] = read_stamp()
    _watch(name, read_stamp)


@st.fragment(run_every=POLL_SECONDS)
def _watch(name: str, read_stamp: Callable[[], int]) -> None:
    if read_stamp() != st.session_state.get(f"stamp-{name}"):
        st.rerun(scope="app")
