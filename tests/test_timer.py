import json

import pytest

from okrcoach.errors import InputError
from okrcoach.workshop import timer

T0 = 1_700_000_000.0


def running(minutes=(20, 10, 15), at=T0):
    return timer.start(timer.new_run(list(minutes)), at)


def test_new_run_is_ready_on_first_item_with_its_planned_time():
    state = timer.new_run([20, 10])
    assert state.planned == (1200, 600)
    assert state.current == 0
    assert state.status == "ready"
    assert timer.remaining(state, T0) == 1200
    assert state.started == (None, None)
    assert state.ended == (None, None)
    assert state.extended == (0, 0)


@pytest.mark.parametrize("minutes", [[], [10, 0], [10, -5], [2.5], [True]])
def test_new_run_rejects_empty_agenda_and_non_positive_or_fractional_minutes(minutes):
    with pytest.raises(InputError):
        timer.new_run(minutes)


def test_start_runs_the_clock_from_the_planned_time_and_records_the_start():
    state = running(at=T0)
    assert state.status == "running"
    assert state.ends_at == T0 + 1200
    assert state.started[0] == T0
    assert timer.remaining(state, T0 + 200) == 1000


def test_pause_and_resume_keep_remaining_exact_across_the_pause():
    state = timer.pause(running(at=T0), T0 + 200)
    assert state.status == "paused"
    assert timer.remaining(state, T0 + 200) == 1000
    assert timer.remaining(state, T0 + 5000) == 1000
    state = timer.resume(state, T0 + 900)
    assert state.ends_at == T0 + 1900
    assert timer.remaining(state, T0 + 900) == 1000
    assert state.started[0] == T0


def test_pause_in_overrun_keeps_negative_remaining_and_resume_continues_the_overrun():
    state = timer.pause(running(at=T0), T0 + 1260)
    assert state.remaining == -60
    state = timer.resume(state, T0 + 2000)
    assert timer.remaining(state, T0 + 2010) == -70


def test_extend_while_running_moves_ends_at_and_records_the_extension():
    state = timer.extend(running(at=T0), T0 + 100, 300)
    assert state.ends_at == T0 + 1500
    assert state.extended == (300, 0, 0)
    assert timer.remaining(state, T0 + 100) == 1400


def test_extend_while_paused_adds_to_remaining_and_accumulates():
    state = timer.pause(running(at=T0), T0 + 100)
    state = timer.extend(state, T0 + 150, 60)
    state = timer.extend(state, T0 + 160, 300)
    assert state.remaining == 1100 + 360
    assert state.extended == (360, 0, 0)


def test_extend_before_start_adds_to_the_first_item():
    state = timer.extend(timer.new_run([20]), T0, 60)
    assert timer.remaining(state, T0) == 1260
    assert timer.start(state, T0).ends_at == T0 + 1260


def test_warning_starts_at_five_minutes_left_inclusive():
    state = running(at=T0)
    assert timer.warning_level(state, T0 + 899) == "normal"
    assert timer.warning_level(state, T0 + 900) == "warning"
    assert timer.warning_level(state, T0 + 1200) == "warning"
    assert not timer.is_overrun(state, T0 + 1200)


def test_overrun_is_negative_remaining():
    state = running(at=T0)
    assert timer.remaining(state, T0 + 1201) == -1
    assert timer.is_overrun(state, T0 + 1201)
    assert timer.warning_level(state, T0 + 1201) == "overrun"


@pytest.mark.parametrize(
    "seconds, face",
    [
        (0, "00:00"),
        (300, "05:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3900, "1:05:00"),
        (299.2, "05:00"),
        (0.4, "00:01"),
        (-0.4, "00:00"),
        (-1, "+00:01"),
        (-192, "+03:12"),
        (-3600, "+1:00:00"),
        (299.0000001, "04:59"),
    ],
)
def test_format_clock_counts_down_then_counts_overrun_up(seconds, face):
    assert timer.format_clock(seconds) == face


def test_next_records_end_of_current_and_start_of_next_with_its_full_time():
    state = timer.next_item(running(at=T0), T0 + 1300)
    assert state.current == 1
    assert state.status == "running"
    assert state.ended[0] == T0 + 1300
    assert state.started[1] == T0 + 1300
    assert state.ends_at == T0 + 1300 + 600


def test_next_from_paused_starts_the_next_item_running():
    state = timer.pause(running(at=T0), T0 + 100)
    state = timer.next_item(state, T0 + 200)
    assert state.status == "running"
    assert state.remaining is None
    assert timer.remaining(state, T0 + 200) == 600


def test_next_on_last_item_finishes_the_run():
    state = timer.next_item(running((5,), at=T0), T0 + 310)
    assert state.status == "finished"
    assert state.ended == (T0 + 310,)
    assert timer.remaining(state, T0 + 400) == 0
    assert timer.warning_level(state, T0 + 400) == "normal"


def test_back_reopens_previous_item_with_planned_plus_extended_minus_time_already_run():
    state = timer.extend(running(at=T0), T0 + 100, 300)  # item 0 gets 1500 s
    state = timer.next_item(state, T0 + 1000)  # used 1000 s
    state = timer.back(state, T0 + 1010)
    assert state.current == 0
    assert state.status == "running"
    assert timer.remaining(state, T0 + 1010) == 500
    assert state.started[0] == T0
    assert state.ended[0] is None


def test_back_forgets_the_accidental_start_so_the_next_item_gets_an_honest_start_later():
    state = timer.next_item(running(at=T0), T0 + 1000)
    state = timer.back(state, T0 + 1010)
    assert state.started[1] is None
    state = timer.next_item(state, T0 + 1200)
    assert state.started == (T0, T0 + 1200, None)
    assert state.ended == (T0 + 1200, None, None)
    rows = timer.as_run(state, T0 + 1500)
    assert rows[0]["actual_minutes"] == pytest.approx(1190 / 60)  # the 10 s on item 1 were undone
    assert rows[1]["actual_minutes"] == 5


def test_back_from_paused_reopens_the_previous_item_running():
    state = timer.next_item(running(at=T0), T0 + 600)
    state = timer.pause(state, T0 + 700)
    state = timer.back(state, T0 + 800)
    assert state.status == "running"
    assert state.remaining is None
    assert timer.remaining(state, T0 + 800) == 600


def test_back_after_an_overrun_reopens_the_item_still_in_overrun():
    state = timer.next_item(running(at=T0), T0 + 1300)
    state = timer.back(state, T0 + 1305)
    assert timer.remaining(state, T0 + 1305) == -100


def test_back_twice_walks_back_through_the_items_left():
    state = timer.next_item(running(at=T0), T0 + 1200)
    state = timer.next_item(state, T0 + 1800)
    state = timer.back(state, T0 + 1810)
    assert state.current == 1
    state = timer.back(state, T0 + 1820)
    assert state.current == 0
    assert state.started == (T0, None, None)
    assert state.ended == (None, None, None)
    assert timer.remaining(state, T0 + 1820) == 0


def test_back_after_jump_returns_to_the_item_jumped_from():
    state = timer.jump(running(at=T0), T0 + 600, 2)
    state = timer.back(state, T0 + 610)
    assert state.current == 0
    assert state.started == (T0, None, None)
    assert timer.remaining(state, T0 + 610) == 600


def test_back_after_finish_reopens_the_last_item():
    state = timer.next_item(running((5,), at=T0), T0 + 200)
    state = timer.back(state, T0 + 230)
    assert state.status == "running"
    assert state.ended == (None,)
    assert timer.remaining(state, T0 + 230) == 100


def test_back_keeps_the_start_of_an_item_that_had_run_before():
    state = timer.next_item(running(at=T0), T0 + 1200)  # item 1 starts at T0+1200
    state = timer.jump(state, T0 + 1800, 0)
    state = timer.next_item(state, T0 + 1900)  # item 1 again
    state = timer.back(state, T0 + 1905)
    assert state.current == 0
    assert state.started[1] == T0 + 1200
    assert state.ended[1] == T0 + 1800


def test_jump_moves_to_any_item_recording_end_and_start():
    state = timer.jump(running(at=T0), T0 + 500, 2)
    assert state.current == 2
    assert state.ended == (T0 + 500, None, None)
    assert state.started == (T0, None, T0 + 500)
    assert state.ends_at == T0 + 500 + 900


def test_jump_back_to_a_run_item_keeps_its_first_start_and_the_time_it_had_left():
    state = timer.next_item(running(at=T0), T0 + 1000)
    state = timer.jump(state, T0 + 1500, 0)
    assert state.started[0] == T0
    assert state.ends_at == T0 + 1500 + 200


def test_projected_finish_before_start_is_now_plus_the_whole_agenda():
    assert timer.projected_finish(timer.new_run([20, 10, 15]), T0) == T0 + 2700


def test_projected_finish_counts_overrun_and_extension():
    state = running(at=T0)
    state = timer.extend(state, T0 + 100, 300)
    assert timer.projected_finish(state, T0 + 100) == T0 + 1500 + 600 + 900
    # Overrunning item 0 by 200 s: the current item counts as ending now.
    assert timer.projected_finish(state, T0 + 1700) == T0 + 1700 + 600 + 900
    state = timer.next_item(state, T0 + 1700)
    assert timer.projected_finish(state, T0 + 1800) == T0 + 1700 + 600 + 900


def test_projected_finish_while_paused_slides_with_the_pause():
    state = timer.pause(running(at=T0), T0 + 200)
    assert timer.projected_finish(state, T0 + 200) == T0 + 2700
    assert timer.projected_finish(state, T0 + 500) == T0 + 3000


def test_projected_finish_of_a_finished_run_is_when_it_ended():
    state = timer.finish(running(at=T0), T0 + 400)
    assert timer.projected_finish(state, T0 + 9999) == T0 + 400


def test_schedule_delta_is_positive_when_behind_plan():
    state = timer.next_item(running(at=T0), T0 + 1500)
    assert timer.schedule_delta(state, T0 + 1500) == 300


def test_schedule_delta_is_negative_when_ahead_of_plan():
    state = timer.next_item(running(at=T0), T0 + 900)
    assert timer.schedule_delta(state, T0 + 900) == -300


def test_schedule_delta_counts_extensions_as_behind_plan():
    state = timer.extend(running(at=T0), T0, 300)
    assert timer.schedule_delta(state, T0) == 300


def test_schedule_delta_before_start_is_zero():
    assert timer.schedule_delta(timer.new_run([20, 10]), T0) == 0


def test_as_run_has_planned_and_actual_minutes_per_item():
    state = timer.extend(running(at=T0), T0, 300)
    state = timer.next_item(state, T0 + 1500)
    rows = timer.as_run(state, T0 + 1620)
    assert rows == [
        {
            "index": 0,
            "planned_minutes": 20,
            "extended_minutes": 5,
            "actual_minutes": 25,
            "started": T0,
            "ended": T0 + 1500,
            "skipped": False,
        },
        {
            "index": 1,
            "planned_minutes": 10,
            "extended_minutes": 0,
            "actual_minutes": 2,
            "started": T0 + 1500,
            "ended": None,
            "skipped": False,
        },
        {
            "index": 2,
            "planned_minutes": 15,
            "extended_minutes": 0,
            "actual_minutes": None,
            "started": None,
            "ended": None,
            "skipped": False,
        },
    ]


def test_as_run_after_finish_stops_counting_the_last_item():
    state = timer.finish(running((10,), at=T0), T0 + 660)
    assert timer.as_run(state, T0 + 9999)[0]["actual_minutes"] == 11


def test_item_end_clock_is_when_the_current_item_is_due_to_end():
    state = running(at=T0)
    assert timer.item_end_clock(state, T0 + 100) == T0 + 1200
    paused = timer.pause(state, T0 + 100)
    assert timer.item_end_clock(paused, T0 + 400) == T0 + 400 + 1100
    assert timer.item_end_clock(timer.new_run([15]), T0) == T0 + 900


def sample_states():
    ready = timer.new_run([20, 10, 15])
    run = timer.extend(timer.start(ready, T0 + 0.25), T0 + 1, 60)
    moved = timer.next_item(run, T0 + 1300.123456)
    paused = timer.pause(moved, T0 + 2500.5)
    finished = timer.finish(moved, T0 + 2600)
    return [ready, run, moved, paused, finished]


@pytest.mark.parametrize("state", sample_states())
def test_to_dict_from_dict_round_trips_exactly_including_through_json(state):
    as_dict = timer.to_dict(state)
    assert timer.from_dict(as_dict) == state
    assert timer.from_dict(json.loads(json.dumps(as_dict))) == state


def test_to_dict_holds_only_json_types():
    as_dict = timer.to_dict(sample_states()[3])
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert isinstance(as_dict["started"], list)


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda d: d.pop("ends_at"), "missing ends_at"),
        (lambda d: d.update(status="stopped"), "status"),
        (lambda d: d.update(ended=[None]), "ended"),
        (lambda d: d.update(current=7), "item"),
    ],
)
def test_from_dict_rejects_damaged_state_with_a_message(damage, words):
    as_dict = timer.to_dict(timer.new_run([20, 10]))
    damage(as_dict)
    with pytest.raises(InputError, match=words):
        timer.from_dict(as_dict)


@pytest.mark.parametrize(
    "make, action, words",
    [
        (lambda: timer.new_run([20]), lambda s: timer.pause(s, T0), "Cannot pause"),
        (lambda: timer.new_run([20]), lambda s: timer.resume(s, T0), "Cannot resume"),
        (lambda: timer.new_run([20]), lambda s: timer.next_item(s, T0), "move on: the timer has not started"),
        (lambda: timer.new_run([20]), lambda s: timer.back(s, T0), "Cannot go back"),
        (lambda: timer.new_run([20]), lambda s: timer.finish(s, T0), "Cannot finish"),
        (lambda: running(), lambda s: timer.start(s, T0), "Cannot start"),
        (lambda: running(), lambda s: timer.resume(s, T0), "is running"),
        (lambda: running(), lambda s: timer.back(s, T0), "no earlier item"),
        (lambda: running(), lambda s: timer.jump(s, T0, 3), "no agenda item 4"),
        (lambda: timer.new_run([20]), lambda s: timer.jump(s, T0, 0), "Cannot jump"),
        (lambda: running(), lambda s: timer.jump(s, T0, -1), "no agenda item 0"),
        (lambda: running(), lambda s: timer.jump(s, T0, 0), "already the current"),
        (lambda: running(), lambda s: timer.extend(s, T0, 0), "extend by 0"),
        (lambda: timer.pause(running(), T0), lambda s: timer.pause(s, T0), "is paused"),
        (lambda: timer.finish(running(), T0), lambda s: timer.extend(s, T0, 60), "finished"),
        (lambda: timer.finish(running(), T0), lambda s: timer.next_item(s, T0), "finished"),
    ],
)
def test_actions_that_make_no_sense_raise_input_error_saying_why(make, action, words):
    with pytest.raises(InputError, match=words):
        action(make())


# --- back and jump keep time honestly -------------------------------------------------------------


def test_back_returns_to_the_item_as_it_was_with_its_pauses_and_added_minutes():
    state = timer.extend(running(at=T0), T0 + 60, 300)  # item 0 has 1500 s
    state = timer.pause(state, T0 + 400)
    state = timer.resume(state, T0 + 1000)  # a 600 s pause does not count as time run
    state = timer.next_item(state, T0 + 1100)  # 500 s run, 1000 s left
    state = timer.back(state, T0 + 1130)
    assert timer.remaining(state, T0 + 1130) == 1000
    assert timer.as_run(state, T0 + 1130)[0]["actual_minutes"] == pytest.approx(500 / 60)


def test_going_back_and_forth_carries_each_items_time_left():
    state = timer.next_item(running(at=T0), T0 + 1000)  # item 0: 200 s left
    state = timer.extend(state, T0 + 1010, 60)  # item 1: 660 s
    state = timer.back(state, T0 + 1100)  # item 1 ran since T0+1000, its start was this move's
    state = timer.next_item(state, T0 + 1150)
    assert timer.remaining(state, T0 + 1150) == 660  # the undone start is forgotten, the minute added kept


def test_jumping_ahead_marks_the_items_passed_by_as_skipped_and_does_not_claim_time_saved():
    state = timer.jump(running((5, 20, 35, 30), at=T0), T0 + 300, 3)
    assert timer.skipped(state) == (1, 2)
    assert timer.schedule_delta(state, T0 + 300) == 0  # on time: the skipped 55 min are not "ahead"
    assert [row["skipped"] for row in timer.as_run(state, T0 + 300)] == [False, True, True, False]
    assert timer.projected_finish(state, T0 + 300) == T0 + 300 + 1800


def test_an_item_skipped_and_then_reached_is_no_longer_skipped():
    state = timer.jump(running((5, 20, 35, 30), at=T0), T0 + 300, 3)
    state = timer.jump(state, T0 + 400, 1)
    assert timer.skipped(state) == ()
    assert timer.projected_finish(state, T0 + 400) == T0 + 400 + 1200 + 2100 + 1700


def test_runs_stored_before_items_kept_their_time_left_still_load():
    stored = timer.to_dict(running(at=T0))
    del stored["left"]
    assert timer.from_dict(stored).left == (None, None, None)
