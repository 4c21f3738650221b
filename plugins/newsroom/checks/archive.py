"""The archive's rules applied to the content: each post's id, address and state, compared with the register."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

from newsroom.checks.register_history import HISTORY_FILE, RegisterHistoryUnreadable, ids_ever_committed
from newsroom.checks.rules import Problem
from newsroom.kit.content_cache import kept_file
from newsroom.model.archive import (
    CurrentPost,
    RegisterError,
    read_register,
    register_path,
    removal_problems,
    updated_register,
    write_register,
)
from newsroom.model.classification import PostFacts
from newsroom.model.settings import Newsroom
from newsroom.model.visibility import Visibility


def current_posts(facts: Iterable[PostFacts]) -> list[CurrentPost]:
    """Every post with a readable date, as the editions see it now."""
    return [
        CurrentPost(
            id=post.id,
            path=post.path,
            url=None if post.visibility == Visibility.DRAFT else post.url,  # a draft's address is not its own
            published=post.published,
            withdrawn=post.withdrawn,
            public=post.public,
            internal=post.visibility == Visibility.INTERNAL,
        )
        for post in facts
        if post.published is not None  # the content checks report an unreadable date
    ]


def archive_problems(
    facts: Iterable[PostFacts],
    newsroom: Newsroom,
    settings: Mapping,
    now: datetime,
    shown: Callable[[Path], str],
) -> list[Problem]:
    """A problem for every registered post that was deleted, changed its id or moved its address, and for every
    line the register has ever had in the repository's history that it no longer has."""
    path = register_path(settings, newsroom.archive)
    try:
        entries = read_register(path)
    except RegisterError as error:
        return [Problem(shown(path), 1, "register", str(error))]
    problems = []
    try:
        removed = removed_since_committed(path, entries, kept_file(settings, HISTORY_FILE))
    except RegisterHistoryUnreadable as error:  # never a pass: the history is what shows a line was removed
        removed = []
        problems.append(Problem(shown(path), 1, "register", _unreadable_history(error)))
    problems += [
        Problem(
            shown(path),
            1,
            "register",
            f"the line for {post_id!r} was removed (committed in {commit}; "
            "expected every line ever committed to stay: restore it, and withdraw the post instead)",
        )
        for post_id, commit in removed
    ]
    if not entries:
        return problems
    posts = current_posts(facts)
    content_root = Path(settings["PATH"])
    return problems + [
        Problem(shown(content_root / relative), 1, field, message)
        for relative, field, message in removal_problems(
            entries, posts, newsroom.archive.retention_years, now, newsroom.languages.default.code
        )
    ]


def _unreadable_history(error: RegisterHistoryUnreadable) -> str:
    return (
        f"its history in git could not be read ({error}), so a line removed in an earlier commit would go unseen "
        "(expected a repository git can read: run `git fsck`, or check the repository out again, and check again)"
    )


def update_register(facts: Iterable[PostFacts], newsroom: Newsroom, settings: Mapping) -> tuple[Path, list[str]]:
    """Add every post published now (public or internal) to the register, and record moves, withdrawals and
    internal posts made public; returns the ids added."""
    path = register_path(settings, newsroom.archive)
    entries = read_register(path)
    updated = updated_register(entries, current_posts(facts))
    if updated != entries or not path.exists():
        write_register(path, updated.values())
    return path, sorted(set(updated) - set(entries))


def removed_since_committed(path: Path, entries: Mapping, kept: Path | None = None) -> list[tuple[str, str]]:
    """(post id, abbreviated commit) for every post id that a committed version of the register held and the file
    on disk no longer holds, with the first commit whose version held it (register_history.py; `kept`: where the
    ids found are kept for the next run)."""
    ever = ids_ever_committed(path, kept)
    return sorted((post_id, commit) for post_id, commit in ever.items() if post_id not in entries)
