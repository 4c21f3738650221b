"""The words the newsroom writes itself, outside the templates: feed titles, what a feed item adds to a post, the
revision history and what a channel message says around a post, said in one language through the theme
catalogue (kit/catalogues.py).

The theme catalogue is the one source of the newsroom's words: every phrase below is marked for `pybabel
extract` (babel.cfg reads this file) and translated in theme/translations/<lang>/LC_MESSAGES/messages.po beside
the templates' own. The default language says each phrase as written here, so its feeds and pages are byte for
byte what they were; texts from the settings (an audience's name) come in the language through `text`.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from newsroom.kit.catalogues import theme_translations_dir, translations_for
from newsroom.kit.translated import localized
from newsroom.model.local_dates import time_in


def N_(message: str) -> str:
    return message


# Feed titles and descriptions (model/feed_titles.py) and the OPML bundle (feeds/opml.py).
ALL_NEWS = N_("%(site)s: all news")
ALL_NEWS_ABOUT = N_("Every post in the %(site)s, for %(audiences)s.")
LAST_OF_LIST = N_("%(others)s and %(last)s")
AUDIENCE_NEWS = N_("%(site)s: news for %(audience)s")
AUDIENCE_NEWS_ABOUT = N_("News for %(audience)s from the %(site)s. %(description)s")
AUDIENCE_CATEGORY_NEWS = N_("%(site)s: news for %(audience)s — %(category)s")
AUDIENCE_CATEGORY_NEWS_ABOUT = N_("%(category)s for %(audience)s from the %(site)s. %(description)s")
CATEGORY_NEWS = N_("%(site)s: %(category)s")
CATEGORY_NEWS_ABOUT = N_("%(category)s for every audience from the %(site)s. %(description)s")
FEEDS_OF = N_("%(site)s feeds")
BY_CATEGORY = N_("By category")
# What a feed item adds to the post's body (feeds/items.py), as the post page frames it.
MATERIAL_NEWS = N_("Regulatory / material news")
CORRECTION_AT = N_("Correction, %(time)s:")
WITHDRAWN_AT = N_("Withdrawn, %(time)s:")
WITHDRAWN_NOTICE = N_(
    "This post has been withdrawn; it remains listed so that earlier links still lead to this notice."
)
ABOUT_COMPANY = N_("About %(company)s")
# The post page's own "Contact"/"Contacts" heading (a plural entry the template marks: a phrase marked here
# as well would be a second entry of the same msgid).
CONTACTS = ("Contact", "Contacts")
# The revision history's entries (site/history.py).
PUBLISHED = N_("Published")
UPDATED = N_("Updated")
EDITED = N_("Edited")
EDIT_WITHHELD = N_("Edited (the description of this change is withheld: it also concerns unpublished content)")
CORRECTION_TEXT = N_("Correction: %(text)s")
WITHDRAWN_TEXT = N_("Withdrawn: %(reason)s")
# What a channel writes around a post (syndication/channels/*.py): Slack's and Teams's button and Teams's facts
# (the post's category, and PUBLISHED above), an email alert's link and footer. The email's "unsubscribe" is the
# command the list server reads: it stays that word in every language.
READ_THE_POST = N_("Read the post")
READ_THE_POST_AT = N_("Read the post: %(url)s")
CATEGORY = N_("Category")
SUBSCRIBED_TO_LIST = N_("You receive this because you subscribed to %(list)s.")
SUBSCRIBED_TO_ALERTS = N_("You receive this because you subscribed to %(sender)s alerts.")
UNSUBSCRIBE_BY_EMAIL = N_('To unsubscribe, email %(address)s with the subject "unsubscribe".')
UNSUBSCRIBE_BY_EMAIL_HTML = N_("To unsubscribe, email %(address)s with the subject “unsubscribe”.")

# An alert list's name, the List-Id phrase and its description in Mailman (alerts/mailman.py): the list's language.
LIST_FOR_AUDIENCE = N_("%(company)s alerts: news for %(audience)s")
LIST_FOR_EVERYTHING = N_("%(company)s alerts: all news")
LIST_FOR_AUDIENCE_ABOUT = N_("%(description)s By email, as published.")
LIST_FOR_EVERYTHING_ABOUT = N_("Every public post of the %(company)s newsroom, by email.")


@dataclass(frozen=True)
class Wording:
    """The newsroom's words in one language; `language` None is the default language, which says each phrase
    as written."""

    language: str | None = None
    catalogue: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, compare=False)

    def say(self, phrase: str, **values: str) -> str:
        """One of the phrases above in this language, its %(name)s placeholders filled with `values`."""
        said = self.catalogue.gettext(phrase)
        return said % values if values else said

    def say_count(self, forms: tuple[str, str], count: int) -> str:
        """The singular or plural of a phrase, as this language chooses for `count`."""
        return self.catalogue.ngettext(*forms, count)

    def text(self, entry, key: str) -> str:
        """A settings entry's text (an audience's name) in this language."""
        return localized(entry, key, self.language)

    def time(self, moment: datetime) -> str:
        """A moment as this language's pages show it, naming its zone."""
        return time_in(moment, self.language)


DEFAULT_WORDING = Wording()


def wording(settings: Mapping, language: str) -> Wording:
    """The words of the pages and feeds in `language`, from the theme's catalogue of that language."""
    if language.casefold() == str(settings.get("DEFAULT_LANG", "en")).casefold():
        return DEFAULT_WORDING
    return Wording(language, translations_for(theme_translations_dir(settings), language))
