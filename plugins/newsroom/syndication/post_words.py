"""What a channel writes around a post, said in the language of the version it carries.

A message is the post's own title, summary, tags and link, and the channel's words around them: a "Read the
post" button, the category's name, the publication time, an email's unsubscribe lines. Those are said in the
version's language, from the newsroom's one source of each: the phrases of the theme catalogue
(model/wording.py), the category's name from the settings (`localized`), the time in the language's locale
(model/local_dates.py). A run gives every post its words once, as it reads the manifest
(language_routing.in_their_languages), so a channel only formats: it never asks which language it writes in.

A version is said in its own language, whatever the channel's: the default language's version that
`channel_fallback` sends to a French channel is the English text, around English words. What the newsroom tells
its operator (the alert that syndication needs a person, the dry run, errors) is not a post and stays in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsroom.model.wording import DEFAULT_WORDING, Wording

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def published_at(moment: datetime) -> str:
    """'1 June 2026, 10:00 UTC-04:00': investors and regulators need the exact time and zone, not 'today'."""
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:  # the manifest always carries an offset; say so rather than guess one
        return f"{text} (time zone unknown)"
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return f"{text} UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"{text} UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class PostWords:
    """A version's words in its language: the catalogue's phrases, and its category and time said in them."""

    category: str  # the category's name in this language
    wording: Wording = DEFAULT_WORDING

    def say(self, phrase: str, **values: str) -> str:
        """One of model/wording.py's phrases in this language, its %(name)s placeholders filled with `values`."""
        return self.wording.say(phrase, **values)

    def time(self, moment: datetime) -> str:
        """The exact time and zone, as the language writes it: '1 June 2026, 10:00 UTC-04:00' in the default
        language, '1 juin 2026, 10:00 UTC-04:00' in French (the manifest's times carry offsets, not zones)."""
        return published_at(moment) if self.wording.language is None else self.wording.time(moment)
