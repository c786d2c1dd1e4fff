"""Numbers, money, dates and times written the engagement's way, through Babel."""

from dataclasses import replace
from datetime import date

import pytest

from okrcoach.exports.formats import Formats, for_engagement
from okrcoach.workshop.engagements import language_name

T0 = 1_767_600_000.0  # 5 January 2026, 08:00 UTC
NBSP = "\u00a0"


@pytest.mark.parametrize(("language", "unit", "written"), [
    ("en_GB", "$", "$86"), ("en_US", "$", "$86"), ("de_DE", "$", f"86{NBSP}$"), ("nl_NL", "€", f"€{NBSP}86"),
    ("en_GB", "USD", "US$86"), ("en_US", "USD", "$86"), ("fr_FR", "EUR", f"86{NBSP}€"),
    ("en_GB", "$k", "$86k"), ("en_GB", "$k a month", "$86k a month"), ("en_GB", "€ per hour", "€86 per hour"),
    ("en_GB", "%", "86%"), ("en_GB", "tickets", "86 tickets"), ("en_GB", "", "86"), ("en_GB", "k$", "86 k$"),
])
def test_money_goes_where_the_language_writes_it_and_other_units_after(language, unit, written):
    assert Formats(language).amount(86, unit) == written


def test_numbers_keep_their_digits_grouped_the_languages_way():
    assert Formats("en_GB").number(1_234_567) == "1,234,567"
    assert Formats("de_DE").number(1_234_567.25) == "1.234.567,25"
    assert Formats("en_GB").number(0.125) == "0.125"
    assert Formats("en_GB").number(1e12) == "1,000,000,000,000"
    assert Formats("en_GB").number(None, "?") == "?"
    assert Formats("en_GB").amount(None, "$", "?") == "$?"


def test_dates_follow_the_language():
    day = date(2026, 3, 31)
    assert (Formats("en_GB").long_date(day), Formats("en_GB").short_date(day)) == ("31 March 2026", "31 Mar 2026")
    assert Formats("en_US").long_date(day) == "March 31, 2026"
    assert Formats("de_DE").long_date(day) == "31. März 2026"


def test_times_and_days_are_those_of_the_engagements_time_zone():
    assert Formats("en_GB", "Europe/London").clock(T0) == "08:00"
    assert Formats("en_GB", "Asia/Tokyo").clock(T0) == "17:00"
    assert Formats("en_GB", "Pacific/Honolulu").day_of(T0) == date(2026, 1, 4)  # still the evening before


def test_a_stored_language_or_zone_set_up_would_refuse_falls_back_to_the_defaults(engagement):
    odd = replace(engagement, language="xx_YY", time_zone="Mars/Olympus")
    assert for_engagement(odd) == Formats("en_GB", "Europe/London")
    assert language_name("xx_YY") == "xx_YY"
