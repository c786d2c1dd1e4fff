"""The floor for the tick benchmark: a page that only shows a clock in a run_every fragment."""

import time

import streamlit as st


@st.fragment(run_every=1)
def clock() -> None:
    st.html(f"<div>{time.strftime('%H:%M:%S')}</div>")


clock()
