"""okrcoach: the router. Run with `streamlit run app.py` (add `-- --db PATH` for another store)."""

import streamlit as st

from okrcoach.ui import failure, session

st.set_page_config(page_title="okrcoach")
page = st.navigation(
    [
        st.Page("pages/join.py", title="Join", url_path="join", default=True),
        st.Page("pages/setup.py", title="Set-up", url_path="setup"),
        st.Page("pages/console.py", title="Console", url_path="console"),
        st.Page("pages/projector.py", title="Projector", url_path="projector"),
        st.Page("pages/team.py", title="Team", url_path="team"),
        st.Page("pages/executive.py", title="Executive session", url_path="executive"),
        st.Page("pages/alignment.py", title="Alignment", url_path="alignment"),
        st.Page("pages/export.py", title="Export", url_path="export"),
    ],
    position="hidden",
)
with failure.boundary():
    session.engagement()  # a fresh database gets its engagement, and the PIN goes to the terminal
    page.run()
