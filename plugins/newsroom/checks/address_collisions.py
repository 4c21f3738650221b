"""One file, one owner, known before the build: a page or post whose file is a listing's (a French page with
`Slug: archive` is /fr/archive/, the French archive), or another page's or post's.

Pelican lets a page or post whose address it was told to override take any file and silently drops the listing
there; the build stops at the second claim on a file (site/plugin.py, record_written). This finds the same
collisions from the content and the settings alone, for `invoke check`: the listings' files come from the settings
the build writes them with (model/listing_files.py), each language's under its prefix, and each page's and post's
from its classification. A page or post may not be written inside a folder whose every file has one owner by
its place (the theme's assets, the feeds, the search index, which every build empties: model/ownership.py; the
browser editor's, where the settings have it). A
page or post in another language's folder is language_folders.py's, and two posts with one slug are rules.py's:
each mistake is one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pelican.urlwrappers import Author, Tag

from newsroom.checks.listing_slugs import listed_names, listing_slug
from newsroom.checks.rules import Problem, Source, slug_problem
from newsroom.model.classification import PostFacts
from newsroom.model.file_names import as_one_name
from newsroom.model.frontmatter import Document
from newsroom.model.languages import Language
from newsroom.model.listing_files import listing_files
from newsroom.model.ownership import owner_by_place
from newsroom.model.settings import Newsroom
from newsroom.model.site_folders import editor_place

Item = tuple[Source, Document, PostFacts]


def check_address_collisions(
    posts: Iterable[Item], pages: Iterable[Item], newsroom: Newsroom, settings: Mapping
) -> list[Problem]:
    """Each page or post written to the file of one of its language's listings, or to a file a page or post
    named before it takes (a page is one of the two: two posts are refused for their slug)."""
    posts, pages = list(posts), list(pages)
    listings = listing_files(settings, _slugs(posts, newsroom, settings), _dates(posts))
    taken: dict[tuple[str, str], str] = {}  # (language code, file) -> what takes it, for a message
    for language in newsroom.languages.all:
        edition = f", the {language.name} edition" if language.prefix else ""
        for file, what in listings.items():
            taken[(language.code, as_one_name(_in(language, file)))] = f"the file of the listing {what}{edition}"
    owners: dict[tuple[str, str], tuple[str, bool]] = {}  # (language code, file) -> (path, is a page)
    found = []
    for (source, doc, facts), is_page in sorted(
        [*((post, False) for post in posts), *((page, True) for page in pages)], key=lambda item: item[0][0].path
    ):
        if facts.file is None:
            continue
        language = newsroom.languages.find(doc.text("lang")) or newsroom.languages.default
        # Compared as a case-insensitive host stores them: there ADMIN/ is admin/ and About/ is about/.
        file = as_one_name(facts.file)
        key = (language.code, file)
        first, first_is_page = owners.setdefault(key, (source.path, is_page))
        place = _held_whole(facts.file, settings) or _held_whole(file, settings)
        if place is not None:  # the search index's folder is emptied by every build: the page would vanish
            found.append(_collision(source, doc, is_page, facts.file, f"inside the folder of the {place}"))
        elif key in taken:
            found.append(_collision(source, doc, is_page, facts.file, taken[key]))
        elif first != source.path and (is_page or first_is_page):
            found.append(_collision(source, doc, is_page, facts.file, f"which {first} is written to as well"))
    return found


def _held_whole(file: str, settings: Mapping) -> str | None:
    return owner_by_place(file, settings) or editor_place(file, settings)


def _in(language: Language, file: str) -> str:
    return f"{language.prefix}/{file}" if language.prefix else file


def _collision(source: Source, doc: Document, is_page: bool, file: str, what: str) -> Problem:
    return slug_problem(
        source,
        doc,
        f"this {'page' if is_page else 'post'} would be written to {file}, {what} (expected another slug: one "
        "file has one owner, and the build would stop on the second)",
    )


def _slugs(posts: list[Item], newsroom: Newsroom, settings: Mapping) -> dict[str, list[str]]:
    """The slugs of what a listing is written once for: as the build makes them (Pelican's Tag and Author)."""
    tags = {name for _, doc, _ in posts for name in listed_names(doc, "tags")}
    authors = {name for _, doc, _ in posts for field in ("author", "authors") for name in listed_names(doc, field)}
    authors.add(str(settings.get("AUTHOR") or ""))
    return {
        "CATEGORY": [category.slug for category in newsroom.categories],
        "AUDIENCE": [audience.slug for audience in newsroom.audiences],
        "TAG": sorted(listing_slug(Tag, name, settings) for name in tags),
        "AUTHOR": sorted(listing_slug(Author, name, settings) for name in authors if name),
    }


def _dates(posts: list[Item]):
    return [facts.published for _, _, facts in posts if facts.published is not None]
