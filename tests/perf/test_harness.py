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


def test_a_save_is_seen_on_the_board_only_until_the_board_shows_the_teams_next_save():
    def save(who, at, team, ready):
        return load.Save(who, "objective", 1, who, at, at + 0.2, team=team, expected_ready=ready)

    def frame(at, t, u):
        return at, {"T": ["T", "3", "9", "0/3", t], "U": ["U", "3", "9", "0/3", u]}

    saves = [save("t#0", 100.0, "T", "1/3"), save("t#1", 102.5, "T", "0/3"),  # shown after the next was pressed
             save("u#0", 100.0, "U", "1/3"), save("u#1", 110.0, "U", "2/3"), save("u#2", 140.0, "U", "1/3")]
    frames = [frame(100.5, "0/3", "0/3"), frame(102.8, "1/3", "0/3"), frame(104.0, "0/3", "0/3"),
              frame(111.0, "0/3", "2/3"), frame(140.9, "0/3", "1/3")]
    press, _, unseen = load.visible_delays(saves, frames, {})
    # T's first save shows at 2.8 s, after its next save was pressed but before that one showed: it counts.
    # U's "1/3" shows only after u#1 had shown: that is u#2 at 0.9 s, not u#0 after 40 s.
    assert sorted(round(ms) for ms in press) == sorted([2800, 1500, 1000, 900])
    assert len(unseen) == 1 and unseen[0].startswith("u#0: Ready 1/3 never shown")
