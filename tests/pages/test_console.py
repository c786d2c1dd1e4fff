"""The console: facilitator only; timer controls act on the stored run; parking lot; as run."""

import io
import time
import wave

from okrcoach.ui import clock
from okrcoach.workshop import agendas, engagements, runs
from tests.pages.conftest import texts, visit


def start_agenda(store, slug="team-drafting"):
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == slug)
    return runs.start_run(store, engagements.current(store).id, agenda)


def open_console(app, token):
    return visit(app, "console", fac=token)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_console_without_pin_shows_only_the_sign_in(app, demo_store):
    start_agenda(demo_store)
    at = open_console(app, None)
    assert at.title[0].value == "Facilitator sign-in"
    assert not any(b.label == "Start" for b in at.button)


def test_console_without_a_run_points_to_setup(app, facilitator_token, demo_store):
    with demo_store.write() as db:
        db.execute("UPDATE runs SET archived_at = 1")
    at = open_console(app, facilitator_token)
    assert not at.exception
    assert not any(b.label == "Start" for b in at.button)


def test_the_demo_comes_with_the_team_drafting_workshop_ready_to_start(app, facilitator_token, demo_store):
    at = open_console(app, facilitator_token)
    assert not at.exception
    assert not button(at, "Start").disabled
    run = runs.current(demo_store, engagements.current(demo_store).id)
    assert (run.agenda_slug, run.state.status) == ("team-drafting", "ready")


def test_start_pause_and_extend_change_the_stored_timer(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    at = open_console(app, facilitator_token)
    assert button(at, "Pause").disabled and not button(at, "Start").disabled
    button(at, "Start").click().run()
    assert runs.get(demo_store, run.id).state.status == "running"
    button(at, "Pause").click().run()
    paused = runs.get(demo_store, run.id).state
    assert paused.status == "paused"
    button(at, "+5 min").click().run()
    assert runs.get(demo_store, run.id).state.remaining == paused.remaining + 300


def test_next_and_back_keep_recorded_times(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    runs.act(demo_store, run.id, "start", time.time())
    at = open_console(app, facilitator_token)
    button(at, "Next").click().run()
    assert runs.get(demo_store, run.id).state.current == 1
    button(at, "Back").click().run()
    state = runs.get(demo_store, run.id).state
    assert state.current == 0 and state.started[0] is not None


def test_current_item_notes_and_prompts_are_shown(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    at = open_console(app, facilitator_token)
    shown = texts(at)
    assert run.items[0].notes[:40] in shown
    assert all(prompt in shown for prompt in run.items[0].prompts)


def test_parking_lot_keeps_typed_markup_as_text(app, facilitator_token, demo_store):
    start_agenda(demo_store)
    at = open_console(app, facilitator_token)
    next(t for t in at.text_input if t.label == "Deferred question or topic").input("<i>Bonus</i> [link](http://x.invalid)")
    button(at, "Park it").click().run()
    assert not at.exception
    assert any("&lt;i&gt;Bonus&lt;/i&gt; [link](http://x.invalid)" in h.proto.body for h in at.get("html"))
    assert runs.parked(demo_store, engagements.current(demo_store).id)[-1].text.startswith("<i>Bonus</i>")


def test_console_asks_extend_or_move_on_at_zero(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    runs.act(demo_store, run.id, "start", time.time() - run.items[0].minutes * 60 - 30)
    at = open_console(app, facilitator_token)
    assert "Time's up — +1 min, +5 min or Next?" in [e.value for e in at.error]


def test_a_pin_for_this_item_ends_with_the_item(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    runs.act(demo_store, run.id, "start", time.time())
    at = open_console(app, facilitator_token)
    at.radio[0].set_value("alignment")
    button(at, "Apply to the projector").click().run()
    assert runs.current(demo_store, run.engagement_id).pin == "alignment"
    button(at, "Next").click().run()
    assert runs.current(demo_store, run.engagement_id).pin == ""
    assert at.radio[0].value == ""


def test_prompts_are_said_to_be_on_the_projector_only_in_views_that_show_them(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    runs.act(demo_store, run.id, "start", time.time())
    at = open_console(app, facilitator_token)
    assert any(s.value == "Prompts on the projector" for s in at.subheader)
    runs.pin_projector(demo_store, run.id, "alignment")
    at = open_console(app, facilitator_token)
    assert not any(s.value == "Prompts on the projector" for s in at.subheader)
    assert any(s.value == "Prompts" for s in at.subheader) and "Not on the projector in this view." in texts(at)


def test_next_objective_and_next_team_move_the_share_out_without_typing_numbers(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    runs.act(demo_store, run.id, "start", time.time())
    runs.act(demo_store, run.id, "jump", time.time(), index=[i.kind for i in run.items].index("share-out"))
    at = open_console(app, facilitator_token)
    button(at, "Next objective").click().run()
    first = runs.current(demo_store, run.engagement_id)
    assert first.presenting_team_id is not None and first.presenting_page == 0
    button(at, "Next objective").click().run()
    assert runs.current(demo_store, run.engagement_id).presenting_page == 1
    button(at, "Next team").click().run()
    moved = runs.current(demo_store, run.engagement_id)
    assert moved.presenting_team_id != first.presenting_team_id and moved.presenting_page == 0


def test_times_up_chimes_once_on_the_console_when_asked_to(app, facilitator_token, demo_store):
    run = start_agenda(demo_store)
    at = open_console(app, facilitator_token)
    at.toggle(key=clock.CHIME_KEY).set_value(True).run()
    assert not at.get("audio")
    runs.act(demo_store, run.id, "start", time.time() - run.items[0].minutes * 60 - 1)  # ran out a second ago
    assert len(at.run().get("audio")) == 1
    assert not at.run().get("audio")  # once per item


def test_the_chime_is_a_short_wav_made_without_the_network():
    with wave.open(io.BytesIO(clock.chime())) as chime:
        assert chime.getframerate() == 22050 and 0.5 < chime.getnframes() / 22050 < 2
