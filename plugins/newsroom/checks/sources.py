"""The files a build may read: every file under content/ and the theme, looked at once, before anything reads them.

Only regular files inside the project are ever opened. A symbolic link (to /proc/self/environ, to a key elsewhere
on the build machine, or to another file of the project), a FIFO or a device is refused by name, and so is a file
that no reader handles: nothing is read from outside the repository, and nothing is silently left out. An image
or download of a kind a browser would run (publishable_files.py) is refused by name too, and so is a file whose
name differs from another's only in case or in the encoding of accents (one file on macOS and Windows). A git
submodule under content/ is refused by name (submodules.py), and nothing inside it is read.

A post or page is then opened only as the walk saw it, a regular file reached through no link
(kit/regular_files.py): one deleted, or swapped for a link or a FIFO, since the walk is refused by name too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path

from pelican.utils import slugify

from newsroom.checks.archive import update_register
from newsroom.checks.remembered_facts import RememberedFacts
from newsroom.checks.rules import Problem, Source
from newsroom.checks.submodules import SUBMODULE_PROBLEM, submodules_under
from newsroom.kit.regular_files import read_content_text, why_unreadable
from newsroom.model import publishable_files
from newsroom.model.classification import PostFacts, as_of, classify_page, describe_file
from newsroom.model.content_files import (
    MARKDOWN_EXTENSIONS,
    folder_prefixes,
    ignored_names,
    is_ignored,
    is_static_place,
    walked_folders,
)
from newsroom.model.file_names import as_one_name
from newsroom.model.frontmatter import Document, parse_document
from newsroom.model.lfs_pointers import POINTER_START, pointer_problem
from newsroom.model.settings import Newsroom
from newsroom.model.text_bounds import first_excess

BOM = "\ufeff"


def _undecodable(relative: str) -> str | None:
    """None for a path the file system gave as UTF-8 text; else the path, printable, its other bytes as \\x..
    (Python keeps them as lone surrogates, which no file, page or terminal can write)."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def walk_content(settings: Mapping) -> tuple[list[str], list[str], list[Problem]]:
    """Every Markdown post under ARTICLE_PATHS and page under PAGE_PATHS (as paths under content/), and a problem
    for every file in content/ or the theme that is not a regular file, or that no reader or static path handles."""
    content_root = Path(settings["PATH"])
    shown_root = shown_path(content_root)
    ignored, walked = ignored_names(settings), walked_folders(settings)
    articles = folder_prefixes(settings["ARTICLE_PATHS"])
    pages = folder_prefixes(settings.get("PAGE_PATHS", ()))
    not_articles = folder_prefixes(settings.get("ARTICLE_EXCLUDES", ()))
    posts, pages_found, problems = [], [], []
    names: dict[str, str] = {}  # as_one_name(path) -> the first path under content/ with that name

    def shown(relative: str) -> str:
        return f"{shown_root}/{relative}" if shown_root != "." else relative

    submodules = submodules_under(content_root)
    problems += [Problem(shown(submodule), 1, "file", SUBMODULE_PROBLEM) for submodule in submodules]
    inside_submodules = tuple(f"{submodule}/" for submodule in submodules)
    for relative, mode in _entries(content_root):
        if relative in submodules or relative.startswith(inside_submodules):
            continue  # another repository's files, refused above as one
        if (readable := _undecodable(relative)) is not None:
            problems.append(
                Problem(
                    shown(readable),
                    1,
                    "file",
                    "its name is not UTF-8 text (the bytes shown as \\x..), which pages, feeds and addresses cannot "
                    "hold (expected the file renamed, e.g. with the accent retyped)",
                )
            )
            continue
        problem = _unsafe(mode)
        if problem:
            problems.append(Problem(shown(relative), 1, "file", problem))
            continue
        if stat.S_ISDIR(mode):
            continue
        # Exactly what Pelican leaves out, no more: a file the checks skipped but Pelican read would be published
        # unchecked (a `.chart.svg` with a script, a `.teaser.md` page).
        if is_ignored(relative, ignored, walked):
            continue
        name = relative.rsplit("/", 1)[-1]
        twin = names.setdefault(as_one_name(relative), relative)
        if twin != relative:
            problems.append(Problem(shown(relative), 1, "file", _twin(shown(twin))))
            continue
        where = relative + "/"
        if is_static_place(relative, settings):
            # An image or download: copied only if something public refers to it, and only if it is of a kind
            # a browser shows or saves (whether anything refers to it yet or not).
            problems += [
                Problem(shown(relative), 1, "file", why)
                for why in publishable_files.problems_of_file(content_root / relative)
            ]
            continue
        suffix = os.path.splitext(name)[1]  # as Pelican matches it: "x.MD" is not read
        if suffix in MARKDOWN_EXTENSIONS and where.startswith(articles) and not where.startswith(not_articles):
            posts.append(relative)
        elif suffix in MARKDOWN_EXTENSIONS and where.startswith(pages):
            pages_found.append(relative)
        else:
            problems.append(Problem(shown(relative), 1, "file", _not_read(suffix, settings)))
    theme = Path(settings.get("THEME", ""))
    if theme.is_dir():
        for relative, mode in _entries(theme):
            problem = _unsafe(mode)
            if problem:
                problems.append(Problem(shown_path(theme / relative), 1, "file", problem))
    return sorted(posts), sorted(pages_found), problems


def _entries(root: Path):
    """(path under `root`, lstat mode) for everything below `root`, never following a link."""
    for directory, subdirectories, files in os.walk(root, followlinks=False):
        folder = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in sorted([*subdirectories, *files]):
            yield prefix + name, os.lstat(os.path.join(directory, name)).st_mode
        # os.walk lists a link to a folder among the folders but does not enter it (followlinks=False).
        subdirectories[:] = sorted(d for d in subdirectories if not os.path.islink(os.path.join(directory, d)))


def _unsafe(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return (
            "is a symbolic link (expected a regular file inside the repository: copy the file in instead; "
            "a link could publish any file of the build machine)"
        )
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not a regular file (a FIFO, socket or device; expected a regular file: remove it)"
    return ""


def _twin(other: str) -> str:
    return (
        f"has the same name as {other} but for case or the encoding of accents: on macOS, Windows and some hosts "
        "they are one file, and a checkout there holds either, so one could be published as the other "
        "(expected names that differ in more than that: rename one)"
    )


def _not_read(suffix: str, settings: Mapping) -> str:
    articles = ", ".join(f"{p}/" for p in settings["ARTICLE_PATHS"])
    statics = ", ".join(f"{p}/" for p in settings.get("STATIC_PATHS", ())) or "none"
    if suffix in MARKDOWN_EXTENSIONS:
        return f"is outside {articles} and the pages, so it would never be published (expected it under {articles})"
    return (
        f"no reader handles {suffix or 'files without an extension'!r} here, so it would be silently left out "
        f"(expected a Markdown post (.md) under {articles}, or an image or download under {statics})"
    )


def read_posts(settings: Mapping, *, pages: bool = False) -> tuple[list[Source], list[Problem]]:
    """Every post's (or page's) text, a UTF-8 byte-order mark removed as Pelican does, and the problems found
    on the way (those of the whole walk: ask for the posts first)."""
    posts, page_files, problems = walk_content(settings)
    sources, shown_root = [], shown_path(Path(settings["PATH"]))
    for relative in page_files if pages else posts:
        read = read_source(settings, relative, shown_root)
        (sources if isinstance(read, Source) else problems).append(read)
    return sources, problems


def read_source(settings: Mapping, relative: str, shown_root: str | None = None) -> Source | Problem:
    """The post or page at `relative` under content/, read as read_posts reads it, or why it cannot be read.
    A file out of the bounds of text_bounds.py is a problem too, as nothing can check it in good time, and so is a
    Git LFS pointer checked out in the post's place (lfs_pointers.py).
    `shown_root`: content/ as messages show it (shown_path), when the caller has it at hand."""
    content_root = Path(settings["PATH"])
    shown_root = shown_root or shown_path(content_root)
    shown = f"{shown_root}/{relative}" if shown_root != "." else relative
    try:
        # Opened as the walk saw it, whatever it became since (kit/regular_files.py): no link, FIFO or device.
        text = read_content_text(content_root, relative)
    except OSError as error:  # deleted, or swapped for a link, a FIFO or a device, since the walk
        return Problem(shown, 1, "file", unreadable(error, shown_root))
    except UnicodeDecodeError as error:
        return Problem(
            shown,
            1,
            "file",
            f"is not UTF-8 text ({error.reason} at byte {error.start}; expected the file saved as UTF-8)",
        )
    # A pointer (ASCII text) in the post's place has no header: say what it is before anything reads it as a post.
    if (pointer := pointer_problem(text[: len(POINTER_START)].encode())) is not None:
        return Problem(shown, 1, "file", pointer)
    text = text.removeprefix(BOM)
    # Measured before anything else reads it (text_bounds.py): past a bound, checking it would take hours.
    if (excess := first_excess(text)) is not None:
        return Problem(shown, excess.line, excess.field, excess.message)
    return Source(shown, relative, text)


def unreadable(error: OSError, shown_root: str) -> str:
    """Why a post or page could not be read (read_content_file's `error`), and the fix."""
    inside = f"{shown_root}/" if shown_root != "." else "the content folder"
    return (
        f"could not be read: {why_unreadable(error)} (expected a regular file inside {inside}, left as it is "
        "while the checks and the build run; check or build again)"
    )


def shown_path(path: Path) -> str:
    """The path as the person running the command should see it: relative to where they are."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def slugifier(settings: Mapping) -> Callable[[str], str]:
    """Pelican's slug of a title under these settings, each title's worked out once: the checks ask for a post's
    slug four times (its address, its draft address, its file, its uniqueness), and Pelican's slugify (Unicode
    normalisation, transliteration, a dozen substitutions) was a fifth of the checks' own time."""

    @cache
    def slug_of(title: str) -> str:
        return slugify(
            title,
            regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )

    return slug_of


def classified_posts(
    settings: Mapping, newsroom: Newsroom, now: datetime | None = None, remembered: RememberedFacts | None = None
) -> tuple[list[tuple[Source, Document, PostFacts]], list[Problem]]:
    """Every post, its header and body, and its one classification as of the newsroom's clock; and the problems
    met reading them. `remembered` knows what an earlier build found in each file (remembered_facts.py); the
    clock's part of the classification is worked out on every call."""
    sources, problems = read_posts(settings)
    return list(classify_posts(sources, settings, newsroom, now, remembered)), problems


def classify_posts(
    sources: Iterable[Source],
    settings: Mapping,
    newsroom: Newsroom,
    now: datetime | None = None,
    remembered: RememberedFacts | None = None,
    slug_of: Callable[[str], str] | None = None,
) -> Iterator[tuple[Source, Document, PostFacts]]:
    """Each post read (read_posts), its header and body, and its one classification (as classified_posts), one
    post at a time as `sources` gives them; `slug_of`: the caller's slugifier, when it has one."""
    slug_of = slug_of or slugifier(settings)
    now = now or newsroom.now or datetime.now(UTC)
    remembered = remembered or RememberedFacts(None)
    for source in sources:
        doc = parse_document(source.text)
        path = source.content_relative
        facts = remembered.facts(path, source.text, partial(describe_file, doc, path, newsroom, settings, slug_of))
        yield source, doc, as_of(facts, doc, newsroom, now)


def classified_pages(
    sources: list[Source], settings: Mapping, newsroom: Newsroom
) -> list[tuple[Source, Document, PostFacts]]:
    """Every page (content/pages), its header and body, and its one classification."""
    slug_of = slugifier(settings)
    pages = []
    for source in sources:
        doc = parse_document(source.text)
        pages.append((source, doc, classify_page(doc, source.content_relative, newsroom, settings, slug_of)))
    return pages


def register_published(settings: Mapping, newsroom: Newsroom) -> tuple[Path, list[str]]:
    """`invoke register`: record every post public now in the archive register; returns it and the ids added."""
    posts, _ = classified_posts(settings, newsroom)
    return update_register([facts for _, _, facts in posts], newsroom, settings)
