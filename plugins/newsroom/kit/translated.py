"""A settings entry's texts in the newsroom's other languages, and the one function that picks a text's version.

An entry (an audience, a category, a contact…) writes its texts in the default language as it always has, and
the other languages' versions beside them:

    {"slug": "investors", "name": "Investors", "description": "…",
     "translations": {"fr": {"name": "Investisseurs", "description": "…"}}}

Every page and feed prints such a text through `localized(entry, key, language)`, never by choosing a version
itself. Validation (`SettingsReader.translations`) makes sure that in a newsroom with several languages every
text an entry has exists in every language, so a French page never says "Nouvelles pour investors".
"""

from __future__ import annotations

from dataclasses import dataclass

TRANSLATIONS_KEY = "translations"


@dataclass(frozen=True)
class Translations:
    """(language code, key, text) for each text in each language other than the default; hashable, as the
    frozen settings entries that hold it must be."""

    texts: tuple[tuple[str, str, str], ...] = ()

    def get(self, language: str, key: str) -> str | None:
        wanted = language.casefold()
        return next((text for code, name, text in self.texts if code.casefold() == wanted and name == key), None)


UNTRANSLATED = Translations()  # an entry in a newsroom with one language


def localized(entry, key: str, language: str | None) -> str:
    """The text `key` of a settings entry in `language`: its translation there, or the entry's own text (the
    default language's, and any language a one-language site or a test did not translate)."""
    own = getattr(entry, key)
    translations = getattr(entry, TRANSLATIONS_KEY, None)
    if not language or translations is None:
        return own
    return translations.get(language, key) or own
