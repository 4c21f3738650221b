"""What the newsroom knows about a post beyond Pelican's own fields: lead image, corrections, withdrawal."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from newsroom.model.dates import parse_timestamp

_REFERENCE = re.compile(r"^[{|](?:static|attach|filename)[}|]")


@dataclass(frozen=True)
class Correction:
    """A dated note saying what was corrected, shown at the top of the article."""

    when: datetime
    text: str


@dataclass(frozen=True)
class Withdrawal:
    """Why and when a published post was taken down; its page and feed items then show only this."""

    when: datetime
    reason: str


@dataclass(frozen=True)
class LeadImage:
    """The picture at the top of a post, shared with feeds and social cards."""

    path: str  # under content/, e.g. "images/q3.jpg"
    alt: str
    credit: str = ""


def status_of(doc) -> str:
    """A post's or page's status as every reader of it must take it: its `Status:` in lower case, "published"
    when the line is missing or empty (the checks, the build, the embargo list and the translations once read an
    empty line two ways, and a lifted embargo was never due)."""
    return doc.text("status").strip().lower() or "published"


def default_post_id(content_relative: str) -> str:
    """A post without an `Id:` is known by its path under content/, without the extension."""
    return posixpath.splitext(content_relative)[0]


def post_id(doc, content_relative: str) -> str:
    """The post's identity: its `Id:`, or for a post without one its path (default_post_id)."""
    return doc.text("id") or default_post_id(content_relative)


def corrections_from(lines: Iterable[str]) -> tuple[Correction, ...]:
    """Parse 'time | text' lines (already checked) into corrections, newest first."""
    found = []
    for line in lines:
        when, _, text = line.partition("|")
        found.append(Correction(parse_timestamp(when), text.strip()))
    return tuple(sorted(found, key=lambda correction: correction.when, reverse=True))


def withdrawal_from(value: str | None) -> Withdrawal | None:
    """Parse a 'time | reason' line (already checked), or None for a post that stands."""
    if not value:
        return None
    when, _, reason = str(value).partition("|")
    return Withdrawal(parse_timestamp(when), reason.strip())


def content_path(reference: str, source_relative: str) -> str:
    """Turn '{static}/images/a.jpg' or 'a.jpg' (beside the post) into a path under content/."""
    target = _REFERENCE.sub("", reference.strip())
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_relative), target))


def last_updated(
    published: datetime,
    modified: datetime | None,
    corrections: tuple[Correction, ...],
    withdrawal: Withdrawal | None = None,
) -> datetime | None:
    """When the post last changed after publication (a withdrawal is a change), or None if it never did."""
    withdrawn = withdrawal.when if withdrawal else None
    moments = [moment for moment in (modified, withdrawn, *(c.when for c in corrections)) if moment]
    latest = max(moments, default=None)
    return latest if latest and latest > published else None
