"""What a page of a newsroom in several languages links: its versions in every language (hreflang alternates,
the language switcher), its own language's listings, and the language of a post it lists in another language.

Each is a template global that reads the page being written; on a site in one language each gives nothing, so
its pages are byte for byte what they were before the newsroom had languages.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.site.listing_editions import listing_alternates
from newsroom.site.translations import Alternate, page_language


@pass_context
def page_alternates(context) -> tuple[Alternate, ...]:
    """The page's versions in every language, itself included: a post's or page's translations, or a listing's
    editions."""
    content = context.get("article") or context.get("page")
    if content is not None:
        return getattr(content, "alternates", ())
    return listing_alternates(context)


@pass_context
def page_feeds(context):
    """The feed catalogue of the page's language (feeds/fr/… on a French page), as the feeds generator made it."""
    language = page_language(context)
    catalogs = context.get("newsroom_language_feeds") or {}
    if language is None or language.code not in catalogs:
        return context.get("newsroom_feeds")
    return catalogs[language.code]


@pass_context
def page_alerts(context):
    """The email alert lists the page offers (model/alerts.py): its language's own, else the default language's,
    marked as being in that language."""
    language = page_language(context)
    return context["NEWSROOM"].alerts.in_language(language.code if language is not None else None)


@pass_context
def edition_prefix(context) -> str:
    """Where the page's language keeps its listings: 'fr/' on a French page, '' in the default language."""
    language = page_language(context)
    return f"{language.prefix}/" if language is not None and language.prefix else ""


@pass_context
def open_graph_locales(context) -> Markup:
    """`og:locale` of the page's language, and `og:locale:alternate` of each of its versions in another language
    (page_alternates: only the versions this edition publishes); nothing for a language without a locale."""
    language = page_language(context) or context["NEWSROOM"].languages.default
    if not language.locale:
        return Markup("")
    others = [alternate.language.locale for alternate in page_alternates(context) if not alternate.current]
    tags = [("og:locale", language.locale)]
    tags += [("og:locale:alternate", locale) for locale in dict.fromkeys(others) if locale not in ("", language.locale)]
    return Markup("").join(Markup('\n  <meta property="{}" content="{}">').format(*tag) for tag in tags)


@pass_context
def language_attributes(context, post, link: bool = True) -> Markup:
    """` lang="en" hreflang="en"` for a post listed on a page in another language (screen readers read its title
    in its own language, search engines know where the link leads); nothing for a post in the page's language."""
    language = getattr(post, "language", None)
    if language is None:
        return Markup("")
    own = page_language(context)
    if own is None:
        own = context["NEWSROOM"].languages.default
    if language.code == own.code:
        return Markup("")
    if link:
        return Markup(' lang="{0}" hreflang="{0}"').format(language.code)
    return Markup(' lang="{}"').format(language.code)


@pass_context
def group_language_attributes(context, posts) -> Markup:
    """` lang="en"` for a group of posts named by one word (a topic) whose posts are all in one language other than
    the page's: the word is that language's, as language_attributes marks a post. In Python rather than the
    template's map/unique pipeline: a topic's every listing page asks it of all the topic's posts."""
    if not posts:
        return Markup("")
    language = getattr(posts[0], "language", None)
    for post in posts:  # a topic's posts are most often all in one language: the same Language, `is` answers
        other = getattr(post, "language", None)
        if other is not language and other != language:
            return Markup("")
    return language_attributes(context, posts[0], link=False)


GLOBALS = {
    "page_alternates": page_alternates,
    "open_graph_locales": open_graph_locales,
    "edition_prefix": edition_prefix,
    "language_attributes": language_attributes,
    "group_language_attributes": group_language_attributes,
    "page_feeds": page_feeds,
    "page_alerts": page_alerts,
}
