"""The alignment picture in room type (projector mode): every label written out, wrapped, nothing on hover."""

import html
import math

import pandas as pd
import streamlit as st

from okrcoach.review.alignment import NOTHING, REMOVED_TOP
from okrcoach.ui.alignment_charts import GAP_COLOUR, NOTHING_COLOUR, REMOVED_COLOUR, TOP_COLOURS, tint

# vh units: 2.8vh is 30 px on a 1080-line projector (at least 28 px reads from 5 m).
BODY, HEADING = 2.8, 3.4
NOT_LINKED = "Not linked yet"
GROUP_NAMES = {NOTHING: NOT_LINKED, REMOVED_TOP: "Linked to a removed top-level objective"}
HORIZONTAL_NAMES = {"from_team": "Team asking", "to_team": "Team asked", "key_result": "Key result",
                    "objective": "Objective", "status": "Answer", "comment": "Comment"}
FLAG_NAMES = {"kind": "What to talk about", "team": "Team", "item": "Objective or key result", "detail": "Why"}
STATUS_WORDS = {"accepted": "✓ accepted", "requested": "? not answered yet", "declined": "✗ declined"}


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def _div(value: str, size: float, extra: str = "") -> str:
    return (f'<div style="font-size:{size}vh;line-height:1.25;white-space:pre-wrap;overflow-wrap:anywhere;'
            f'{extra}">{html.escape(value)}</div>')


def group_name(top_objective: str) -> str:
    """A group of the vertical view as the room reads it ('Not linked yet' for objectives linked to nothing)."""
    return GROUP_NAMES.get(top_objective, top_objective)


def vertical(df: pd.DataFrame, zoom: int | None = None) -> None:
    """Each top-level objective with every team objective under it, in full; key results when zoomed into one."""
    groups: dict[str, list[dict]] = {}
    for row in df.to_dict("records"):
        if zoom is not None and row.get("top_objective_id") != zoom:
            continue
        groups.setdefault(row["top_objective"], []).append(row)
    if not groups:
        st.html(_div("No top-level objectives yet.", HEADING, "opacity:.6"))
        return
    cards = []
    for number, (top, rows) in enumerate(groups.items()):
        colour = (REMOVED_COLOUR if top == REMOVED_TOP else NOTHING_COLOUR if top == NOTHING
                  else TOP_COLOURS[number % len(TOP_COLOURS)])
        parts = [_div(group_name(top), HEADING, f"font-weight:800;background:{colour};padding:.6vh .8vw;"
                                                "border-radius:.6vh;break-inside:avoid;break-after:avoid")]
        objectives: dict[object, list[dict]] = {}
        for row in rows:
            if _present(row.get("team")):
                objectives.setdefault(row.get("team_objective_id") or row["team_objective"], []).append(row)
        if not objectives:
            parts.append(_div("No team objective contributes to this yet.", BODY,
                              f"background:{GAP_COLOUR};padding:.4vh .8vw;margin-top:.6vh"))
        for krs in objectives.values():
            first = krs[0]
            parts.append(f'<div style="margin:.8vh 0 0 0;padding:.4vh .8vw;break-inside:avoid;'
                         f'border-left:.6vw solid {tint(colour, .2)}">'
                         + _div(first["team"], BODY, "font-weight:700")
                         + _div(first["team_objective"], BODY)
                         + ("".join(_div(f"• {kr['key_result']}"
                                         + (f" — {kr['champion']}" if _present(kr.get("champion")) else ""),
                                         BODY, "margin-left:1.2vw;opacity:.85")
                                    for kr in krs if _present(kr.get("key_result"))) if zoom is not None else "")
                         + "</div>")
        cards.append(f'<div style="margin:0 0 2vh 0">{"".join(parts)}</div>')  # long groups flow on
    columns = 1 if zoom is not None else min(3, len(cards))
    st.html(f'<div data-testid="okc-alignment-room" style="column-count:{columns};column-gap:2vw">'
            f'{"".join(cards)}</div>')


def table(df: pd.DataFrame, names: dict[str, str], empty: str, size: str = f"{BODY}vh") -> None:
    """A table with people's column names and wrapped text (no cell is cut); room type unless given a size."""
    if df.empty:
        st.html(f'<div style="font-size:{size};opacity:.7">{html.escape(empty)}</div>')
        return
    columns = [c for c in names if c in df.columns]
    head = "".join(f'<th style="text-align:left;padding:.4vh .6vw;border-bottom:2px solid #999">'
                   f"{html.escape(names[c])}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td style="vertical-align:top;padding:.4vh .6vw;border-bottom:1px solid #ddd;white-space:pre-wrap;'
            f'overflow-wrap:anywhere">{html.escape(_cell(c, row.get(c)))}</td>' for c in columns) + "</tr>"
        for row in df.to_dict("records"))
    st.html(f'<table data-testid="okc-room-table" style="font-size:{size};line-height:1.25;border-collapse:collapse;'
            f'width:100%"><thead>{head}</thead><tbody>{body}</tbody></table>')


def _cell(column: str, value) -> str:
    if not _present(value):
        return ""
    return STATUS_WORDS.get(value, str(value)) if column == "status" else str(value)
