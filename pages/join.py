"""Join page: workshop code, then pick your team; the facilitator signs in with the PIN."""

import streamlit as st

from okrcoach.ui import pages, plain, session
from okrcoach.workshop import teams

pages.through_router()  # before anything else: this run must come through app.py

engagement = session.engagement()
st.title("Join the workshop")
if not session.has_code(engagement):
    session.code_form(engagement, key="join-code")
else:
    team_list = teams.list_teams(session.store(), engagement.id)
    plain.text(f"Workshop: {engagement.name}", caption=True)
    if not team_list:
        st.info("The facilitator has not set up the teams yet. Wait a moment, then reload.")
    else:
        with st.form("pick-team"):
            names = {t.slug: t.name for t in team_list}
            slug = st.selectbox("Team", list(names), format_func=names.get, index=None,
                                placeholder="Choose your team")
            if st.form_submit_button("Join", type="primary"):
                if slug:
                    st.switch_page("pages/team.py", query_params=session.link_params(team=slug))
                st.error("Choose your team first.")

st.divider()
if session.is_facilitator():
    st.page_link("pages/setup.py", label="Go to set-up", query_params=session.link_params())
else:
    with st.expander("Facilitator"):
        if session.pin_form(key="join-pin"):
            st.switch_page("pages/setup.py", query_params=session.link_params())
