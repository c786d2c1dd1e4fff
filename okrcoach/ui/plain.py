"""Showing text typed by people as text: never as markdown, HTML or a link."""

import html
import re

import streamlit as st

_ALERT = "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 16px; border-radius: 8px; "
_STYLE = {
    "body": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 0.5rem 0;",
    "caption": "white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.875rem; opacity: 0.65; margin: 0;",
    "heading": "overflow-wrap: anywhere; font-size: 2.5rem; font-weight: 700; line-height: 1.2; margin: 0.5rem 0;",
    "subheading": "overflow-wrap: anywhere; font-size: 1.75rem; font-weight: 600; line-height: 1.2; "
                  "margin: 0.25rem 0;",
    "title": "overflow-wrap: anywhere; font-size: 1.25rem; font-weight: 600; line-height: 1.2; margin: 0 0 .5rem 0;",
    "label": "overflow-wrap: anywhere; font-weight: 600; margin: 0 0 .25rem 0;",
    "question": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .35rem .7rem; "
                "border-left: 4px solid #e65100; background: #fff3e0; border-radius: .3rem;",
    "discussed": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .35rem .7rem; "
                 "border-left: 4px solid #9e9e9e; opacity: .6; border-radius: .3rem;",
    # The colours of Streamlit's own st.success, st.info, st.warning and st.error.
    "success": _ALERT + "background: #f1fbf6; color: #0c5a44;",
    "info": _ALERT + "background: #edf5ff; color: #244fb4;",
    "warning": _ALERT + "background: #fffae5; color: #956b0f;",
    "error": _ALERT + "background: #fff1f2; color: #9e303b;",
}
_ROLES = {"success": "status", "info": "status", "warning": "alert", "error": "alert"}
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit links bare addresses and turns :shortcodes: into emoji even when escaped: an invisible word
# joiner after ':' and '@' and inside 'www.' breaks those patterns without changing what is read.
_LINK_PATTERNS = re.compile(r"(?<=:)|(?<=@)|(?i:(?<=www)(?=\\\.))")


def as_html(value: str, style: str = "body") -> str:
    """An HTML block that shows exactly the characters given."""
    return f'<div dir="auto" style="{_STYLE[style]}">{html.escape(value)}</div>'


def text(value: str, *, empty: str = "", caption: bool = False) -> None:
    """Show a person's text as plain text, or a muted placeholder when there is none."""
    if not value.strip():
        if empty:
            st.html(as_html(empty, "caption"))
        return
    st.html(as_html(value, "caption" if caption else "body"))


def lines(parts: list[tuple[str, str]]) -> None:
    """Several lines, each (style, text), drawn as one element: a card's whole read view costs one delta."""
    st.html("".join(as_html(value, style) for style, value in parts))


def question(value: str, discussed: bool) -> None:
    """A coaching question beside a draft: highlighted while open, muted once discussed."""
    st.html(as_html(("Discussed: " if discussed else "") + value, "discussed" if discussed else "question"))


def heading(value: str) -> None:
    """A page heading made of a person's text (a team or engagement name)."""
    st.html(as_html(value, "heading"))


def subheading(value: str) -> None:
    """A section heading made of a person's text (an agenda item's title)."""
    st.html(as_html(value, "subheading"))


def alert(value: str, kind: str) -> None:
    """A success, info, warning or error box like Streamlit's, for a message holding a person's text."""
    st.html(f'<div data-testid="okc-{kind}" role="{_ROLES[kind]}" dir="auto" style="{_STYLE[kind]}">'
            f"{html.escape(value)}</div>")


def label(value: str) -> str:
    """A person's text for a place Streamlit renders as markdown (a toast, a widget label): read as typed."""
    return _LINK_PATTERNS.sub("\u2060", _MARKDOWN_PUNCTUATION.sub(r"\\\1", value))
