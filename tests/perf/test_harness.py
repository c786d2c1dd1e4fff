"""The load harness's own parts: whose error a laptop task raised, what the profile's top entries are, who edits what."""

from tests.perf import load


def _raise_in_harness():
    return ()[0]


def test_an_exception_raised_in_the_harness_is_blamed_on_the_harness_with_its_line():
    try:
        _raise_in_harness()
    except IndexError as error:
        said = load.blame(error)
    assert said.startswith("harness error at test_harness.py:")
    assert "(_raise_in_harness)" in said and "IndexError: tuple index out of range" in said


def test_top_entries_count_functions_not_lines_and_keep_okrcoachs_own_frames():
    collapsed = "\n".join([
        "main (app.py:3);draw (okrcoach/ui/drafting.py:10);_enqueue (streamlit/delta_generator.py:600) 6",
        "main (app.py:3);draw (okrcoach/ui/drafting.py:12);_enqueue (streamlit/delta_generator.py:607) 2",
        "run (asyncio/events.py:80);_write_to_self (asyncio/selector_events.py:139) 2",
    ])
    top = load.top_entries(collapsed)
    assert top["samples"] == 10
    assert top["own"][0] == ("_enqueue (streamlit/delta_generator.py)", 80.0)
    assert dict(top["under"]) == {"main (app.py)": 80.0, "draw (okrcoach/ui/drafting.py)": 80.0}


def test_every_laptop_of_a_big_team_edits_a_record_the_team_has():
    plans = [load.TeamPlan(id=1, name="Stores", slug="stores", objectives=(11, 12, 13), statuses=("drafting",) * 3)]
    roles = load.roles(12, plans)  # twelve laptops on one team: more than the five the pattern names
    assert {(role.entity, role.entity_id) for role in roles} == {("objective", 11), ("objective", 12),
                                                                ("objective", 13), ("purpose", 1)}
    assert [role.entity for role in roles].count("purpose") == 2


def test_a_save_is_seen_on_the_board_only_before_the_teams_next_save_is_pressed():
    first = load.Save("t#0", "objective", 1, "x", 100.0, 100.2, team="T", expected_ready="1/3")
    second = load.Save("t#1", "objective", 2, "y", 120.0, 120.2, team="T", expected_ready="0/3")
    frames = [(100.5, {"T": ["T", "3", "9", "0/3", "0/3"]}), (130.0, {"T": ["T", "3", "9", "0/3", "1/3"]})]
    press, _, unseen = load.visible_delays([first, second], frames, {})
    # "1/3" shows only after the next save was pressed: that is not the first save becoming visible after 30 s.
    assert press == [] and len(unseen) == 2 and unseen[0].startswith("t#0: Ready 1/3 never shown")
