"""okrcoach: the router. Run with `streamlit run app.py` (add `-- --db PATH` for another store)."""

import sys

import streamlit as st

from okrcoach.ui import failure, pages, session

# Every rerun (each session's clock tick too) starts a thread, and the server's one event loop waits until it has
# started, as it waits for the GIL after every socket read and write. Script threads hold the GIL for 5 ms slices
# by default, so at 120 sessions that loop, which carries every save and every redraw, queued behind them (save
# p95 7.2 s). Half-millisecond slices keep it moving (1.4 s, and less CPU): README, Benchmarks.
sys.setswitchinterval(0.0005)
st.set_page_config(page_title="okrcoach")
page = st.navigation(
    [st.Page(screen.script, title=screen.title, url_path=screen.url_path, default=screen == pages.JOIN)
     for screen in pages.SCREENS],
    position="hidden",
)
with failure.boundary():
    session.engagement()  # a fresh database gets its engagement, and the PIN goes to the terminal
    page.run()
