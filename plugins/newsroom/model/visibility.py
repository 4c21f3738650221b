"""Which posts a build may show: the rules that keep internal, draft and embargoed news off the public site."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum


class Visibility(StrEnum):
    """Why a post is, or is not, visible to the public."""

    PUBLIC = "public"
    INTERNAL = "internal"  # every audience it names is internal
    EMBARGOED = "embargoed"  # dated in the future
    DRAFT = "draft"
    HIDDEN = "hidden"


# What each edition of the site shows. Drafts and hidden posts are never listed anywhere; a local
# preview build (NEWSROOM_PREVIEW_DRAFTS) writes them unlisted so their authors can read them.
EDITION_SHOWS = {
    "public": {Visibility.PUBLIC},
    "internal": {Visibility.PUBLIC, Visibility.INTERNAL},
    "embargo-preview": {Visibility.PUBLIC, Visibility.EMBARGOED},
}


def visibility_of(status: str, internal_only: bool, published: datetime, now: datetime) -> Visibility:
    """Classify one post. The order matters: a draft stays a draft whatever its date or audience."""
    if status == "draft":
        return Visibility.DRAFT
    if status == "hidden":
        return Visibility.HIDDEN
    if published > now:
        return Visibility.EMBARGOED
    if internal_only:
        return Visibility.INTERNAL
    return Visibility.PUBLIC


def shown_in(edition: str, visibility: Visibility) -> bool:
    """True when a post of this visibility is listed and written in this edition."""
    return visibility in EDITION_SHOWS[edition]


def page_visibility(status: str) -> Visibility:
    """A page of content/pages (about, subscribe…) has no audience and no embargo: only its Status withholds it."""
    return visibility_of(status, False, datetime.min, datetime.max)


def shown_with_versions(edition: str, visibilities: Iterable[Visibility]) -> bool:
    """True when every language version of one post (or page) is shown in this edition: the versions are one
    release, so that one withheld version (an internal memo's French version marked for the media, a draft
    original) keeps every version out, never only some of them."""
    return all(shown_in(edition, visibility) for visibility in visibilities)
