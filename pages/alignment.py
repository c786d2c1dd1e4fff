"""Alignment (everyone): vertical (team → top level), horizontal (dependencies between teams), and flags."""

import time

import streamlit as st

from okrcoach.review import alignment
from okrcoach.ui import alignment_charts, clock, live, session
from okrcoach.workshop import ticks

REDRAW_SECONDS = 15

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

title, chooser = st.columns([3, 1], vertical_alignment="bottom")
title.title("Alignment")
team_slug = chooser.selectbox("Team", [None, *slugs], format_func=lambda s: "All teams" if s is None else slugs[s],
                              key="alignment-team")
st.caption(f"Updates as teams draft, at most every {REDRAW_SECONDS} seconds so the view holds still while "
           f"the room reads it.")
vertical_tab, horizontal_tab, flags_tab = st.tabs(["Vertical", "Horizontal", "Flags"])
with vertical_tab:
    st.caption("Top-level objectives → the team objectives that contribute to them → their key results. "
               "Click a box to zoom into it.")
    st.plotly_chart(alignment_charts.vertical_figure(alignment.vertical(data, team_slug)), key="vertical",
                    config={"displayModeBar": False})
with horizontal_tab:
    st.caption("Rows ask, columns are asked. Requested (amber), accepted (green), declined (red).")
    requests = alignment.horizontal(data, team_slug)
    st.plotly_chart(alignment_charts.horizontal_figure(requests, [d.team.name for d in data.drafts]),
                    key="horizontal", config={"displayModeBar": False})
    st.dataframe(requests.drop(columns=["to_team_removed"]), hide_index=True, width="stretch")
with flags_tab:
    flags = alignment.flags(data, team_slug)
    if flags.empty:
        st.success("Nothing to flag.")
    else:
        st.dataframe(flags, hide_index=True, width="stretch")
