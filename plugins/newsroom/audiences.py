"""Audiences: who a post is for, and which of them are internal to the company."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    """A stakeholder group the newsroom writes for."""

    slug: str
    name: str
    description: str
    internal: bool = False


def split_list_field(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Read 'investors, media' or one value per line into ('investors', 'media')."""
    if value is None:
        return ()
    lines = [value] if isinstance(value, str) else list(value)
    items = (item.strip() for line in lines for item in re.split(r"[,;]", line))
    return tuple(item for item in items if item)


def is_internal_only(slugs: Iterable[str], audiences: Mapping[str, Audience]) -> bool:
    """True when every named audience is internal: such a post never reaches the public site."""
    named = [audiences[slug] for slug in slugs if slug in audiences]
    return bool(named) and all(audience.internal for audience in named)


def public_audiences(audiences: Iterable[Audience]) -> tuple[Audience, ...]:
    return tuple(audience for audience in audiences if not audience.internal)
