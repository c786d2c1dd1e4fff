"""The breakout progress board, large for the projector and compact for the console."""

import html
import time

import streamlit as st

from okrcoach import humanize
from okrcoach.workshop.progress import TeamProgress


def _rows(board: list[TeamProgress], questions: dict[int, int], now: float) -> list[list[str]]:
    return [[team.name, str(team.objectives), str(team.key_results), f"{team.why_now_written}/{team.objectives}",
             f"{team.ready}/{team.objectives}", str(questions.get(team.team_id, 0)),
             humanize.ago(team.last_edit, now) if team.last_edit else "—", str(team.laptops)]
            for team in board]


HEADERS = ["Team", "Objectives", "Key results", "Why now?", "Ready", "Open questions", "Last edit", "Laptops"]


def large(board: list[TeamProgress], questions: dict[int, int]) -> None:
    """The board in projector type; open coaching questions show where the coach should walk next."""
    cells = "".join(
        "<tr>" + "".join(f'<td style="padding:.2vh .6vw;{"text-align:left" if i == 0 else "white-space:nowrap"}">'
                         f"{html.escape(value)}</td>" for i, value in enumerate(row)) + "</tr>"
        for row in _rows(board, questions, time.time()))
    head = "".join(f'<th style="padding:.2vh .6vw;{"text-align:left" if i == 0 else ""}">{h}</th>'
                   for i, h in enumerate(HEADERS))
    size = min(3.0, 40 / (len(board) + 1))  # twelve teams still fit on a 720p projector
    st.html(f'<table data-testid="okc-board" style="font-size:{size:.1f}vh;border-collapse:collapse;width:100%;'
            f'text-align:center"><thead style="border-bottom:2px solid #999">{head}</thead>'
            f"<tbody>{cells}</tbody></table>")


def compact(board: list[TeamProgress], questions: dict[int, int]) -> None:
    """The board as a table on the console."""
    st.dataframe([dict(zip(HEADERS, row, strict=True)) for row in _rows(board, questions, time.time())],
                 hide_index=True, width="stretch")
