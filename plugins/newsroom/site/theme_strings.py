"""The theme's own words and dates in the language of the page being written (Jinja2 i18n, Babel catalogues).

A page's language is its post's or page's (`article.language`, `page.language`) or, on a language's edition of
a listing, `page_language`; the default language's pages get the template's own (English) words and dates
exactly as before, and a string a catalogue lacks falls back to them. The catalogues themselves are
kit/catalogues.py's; the texts that come from the settings (an audience's name…) are printed with the
`localized` filter, in the page's language too.
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import lru_cache

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.kit.catalogues import theme_translations_dir, translations_for
from newsroom.kit.translated import localized
from newsroom.model.dates import iso
from newsroom.model.local_dates import date_in, time_in
from newsroom.site.templating import time_element
from newsroom.site.translations import page_language

I18N_EXTENSION = "jinja2.ext.i18n"


def page_language_code(context) -> str | None:
    """The language of the page being written when it is not the default one; None on the default's pages."""
    code = getattr(page_language(context), "code", None)
    if not code:
        return None
    return other_than_default(code, context.get("DEFAULT_LANG", "en"))


@lru_cache(maxsize=64)
def other_than_default(code: str, default_lang) -> str | None:
    """`code`, or None when it is DEFAULT_LANG's (the theme asks it with every word and date it prints)."""
    return None if code.casefold() == str(default_lang).casefold() else code


# The default language's pages print the template's own words (no catalogue holds any state a page changes).
TEMPLATE_WORDS = gettext.NullTranslations()


def _translations(context) -> gettext.NullTranslations:
    code = page_language_code(context)
    if code is None:
        return TEMPLATE_WORDS
    return theme_catalogue(context["THEME"], code)


@lru_cache(maxsize=64)
def theme_catalogue(theme: str, code: str) -> gettext.NullTranslations:
    """The theme's catalogue for `code`, found once per theme and language: the theme asks for it with every word
    it prints (a pure function of the two, as kit/catalogues.py compiles each folder's catalogues once)."""
    return translations_for(theme_translations_dir({"THEME": theme}), code)


@pass_context
def theme_gettext(context, message: str) -> str:
    return _translations(context).gettext(message)


@pass_context
def theme_ngettext(context, singular: str, plural: str, count: int) -> str:
    return _translations(context).ngettext(singular, plural, count)


@pass_context
def page_time(context, moment: datetime) -> str:
    """newsroom_time, in the page's language."""
    return time_in(moment, page_language_code(context))


@pass_context
def page_date(context, moment: datetime) -> str:
    return date_in(moment, page_language_code(context))


@pass_context
def page_time_element(context, moment: datetime) -> Markup:
    """time_element, in the page's language."""
    code = page_language_code(context)
    if code is None:
        return time_element(moment)
    return Markup('<time datetime="{}">{}</time>').format(iso(moment), time_in(moment, code))


@pass_context
def page_localized(context, entry, key: str) -> str:
    """A settings entry's text (an audience's name, a contact's role) in the page's language."""
    return localized(entry, key, page_language_code(context))


# `_` is theme_gettext itself: the i18n extension's own `_` looks `gettext` up in the page's context and calls it,
# two more calls for every word the theme prints.
GLOBALS = {"gettext": theme_gettext, "ngettext": theme_ngettext, "_": theme_gettext}
FILTERS = {
    "newsroom_time": page_time,
    "newsroom_date": page_date,
    "time_element": page_time_element,
    "localized": page_localized,
}
