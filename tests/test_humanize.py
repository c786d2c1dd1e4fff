"""Numbers and times said the way people write them (okrcoach/humanize.py)."""

from okrcoach.humanize import ago, figure


def test_figure_writes_numbers_as_typed_never_in_scientific_notation():
    assert [figure(v) for v in (22.0, 1.8, 0.1 + 0.2, 1234567.0, -4.0)] == ["22", "1.8", "0.3", "1234567", "-4"]


def test_figure_groups_thousands_only_when_asked_and_names_a_missing_value():
    assert figure(1234567.5, grouped=True) == "1,234,567.5"
    assert figure(None) == "" and figure(None, "?") == "?"


def test_ago_says_minutes_then_hours_then_days():
    assert [ago(0, s) for s in (10, 120, 7200, 3 * 86400)] == ["just now", "2 min ago", "2 h ago", "3 days ago"]
