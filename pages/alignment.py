"""Alignment (everyone): vertical (team → top level), horizontal (dependencies between teams), and flags."""

import time

import streamlit as st

from okrcoach.review import alignment
from okrcoach.text import distinct
from okrcoach.ui import alignment_charts, alignment_room, clock, live, pages, plain, session
from okrcoach.workshop import ticks

pages.through_router()  # before anything else: this run must come through app.py

REDRAW_SECONDS = 15
TABLE_TYPE = "1rem"

st.set_page_config(page_title="okrcoach · alignment", layout="wide")
store = session.store()
engagement = session.engagement()
session.require_code(engagement)
live.tick("room", lambda: ticks.for_room(store, engagement.id, time.time()), clock.strip,
          min_redraw_seconds=REDRAW_SECONDS)
if session.is_facilitator():
    session.facilitator_nav()
data = alignment.load(store, engagement)
slugs = {d.team.slug: d.team.name for d in data.drafts}

title, chooser, mode = st.columns([3, 1, 1], vertical_alignment="bottom")
title.title("Alignment")
team_slug = chooser.selectbox("Team", [None, *slugs], format_func=lambda s: "All teams" if s is None else slugs[s],
                              key="alignment-team")
room = mode.toggle("Projector mode", key="alignment-projector",
                   help="Room type: every label written out and wrapped, readable from the back; nothing on hover.")
st.caption(f"Updates as teams draft, at most every {REDRAW_SECONDS} seconds so the view holds still while "
           f"the room reads it.")
vertical = alignment.vertical(data, team_slug)
vertical_tab, horizontal_tab, flags_tab = st.tabs(["Vertical", "Horizontal", "Flags"])
with vertical_tab:
    if room:
        tops = {row["top_objective_id"]: alignment_room.group_name(row["top_objective"])
                for row in vertical.to_dict("records") if row["top_objective_id"] == row["top_objective_id"]
                and row["top_objective_id"] is not None}
        tops = distinct(tops)
        zoom = st.selectbox("Zoom into", [None, *tops], key="alignment-zoom",
                            format_func=lambda i: "Every top-level objective" if i is None else plain.label(tops[i]),
                            help="One top-level objective with its team objectives and their key results.")
        alignment_room.vertical(vertical, zoom)
    else:
        st.caption("Top-level objectives → the team objectives that contribute to them → their key results. "
                   "Click a box to zoom into it.")
        st.plotly_chart(alignment_charts.vertical_figure(vertical), key="vertical", config={"displayModeBar": False})
with horizontal_tab:
    requests = alignment.horizontal(data, team_slug)
    if not room:
        st.caption("Rows ask, columns are asked. Requested (amber), accepted (green), declined (red).")
        st.plotly_chart(alignment_charts.horizontal_figure(requests, [d.team.name for d in data.drafts]),
                        key="horizontal", config={"displayModeBar": False})
    alignment_room.table(requests, alignment_room.HORIZONTAL_NAMES, "No team depends on another yet.",
                         **({} if room else {"size": TABLE_TYPE}))
with flags_tab:
    flags = alignment.flags(data, team_slug)
    alignment_room.table(flags, alignment_room.FLAG_NAMES, "Nothing to flag.", **({} if room else {"size": TABLE_TYPE}))
