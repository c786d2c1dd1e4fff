"""Showing text typed by people as text: never as markdown, HTML or a link."""

import html

import streamlit as st

_STYLE = {
    "body": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 0.5rem 0;",
    "caption": "white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.875rem; opacity: 0.65; margin: 0;",
    "heading": "overflow-wrap: anywhere; font-size: 2.5rem; font-weight: 700; line-height: 1.2; margin: 0.5rem 0;",
    "question": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .35rem .7rem; "
                "border-left: 4px solid #e65100; background: #fff3e0; border-radius: .3rem;",
    "discussed": "white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .35rem .7rem; "
                 "border-left: 4px solid #9e9e9e; opacity: .6; border-radius: .3rem;",
}


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


def question(value: str, discussed: bool) -> None:
    """A coaching question beside a draft: highlighted while open, muted once discussed."""
    st.html(as_html(("Discussed: " if discussed else "") + value, "discussed" if discussed else "question"))


def heading(value: str) -> None:
    """A page heading made of a person's text (a team or engagement name)."""
    st.html(as_html(value, "heading"))
