"""Showing text typed by people as text: never as markdown, HTML or a link."""

import re

import streamlit as st

_MARKDOWN_SIGNS = re.compile(r"([!-/:-@\[-`{-~])")


def escape(value: str) -> str:
    """Markdown that displays exactly the characters given, line breaks kept."""
    lines = (_MARKDOWN_SIGNS.sub(r"\\\1", line).lstrip() for line in value.split("\n"))
    return "  \n".join(lines)


def text(value: str, *, empty: str = "", caption: bool = False) -> None:
    """Show a person's text as plain text, or a muted placeholder when there is none."""
    if not value.strip():
        if empty:
            st.caption(escape(empty))
        return
    (st.caption if caption else st.markdown)(escape(value))
