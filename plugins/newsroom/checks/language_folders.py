"""A language's folder (/fr/) holds that language's editions of the listings: a page or a post of another
language written there would take the address of one of them (a page with the slug 'fr' is /fr/, the French home
page). The folders the site's settings take are refused as prefixes when the settings are read
(model/site_folders.py); a page's or post's address is known only here, with the content."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from newsroom.checks.rules import Problem, Source, slug_problem
from newsroom.model.classification import PostFacts
from newsroom.model.frontmatter import Document
from newsroom.model.languages import Language
from newsroom.model.settings import Newsroom
from newsroom.model.site_folders import first_folder


def check_page_folders(
    pages: Iterable[tuple[Source, Document, PostFacts]],
    newsroom: Newsroom,
    settings: Mapping,
    slug_of: Callable[[str], str],
) -> list[Problem]:
    """Each page (as the checks classified it) that PAGE_SAVE_AS would write inside another language's folder."""
    folders = {f"{language.prefix}/": language for language in newsroom.languages.all if language.prefix}
    found = []
    for source, doc, _ in pages if folders else ():
        slug = doc.text("slug") or slug_of(doc.text("title"))
        save_as = str(settings["PAGE_SAVE_AS"]).replace("{slug}", slug)
        language = next((folders[folder] for folder in folders if save_as.startswith(folder)), None)
        if language is not None:
            found.append(_in_folder(source, doc, f"{slug!r} would write this page to {save_as}", language))
    return found


def check_post_folders(posts: Iterable[tuple[Source, Document, PostFacts]], newsroom: Newsroom) -> list[Problem]:
    """Each post whose address (ARTICLE_URL, DRAFT_URL) begins with the folder of a language it is not in:
    with ARTICLE_URL = '{slug}/', an English post with the slug 'fr' would be the French home page."""
    folders = {language.prefix: language for language in newsroom.languages.all if language.prefix}
    found = []
    for source, doc, facts in posts if folders else ():
        own = newsroom.languages.find(doc.text("lang"))
        taken = [(address, folders.get(first_folder(address))) for address in facts.addresses]
        address, language = next(((a, lang) for a, lang in taken if lang is not None and lang != own), ("", None))
        if language is not None:
            found.append(_in_folder(source, doc, f"puts this post at {address}", language))
    return found


def _in_folder(source: Source, doc: Document, what: str, language: Language) -> Problem:
    """The problem of a page or post that `what` says is in `language`'s folder."""
    return slug_problem(
        source,
        doc,
        f"{what}, in the folder of the {language.name} editions of the listings (expected another slug, or "
        f"another prefix for {language.code!r} in NEWSROOM_LANGUAGES)",
    )
