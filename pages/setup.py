"""Set-up (facilitator): the engagement, its deployment parameters, teams, access, demo and new engagement."""

import streamlit as st

from dataclasses import replace

from okrcoach.drafting import demo
from okrcoach.errors import InputError
from okrcoach.ui import drafting, pages, plain, session, state
from okrcoach.workshop import agendas, engagements, joining, runs, teams
from okrcoach.workshop.engagements import DeploymentParameters

pages.through_router()  # before anything else: this run must come through app.py

store = session.store()
session.require_facilitator()
engagement = session.engagement()
session.facilitator_nav()
st.title("Set-up")
drafting.flash_saved()


ROW_PX = 35  # a table row's height
CYCLES = {"quarter": "A quarter", "4-month": "4 months", "custom": "Custom dates"}


def done(message: str) -> None:
    state.flash(message)
    st.rerun()


team_list = teams.list_teams(store, engagement.id)
if not team_list:
    with st.container(border=True):
        st.markdown("**New here?** Load the demo engagement — a fictional client with a leadership team "
                    "and four breakout teams — to try everything out. Your workshop code and PIN stay the same.")
        if st.button("Load demo engagement", type="primary", key="demo-top"):
            demo.load_demo(store)
            session.renew_sign_in()
            done("Loaded the demo engagement. Its team drafting workshop is ready to start on the console.")

st.header("Engagement")
with st.form("engagement"):
    keys = state.seeded("engagement", {
        "name": engagement.name, "client": engagement.client, "facilitator": engagement.facilitator,
        "cycle": engagement.cycle_kind, "start": engagement.cycle_start, "end": engagement.cycle_end,
        "levels": list(engagement.params.levels), "max-objectives": engagement.params.max_objectives,
        "min-krs": engagement.params.min_key_results, "max-krs": engagement.params.max_key_results,
        "milestones": engagement.params.milestones_allowed})
    left, right = st.columns(2)
    name = left.text_input("Engagement name", key=keys["name"], max_chars=200)
    client = right.text_input("Client", key=keys["client"], max_chars=200)
    facilitator = left.text_input("Facilitator", key=keys["facilitator"], max_chars=200)
    cycle_kind = right.selectbox("Cycle", engagements.CYCLE_KINDS, key=keys["cycle"], format_func=CYCLES.get)
    cycle_start = left.date_input("Cycle starts", key=keys["start"], format="DD/MM/YYYY")
    cycle_end = right.date_input("Cycle ends (custom cycles only)", key=keys["end"], format="DD/MM/YYYY")
    st.subheader("Deployment parameters")
    st.caption("Settled with the client before training; restated in the room, not debated there.")
    levels = st.multiselect("Levels OKRs are set at", engagements.LEVELS, key=keys["levels"],
                            format_func={"top": "Top level", "team": "Team"}.get)
    left, middle, right = st.columns(3)
    max_objectives = left.number_input("Maximum objectives per team", 1, 5, key=keys["max-objectives"])
    min_krs = middle.number_input("Key results per objective: at least", 1, 6, key=keys["min-krs"])
    max_krs = right.number_input("Key results per objective: at most", 1, 6, key=keys["max-krs"])
    milestones = st.checkbox("Milestone key results allowed", key=keys["milestones"])
    if st.form_submit_button("Save engagement", type="primary"):
        try:
            engagements.update(store, engagement.id, name=name, client=client, facilitator=facilitator,
                               cycle_kind=cycle_kind, cycle_start=cycle_start, cycle_end=cycle_end,
                               params=DeploymentParameters(tuple(levels), int(max_objectives), int(min_krs),
                                                           int(max_krs), milestones))
        except InputError as error:
            st.error(str(error))
        else:
            done("Saved the engagement.")
st.caption(f"Current cycle: {engagement.cycle_start:%d %b %Y} to {engagement.cycle_end:%d %b %Y}.")
with st.form("locale"):
    st.caption("How the draft pack and the handout write numbers, money and dates, and the time zone "
               "the agenda's times are shown in.")
    left, right = st.columns(2)
    languages = list(dict.fromkeys([*engagements.LANGUAGES, engagement.language]))
    zones = engagements.time_zones()
    keys = state.seeded("locale", {"language": engagement.language,
                                   "zone": engagement.time_zone if engagement.time_zone in zones else None})
    language = left.selectbox("Language and region", languages, key=keys["language"],
                              format_func=lambda code: f"{engagements.language_name(code)} ({code})")
    zone = right.selectbox("Time zone", zones, key=keys["zone"])
    if st.form_submit_button("Save language and time zone"):
        try:
            engagements.set_locale(store, engagement.id, language, zone or "")
        except InputError as error:
            st.error(str(error))
        else:
            done("Saved the language and time zone.")

st.header("Workshop agenda")
agenda_list, agenda_errors = agendas.load_agendas()
for problem in agenda_errors:
    plain.alert(f"An agenda file could not be loaded: {problem}", "error")
run = runs.current(store, engagement.id)
by_slug = {a.slug: a for a in agenda_list}
top_team = next((t for t in team_list if t.kind == "top"), None)
fitting = runs.fitting_agenda(agenda_list, run, top_team is not None,
                              teams.draft_count(store, top_team.id) if top_team else 0)
with st.form("agenda"):
    chosen = st.selectbox("Agenda for this workshop", list(by_slug),
                          index=list(by_slug).index(fitting.slug) if fitting else 0,
                          format_func=lambda slug: f"{by_slug[slug].title} ({by_slug[slug].minutes} min)")
    replacing = run is not None
    if replacing:
        confirmed = st.checkbox(f"Yes, replace the agenda in use ({run.title}, timer {run.state.status}); "
                                "its run is archived with its times")
    else:
        st.caption("Choosing an agenda makes a run of it, ready to start on the console.")
    if st.form_submit_button("Use this agenda"):
        if replacing and not confirmed:
            st.warning("Tick the box to confirm: the agenda in use will be replaced.")
        else:
            runs.start_run(store, engagement.id, by_slug[chosen])
            done(f"Using the agenda '{by_slug[chosen].title}'.")
if run:
    plain.text(f"In use: {run.title} · {len(run.items)} items · {sum(i.minutes for i in run.items)} min · "
               f"timer {run.state.status}")
    if run.state.status == "ready":
        # In a form: the table's edits go with the Save press, so a click straight from a cell is never lost.
        with st.form("adapt-agenda"):
            st.caption("Adapt this engagement's copy: titles, minutes, order (the agenda file stays the template).")
            edited = st.data_editor(
                runs.table_rows(run),
                key=f"adapt-{run.id}", hide_index=True, num_rows="dynamic", width="stretch", disabled=["#"],
                height=ROW_PX * (len(run.items) + 3),  # the whole agenda at once, with room for a new row
                column_config={"#": st.column_config.NumberColumn(help="Its place in the template"),
                               "Order": st.column_config.NumberColumn(min_value=1, step=1),
                               "Minutes": st.column_config.NumberColumn(min_value=1, max_value=600, step=1),
                               "Kind": st.column_config.SelectboxColumn(options=list(agendas.ITEM_KINDS))})
            if st.form_submit_button("Save agenda changes"):
                try:
                    runs.adapt(store, run.id, runs.items_from_table(run, edited))
                except InputError as error:
                    st.error(str(error))
                else:
                    done("Saved the agenda changes for this engagement.")
    else:
        with st.form("fresh-run"):
            fresh = st.checkbox("Yes, start this agenda again from its first item; "
                                "the run in progress is archived with its times")
            if st.form_submit_button("Start a fresh run of this agenda"):
                if not fresh:
                    st.warning("Tick the box to confirm: the run in progress will be archived.")
                else:
                    runs.start_run(store, engagement.id, replace(
                        by_slug.get(run.agenda_slug, agenda_list[0]), title=run.title, items=run.items,
                        minutes=sum(i.minutes for i in run.items)))
                    done("Started a fresh run; the previous one is archived with its times.")

st.header("Teams")
if team_list:
    st.dataframe(
        [{"Team": t.name, "Link name": t.slug, "Kind": "Top level" if t.kind == "top" else "Breakout",
          "Objectives": teams.draft_count(store, t.id)} for t in team_list],
        hide_index=True, width="stretch")
with st.form(state.form_key("add-team")):
    left, right = st.columns([3, 1])
    new_name = left.text_input("New team name", max_chars=60)
    kind = right.selectbox("Kind", teams.TEAM_KINDS, index=1,
                           format_func={"top": "Top level", "team": "Breakout"}.get)
    if st.form_submit_button("Add team"):
        try:
            added = teams.add(store, engagement.id, new_name, kind=kind)
        except InputError as error:
            st.error(str(error))
        else:
            state.clear_form("add-team")
            done(f"Added team {added.name} (link name {added.slug}).")
if team_list:
    names = {t.id: t.name for t in team_list}
    left, right = st.columns(2)
    with left.form("rename-team"):
        chosen = st.selectbox("Team to rename", list(names), format_func=names.get)
        renamed = st.text_input("New name", max_chars=60)
        if st.form_submit_button("Rename team"):
            try:
                teams.rename(store, chosen, renamed, seen_name=names[chosen], author=session.author())
            except InputError as error:
                st.error(str(error))
            else:
                done("Renamed the team. Its link stays the same.")
    with right.form("remove-team"):
        chosen = st.selectbox("Team to remove", list(names), format_func=names.get)
        confirmed = st.checkbox("Yes, remove it even if it has drafts (they stay in the revision log)")
        if st.form_submit_button("Remove team"):
            count = teams.draft_count(store, chosen)
            if count and not confirmed:
                st.warning(f"That team has {count} objective(s) drafted. Tick the box to confirm.")
            else:
                teams.remove(store, chosen, session.author())
                done(f"Removed {names[chosen]}.")

st.header("Access")
left, right = st.columns(2)
with left:
    st.markdown("**Workshop code**")
    st.code(engagement.workshop_code, language=None)
    st.caption("Teams type this on the join page; the projector shows it.")
    with st.form("code"):
        code = st.text_input("New workshop code", max_chars=12)
        if st.form_submit_button("Change code"):
            try:
                engagements.set_workshop_code(store, engagement.id, code)
            except InputError as error:
                st.error(str(error))
            else:
                state.pop("code", None)
                st.query_params.pop("code", None)
                done("Changed the workshop code. Team laptops need the new one.")
with right:
    st.markdown("**Facilitator PIN**")
    with st.form("pin"):
        pin = st.text_input("New facilitator PIN", type="password", max_chars=12)
        if st.form_submit_button("Change PIN"):
            try:
                engagements.set_pin(store, engagement.id, pin)
            except InputError as error:
                st.error(str(error))
            else:
                session.renew_sign_in()  # a new PIN ends every sign-in, this one included
                done("Changed the facilitator PIN. Every other facilitator sign-in has ended.")
with st.form("join-address"):
    keys = state.seeded("join-address", {"address": engagement.join_address})
    address = st.text_input("Join address", key=keys["address"], max_chars=200,
                            placeholder=session.join_base(engagement),
                            help="How team laptops reach this laptop. Leave empty to use the address "
                                 "detected at start (shown as the placeholder).")
    if st.form_submit_button("Save join address"):
        try:
            engagements.set_join_address(store, engagement.id, address)
        except InputError as error:
            st.error(str(error))
        else:
            done("Saved the join address.")
if team_list:
    st.markdown("**Team links** (what the projector's QR code and the join page lead to)")
    base = session.join_base(engagement)
    for t in team_list:
        plain.text(f"{t.name}: {joining.team_url(base, t.slug, engagement.workshop_code)}", caption=True)

st.header("Demo and new engagement")
left, right = st.columns(2)
with left.form("demo"):
    st.caption("Archives the engagement in use (nothing is deleted) and loads the fictional demo client.")
    if st.form_submit_button("Load demo engagement"):
        demo.load_demo(store)
        session.renew_sign_in()
        done("Loaded the demo engagement. The previous one is archived.")
with right.form("new"):
    new_engagement = st.text_input("Name of the new engagement", max_chars=200)
    sure = st.checkbox("Archive the engagement in use (it is kept, not deleted)")
    if st.form_submit_button("Start a new engagement"):
        if not sure:
            st.warning("Tick the box to confirm: the engagement in use will be archived.")
        else:
            try:
                engagements.start_new(store, new_engagement)
            except InputError as error:
                st.error(str(error))
            else:
                session.renew_sign_in()
                done("Started a new engagement. The previous one is archived.")
archive = engagements.archived(store)
if archive:
    with st.expander(f"Archived engagements ({len(archive)})"):
        for row in archive:
            plain.text(row["name"], caption=True)
