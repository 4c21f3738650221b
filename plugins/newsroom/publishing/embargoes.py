"""Upcoming embargoes: the posts that go public by themselves at a future minute, with that minute in UTC
and in the zone the post was written in (`invoke embargoes`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from newsroom.checks.sources import read_posts
from newsroom.model.audiences import is_internal_only, split_list_field
from newsroom.model.dates import TimestampError, parse_timestamp
from newsroom.model.frontmatter import parse_document
from newsroom.model.post import status_of
from newsroom.model.settings import Newsroom


@dataclass(frozen=True)
class Embargo:
    """A post that is approved (not a draft) and dated in the future."""

    path: str
    title: str
    lifts: datetime  # in the post's own zone
    audiences: tuple[str, ...]
    internal_only: bool

    @property
    def lifts_utc(self) -> datetime:
        return self.lifts.astimezone(UTC)


def upcoming_embargoes(settings: Mapping, newsroom: Newsroom, now: datetime) -> list[Embargo]:
    """Every approved post dated after `now`, soonest first. Drafts and hidden posts never lift by
    themselves, so they are not listed."""
    sources, _ = read_posts(settings)
    found = []
    for source in sources:
        doc = parse_document(source.text)
        status = status_of(doc)
        try:
            lifts = parse_timestamp(doc.get("date").text if doc.get("date") else "")
        except TimestampError:
            continue  # `invoke check` reports it; a post without a valid date is never published
        if status != "published" or lifts <= now:
            continue
        audiences = split_list_field(doc.get("audience").values) if doc.get("audience") else newsroom.default_audiences
        title = doc.get("title").text if doc.get("title") else source.path
        found.append(
            Embargo(source.path, title, lifts, audiences, is_internal_only(audiences, newsroom.audience_by_slug))
        )
    return sorted(found, key=lambda e: (e.lifts_utc, e.path))


def embargo_lines(embargoes: Iterable[Embargo], now: datetime) -> list[str]:
    """One block per embargo: when it lifts (UTC, then the post's own zone), how long until then, where."""
    lines = []
    for embargo in embargoes:
        zone = getattr(embargo.lifts.tzinfo, "key", None) or embargo.lifts.strftime("UTC%z")
        where = "intranet only" if embargo.internal_only else "public site"
        lines += [
            f"{embargo.lifts_utc:%Y-%m-%d %H:%M} UTC  = {embargo.lifts:%Y-%m-%d %H:%M %Z} ({zone})  "
            f"in {_duration(embargo.lifts_utc - now.astimezone(UTC))}",
            f"    {embargo.title}",
            f"    {embargo.path} · {', '.join(embargo.audiences)} · {where}",
        ]
    return lines or ["No upcoming embargoes: every approved post is already public."]


def _duration(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return " ".join(parts)
