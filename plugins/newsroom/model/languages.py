"""The newsroom's languages (NEWSROOM_LANGUAGES) and what a post's language decides: its address and its key.

A translation is the same post in another language: it shares the original's `Id:`. Everything that must tell
the versions apart (the archive register, feed ids, the syndication ledger) knows a version by its key, the Id
for the default language and `Id@lang` for the others ("@" is never part of an Id, so no key can collide).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from newsroom.kit.settings import SLUG, SettingsReader, did_you_mean
from newsroom.model.dates import TimestampError, parse_timestamp

# A language tag (BCP 47's shape), as posts write it in `Lang:`.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
LANGUAGE_KEYS = ("code", "name", "default", "prefix", "since", "locale")
# Open Graph's og:locale: a language and a territory ("fr_CA"); a language tag alone is not one.
OPEN_GRAPH_LOCALE = re.compile(r"^(?P<language>[a-z]{2,3})_(?P<territory>[A-Z]{2})$")
DEFAULT_TRANSLATION_RULES = {"one_language_first": False, "channel_fallback": False}


@dataclass(frozen=True)
class Language:
    """One language the newsroom publishes in."""

    code: str  # as posts write it in `Lang:`, e.g. "fr" or "fr-CA"
    name: str  # in the language itself, for the language switcher: "Français"
    prefix: str = ""  # where its pages live: "fr" puts them under /fr/; "" for the default language
    # Posts dated before this need no version in this language (a newsroom that adds a language does not
    # translate its archive); None: every post the rules require.
    since: datetime | None = None
    # Open Graph's locale of its pages ("fr_CA"); "": its pages name none (a territory is never guessed).
    locale: str = ""

    def required_at(self, moment: datetime) -> bool:
        """Must a post published at `moment` that the rules want in every language have a version in this one?"""
        return self.since is None or moment >= self.since


@dataclass(frozen=True)
class Languages:
    """Every language, the default first; a site that configures none has only DEFAULT_LANG."""

    all: tuple[Language, ...]
    # A post that is not material news may be published in one language before (or without) the others.
    one_language_first: bool = False
    # A channel in a language a post has no version in gets the default language's version.
    channel_fallback: bool = False

    @property
    def default(self) -> Language:
        return self.all[0]

    @property
    def several(self) -> bool:
        return len(self.all) > 1

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.all)

    def find(self, code: str) -> Language | None:
        """The language a post's `Lang:` names (case does not matter in a language tag), or None."""
        wanted = (code or self.default.code).casefold()
        return next((language for language in self.all if language.code.casefold() == wanted), None)

    def version_key(self, post_id: str, lang: str) -> str:
        """The key of one language version of a post: its Id in the default language, `Id@lang` otherwise.
        A site with one language keeps every key as it always was."""
        language = self.find(lang)
        if not self.several or language is None or language == self.default:
            return post_id
        return f"{post_id}@{language.code}"


def split_version_key(key: str) -> tuple[str, str]:
    """A version's key (Languages.version_key) taken apart: (the Id every version shares, the language code; ""
    for the default language's version, whose key is the Id alone)."""
    shared_id, _, code = key.partition("@")
    return shared_id, code


def read_languages(read: SettingsReader, settings: Mapping, site_folders: Mapping[str, str]) -> Languages:
    """NEWSROOM_LANGUAGES and NEWSROOM_TRANSLATION_RULES, validated; problems go to `read`. `site_folders`:
    {folder: what takes it} for the folders at the top of the site (model/site_folders.py), no prefix's."""
    default_lang = str(settings.get("DEFAULT_LANG", "en"))
    rules = read.dictionary(settings, "NEWSROOM_TRANSLATION_RULES", DEFAULT_TRANSLATION_RULES)
    flags = {key: read.flag(rules, key, "NEWSROOM_TRANSLATION_RULES") for key in DEFAULT_TRANSLATION_RULES}
    if settings.get("NEWSROOM_LANGUAGES") is None:
        return Languages((Language(default_lang, default_lang),), **flags)
    found: list[tuple[Language, bool]] = []
    for where, entry in read.entries(settings, "NEWSROOM_LANGUAGES"):
        for key in sorted(set(entry) - set(LANGUAGE_KEYS), key=str):
            hint = did_you_mean(str(key), LANGUAGE_KEYS) or f" (expected some of: {', '.join(LANGUAGE_KEYS)})"
            read.problem(where, f"unknown key {key!r}{hint}")
        code = read.text(entry, "code", where)
        if code and not LANGUAGE_TAG.match(code):
            read.problem(f"{where}.code", f"{code!r} is not a language tag (expected e.g. 'en', 'fr' or 'fr-CA')")
        is_default = read.flag(entry, "default", where)
        prefix = entry.get("prefix", "" if is_default else code.lower())
        if is_default and prefix:
            read.problem(f"{where}.prefix", f"{prefix!r}: the default language's pages live at the top (expected '')")
        elif not is_default and (not isinstance(prefix, str) or not SLUG.match(prefix)):
            read.problem(f"{where}.prefix", f"{prefix!r} is not a slug (expected e.g. 'fr': pages go under /fr/)")
        elif prefix in site_folders:
            read.problem(
                f"{where}.prefix",
                f"{prefix!r} for the language {code!r} is already {site_folders[prefix]} (expected another prefix: "
                f"the {code!r} pages and listings go under /{prefix}/, beside the site's own folders)",
            )
        since = None
        if entry.get("since") is not None:
            try:
                since = parse_timestamp(str(entry["since"]))
            except TimestampError as error:
                read.problem(f"{where}.since", f"{error} (expected e.g. '2026-11-01 00:00 America/Toronto')")
        locale = entry.get("locale")
        problem = locale_problem(locale, code) if locale is not None else ""
        if problem:
            read.problem(f"{where}.locale", problem)
        locale = "" if problem or locale is None else locale
        name = read.text(entry, "name", where)
        found.append((Language(code, name, "" if is_default else prefix, since, locale), is_default))
    defaults = [language for language, is_default in found if is_default]
    if len(defaults) != 1:
        read.problem("NEWSROOM_LANGUAGES", f"{len(defaults)} languages say 'default': True (expected exactly one)")
    elif defaults[0].code != default_lang:
        read.problem(
            "NEWSROOM_LANGUAGES",
            f"the default language {defaults[0].code!r} is not DEFAULT_LANG {default_lang!r} (expected the same)",
        )
    languages = [language for language, _ in found]
    for name in ("code", "prefix", "locale"):
        read.unique("NEWSROOM_LANGUAGES", [lang for lang in languages if getattr(lang, name)], name)
    ordered = sorted(languages, key=lambda language: language not in defaults)  # the default first
    if not ordered:
        read.problem("NEWSROOM_LANGUAGES", "[] names no language (expected at least the default one, or no setting)")
        ordered = [Language(default_lang, default_lang)]
    return Languages(tuple(ordered), **flags)


def locale_problem(locale: object, code: str) -> str:
    """Why `locale` is not the Open Graph locale of the language `code` (language_TERRITORY, the language's own
    language and, for a regional code such as 'fr-CA', its territory), or ''."""
    language, *subtags = (code or "").split("-")
    territories = [subtag.upper() for subtag in subtags if len(subtag) == 2 and subtag.isalpha()]
    example = f"{language.lower()}_{territories[0] if territories else 'CA'}"
    match = OPEN_GRAPH_LOCALE.match(locale) if isinstance(locale, str) else None
    if match is None:
        loose = re.match(r"^([A-Za-z]{2,3})[-_]([A-Za-z]{2})$", locale) if isinstance(locale, str) else None
        fix = f"{loose[1].lower()}_{loose[2].upper()}" if loose else example
        return (
            f"{locale!r} for the language {code!r} is not a locale (expected language_TERRITORY, e.g. {fix!r}: "
            "the og:locale of its pages)"
        )
    if match["language"] != language.lower():
        return (
            f"{locale!r} for the language {code!r} is another language's locale (expected {language.lower()!r} "
            f"and a territory, e.g. {example!r})"
        )
    if territories and match["territory"] != territories[0]:
        return f"{locale!r} for the language {code!r} names another territory (expected {example!r})"
    return ""
