"""The links every page prints to the site's own pages (about, subscribe, media contacts…): the header's, the
footer's, the home page's "Get them by email…", in the language of the page that prints them.

A page is linked in the page's language when it has a version in it, otherwise as it is, marked with its own
language (` lang="en" hreflang="en"`), as a listing marks a post it lists in another language. The links are
worked out once per build and language (7,000 pages print them), not once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.model.language_editions import version_in
from newsroom.model.languages import Languages
from newsroom.site.translations import page_language

# Where the build keeps the links (lower case: not a setting): {language code: {original's slug: PageLink}}.
PAGE_LINKS = "newsroom_page_links_by_language"


@dataclass(frozen=True)
class PageLink:
    """One of the site's pages as a page in some language links it."""

    title: str
    url: str
    attributes: Markup  # ` lang="en" hreflang="en"` when the page is not in the linking page's language


def page_links(pages: Iterable, languages: Languages) -> dict[str, dict[str, PageLink]]:
    """For each language, each page (by its original's slug, in the pages' order) in that language or, without
    a version in it, as it is. A site in one language: its pages as they are, unmarked."""
    pages = list(pages)
    links = {}
    for language in languages.all:
        by_slug = {}
        for page in pages:
            shown = version_in(page, language) if languages.several else page
            own = getattr(shown, "language", language)
            marked = Markup(' lang="{0}" hreflang="{0}"').format(own.code) if own != language else Markup("")
            by_slug[page.slug] = PageLink(shown.title, shown.url, marked)
        links[language.code] = by_slug
    return links


def _links_here(context) -> dict[str, PageLink]:
    by_language = context.get(PAGE_LINKS) or {}
    language = page_language(context) or context["NEWSROOM"].languages.default
    return by_language.get(language.code, {})


@pass_context
def site_page(context, slug: str) -> PageLink | None:
    """The page whose original has the slug `slug`, as the page being written links it; None without one."""
    return _links_here(context).get(slug)


@pass_context
def site_pages(context) -> list[PageLink]:
    """Every page of the site (the footer's list), as the page being written links them."""
    return list(_links_here(context).values())


GLOBALS = {"site_page": site_page, "site_pages": site_pages}
