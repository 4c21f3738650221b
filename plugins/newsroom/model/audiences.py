"""Audiences: who a post is for, and which of them are internal to the company."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from newsroom.kit.translated import UNTRANSLATED, Translations

_SEPARATOR = re.compile(r"[,;]")

# Where each audience's landing page lives: its posts, its feeds and who it is for.
AUDIENCE_URL = "{slug}/"
AUDIENCE_SAVE_AS = "{slug}/index.html"


@dataclass(frozen=True)
class Audience:
    """A stakeholder group the newsroom writes for."""

    slug: str
    name: str
    description: str
    internal: bool = False
    reader: str = ""  # who this audience is, as a reader says it: "an investor" (the subscribe page: "I'm …")
    # The texts in the other languages (kit/translated.py); left out of repr, which output files may record.
    translations: Translations = field(default=UNTRANSLATED, repr=False)


def split_list_field(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Read 'investors, media' or one value per line into ('investors', 'media')."""
    if value is None:
        return ()
    return _split_lines((value,) if isinstance(value, str) else tuple(value))


# Remembered: a newsroom has a handful of audience lists, read for every post by the checks and the reader.
@lru_cache(maxsize=4096)
def _split_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    items = (item.strip() for line in lines for item in _SEPARATOR.split(line))
    return tuple(item for item in items if item)


def is_internal_only(slugs: Iterable[str], audiences: Mapping[str, Audience]) -> bool:
    """True when every named audience is internal: such a post never reaches the public site."""
    named = [audiences[slug] for slug in slugs if slug in audiences]
    return bool(named) and all(audience.internal for audience in named)


def public_audiences(audiences: Iterable[Audience]) -> tuple[Audience, ...]:
    return tuple(audience for audience in audiences if not audience.internal)
