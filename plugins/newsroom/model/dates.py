"""Timestamps: read as comms staff write them (a date, a time and an explicit zone), shown as readers read them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, lru_cache, wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from newsroom.kit.errors import NewsroomError

EXAMPLE = "2026-12-03 16:05 America/New_York"

# "2026-12-03 16:05 America/New_York", "2026-12-03T16:05:00-05:00", "2026-12-03 16:05 +0100",
# "2026-12-03 16:05Z", "2026-12-03 16:05 UTC". The zone is required: investors and regulators
# read these times, and a release scheduled for 16:05 must not move with the build machine.
_TIMESTAMP = re.compile(
    r"""^\s*
    (?P<date>\d{4}-\d{2}-\d{2})
    (?:[T\s]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?
    \s*(?P<zone>.*?)\s*$""",
    re.VERBOSE,
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})$")
# The offsets time zones use, from Baker Island's to Kiribati's: '+23:59' is arithmetic, not a zone, and reads
# as the next day's date to whoever approves the post.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# Years a newsroom's posts are dated in: a year outside them is a typo (0026 for 2026), and the first and last
# years of Python's calendar cannot be moved into UTC, which every page does.
FIRST_YEAR, LAST_YEAR = 1000, 9998


class TimestampError(NewsroomError, ValueError):
    """A timestamp that cannot be read; the message says what is wrong and what is expected."""


# Remembered: the content checks and Pelican's reader both read every post's dates, and a datetime cannot change.
@lru_cache(maxsize=65_536)
def parse_timestamp(text: str) -> datetime:
    """Return the aware datetime that `text` names, or raise TimestampError."""
    match = _TIMESTAMP.match(text or "")
    if not match:
        raise TimestampError(f"{text!r} is not a date and time (expected e.g. {EXAMPLE!r})")
    if not match["time"]:
        raise TimestampError(f"{text!r} has no time of day (expected e.g. {EXAMPLE!r})")
    if not match["zone"]:
        raise TimestampError(f"{text!r} has no time zone (expected e.g. {EXAMPLE!r} or '2026-12-03T16:05+01:00')")
    hour, rest = match["time"].split(":", 1)
    try:
        naive = datetime.fromisoformat(f"{match['date']}T{int(hour):02d}:{rest}")
    except ValueError as error:
        raise TimestampError(f"{text!r} is not a valid date and time ({error})") from None
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        raise TimestampError(
            f"{text!r} is dated in the year {naive.year} (expected a year from {FIRST_YEAR} to {LAST_YEAR})"
        )
    moment = naive.replace(tzinfo=parse_zone(match["zone"], text))
    _refuse_changing_clocks(moment, text)
    return moment


def _refuse_changing_clocks(moment: datetime, text: str) -> None:
    """A wall-clock time in a named zone that happens twice (the night the clocks go back) names two instants
    an hour apart, and one that never happens (they go forward) names none: an embargo written so could lift an
    hour early. An offset says which instant is meant."""
    if not _clocks_change_at(moment):
        return
    zone = moment.tzinfo
    first, second = (f"{moment:%Y-%m-%d %H:%M} {_offset(moment.replace(fold=fold))}" for fold in (0, 1))
    happens = moment.replace(fold=0).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )
    if happens:
        raise TimestampError(
            f"{text!r} happens twice in {zone.key}: the clocks go back that night "
            f"(expected the offset that says which: {first!r} or {second!r})"
        )
    raise TimestampError(
        f"{text!r} never happens in {zone.key}: the clocks go forward that night "
        f"(expected a time that exists, or an offset: {first!r} or {second!r})"
    )


def _clocks_change_at(moment: datetime) -> bool:
    """True when `moment`'s wall-clock time in its named zone is repeated or skipped by a change of the clocks."""
    return (
        isinstance(moment.tzinfo, ZoneInfo) and moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()
    )


def _offset(moment: datetime) -> str:
    """'-04:00'."""
    return moment.isoformat()[-6:]


def parse_zone(zone: str, text: str | None = None) -> timezone | ZoneInfo:
    """Return the tzinfo for an IANA name, 'UTC'/'Z' or a numeric offset such as '+01:00'."""
    if zone in {"Z", "UTC", "GMT"}:
        return UTC
    offset = _OFFSET.match(zone)
    if offset:
        delta = timedelta(hours=int(offset["hours"]), minutes=int(offset["minutes"]))
        delta = delta if offset["sign"] == "+" else -delta
        if int(offset["minutes"]) >= 60 or not EARLIEST_OFFSET <= delta <= LATEST_OFFSET:
            raise TimestampError(
                f"{text or zone!r} has the offset {zone!r}, which no time zone uses "
                "(expected an offset from -12:00 to +14:00, e.g. '+01:00', or an IANA name such as 'Europe/Paris')"
            )
        return timezone(delta)
    try:
        if zone not in named_zones():
            raise ZoneInfoNotFoundError(zone)
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimestampError(
            f"{text or zone!r} has an unknown time zone {zone!r} "
            "(expected an IANA name such as 'America/New_York', 'UTC' or an offset such as '+01:00')"
        ) from None


@cache
def named_zones() -> frozenset[str]:
    """The IANA names a time may give: the time zone database's zones, without the names a machine's zoneinfo
    folder holds beside them that do not name one place's clock everywhere: `localtime` and `posixrules` (this
    machine's own zone, so a Date would name another instant on a laptop in Paris than on the UTC build
    machine), `Factory` (no zone at all), and the `posix/` and `right/` copies (the latter counts leap seconds:
    every instant 27 seconds off)."""
    return frozenset(
        name
        for name in available_timezones()
        if name not in {"localtime", "posixrules", "Factory"} and not name.startswith(("posix/", "right/"))
    )


def format_timestamp(moment: datetime) -> str:
    """Write `moment` back in the form parse_timestamp reads, keeping its own zone."""
    zone = moment.tzinfo
    name = getattr(zone, "key", None) or moment.strftime("%z")
    if _clocks_change_at(moment):
        name = _offset(moment)  # the zone's name would not say which of two instants (parse_timestamp refuses it)
    if name in {"+0000", "UTC"}:
        name = "UTC"
    return f"{moment:%Y-%m-%d %H:%M} {name}"


# Shown as readers read them: every zone named, the instant in UTC beside it.


def per_moment(format_moment: Callable[[datetime], str]) -> Callable[[datetime], str]:
    """Remember what `format_moment` made of each moment: a post's times are shown on its page and in every
    listing, ~10 times a build, always as the same datetime object. So the key is that object (its id, checked
    with `is`): equal datetimes would not do, as aware datetimes are equal when they name one instant in two
    zones, and hashing one works out its UTC offset, which costs about as much as formatting it."""
    remembered: dict[int, tuple[datetime, str]] = {}

    @wraps(format_moment)
    def formatted(moment: datetime) -> str:
        entry = remembered.get(id(moment))
        if entry is not None and entry[0] is moment:
            return entry[1]
        if len(remembered) > 50_000:  # a long-lived process (livereload, the tests) builds many sites
            remembered.clear()
        text = format_moment(moment)
        remembered[id(moment)] = (moment, text)  # keeping the object keeps its id from being reused
        return text

    return formatted


@per_moment
def newsroom_time(moment: datetime) -> str:
    """'29 October 2026, 16:05 EDT': a reader-facing time that always names its zone."""
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone_name(moment)}"


def newsroom_date(moment: datetime) -> str:
    """'29 October 2026'."""
    return f"{moment.day} {moment:%B %Y}"


def zone_name(moment: datetime) -> str:
    """The zone's abbreviation ('EDT', 'CET') or, where it has none, its UTC offset ('UTC+05:30')."""
    name = moment.tzname() or ""
    if (name and not name.startswith(("+", "-", "UTC"))) or name == "UTC":
        return name
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


@per_moment
def utc_time(moment: datetime) -> str:
    """'20:05 UTC', for readers in other zones."""
    return f"{moment.astimezone(UTC):%H:%M} UTC"


@per_moment
def iso(moment: datetime) -> str:
    return moment.isoformat()
