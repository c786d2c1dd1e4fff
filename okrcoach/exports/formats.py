"""Numbers, money, dates and times written the engagement's way (its language and time zone), through Babel."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import get_currency_symbol, is_currency, parse_pattern

from okrcoach.errors import InputError
from okrcoach.workshop.engagements import (DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE, Engagement, checked_language,
                                           checked_time_zone)

# Up to six decimals as typed (22, 1.8, 0.125), grouped the language's way: never 1.23457e+06.
# Parsed once: format_decimal would parse it again for each of a pack's thousands of numbers.
_NUMBER = parse_pattern("#,##0.######")


@dataclass(frozen=True)
class Formats:
    """How one engagement writes numbers, money, dates and times."""

    language: str = DEFAULT_LANGUAGE
    time_zone: str = DEFAULT_TIME_ZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def long_date(self, day: date) -> str:
        """'31 March 2026' in en_GB, 'March 31, 2026' in en_US."""
        return format_date(day, "long", locale=self.language)

    def short_date(self, day: date) -> str:
        """'31 Mar 2026' in en_GB, for table cells."""
        return format_date(day, "medium", locale=self.language)

    def day_of(self, moment: float) -> date:
        """The calendar day of a moment (seconds since 1970, UTC) in the engagement's time zone."""
        return datetime.fromtimestamp(moment, self.zone).date()

    def clock(self, moment: float) -> str:
        """The time of day of a moment in the engagement's time zone: '09:30'."""
        return format_time(datetime.fromtimestamp(moment, self.zone), "short", locale=self.language)

    def number(self, value: float | None, missing: str = "") -> str:
        """A number the language's way (1,234,567.5 or 1.234.567,5); missing if None."""
        return missing if value is None else _NUMBER.apply(value, _locale(self.language))

    def amount(self, value: float | None, unit: str, missing: str = "") -> str:
        """A number with its unit: money where the language puts it ('$86', '$1,400k', '86 €'), '22%', '40 tickets'."""
        figure = self.number(value, missing)
        unit = unit.strip()
        money = self._money(unit)
        if money is None:
            return figure if not unit else f"{figure}{'' if unit == '%' else ' '}{unit}"
        symbol, rest = money
        pattern = _locale(self.language).currency_formats["standard"].pattern.split(";")[0]
        before = pattern.index("¤") < pattern.index("#" if "#" in pattern else "0")
        spaced = re.search(r"¤\s|\s¤", pattern) or symbol[-1 if before else 0].isalpha()
        gap = "\u00a0" if spaced else ""  # a no-break space where the language writes one: '86 €' never splits
        if before:
            return f"{symbol}{gap}{figure}{rest}"
        return f"{figure}{rest}{gap}{symbol}" if not rest.strip() else f"{figure}{gap}{symbol}{rest}"

    def _money(self, unit: str) -> tuple[str, str] | None:
        """A unit that is money split into its symbol and the rest ('$k a month' → '$', 'k a month'), else None."""
        code, _, after = unit.partition(" ")
        if len(code) == 3 and code.isascii() and code.isalpha() and code.isupper() and is_currency(code):
            return get_currency_symbol(code, locale=self.language), f" {after}" if after else ""
        start = next((i for i, char in enumerate(unit) if unicodedata.category(char) == "Sc"), None)
        if start is None or start > 2 or not (unit[:start].isascii() and unit[:start].isupper() or not start):
            return None  # '$', '€', 'US$', 'A$', 'HK$' lead; 'k$' or 'per €' are left as typed
        end = start
        while end < len(unit) and unicodedata.category(unit[end]) == "Sc":
            end += 1
        return unit[:end], unit[end:]


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    return Locale.parse(language)  # parsed once: a pack formats thousands of numbers


def for_engagement(engagement: Engagement) -> Formats:
    """The engagement's way of writing numbers, dates and times (the defaults for a value set-up would refuse)."""
    try:
        language = checked_language(engagement.language)
    except InputError:  # e.g. from a hand-edited backup
        language = DEFAULT_LANGUAGE
    try:
        zone = checked_time_zone(engagement.time_zone)
    except InputError:
        zone = DEFAULT_TIME_ZONE
    return Formats(language, zone)
