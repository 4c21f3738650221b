"""The archive's rules applied to the content: each post's id, address and state, compared with the register."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

from newsroom.checks.rules import Problem
from newsroom.kit.git import git_command
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
    problems = [
        Problem(
            shown(path),
            1,
            "register",
            f"the line for {post_id!r} was removed (committed in {commit}; "
            "expected every line ever committed to stay: restore it, and withdraw the post instead)",
        )
        for post_id, commit in removed_since_committed(path, entries)
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


def update_register(facts: Iterable[PostFacts], newsroom: Newsroom, settings: Mapping) -> tuple[Path, list[str]]:
    """Add every post published now (public or internal) to the register, and record moves, withdrawals and
    internal posts made public; returns the ids added."""
    path = register_path(settings, newsroom.archive)
    entries = read_register(path)
    updated = updated_register(entries, current_posts(facts))
    if updated != entries or not path.exists():
        write_register(path, updated.values())
    return path, sorted(set(updated) - set(entries))


def removed_since_committed(path: Path, entries: Mapping) -> list[tuple[str, str]]:
    """(post id, abbreviated commit) for every post id that a committed version of the register held and the file
    on disk no longer holds, with the first commit whose version held it. Review alone would let a post and its
    line be deleted in one pull request; git's history of the file is what makes the register append-only in fact.
    Outside a git repository there is no history, and nothing to compare. A shallow clone has only part of it, and
    is compared with what it has: no site is published from one (publishing/source.py refuses it), and a pull
    request's checks run on the whole history (the workflows fetch it all).

    Each version is read as git stores it (its blob), never as a diff: a `.gitattributes` that marks the file
    `-diff` or `binary` changes what `git log -p` prints, not what a version holds. A version that is not all
    UTF-8 JSON lines (a hand edit since repaired) gives the ids of the lines that can be read."""
    folder = next(parent for parent in path.parents if parent.is_dir())  # the register's own may be gone too
    try:
        prefix = _git_text(folder, "rev-parse", "--show-prefix").split("\n")[0]
    except (OSError, subprocess.CalledProcessError):
        return []  # not a git repository (or no git): no history to compare with
    name = prefix + path.relative_to(folder).as_posix()
    first_held: dict[str, str] = {}
    read: set[bytes] = set()  # each line once, however many versions hold it: the cost is the lines ever written
    try:
        log = _git_text(folder, "log", "--full-history", "--format=%H %h", "--", f":(literal,top){name}")
        commits = [line.split(" ") for line in reversed(log.splitlines())]  # oldest first: where each came in
        for (_, short), version in zip(
            commits, _versions(folder, [f"{full}:{name}" for full, _ in commits]), strict=True
        ):
            for line in set(version.splitlines()) - read:
                read.add(line)
                if (post_id := _id_of(line)) is not None:
                    first_held.setdefault(post_id, short)
    except (OSError, subprocess.CalledProcessError, ValueError):  # a damaged repository: as good as none
        return []
    return sorted((post_id, commit) for post_id, commit in first_held.items() if post_id not in entries)


def _git_text(folder: Path, *args: str) -> str:
    done = subprocess.run(git_command(*args), cwd=folder, capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def _versions(folder: Path, objects: list[str]) -> Iterator[bytes]:
    """The bytes of each `<commit>:<path>`, in order, from one `git cat-file --batch` (empty where the commit has
    no such file: the commit that deleted it). The requests go in from a file, so however many versions there are,
    git never waits on a full pipe while this waits on git; each version is read as it is needed."""
    with tempfile.TemporaryFile() as requests:
        requests.write("".join(f"{name}\n" for name in objects).encode())
        requests.seek(0)
        with subprocess.Popen(
            git_command("cat-file", "--batch"), cwd=folder, stdin=requests, stdout=subprocess.PIPE
        ) as process:
            for _ in objects:
                answer = process.stdout.readline().split()  # "<object> <type> <size>", or "<name> missing"
                data = process.stdout.read(int(answer[2]) + 1)[:-1] if len(answer) == 3 else b""  # then a newline
                yield data if answer[1:2] == [b"blob"] else b""  # a folder of that name in some commit holds no lines


def _id_of(line: bytes) -> str | None:
    """The id a register line holds, or None for a line that is not a JSON object with one. A byte that is not
    UTF-8 is read as U+FFFD: the rest of the line, its id most often, is still read."""
    try:
        return str(json.loads(line.decode("utf-8", errors="replace"))["id"])
    except (ValueError, TypeError, KeyError):
        return None
