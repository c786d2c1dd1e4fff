"""The pack's next steps: dated from the workshop day and the cycle, naming who acts, editable."""

import math
from dataclasses import replace
from datetime import date

from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft
from okrcoach.exports import steps
from okrcoach.exports.prose import load_prose
from okrcoach.workshop.engagements import NextStep
from okrcoach.workshop.teams import Team

WORKSHOP = date(2026, 3, 2)


def _team(team_id: int, name: str, kind: str = "team") -> Team:
    return Team(team_id, 1, name, name.lower().replace(" ", "-"), kind, "", 0, team_id)


def _request(from_team: str, to_team: str, status: str) -> Request:
    return Request(1, 1, "A key result", "An objective", 1, from_team, 2, to_team, False, status, "", "", None, 0)


def _engagement(engagement, start: date, end: date):
    return replace(engagement, cycle_start=start, cycle_end=end)


def test_steps_before_a_cycle_that_starts_later_are_dated_from_the_workshop(engagement):
    engagement = _engagement(engagement, date(2026, 4, 1), date(2026, 6, 30))
    prose = load_prose(engagement)
    leadership = Draft(_team(1, "Leadership team", "top"), ())
    found = steps.derived(engagement, WORKSHOP, prose, [leadership, Draft(_team(2, "Stores team"), ())],
                          [_request("Stores team", "Web team", "requested"),
                           _request("Web team", "Stores team", "declined")], [])
    by_start = {step.what.split()[0]: step for step in found}
    assert by_start["Refine"].when == "9 March 2026" and by_start["Refine"].who == "Every team"
    assert (by_start["Answer"].who, by_start["Answer"].when) == ("Web team", "9 March 2026")
    assert (by_start["Read"].who, by_start["Read"].when) == ("Leadership team", "16 March 2026")
    assert by_start["Publish"].when == "1 April 2026"  # the cycle's first day
    assert by_start["First"].when == "15 April 2026"  # two weeks into the cycle
    assert found[-1].when == "30 June 2026"


def test_without_open_requests_leadership_or_parking_lot_those_steps_are_left_out(engagement):
    engagement = _engagement(engagement, date(2026, 3, 1), date(2026, 5, 31))  # the cycle began before the workshop
    found = steps.derived(engagement, WORKSHOP, load_prose(engagement), [Draft(_team(2, "Stores team"), ())],
                          [_request("Stores team", "Web team", "accepted")], [])
    assert [step.what.split()[0] for step in found] == ["Refine", "Publish", "First", "The"]
    assert found[1].when == "19 March 2026"  # a week to refine, a week to review, three days to publish


def test_the_table_the_facilitator_edits_round_trips_and_drops_empty_rows():
    shown = [NextStep("Refine", "Every team", "9 March"), NextStep("Review", "", "")]
    rows = steps.table_rows(shown)
    assert steps.from_table(rows) == shown
    rows.append({"Step": None, "Who": math.nan, "By": None})  # a row added and left empty
    rows.append({"Step": "  ", "Who": "Ana", "By": "soon"})
    assert steps.from_table(rows) == shown
