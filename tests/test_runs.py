import threading
from pathlib import Path

import pytest

from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, timer
from okrcoach.workshop.agendas import Agenda, AgendaItem, load_agendas

T0 = 1_700_000_000.0
SHIPPED, SHIPPED_ERRORS = load_agendas()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "okrcoach.db")


@pytest.fixture
def engagement_id(store):
    return engagements.ensure_current(store)[0].id


def small_agenda() -> Agenda:
    return Agenda(
        slug="small",
        title="Small drafting session",
        kind="team-drafting",
        audience="Two teams",
        minutes=45,
        description="",
        items=(
            AgendaItem("Welcome", 20, "talk", ("Who are you?",), "Keep it short."),
            AgendaItem("Draft objectives", 10, "breakout", ("What matters most?", "Why now?"), ""),
            AgendaItem("Share out", 15, "share-out", (), "", "Two minutes per team."),
        ),
        path=Path("small.toml"),
    )


def started_run(store, engagement_id, at=T0) -> runs.Run:
    run = runs.start_run(store, engagement_id, small_agenda(), now=at - 60)
    return runs.act(store, run.id, "start", at)


def engagement_stamp(store, engagement_id) -> int:
    with store.read() as db:
        return db["engagements"].get(engagement_id)["stamp"]


def item_dicts(run: runs.Run) -> list[dict]:
    return [
        {"title": i.title, "minutes": i.minutes, "kind": i.kind, "prompts": list(i.prompts),
         "notes": i.notes, "instructions": i.instructions}
        for i in run.items
    ]


def test_shipped_agendas_all_load():
    assert SHIPPED_ERRORS == []
    assert len(SHIPPED) >= 4


def test_no_run_and_no_clock_before_an_agenda_is_chosen(store, engagement_id):
    assert runs.current(store, engagement_id) is None
    assert runs.timer_view(store, engagement_id, T0) is None


@pytest.mark.parametrize("agenda", SHIPPED, ids=[a.slug for a in SHIPPED])
def test_start_run_from_a_shipped_agenda_copies_its_items_and_is_ready(store, engagement_id, agenda):
    run = runs.start_run(store, engagement_id, agenda)
    assert run.agenda_slug == agenda.slug
    assert run.title == agenda.title
    assert run.items == agenda.items
    assert run.state == timer.new_run([item.minutes for item in agenda.items])
    assert runs.current(store, engagement_id) == run
    view = runs.timer_view(store, engagement_id, T0)
    assert (view.index, view.title, view.kind, view.status) == (0, agenda.items[0].title, agenda.items[0].kind, "ready")
    assert view.item_count == len(agenda.items)
    assert view.next_title == agenda.items[1].title


def test_start_run_bumps_the_engagement_stamp_so_live_screens_redraw(store, engagement_id):
    before = engagement_stamp(store, engagement_id)
    runs.start_run(store, engagement_id, small_agenda())
    assert engagement_stamp(store, engagement_id) > before


def test_start_run_archives_the_previous_run_and_keeps_it(store, engagement_id):
    first = started_run(store, engagement_id)
    second = runs.start_run(store, engagement_id, SHIPPED[0], now=T0 + 100)
    assert runs.current(store, engagement_id).id == second.id
    assert second.state.status == "ready"
    kept = runs.get(store, first.id)
    assert kept.state.status == "running"
    assert kept.items == small_agenda().items
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM runs WHERE engagement_id = ?", [engagement_id]).fetchone()[0] == 2
        assert db["runs"].get(first.id)["archived_at"] == T0 + 100


def test_controls_on_an_archived_run_are_refused(store, engagement_id):
    first = started_run(store, engagement_id)
    runs.start_run(store, engagement_id, small_agenda())
    with pytest.raises(InputError, match="replaced by a fresh run"):
        runs.act(store, first.id, "next", T0 + 10)
    with pytest.raises(InputError, match="replaced by a fresh run"):
        runs.adapt(store, first.id, item_dicts(first))


def test_adapt_before_start_changes_titles_minutes_and_order(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    welcome, draft, share = item_dicts(run)
    draft = {**draft, "title": "Draft objectives and Why now?", "minutes": 40}
    adapted = runs.adapt(store, run.id, [draft, {**welcome, "minutes": 5}, share])
    assert [(i.title, i.minutes, i.kind) for i in adapted.items] == [
        ("Draft objectives and Why now?", 40, "breakout"),
        ("Welcome", 5, "talk"),
        ("Share out", 15, "share-out"),
    ]
    assert adapted.items[0].prompts == ("What matters most?", "Why now?")
    assert adapted.items[2].instructions == "Two minutes per team."
    assert adapted.state == timer.new_run([40, 5, 15])
    assert adapted.stamp == run.stamp + 1
    assert runs.current(store, engagement_id) == adapted
    view = runs.timer_view(store, engagement_id, T0)
    assert (view.title, view.clock, view.next_title) == ("Draft objectives and Why now?", "40:00", "Welcome")


def test_adapt_can_drop_and_add_items_and_leaves_the_template_alone(store, engagement_id):
    agenda = small_agenda()
    run = runs.start_run(store, engagement_id, agenda)
    items = item_dicts(run)[:2] + [{"title": "Break", "minutes": 10, "kind": "break"}]
    adapted = runs.adapt(store, run.id, items)
    assert [i.title for i in adapted.items] == ["Welcome", "Draft objectives", "Break"]
    assert adapted.items[2].prompts == () and adapted.items[2].notes == ""
    assert agenda == small_agenda()


def test_adapt_takes_prompts_one_per_line_and_whole_float_minutes(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    items = item_dicts(run)
    items[0] = {**items[0], "minutes": 25.0, "prompts": "Who are you?\n\n  What do you hope for?  \n"}
    adapted = runs.adapt(store, run.id, items)
    assert adapted.items[0].minutes == 25
    assert adapted.items[0].prompts == ("Who are you?", "What do you hope for?")


def test_adapt_strips_control_characters_from_titles(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    items = item_dicts(run)
    items[0] = {**items[0], "title": "  Wel\x07come\n"}
    assert runs.adapt(store, run.id, items).items[0].title == "Welcome"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": "   "}, "Agenda item 2 title is empty"),
        ({"minutes": 0}, "Agenda item 2 minutes must be a whole number from 1 to 600"),
        ({"minutes": 601}, "Agenda item 2 minutes"),
        ({"minutes": 2.5}, "Agenda item 2 minutes"),
        ({"minutes": True}, "Agenda item 2 minutes"),
        ({"minutes": "10"}, "Agenda item 2 minutes"),
        ({"kind": "lecture"}, "Agenda item 2 kind must be one of"),
        ({"title": "x" * 201}, "Agenda item 2 title is 201 characters"),
    ],
)
def test_adapt_refuses_a_bad_item_naming_its_number_and_field(store, engagement_id, change, message):
    run = runs.start_run(store, engagement_id, small_agenda())
    items = item_dicts(run)
    items[1] = {**items[1], **change}
    with pytest.raises(InputError, match=message):
        runs.adapt(store, run.id, items)
    assert runs.current(store, engagement_id) == run


def test_adapt_refuses_an_empty_agenda(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    with pytest.raises(InputError, match="no items"):
        runs.adapt(store, run.id, [])


def test_adapt_is_refused_once_the_run_has_started(store, engagement_id):
    run = started_run(store, engagement_id)
    with pytest.raises(InputError, match="has started"):
        runs.adapt(store, run.id, item_dicts(run)[::-1])
    assert runs.current(store, engagement_id).items == small_agenda().items


def test_act_sequence_applies_each_control_and_stores_it(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0 - 60)

    run = runs.act(store, run.id, "start", T0)
    assert (run.state.status, run.state.ends_at, run.state.started[0]) == ("running", T0 + 1200, T0)

    run = runs.act(store, run.id, "pause", T0 + 200)
    assert (run.state.status, run.state.ends_at, run.state.remaining) == ("paused", None, 1000)

    run = runs.act(store, run.id, "resume", T0 + 500)
    assert (run.state.status, run.state.ends_at) == ("running", T0 + 1500)

    run = runs.act(store, run.id, "extend", T0 + 600, seconds=300)
    assert run.state.ends_at == T0 + 1800
    assert run.state.extended[0] == 300

    run = runs.act(store, run.id, "next", T0 + 1000)
    assert (run.state.current, run.state.ends_at, run.state.ended[0]) == (1, T0 + 1600, T0 + 1000)

    run = runs.act(store, run.id, "back", T0 + 1100)
    assert run.state.current == 0
    assert run.state.ended[0] is None

    run = runs.act(store, run.id, "jump", T0 + 1200, index=2)
    assert (run.state.current, run.state.ends_at) == (2, T0 + 1200 + 900)

    run = runs.act(store, run.id, "finish", T0 + 2000)
    assert run.state.status == "finished"
    assert run.state.ended[2] == T0 + 2000
    assert run.stamp == 8

    assert runs.current(store, engagement_id) == run


def test_act_bumps_the_run_and_engagement_stamps(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    before = engagement_stamp(store, engagement_id)
    after = runs.act(store, run.id, "start", T0)
    assert after.stamp == run.stamp + 1
    assert engagement_stamp(store, engagement_id) == before + 1
    assert runs.timer_view(store, engagement_id, T0).stamp == after.stamp


def test_act_refused_by_the_timer_changes_nothing(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    before = engagement_stamp(store, engagement_id)
    with pytest.raises(InputError, match="Cannot pause: the timer has not started yet"):
        runs.act(store, run.id, "pause", T0)
    assert runs.current(store, engagement_id) == run
    assert engagement_stamp(store, engagement_id) == before


def test_act_refuses_an_unknown_action(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda())
    with pytest.raises(InputError, match="Unknown timer action 'rewind'"):
        runs.act(store, run.id, "rewind", T0)


@pytest.mark.parametrize(
    "action, kwargs",
    [("extend", {}), ("jump", {}), ("start", {"index": 1}), ("extend", {"seconds": 60, "index": 1})],
)
def test_act_refuses_missing_or_unexpected_arguments(store, engagement_id, action, kwargs):
    run = started_run(store, engagement_id) if action != "start" else runs.start_run(store, engagement_id, small_agenda())
    with pytest.raises(InputError, match=f"'{action}' takes"):
        runs.act(store, run.id, action, T0, **kwargs)


def test_act_on_a_missing_run_is_refused(store, engagement_id):
    with pytest.raises(InputError, match="no agenda run 99"):
        runs.act(store, 99, "start", T0)


def test_a_running_timer_keeps_its_ends_at_across_a_server_restart(tmp_path):
    path = tmp_path / "okrcoach.db"
    store = Store(path)
    engagement_id = engagements.ensure_current(store)[0].id
    run = started_run(store, engagement_id, at=T0)
    run = runs.act(store, run.id, "extend", T0 + 30, seconds=60)

    restarted = Store(path)
    again = runs.current(restarted, engagement_id)
    assert again == run
    assert (again.state.status, again.state.ends_at) == ("running", T0 + 1260)
    view = runs.timer_view(restarted, engagement_id, T0 + 1000)
    assert (view.status, view.remaining, view.clock) == ("running", 260, "04:20")


def test_a_paused_timer_stays_paused_with_the_same_remaining_across_a_server_restart(tmp_path):
    path = tmp_path / "okrcoach.db"
    store = Store(path)
    engagement_id = engagements.ensure_current(store)[0].id
    run = started_run(store, engagement_id, at=T0)
    runs.act(store, run.id, "pause", T0 + 450)

    restarted = Store(path)
    again = runs.current(restarted, engagement_id)
    assert (again.state.status, again.state.remaining, again.state.ends_at) == ("paused", 750, None)
    # Hours later the paused clock still reads the same.
    view = runs.timer_view(restarted, engagement_id, T0 + 10_000)
    assert (view.status, view.remaining, view.clock) == ("paused", 750, "12:30")
    run = runs.act(restarted, run.id, "resume", T0 + 10_000)
    assert run.state.ends_at == T0 + 10_750


def test_timer_view_shows_the_current_item_its_clock_and_what_comes_next(store, engagement_id):
    started_run(store, engagement_id, at=T0)
    view = runs.timer_view(store, engagement_id, T0 + 100)
    assert view.index == 0
    assert view.item_count == 3
    assert (view.title, view.kind, view.status) == ("Welcome", "talk", "running")
    assert view.remaining == 1100
    assert view.clock == "18:20"
    assert view.warning_level == "normal"
    assert view.next_title == "Draft objectives"
    assert view.item_ends_at == T0 + 1200
    assert view.projected_finish == T0 + 45 * 60
    assert view.schedule_delta == 0


def test_timer_view_warns_in_the_last_five_minutes(store, engagement_id):
    started_run(store, engagement_id, at=T0)
    assert runs.timer_view(store, engagement_id, T0 + 1200 - 301).warning_level == "normal"
    view = runs.timer_view(store, engagement_id, T0 + 1200 - 300)
    assert (view.warning_level, view.clock) == ("warning", "05:00")


def test_timer_view_in_overrun_is_negative_and_counts_up(store, engagement_id):
    started_run(store, engagement_id, at=T0)
    view = runs.timer_view(store, engagement_id, T0 + 1200 + 192)
    assert view.remaining == -192
    assert view.warning_level == "overrun"
    assert view.clock == "+03:12"
    assert view.schedule_delta == 192
    assert view.projected_finish == T0 + 45 * 60 + 192


def test_timer_view_follows_extensions_into_the_projected_finish(store, engagement_id):
    run = started_run(store, engagement_id, at=T0)
    runs.act(store, run.id, "extend", T0 + 10, seconds=300)
    view = runs.timer_view(store, engagement_id, T0 + 10)
    assert view.remaining == 1490
    assert view.projected_finish == T0 + 45 * 60 + 300
    assert view.schedule_delta == 300


def test_timer_view_has_no_next_title_on_the_last_item_or_once_finished(store, engagement_id):
    run = started_run(store, engagement_id, at=T0)
    runs.act(store, run.id, "jump", T0 + 60, index=2)
    view = runs.timer_view(store, engagement_id, T0 + 60)
    assert (view.index, view.title, view.kind, view.next_title) == (2, "Share out", "share-out", None)

    runs.act(store, run.id, "back", T0 + 70)
    runs.act(store, run.id, "finish", T0 + 80)
    view = runs.timer_view(store, engagement_id, T0 + 90)
    assert (view.status, view.index, view.next_title, view.remaining) == ("finished", 0, None, 0)


def test_timer_view_reads_only_the_current_run_of_that_engagement(store, engagement_id):
    runs.start_run(store, engagement_id, small_agenda())
    runs.start_run(store, engagement_id, SHIPPED[0])
    assert runs.timer_view(store, engagement_id, T0).title == SHIPPED[0].items[0].title
    assert runs.timer_view(store, engagement_id + 1, T0) is None


def test_as_run_gives_planned_against_actual_minutes_with_titles_and_kinds(store, engagement_id):
    run = started_run(store, engagement_id, at=T0)
    runs.act(store, run.id, "extend", T0 + 60, seconds=300)
    runs.act(store, run.id, "next", T0 + 25 * 60)
    rows = runs.as_run(store, run.id, T0 + 30 * 60)
    assert [(r["title"], r["kind"]) for r in rows] == [
        ("Welcome", "talk"), ("Draft objectives", "breakout"), ("Share out", "share-out")
    ]
    assert [r["planned_minutes"] for r in rows] == [20, 10, 15]
    assert [r["extended_minutes"] for r in rows] == [5, 0, 0]
    assert [r["actual_minutes"] for r in rows] == [25, 5, None]
    assert rows[0]["started"] == T0 and rows[0]["ended"] == T0 + 25 * 60


def test_concurrent_extends_from_four_consoles_are_all_applied(store, engagement_id):
    run = started_run(store, engagement_id, at=T0)
    barrier = threading.Barrier(4)
    errors = []

    def click_extend_25_times():
        try:
            barrier.wait()
            for _ in range(25):
                runs.act(store, run.id, "extend", T0 + 10, seconds=60)
        except Exception as error:  # surfaced by the assert below
            errors.append(error)

    threads = [threading.Thread(target=click_extend_25_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    final = runs.current(store, engagement_id)
    assert final.state.extended[0] == 100 * 60
    assert final.state.ends_at == T0 + 1200 + 100 * 60
    assert final.stamp == run.stamp + 100


def test_parking_lot_keeps_items_in_the_order_raised_and_ticks_them_off(store, engagement_id):
    first = runs.add_parked(store, engagement_id, "  Who owns the churn metric?  ", "Sales", now=T0)
    second = runs.add_parked(store, engagement_id, "Quarter or 4-month cycles?", now=T0 + 5)
    items = runs.parked(store, engagement_id)
    assert [(i.id, i.text, i.raised_by, i.created_at, i.done) for i in items] == [
        (first, "Who owns the churn metric?", "Sales", T0, False),
        (second, "Quarter or 4-month cycles?", "", T0 + 5, False),
    ]
    runs.set_parked_done(store, first, True)
    assert [i.done for i in runs.parked(store, engagement_id)] == [True, False]
    runs.set_parked_done(store, first, False)
    assert [i.done for i in runs.parked(store, engagement_id)] == [False, False]


def test_parking_lot_changes_bump_the_engagement_stamp(store, engagement_id):
    before = engagement_stamp(store, engagement_id)
    item = runs.add_parked(store, engagement_id, "Budget for the tool?", "")
    runs.set_parked_done(store, item, True)
    assert engagement_stamp(store, engagement_id) == before + 2


@pytest.mark.parametrize("text", ["", "   ", None, "\x00\x07"])
def test_parking_lot_refuses_an_empty_item(store, engagement_id, text):
    with pytest.raises(InputError, match="Parking lot item is empty"):
        runs.add_parked(store, engagement_id, text, "Ops")
    assert runs.parked(store, engagement_id) == []


def test_parking_lot_takes_500_characters_and_refuses_501(store, engagement_id):
    runs.add_parked(store, engagement_id, "x" * 500, "")
    with pytest.raises(InputError, match="501 characters long; the limit is 500"):
        runs.add_parked(store, engagement_id, "x" * 501, "")
    assert [len(i.text) for i in runs.parked(store, engagement_id)] == [500]


def test_parking_lot_keeps_text_as_typed_without_control_characters(store, engagement_id):
    runs.add_parked(store, engagement_id, "**not bold**\x1b <b>nor this</b>\nsecond line", "")
    assert runs.parked(store, engagement_id)[0].text == "**not bold** <b>nor this</b>\nsecond line"


def test_ticking_off_a_missing_parking_lot_item_is_refused(store, engagement_id):
    with pytest.raises(InputError, match="no parking lot item 42"):
        runs.set_parked_done(store, 42, True)


# --- set-up's agenda table --------------------------------------------------------------------------

NAN = float("nan")


def test_a_row_added_in_the_table_editor_comes_back_with_float_and_nan_numbers_and_is_accepted(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    rows = [{**row, "#": float(row["#"]), "Order": float(row["Order"]), "Minutes": float(row["Minutes"])}
            for row in runs.table_rows(run)]
    rows.append({"#": NAN, "Order": 2.0, "Title": "Energiser", "Minutes": 5.0, "Kind": None})
    adapted = runs.adapt(store, run.id, runs.items_from_table(run, rows))
    assert [item.title for item in adapted.items] == ["Welcome", "Energiser", "Draft objectives", "Share out"]
    assert adapted.items[1] == AgendaItem("Energiser", 5, "talk", (), "")
    assert adapted.items[2].prompts == ("What matters most?", "Why now?")


def test_reordering_rows_keeps_each_items_prompts_and_notes(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    rows = runs.table_rows(run)
    rows[0]["Order"], rows[2]["Order"] = 3, 1
    adapted = runs.adapt(store, run.id, runs.items_from_table(run, rows))
    assert [item.title for item in adapted.items] == ["Share out", "Draft objectives", "Welcome"]
    assert adapted.items[2].notes == "Keep it short."


def test_empty_rows_from_the_table_are_ignored(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    rows = [*runs.table_rows(run), {"#": None, "Order": NAN, "Title": "  ", "Minutes": None, "Kind": None}]
    assert len(runs.items_from_table(run, rows)) == 3


@pytest.mark.parametrize("column, value", [("Minutes", 2.5), ("Order", "first"), ("Minutes", "ten")])
def test_a_number_that_is_not_whole_names_the_row_and_column(store, engagement_id, column, value):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    rows = runs.table_rows(run)
    rows[1][column] = value
    with pytest.raises(InputError, match=f"Row 2 .*'{column}'|Agenda item 2 minutes"):
        runs.adapt(store, run.id, runs.items_from_table(run, rows))


def test_an_added_row_without_minutes_is_refused_and_the_agenda_stays_as_it_was(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    rows = [*runs.table_rows(run), {"#": NAN, "Order": NAN, "Title": "Extra", "Minutes": NAN, "Kind": "talk"}]
    with pytest.raises(InputError, match="minutes"):
        runs.adapt(store, run.id, runs.items_from_table(run, rows))
    assert runs.get(store, run.id).items == run.items


def test_an_items_view_survives_the_table_unless_its_kind_is_changed(store, engagement_id):
    agenda = next(a for a in load_agendas()[0] if a.slug == "executive-drafting")
    run = runs.start_run(store, engagement_id, agenda, now=T0)
    rows = runs.table_rows(run)
    candidates_row = next(r for r in rows if r["Title"] == "Candidate objectives")
    drafting_row = next(r for r in rows if r["Title"] == "Draft key results")
    drafting_row["Kind"] = "breakout"
    adapted = {item.title: item for item in runs.adapt(store, run.id, runs.items_from_table(run, rows)).items}
    assert adapted[candidates_row["Title"]].shows == "candidates"
    assert adapted["Draft key results"].shows == "breakout"
    assert runs.get(store, run.id).items[2].view == "candidates"  # read back from the database


def test_adapt_refuses_an_unknown_view(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    with pytest.raises(InputError, match="Agenda item 1 view must be one of .*got 'confetti'"):
        runs.adapt(store, run.id, [{"title": "Welcome", "minutes": 5, "kind": "talk", "view": "confetti"}])


def test_a_pin_lasts_for_its_item_unless_made_for_the_rest_of_the_workshop(store, engagement_id):
    run = runs.start_run(store, engagement_id, small_agenda(), now=T0)
    runs.act(store, run.id, "start", T0)
    runs.pin_projector(store, run.id, "alignment")
    assert runs.get(store, run.id).pin == "alignment"
    runs.act(store, run.id, "next", T0 + 60)
    assert runs.get(store, run.id).pin == ""  # the next item shows its own view
    runs.pin_projector(store, run.id, "board", rest_of_workshop=True)
    runs.act(store, run.id, "next", T0 + 120)
    assert runs.get(store, run.id).pin == "board"
    runs.pin_projector(store, run.id, "")
    assert runs.get(store, run.id).pin == ""


def test_next_objective_and_next_team_step_through_a_share_out():
    counts = {7: 2, 8: 0, 9: 1}
    assert runs.next_presenter(counts, None, 0, "objective") == (7, 0)
    assert runs.next_presenter(counts, 7, 0, "objective") == (7, 1)
    assert runs.next_presenter(counts, 7, 1, "objective") == (8, 0)  # past the last objective: the next team
    assert runs.next_presenter(counts, 7, 0, "team") == (8, 0)
    assert runs.next_presenter(counts, 9, 0, "team") == (7, 0)  # after the last team, the first again
    assert runs.next_presenter({}, None, 0, "team") == (None, 0)
