"""The archive's rules applied to the content: each post's id, address and state, compared with the register."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

from .archive import (
    CurrentPost,
    RegisterError,
    read_register,
    register_path,
    removal_problems,
    updated_register,
    write_register,
)
from .audiences import is_internal_only, split_list_field
from .checks import Problem, Source, post_id_of
from .dates import TimestampError, parse_timestamp
from .frontmatter import Document, parse_document
from .settings import Newsroom
from .visibility import Visibility, visibility_of


def current_posts(
    sources: Iterable[Source], newsroom: Newsroom, settings: Mapping, slugify: Callable[[str], str], now: datetime
) -> list[CurrentPost]:
    """Every post with a readable date, as the public edition sees it now."""
    posts = []
    for source in sources:
        doc = parse_document(source.text)
        published = _time(doc, "date")
        if published is None:
            continue  # the content checks report it
        audiences = split_list_field(doc.get("audience").values) if doc.get("audience") else ()
        visibility = visibility_of(
            doc.text("status").lower() or "published",
            is_internal_only(audiences or newsroom.default_audiences, newsroom.audience_by_slug),
            published,
            now,
        )
        posts.append(
            CurrentPost(
                id=post_id_of(doc, source.content_relative),
                path=source.content_relative,
                url=_url(doc, newsroom, settings, slugify, published),
                published=published,
                withdrawn=_time(doc, "withdrawn"),
                public=visibility == Visibility.PUBLIC,
            )
        )
    return posts


def archive_problems(
    sources: Iterable[Source],
    newsroom: Newsroom,
    settings: Mapping,
    slugify: Callable[[str], str],
    now: datetime,
    shown: Callable[[Path], str],
) -> list[Problem]:
    """A problem for every registered post that was deleted, changed its id or moved its address."""
    path = register_path(settings, newsroom.archive)
    try:
        entries = read_register(path)
    except RegisterError as error:
        return [Problem(shown(path), 1, "register", str(error))]
    if not entries:
        return []
    posts = current_posts(sources, newsroom, settings, slugify, now)
    content_root = Path(settings["PATH"])
    return [
        Problem(shown(content_root / relative), 1, field, message)
        for relative, field, message in removal_problems(entries, posts, newsroom.archive.retention_years, now)
    ]


def update_register(
    sources: Iterable[Source], newsroom: Newsroom, settings: Mapping, slugify: Callable[[str], str], now: datetime
) -> tuple[Path, list[str]]:
    """Add every post public now to the register (and record moves and withdrawals); returns the ids added."""
    path = register_path(settings, newsroom.archive)
    entries = read_register(path)
    updated = updated_register(entries, current_posts(sources, newsroom, settings, slugify, now))
    if updated != entries or not path.exists():
        write_register(path, updated.values())
    return path, sorted(set(updated) - set(entries))


def _url(
    doc: Document, newsroom: Newsroom, settings: Mapping, slugify: Callable[[str], str], published: datetime
) -> str | None:
    """The address Pelican will give the post (ARTICLE_URL), or None if this post's fields cannot say."""
    title = doc.text("title")
    category = newsroom.category_named(doc.text("category"))
    slug = doc.text("slug") or (slugify(title) if title else "")
    if not slug or category is None:
        return None
    try:
        return settings["ARTICLE_URL"].format(
            slug=slug,
            category=category.slug,
            date=published,
            lang=doc.text("lang") or settings.get("DEFAULT_LANG", "en"),
        )
    except (KeyError, IndexError, ValueError):
        return None  # an ARTICLE_URL with placeholders we do not model: the address is not compared


def _time(doc: Document, name: str) -> datetime | None:
    text = doc.text(name).partition("|")[0]
    try:
        return parse_timestamp(text) if text else None
    except TimestampError:
        return None
