"""A post's tags and authors, read as Pelican reads them, and the slug each gets: the name of its listing's folder.

A name without a letter or digit (`Tags: ???`) gets an empty slug: its page would be written to `tags//index.html`,
which is `tags/index.html`, the list of topics, and Pelican skips such a page without a word. Categories need no
such check: a post's `Category:` names a configured one, whose slug the settings require (model/settings.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pelican.readers import ensure_metadata_list
from pelican.urlwrappers import Author, Tag, URLWrapper

from newsroom.checks.rules import Problem, Source
from newsroom.kit.errors import clipped
from newsroom.model.classification import PostFacts
from newsroom.model.file_names import slug_too_long
from newsroom.model.frontmatter import Document

# Each field that names listings: the kind of listing, and an example for the message.
LISTING_FIELDS = {
    "tags": (Tag, "earnings"),
    "author": (Author, "Larkspur Energy Communications"),
    "authors": (Author, "Larkspur Energy Communications"),
}


def listed_names(doc: Document, field: str) -> list[str]:
    """The names a post's `Tags:`, `Author:` or `Authors:` gives, as Pelican's reader splits them: `Author:` is
    one name; one line of a list is split at its semicolons if it has any, else at its commas; several lines are
    one name each (the build's reader passes them on as a list: site/reader.py)."""
    entry = doc.get(field)
    if entry is None:
        return []
    if field == "author":
        return [entry.text] if entry.text else []
    return ensure_metadata_list(entry.values[0] if len(entry.values) == 1 else list(entry.values))


def check_listing_slugs(posts: Iterable[tuple[Source, Document, PostFacts]], settings: Mapping) -> list[Problem]:
    """Each tag or author of a post whose slug, as Pelican makes it with the site's settings, is empty."""
    found = []
    slugs: dict[tuple[type[URLWrapper], str], str] = {}  # a few dozen names, on thousands of posts
    for source, doc, _ in posts:
        for field, (kind, example) in LISTING_FIELDS.items():
            for name in listed_names(doc, field):
                if (kind, name) not in slugs:
                    slugs[kind, name] = listing_slug(kind, name, settings)
                what, entry = kind.__name__.lower(), doc.get(field)
                if (too_long := slug_too_long(slugs[kind, name])) is not None:
                    found.append(
                        Problem(
                            source.path,
                            entry.line,
                            field,
                            f"{clipped(name)!r} makes a slug that {too_long}, e.g. '{entry.name}: {example}'), so its "
                            f"{what} page could not be written",
                        )
                    )
                if not slugs[kind, name]:
                    found.append(
                        Problem(
                            source.path,
                            entry.line,
                            field,
                            f"{name!r} makes an empty slug, so its {what} page would have no address of its own "
                            f"(expected a {what} with letters or digits, e.g. '{entry.name}: {example}', or no "
                            f"{what} {name!r})",
                        )
                    )
    return found


def listing_slug(kind: type[URLWrapper], name: str, settings: Mapping) -> str:
    """The slug Pelican gives this tag or author (kind: Tag or Author) with the site's settings: URLWrapper.slug's
    own computation (its <KIND>_REGEX_SUBSTITUTIONS, else SLUG_REGEX_SUBSTITUTIONS), without the warning it logs
    for an empty slug, which would be a second line about the one problem the check names."""
    return kind(name, settings)._normalize_key(name)
