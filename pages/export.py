"""Export (facilitator): the Word draft pack, the handout, the CSV and .xlsx, the backup, restore, switching back."""

import time

import streamlit as st

from okrcoach.errors import InputError
from okrcoach.exports import backup, csv_export, handout, pack, spreadsheet, steps
from okrcoach.text import distinct
from okrcoach.ui import drafting, pages, plain, session, state
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.teams import slugify

pages.through_router()  # before anything else: this run must come through app.py

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

store = session.store()
session.require_facilitator()
engagement = session.engagement()
session.facilitator_nav()
st.title("Export")
drafting.flash_saved()
stem = f"{slugify(engagement.client or engagement.name) or 'engagement'}-{time.strftime('%Y-%m-%d')}"

st.subheader("For the client")
with_questions = st.checkbox("Put each team's open coaching questions after its OKRs", value=True,
                             help="Leave it unticked for a copy without them.")
st.download_button("Download the draft pack (.docx)",
                   data=lambda: pack.build_pack(store, engagement, with_questions=with_questions),
                   file_name=f"{stem}-draft-pack.docx", mime=DOCX, on_click="ignore", type="primary")
st.caption("Cover, the drafts at a glance, contents, deployment parameters, agenda as run, top-level OKRs, "
           "every team's draft, alignment, parking lot and next steps; sections with nothing in them are left out.")
with st.expander("Next steps in the pack", expanded=bool(engagement.next_steps)):
    edited_before = bool(engagement.next_steps)
    st.caption("Your edited steps, kept for this engagement." if edited_before else
               "Worked out from the workshop's date, the cycle and the open requests. Edit them and save to "
               "keep your version.")
    shown = list(engagement.next_steps) or steps.suggested(store, engagement, time.time())
    with st.form("next-steps"):
        rows = st.data_editor(steps.table_rows(shown), key=state.form_key("next-steps"), hide_index=True,
                              num_rows="dynamic", width="stretch",
                              # Pixel widths so "By" stays in view beside long steps; a cell shows all its text when edited.
                              column_config={"Step": st.column_config.TextColumn(width=290, max_chars=1000),
                                             "Who": st.column_config.TextColumn(width=130, max_chars=200),
                                             "By": st.column_config.TextColumn(width=110, max_chars=100)})
        if st.form_submit_button("Save next steps"):
            try:
                engagements.set_next_steps(store, engagement.id, steps.from_table(rows))
            except InputError as error:
                plain.alert(str(error), "error")
            else:
                state.clear_form("next-steps")  # the table starts again from what was saved
                state.flash("Saved the next steps for the pack.")
                st.rerun()
    if edited_before and st.button("Go back to the worked-out steps"):
        engagements.set_next_steps(store, engagement.id, None)
        state.clear_form("next-steps")
        state.flash("The pack's next steps are worked out from the engagement again.")
        st.rerun()
st.download_button("Download the CSV for the OKR tool", data=lambda: csv_export.build_csv(store, engagement),
                   file_name=f"{stem}-okrs.csv", mime="text/csv", on_click="ignore")
st.download_button("Download the workbook for the OKR tool (.xlsx)",
                   data=lambda: spreadsheet.build_xlsx(store, engagement), file_name=f"{stem}-okrs.xlsx", mime=XLSX,
                   on_click="ignore")
st.caption("One row per key result with its ids, status, team level and the cycle; the workbook has a sheet "
           "per level. Text that a spreadsheet would run as a formula stays text.")

st.subheader("Drafting handout")
team_names = {t.slug: t.name for t in teams.list_teams(store, engagement.id)}
chosen = st.selectbox("Handout for", [None, *team_names],
                      format_func=lambda s: "A blank handout" if s is None else f"{team_names[s]}, with its draft")
# The label names the handout, so the button a person clicks is the one drawn for their choice (a click in the
# moment before the page redraws it would download the handout chosen before).
st.download_button("Download the blank handout (.docx)" if chosen is None else
                   f"Download the handout for {plain.label(team_names[chosen])} (.docx)",
                   data=lambda: handout.build_handout(store, engagement, chosen),
                   file_name=f"{stem}-handout-{chosen or 'blank'}.docx", mime=DOCX, on_click="ignore")

st.subheader("Backup and restore")
st.download_button("Download a JSON backup", data=lambda: backup.backup_bytes(store, engagement),
                   file_name=f"{stem}-backup.json", mime="application/json", on_click="ignore")
st.caption("Everything in this engagement: teams, drafts, every revision, the agenda run, votes, "
           "dependencies and the parking lot. The facilitator PIN is not in it.")
with st.form("restore"):
    upload = st.file_uploader("Restore from a backup", type=["json"])
    sure = st.checkbox("Archive the engagement in use and restore this backup in its place")
    if st.form_submit_button("Restore"):
        if upload is None or not sure:
            st.warning("Choose a backup file and tick the box to confirm.")
        else:
            try:
                restored = backup.restore(store, backup.read_backup(upload.getvalue(), upload.name), upload.name)
            except InputError as error:  # names the uploaded file and quotes its content
                plain.alert(str(error), "error")
            else:
                session.renew_sign_in()  # the restored engagement is a new one: sign-ins made before end
                state.flash(f"Restored '{restored.name}'. The engagement that was in use is "
                                             f"archived.")
                st.rerun()

st.subheader("Earlier engagements")
earlier = engagements.archived(store)
if not earlier:
    st.caption("None yet: starting a new engagement, loading the demo or restoring a backup archives the one in "
               "use, and it is listed here.")
else:
    when = {row["id"]: time.strftime("%Y-%m-%d %H:%M", time.localtime(row["archived_at"])) for row in earlier}
    # Names repeat (the demo loaded twice) and so can the minute: two equal labels would be one choice.
    names = distinct({row["id"]: f"{row['name']}, archived {when[row['id']]}" for row in earlier})
    st.dataframe([{"Engagement": row["name"], "Client": row["client"], "Archived": when[row["id"]]} for row in earlier],
                 hide_index=True)
    with st.form("switch back"):
        chosen_id = st.selectbox("Engagement", list(names), format_func=names.get)
        sure = st.checkbox("Archive the engagement in use and switch back to this one")
        if st.form_submit_button("Switch back"):
            if not sure:
                st.warning("Tick the box to confirm.")
            else:
                try:
                    back = engagements.switch_to(store, chosen_id)
                except InputError as error:  # archived or brought back in another tab meanwhile
                    plain.alert(str(error), "error")
                else:
                    session.renew_sign_in()  # sign-ins belong to an engagement: keep this facilitator's
                    state.flash(f"Switched back to '{back.name}'. The engagement that was in use is archived.")
                    st.rerun()
