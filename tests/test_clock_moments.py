"""When the server must redraw a clock: the browser counts the seconds, the server draws colours and words."""

import time

from okrcoach.ui import clock
from okrcoach.workshop import runs, timer

START = 1_800_000_000.0  # a whole minute


def view_at(state: timer.RunState, now: float) -> runs.TimerView:
    return runs.timer_view_of(runs.TimerRow(1, 1, state, len(state.planned), "Item", "breakout", None), now)


def running(minutes: list[int] = [10, 20]) -> timer.RunState:  # noqa: B006 - read only
    return timer.start(timer.new_run(minutes), START)


def test_a_running_clock_changes_colour_at_five_minutes_left_and_at_zero_then_only_counts():
    state = running()
    assert clock.changes_at(view_at(state, START), START) == START + 300  # amber
    assert clock.changes_at(view_at(state, START + 300), START + 300) == START + 600  # red, the flash
    assert clock.changes_at(view_at(state, START + 601), START + 601) is None  # counting the overrun up


def test_a_clock_that_is_not_running_never_changes_by_itself():
    for state in (timer.new_run([10]), timer.pause(running(), START + 30), timer.finish(running(), START + 30)):
        assert clock.changes_at(view_at(state, START + 60), START + 60) is None
    assert clock.changes_at(None, START) is None


def test_the_console_is_redrawn_when_its_projected_finish_or_plan_turns_a_minute_and_only_then():
    def shown(state: timer.RunState, now: float) -> tuple[str, int]:
        view = view_at(state, now)
        return time.strftime("%H:%M", time.localtime(view.projected_finish)), round(view.schedule_delta / 60)

    for state, now in ((timer.pause(running(), START + 95.5), START + 100.25),  # paused: the finish moves on
                       (running(), START + 612.5),  # overrunning
                       (timer.new_run([10, 20]), START + 17.75)):  # not started yet
        moment = clock.console_changes_at(view_at(state, now), now)
        assert now < moment <= now + 60
        assert shown(state, moment - 0.01) == shown(state, now)  # nothing the console shows turned before it
        assert shown(state, moment + 0.01) != shown(state, now)  # ...and something turns at it


def test_the_console_on_time_waits_for_the_clock_colours_only():
    state = running()
    assert clock.console_changes_at(view_at(state, START + 10), START + 10) == START + 300
