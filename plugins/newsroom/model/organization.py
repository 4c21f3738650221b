"""The company behind the newsroom and the people journalists can call."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsroom.kit.translated import UNTRANSLATED, Translations


@dataclass(frozen=True)
class Company:
    """Who publishes: shown in the header, the "About" boilerplate and the JSON-LD publisher."""

    name: str
    legal_name: str
    url: str
    boilerplate: str
    logo: str = ""
    ticker: str = ""
    same_as: tuple[str, ...] = ()
    tagline: str = ""  # the site's SITESUBTITLE, which the home page and the page descriptions show
    # The texts in the other languages (kit/translated.py); left out of repr, which output files may record.
    translations: Translations = field(default=UNTRANSLATED, repr=False)


@dataclass(frozen=True)
class Contact:
    """A named press or investor contact; shown on posts for the audiences they serve."""

    key: str
    name: str
    role: str
    email: str
    phone: str
    audiences: tuple[str, ...] = ()
    # The texts in the other languages (kit/translated.py); left out of repr, which output files may record.
    translations: Translations = field(default=UNTRANSLATED, repr=False)


@dataclass(frozen=True)
class Download:
    """A press-kit file (logo, boilerplate, fact sheet) offered on the media contacts page."""

    title: str
    path: str
    description: str = ""
    # The texts in the other languages (kit/translated.py); left out of repr, which output files may record.
    translations: Translations = field(default=UNTRANSLATED, repr=False)
