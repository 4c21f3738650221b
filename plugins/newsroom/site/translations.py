"""Language versions of a post or page in the build: each under its language's prefix, linked to the others by
the Id.

Pelican groups translations by slug; a newsroom's translations share their `Id:` instead (a French title makes a
French slug), so the groups are made again by the Id once the newsroom has described every post (and, for the
pages, once Pelican has read them).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from jinja2.utils import missing
from pelican.utils import get_original_items, order_content

from newsroom.model.languages import Language, Languages
from newsroom.model.post import default_post_id
from newsroom.site.addresses import is_kept as addresses_kept
from newsroom.site.addresses import keep as keep_addresses

# Pelican's lists of articles, each pair processed together as Pelican does (published, hidden, drafts).
ARTICLE_LISTS = (("articles", "translations"), ("hidden_articles", "hidden_translations"))
ARTICLE_LISTS += (("drafts", "drafts_translations"),)
# The same for Pelican's page generator.
PAGE_LISTS = (("pages", "translations"), ("hidden_pages", "hidden_translations"))
PAGE_LISTS += (("draft_pages", "draft_translations"),)


@dataclass(frozen=True)
class Alternate:
    """One language version of a page, for hreflang links and the language switcher."""

    language: Language
    url: str  # the site path, e.g. "fr/news/2026/x/"
    current: bool  # the page this is listed on


# Where a page render's Context remembers the page's language (see page_language).
REMEMBERED_LANGUAGE = "newsroom_page_language"


def page_language(context) -> Language | None:
    """The Language of the page being written: its post's or page's, or its edition's; None for the default
    language's listings (and on a site in one language).

    The theme asks it about 80 times a page (every word, date and link it prints), so a page render's Context
    remembers it. Jinja makes a Context for each render, and its `parent` (what Pelican passed) never changes;
    a template's own `{% set %}` goes to its `vars`, so one that sets any of these variables is answered anew."""
    variables = getattr(context, "vars", None)
    if variables is None:  # a plain mapping
        return _language_of(context)
    if "article" in variables or "page" in variables or "page_language" in variables:
        return _language_of(context)
    remembered = context.__dict__.get(REMEMBERED_LANGUAGE, missing)
    if remembered is missing:
        remembered = context.__dict__[REMEMBERED_LANGUAGE] = _language_of(context)
    return remembered


def _language_of(context) -> Language | None:
    for content in ("article", "page"):
        language = getattr(_variable(context, content), "language", None)
        if language is not None:
            return language
    return _variable(context, "page_language")


def _variable(context, name: str):
    """context[name], or None. A template's Context answers get() by raising and catching KeyError for a name it
    lacks (a listing has no `article`), and the theme asks for the page's language for every word it translates:
    1.2 million times at 5,000 posts. resolve_or_missing asks without raising."""
    resolve = getattr(context, "resolve_or_missing", None)
    if resolve is None:  # a plain mapping
        return context.get(name)
    value = resolve(name)
    return None if value is missing else value


def place_by_language(articles, languages: Languages) -> None:
    """Give each post its language and, outside the default language, its address under the language's prefix:
    the default language's address pattern, so that /fr/news/2026/x/ mirrors /news/2026/x/."""
    for article in articles:
        article.language = languages.find(getattr(article, "lang", "")) or languages.default
        if article.language.prefix and not hasattr(article, "override_url") and not addresses_kept(article):
            with _default_language_patterns(article):
                url, save_as = article.url, article.save_as
            prefix = article.language.prefix
            keep_addresses(article, in_folder(prefix, url), in_folder(prefix, save_as))


def pelicans_url(article) -> str:
    """The address Pelican works out for the post from its settings and metadata, in its language's folder as
    place_by_language puts it, whatever address the post keeps (addresses.py)."""
    language = getattr(article, "language", None)
    if language is None or not language.prefix:
        return article.get_url_setting("url")
    with _default_language_patterns(article):
        return in_folder(language.prefix, article.get_url_setting("url"))


@contextmanager
def _default_language_patterns(article):
    """Pelican reads the default language's address patterns for the post meanwhile (ARTICLE_URL, not
    ARTICLE_LANG_URL: see Content.get_url_setting): a language's folder then mirrors the default's."""
    article.in_default_lang = True
    try:
        yield
    finally:
        article.in_default_lang = False


def in_folder(prefix: str, address: str) -> str:
    """`address` under the language's folder; no address stays none: a pattern set to "" (DRAFT_PAGE_SAVE_AS in
    publishconf.py) means the page is never written, and "fr/" would write it as the file fr."""
    return f"{prefix}/{address}" if address else address


def group_by_id(generator, lists=ARTICLE_LISTS, order_by: str = "ARTICLE_ORDER_BY") -> None:
    """Group each list's versions by the posts' shared Id, as Pelican groups by slug: the default language's
    version is listed, the others are its translations (a post in one language only is listed as it is)."""
    for listed, translated in lists:
        everything = [*getattr(generator, listed), *getattr(generator, translated)]
        originals, translations = versions_by_id(everything)
        setattr(generator, listed, order_content(originals, generator.settings[order_by]))
        setattr(generator, translated, translations)
    for listed, translated in lists:
        for article in (*getattr(generator, listed), *getattr(generator, translated)):
            article.alternates = alternates_of(article, generator.settings["NEWSROOM"].languages)


def in_one_order(contents) -> list:
    """`contents` by slug, then by source path: an order no process's string hashing changes. Pelican finds the
    posts as a set of paths, iterated in an order that changes from process to process; its grouping by slug
    sorts them (so posts of the same moment were listed by slug), but only when ARTICLE_TRANSLATION_ID is set."""
    return sorted(contents, key=lambda content: (getattr(content, "slug", ""), content.source_path))


def versions_by_id(contents: list) -> tuple[list, list]:
    """Pelican's process_translations(contents, "shared_id"), the same lists in the same order and the same
    warnings, in time linear in the posts: Pelican's finds the translations by looking each post up in the list
    of originals (about 0.25 s at 7,000 posts, and it grows with their square)."""
    contents.sort(key=attrgetter("shared_id"))
    originals = []
    for shared_id, group in groupby(contents, attrgetter("shared_id")):
        versions = list(group)
        originals.extend(get_original_items(versions, f'with shared_id "{shared_id}"'))
        for version in versions:
            version.translations = [other for other in versions if other is not version]
    listed = {id(original) for original in originals}
    return originals, [content for content in contents if id(content) not in listed]


def group_pages_by_id(generator) -> None:
    """page_generator_finalized: the pages' language versions, as the posts': a page with `Lang: fr` and the
    original's `Id:` (a page without one is known by its path, as a post is) is the original's French version,
    written under /fr/. Each version knows its original's slug (`original_slug`), which the navigation marks as the
    current page whatever slug the version has. A site in one language: nothing changes."""
    languages = generator.settings["NEWSROOM"].languages
    if not languages.several:
        return
    pages = every_page(generator)
    for page in pages:
        page.shared_id = content_id(page)
    place_by_language(pages, languages)
    group_by_id(generator, PAGE_LISTS, "PAGE_ORDER_BY")
    for listed, _ in PAGE_LISTS:
        for page in getattr(generator, listed):
            for version in (page, *page.translations):
                version.original_slug = page.slug
        generator.context[listed] = getattr(generator, listed)  # Pelican put the lists it made there


def every_page(generator) -> list:
    """Every page Pelican's page generator keeps, in each of its lists (published, hidden, draft; translations)."""
    return [page for lists in PAGE_LISTS for name in lists for page in getattr(generator, name)]


def content_id(content) -> str:
    """The Id a post or page shares with its language versions: its `Id:`, or its path under content/."""
    return content.metadata.get("id") or default_post_id(content.get_relative_source_path())


def alternates_of(article, languages: Languages) -> tuple[Alternate, ...]:
    """Every version of the post, this one included, in the order of NEWSROOM_LANGUAGES; () for a post that
    exists in one language only (it has no alternates to link)."""
    versions = [article, *getattr(article, "translations", ())]
    if len(versions) < 2:
        return ()
    order = {language.code: index for index, language in enumerate(languages.all)}
    versions.sort(key=lambda version: order.get(version.language.code, len(order)))
    return tuple(Alternate(version.language, version.url, version is article) for version in versions)
