"""Console (facilitator): run the agenda — clock, controls, current item, progress, parking lot, as run."""

import time

import streamlit as st

from okrcoach.drafting import drafts
from okrcoach.errors import InputError
from okrcoach.review import coaching
from okrcoach.ui import board, clock, drafting, live, pages, plain, session, state, views
from okrcoach.workshop import progress, runs, screens, teams, ticks

pages.through_router()  # before anything else: this run must come through app.py

CONSOLE_REDRAW_SECONDS = 2

store = session.store()
session.require_facilitator()
engagement = session.engagement()
session.facilitator_nav()
st.title("Console")
clock_slot = st.container()
# The facilitator's own actions redraw at once; the room's drafting reaches the board within 2 s.
live.tick("room", lambda: ticks.for_room(store, engagement.id, time.time()), clock.console, where=clock_slot,
          min_redraw_seconds=CONSOLE_REDRAW_SECONDS, changes_at=clock.console_changes_at)
run = runs.current(store, engagement.id)
drafting.flash_saved()
if run is None:
    st.page_link("pages/setup.py", label="Choose an agenda in set-up", query_params=session.link_params())
    st.stop()


def act(action: str, **kwargs) -> None:
    try:
        runs.act(store, run.id, action, time.time(), **kwargs)
    except InputError as error:
        st.error(str(error))
        return
    st.rerun()


status = run.state.status
st.toggle("Chime when time is up", key=clock.CHIME_KEY, help="A short chime on this laptop only, once per item.")
controls = st.container(horizontal=True)
if controls.button("Start", type="primary", disabled=status != "ready"):
    act("start")
if controls.button("Pause", disabled=status != "running"):
    act("pause")
if controls.button("Resume", type="primary", disabled=status != "paused"):
    act("resume")
if controls.button("+1 min", disabled=status == "finished"):
    act("extend", seconds=60)
if controls.button("+5 min", disabled=status == "finished"):
    act("extend", seconds=300)
if controls.button("Next", disabled=status in ("ready", "finished")):
    act("next")
if controls.button("Back", disabled=not any(end is not None for end in run.state.ended)):
    act("back")

item = run.items[run.state.current]
screen_map = screens.load()
showing = screen_map.for_item(item.kind, run.pin, item.view)
left, right = st.columns(2)
with left:
    st.subheader("Facilitator notes")
    plain.text(item.notes, empty="No notes for this item.")
with right:
    if item.prompts:
        st.subheader("Prompts on the projector" if showing.projector in views.SHOWS_PROMPTS else "Prompts")
        if showing.projector not in views.SHOWS_PROMPTS:
            st.caption("Not on the projector in this view.")
        for prompt in item.prompts:
            plain.text(f"• {prompt}")
titles = [f"{number}. {it.title} ({it.minutes} min, {it.kind})" for number, it in enumerate(run.items, 1)]
with st.form("jump"):
    target = st.selectbox("Jump to item", range(len(run.items)), index=run.state.current,
                          format_func=titles.__getitem__)
    if st.form_submit_button("Jump", disabled=status in ("ready", "finished")):
        act("jump", index=target)

left, right = st.columns(2)
with left.form("pin"):
    options = [screens.FOLLOW, *screen_map.pins]
    following = screen_map.for_item(item.kind, view=item.view).projector
    pin = st.radio("Projector shows", options, index=options.index(run.pin) if run.pin in options else 0,
                   format_func=lambda v: f"Follow the agenda (now: {following})"
                   if v == screens.FOLLOW else screen_map.pins[v])
    for_rest = st.checkbox("For the rest of the workshop", value=bool(run.pin) and run.pin_item is None,
                           help="Otherwise the projector follows the agenda again when the next item starts.")
    if st.form_submit_button("Apply to the projector"):
        runs.pin_projector(store, run.id, pin, rest_of_workshop=for_rest)
        st.rerun()
if showing.projector == "presenter" or item.kind == "share-out":
    with right.form("presenter"):
        team_list = teams.list_teams(store, engagement.id)
        names = {t.id: t.name for t in team_list}
        presenting = st.selectbox("Team presenting", list(names), format_func=names.get,
                                  index=list(names).index(run.presenting_team_id)
                                  if run.presenting_team_id in names else 0)
        count = len(drafts.load(store, presenting).objectives) if presenting else 0
        page = st.number_input("Objective on screen", 1, max(1, count), min(run.presenting_page + 1, max(1, count)))
        if st.form_submit_button("Show on the projector"):
            runs.present(store, run.id, presenting, int(page) - 1)
            st.rerun()
    counts = {t.id: len(drafts.load(store, t.id).objectives) for t in team_list}
    stepping = right.container(horizontal=True)
    for label, move, meaning in (("Next objective", "objective", "The presenting team's next objective; after "
                                  "its last one, the next team's first."),
                                 ("Next team", "team", "The next team's first objective.")):
        if stepping.button(label, key=f"present-next-{move}", help=meaning):
            runs.present(store, run.id, *runs.next_presenter(counts, run.presenting_team_id, run.presenting_page,
                                                             move))
            st.rerun()

st.subheader("Breakout progress")
board.compact(progress.board(store, engagement.id), coaching.open_counts(store, engagement.id, engagement.params))

st.subheader("Parking lot")
with st.form(state.form_key("park")):  # cleared once saved, never on a refused save
    parked_text = st.text_input("Deferred question or topic", max_chars=500)
    if st.form_submit_button("Park it"):
        try:
            runs.add_parked(store, engagement.id, parked_text, session.author())
        except InputError as error:
            st.error(str(error))
        else:
            state.clear_form("park")
            st.rerun()
for entry in runs.parked(store, engagement.id):
    text_column, done_column = st.columns([6, 1])
    with text_column:
        plain.text(entry.text + (f" — {entry.raised_by}" if entry.raised_by else ""))
    done = done_column.checkbox("Done", value=entry.done, key=f"parked-{entry.id}-{entry.done}")
    if done != entry.done:
        runs.set_parked_done(store, entry.id, done)
        st.rerun()

st.subheader("Agenda as run")
now = time.time()
st.dataframe(
    [{"Item": row["title"], "Kind": row["kind"],
      "Status": "skipped" if row["skipped"] else "now" if row["index"] == run.state.current else
                "run" if row["actual_minutes"] is not None else "",
      "Planned min": row["planned_minutes"],
      "Extended min": row["extended_minutes"],
      "Actual min": None if row["actual_minutes"] is None else round(row["actual_minutes"], 1),
      "Started": clock.hhmm(row["started"]) if row["started"] else "",
      "Ended": clock.hhmm(row["ended"]) if row["ended"] else ""}
     for row in runs.as_run(store, run.id, now)],
    hide_index=True, width="stretch")
