"""`invoke new`: a new post with every field filled in, ready to pass the checks as a draft."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.model.dates import format_timestamp
from newsroom.model.settings import Newsroom

# The texts `invoke new` writes for the author to replace; the checks refuse them in any post that is not a draft.
PLACEHOLDERS = {
    "summary": "One or two plain-text sentences that say what happened and why it matters.",
    "body": "Write the lead paragraph here: who, what, when, where and why",
}


class ScaffoldError(NewsroomError, ValueError):
    """The request names an audience or category the newsroom does not have."""


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
    content: Path, title: str, audiences: tuple[str, ...], category: str, now: datetime, newsroom: Newsroom, slug: str
) -> Path:
    """Write a new draft post under the `content` folder (scaffold_post) and return its path; an existing file
    is never overwritten."""
    relative, text = scaffold_post(title, audiences, category, now, newsroom, slug)
    path = content / relative
    if path.exists():
        raise ScaffoldError(f"{path} already exists (expected a new title, or edit that file)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
