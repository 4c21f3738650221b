"""`invoke new`: a new post with every field filled in, ready to pass the checks as a draft.

It passes them by construction: the post is put through the checks' own rules for a post's header (rules.py), beside
the posts already written, before anything is written, and a title they would refuse is refused here, in their
words. A title is one line of visible text: a line end in it would end the Title field and start another, so it is
refused, never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from newsroom.checks.rules import PLACEHOLDERS, Source, check_new_post, hidden_character_problem
from newsroom.checks.sources import read_posts, shown_path, slugifier
from newsroom.kit.errors import NewsroomError, clipped
from newsroom.model.dates import format_timestamp
from newsroom.model.frontmatter import parse_document
from newsroom.model.settings import Newsroom


class ScaffoldError(NewsroomError, ValueError):
    """The request names an audience or category the newsroom does not have, or a title the checks would refuse."""


def scaffold_post(
    title: str, audiences: tuple[str, ...], category: str, now: datetime, newsroom: Newsroom, slug: str
) -> tuple[str, str]:
    """Return (path under content/, text) for a new draft post."""
    unknown = [name for name in audiences if name not in newsroom.audience_by_slug]
    if unknown or not audiences:
        raise ScaffoldError(
            f"--audience: {', '.join(unknown) or 'nothing'!s} is not an audience "
            f"(expected one or more of: {', '.join(newsroom.audience_by_slug)}, comma-separated)"
        )
    kind = newsroom.category_named(category)
    if kind is None:
        raise ScaffoldError(
            f"--category: {category!r} is not a category "
            f"(expected one of: {', '.join(c.slug for c in newsroom.categories)})"
        )
    if not slug:
        raise ScaffoldError(f"title: {title!r} gives no usable slug (expected a title with letters or digits)")
    when = now.replace(second=0, microsecond=0)
    post_id = f"{when:%Y-%m-%d}-{slug}"
    contacts = newsroom.contacts_for(audiences)
    lines = [
        f"Title: {title}",
        f"Id: {post_id}",
        f"Date: {format_timestamp(when)}",
        f"Audience: {', '.join(audiences)}",
        f"Category: {kind.name}",
        f"Tags: {kind.name.lower()}",
        f"Summary: {PLACEHOLDERS['summary']}",
    ]
    if contacts:
        lines.append(f"Contact: {', '.join(contact.key for contact in contacts)}")
    lines += [
        f"Slug: {slug}",
        "Status: draft",
        "",
        f"{PLACEHOLDERS['body']}, in two or three sentences.",
        "",
        "## Details",
        "",
        "Add the supporting facts, figures and a quote. Set `Status: published` (or delete the",
        "Status line) when the post is approved; a `Date` in the future embargoes it until then.",
        "",
    ]
    return f"posts/{when:%Y}/{post_id}.md", "\n".join(lines)


def create_post(
    settings: Mapping, title: str, audiences: tuple[str, ...], category: str, now: datetime, newsroom: Newsroom
) -> Path:
    """Write a new draft post under content/ (scaffold_post) and return its path, once the checks' rules for a
    post's header find nothing wrong with it (refused_by_the_checks); an existing file is never overwritten."""
    if (hidden := hidden_character_problem(title)) is not None:  # before the text: a line end would add fields
        raise ScaffoldError(f"title: {hidden}")
    slug_of = slugifier(settings)
    relative, text = scaffold_post(title, audiences, category, now, newsroom, slug_of(title))
    content = Path(settings["PATH"])
    path = content / relative
    problems = refused_by_the_checks(settings, relative, text, newsroom, now)
    if problems:
        raise ScaffoldError("\n".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # exclusive: a post written meanwhile is never replaced
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists (expected a new title, or edit that file)") from None
    return path


def refused_by_the_checks(settings: Mapping, relative: str, text: str, newsroom: Newsroom, now: datetime) -> list[str]:
    """What the checks would refuse in the post `text`, to be written at `relative` under content/, beside the
    posts there now: one line each, naming the field."""
    slug_of = slugifier(settings)
    shown_root = shown_path(Path(settings["PATH"]))
    source = Source(f"{shown_root}/{relative}", relative, text)
    existing, _ = read_posts(settings)  # a file the checks cannot read is theirs to report, not the scaffold's
    posts = [(other, parse_document(other.text).without_body()) for other in existing]
    doc = parse_document(text)
    problems = check_new_post(source, doc, posts, newsroom, settings, slug_of, now)
    title = doc.text("title")
    return [
        f"{problem.field}: {problem.message}"
        if problem.field == "title"
        else f"title {clipped(title)!r} makes a post the checks refuse: {problem.field}: {problem.message}"
        for problem in problems
    ]
