"""Categories: the kinds of news a newsroom publishes (press releases, events, policy notices…)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsroom.kit.translated import UNTRANSLATED, Translations


@dataclass(frozen=True)
class Category:
    """A kind of post. `boilerplate` appends the company's "About" block, as press releases carry."""

    slug: str
    name: str
    description: str
    boilerplate: bool = False
    # The texts in the other languages (kit/translated.py); left out of repr, which output files may record.
    translations: Translations = field(default=UNTRANSLATED, repr=False)
