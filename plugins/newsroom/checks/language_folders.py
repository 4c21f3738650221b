"""A language's folder (/fr/) holds that language's editions of the listings: a page written there would take
the address of one of them (a page with the slug 'fr' is /fr/, the French home page)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from newsroom.checks.rules import Problem, Source
from newsroom.model.frontmatter import parse_document
from newsroom.model.settings import Newsroom


def check_page_folders(
    pages: Iterable[Source], newsroom: Newsroom, settings: Mapping, slug_of: Callable[[str], str]
) -> list[Problem]:
    """Each page that PAGE_SAVE_AS would write inside another language's folder."""
    folders = {f"{language.prefix}/": language for language in newsroom.languages.all if language.prefix}
    found = []
    for source in pages if folders else ():
        doc = parse_document(source.text)
        slug = doc.text("slug") or slug_of(doc.text("title"))
        save_as = str(settings["PAGE_SAVE_AS"]).replace("{slug}", slug)
        language = next((folders[folder] for folder in folders if save_as.startswith(folder)), None)
        if language is not None:
            entry = doc.get("slug") or doc.get("title")
            found.append(
                Problem(
                    source.path,
                    entry.line if entry else 1,
                    "slug",
                    f"{slug!r} would write this page to {save_as}, in the folder of the {language.name} editions "
                    f"of the listings (expected another slug, or another prefix for {language.code!r} in "
                    "NEWSROOM_LANGUAGES)",
                )
            )
    return found
