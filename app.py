"""okrcoach: the router. Run with `streamlit run app.py` (add `-- --db PATH` for another store)."""

import streamlit as st

from okrcoach.ui import failure, pages, process, session

process.set_up()  # once per server process: the garbage collector, the theme settings (okrcoach/ui/process.py)
st.set_page_config(page_title="okrcoach")
page = st.navigation(
    [st.Page(screen.script, title=screen.title, url_path=screen.url_path, default=screen == pages.JOIN)
     for screen in pages.SCREENS],
    position="hidden",
)
with failure.boundary():
    session.engagement()  # a fresh database gets its engagement, and the PIN goes to the terminal
    page.run()
