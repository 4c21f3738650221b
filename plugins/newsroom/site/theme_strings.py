"""The theme's own words and dates in the language of the page being written (Jinja2 i18n, Babel catalogues).

The catalogues' source is committed (`<theme>/translations/<lang>/LC_MESSAGES/messages.po`) and compiled here, in
memory, once per process: no compiled .mo file is ever kept. A page's language is its post's (`article.language`)
or, on a language's edition of a listing, `page_language`; the default language's pages get the template's own
(English) words and dates exactly as before, and a string a catalogue lacks falls back to them.
"""

from __future__ import annotations

import gettext
import re
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from jinja2 import pass_context
from markupsafe import Markup

from newsroom.kit.errors import NewsroomError
from newsroom.model.dates import iso, newsroom_date, newsroom_time, zone_name
from newsroom.site.templating import time_element

I18N_EXTENSION = "jinja2.ext.i18n"
CATALOGUE = Path("LC_MESSAGES", "messages.po")


class CatalogueError(NewsroomError):
    """A theme catalogue cannot be read: one line naming the file, what is wrong and the fix."""


def theme_translations_dir(settings) -> str:
    return str(Path(settings["THEME"], "translations"))


@lru_cache(maxsize=16)
def catalogues(translations_dir: str) -> dict[str, gettext.GNUTranslations]:
    """Every language's compiled catalogue under `translations_dir`, by language folder name ('fr', 'fr_CA')."""
    found = {}
    for po_file in sorted(Path(translations_dir).glob(f"*/{CATALOGUE.as_posix()}")):
        try:
            with po_file.open("rb") as source:
                catalogue = read_po(source, abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError) as error:
            raise CatalogueError(
                f"{po_file}: not a readable gettext catalogue ({error}); "
                "fix it, or make it again with pybabel (docs/languages.md)"
            ) from None
        for problem in _unsafe_translations(catalogue):
            raise CatalogueError(f"{po_file}: {problem}")
        compiled = BytesIO()
        write_mo(compiled, catalogue)  # fuzzy entries are left out: an unchecked translation shows English
        compiled.seek(0)
        found[po_file.parents[1].name] = gettext.GNUTranslations(compiled)
    return found


# What a translation must carry over from its source exactly: Jinja's i18n marks a translation safe HTML, and
# formats it with the template's named placeholders.
_MARKUP = re.compile(r"<[^>]*>")
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _unsafe_translations(catalogue) -> list[str]:
    """Each translation that adds or drops markup or placeholders its source has: the allowlist for a msgstr is
    its own msgid's tags and placeholders, so a catalogue can change words and nothing else."""
    problems = []
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        for translation in message.string if isinstance(message.string, tuple) else (message.string,):
            if not translation:
                continue
            for what, pattern in (("markup", _MARKUP), ("placeholders", _PLACEHOLDER)):
                if sorted(pattern.findall(translation)) not in [sorted(pattern.findall(s)) for s in sources]:
                    problems.append(
                        f"msgstr for {sources[0]!r}: its {what} {sorted(set(pattern.findall(translation)))} differ "
                        f"from the msgid's (expected exactly {sorted(set(pattern.findall(sources[0])))}: a "
                        "translation changes words only)"
                    )
    return problems


def translations_for(translations_dir: str, code: str) -> gettext.NullTranslations:
    """The catalogue of `code` ('fr-CA' reads fr_CA, then fr); none: the template's own words."""
    by_folder = catalogues(translations_dir)
    region_form = code.replace("-", "_")
    for folder in (region_form, region_form.split("_")[0]):
        if folder in by_folder:
            return by_folder[folder]
    return gettext.NullTranslations()


def page_language_code(context) -> str | None:
    """The language of the page being written when it is not the default one; None on the default's pages."""
    language = getattr(context.get("article"), "language", None) or context.get("page_language")
    code = getattr(language, "code", None)
    if not code or code.casefold() == str(context.get("DEFAULT_LANG", "en")).casefold():
        return None
    return code


def _translations(context) -> gettext.NullTranslations:
    code = page_language_code(context)
    if code is None:
        return gettext.NullTranslations()
    return translations_for(theme_translations_dir(context), code)


@pass_context
def theme_gettext(context, message: str) -> str:
    return _translations(context).gettext(message)


@pass_context
def theme_ngettext(context, singular: str, plural: str, count: int) -> str:
    return _translations(context).ngettext(singular, plural, count)


def babel_locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def local_zone_name(moment: datetime, locale: Locale) -> str:
    """The locale's own abbreviation ('HNE' in fr_CA) or, where CLDR has none, the default one ('EST')."""
    name = format_datetime(moment, "zzz", locale=locale)
    return zone_name(moment) if name[:1] in "+-" or name.startswith(("GMT", "UTC")) else name


def local_time(moment: datetime, code: str) -> str:
    """'3 décembre 2026, 16 h 05 HNE': the locale's long date and short time, always naming the zone."""
    locale = babel_locale(code)
    if locale is None:
        return newsroom_time(moment)
    day, clock = format_date(moment, "long", locale=locale), format_time(moment, "short", locale=locale)
    return f"{day}, {clock} {local_zone_name(moment, locale)}"


def local_date(moment: datetime, code: str) -> str:
    locale = babel_locale(code)
    return format_date(moment, "long", locale=locale) if locale else newsroom_date(moment)


@pass_context
def page_time(context, moment: datetime) -> str:
    """newsroom_time, in the page's language."""
    code = page_language_code(context)
    return newsroom_time(moment) if code is None else local_time(moment, code)


@pass_context
def page_date(context, moment: datetime) -> str:
    code = page_language_code(context)
    return newsroom_date(moment) if code is None else local_date(moment, code)


@pass_context
def page_time_element(context, moment: datetime) -> Markup:
    """time_element, in the page's language."""
    code = page_language_code(context)
    if code is None:
        return time_element(moment)
    return Markup('<time datetime="{}">{}</time>').format(iso(moment), local_time(moment, code))


def with_i18n(environment: dict) -> dict:
    """JINJA_ENVIRONMENT with the i18n extension the theme's `{% trans %}` and `_()` need."""
    extensions = list(environment.get("extensions", []))
    if I18N_EXTENSION not in extensions:
        extensions.append(I18N_EXTENSION)
    return {**environment, "extensions": extensions}


GLOBALS = {"gettext": theme_gettext, "ngettext": theme_ngettext}
FILTERS = {"newsroom_time": page_time, "newsroom_date": page_date, "time_element": page_time_element}
