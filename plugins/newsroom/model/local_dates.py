"""Dates and times in a language's locale (Babel), in the moment's own zone, always naming it.

The default language keeps the newsroom's own format (dates.newsroom_time: '29 October 2026, 16:05 EDT');
another language gets its locale's: '3 décembre 2026, 16:05 EST' in fr, '3 décembre 2026, 16 h 05 HNE' in fr-CA.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time

from newsroom.model.dates import newsroom_date, newsroom_time, zone_name


@cache  # a page in French prints a dozen dates; a new Locale reloads its CLDR data for each (12 µs)
def babel_locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def local_zone_name(moment: datetime, locale: Locale) -> str:
    """The locale's own abbreviation ('HNE' in fr_CA) or, where CLDR has none, the default one ('EST')."""
    name = format_datetime(moment, "zzz", locale=locale)
    return zone_name(moment) if name[:1] in "+-" or name.startswith(("GMT", "UTC")) else name


def local_time(moment: datetime, code: str) -> str:
    """'3 décembre 2026, 16 h 05 HNE': the locale's long date and short time, always naming the zone."""
    locale = babel_locale(code)
    if locale is None:
        return newsroom_time(moment)
    day, clock = format_date(moment, "long", locale=locale), format_time(moment, "short", locale=locale)
    return f"{day}, {clock} {local_zone_name(moment, locale)}"


def local_date(moment: datetime, code: str) -> str:
    locale = babel_locale(code)
    return format_date(moment, "long", locale=locale) if locale else newsroom_date(moment)


def time_in(moment: datetime, code: str | None) -> str:
    """The moment as a page in `code` shows it; None: the default language's own format."""
    return newsroom_time(moment) if code is None else local_time(moment, code)


def date_in(moment: datetime, code: str | None) -> str:
    return newsroom_date(moment) if code is None else local_date(moment, code)
