"""Finding the post files Pelican will read, so the checks see exactly the posts the build will."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from pelican.utils import slugify

from .archive_check import archive_problems, update_register
from .checks import Problem, Source, check_posts
from .settings import Newsroom

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
OTHER_READER_EXTENSIONS = (".rst", ".html", ".htm")


def post_sources(settings: Mapping) -> tuple[list[Source], list[Problem]]:
    """Every Markdown post under ARTICLE_PATHS, and a problem for each post in a format we do not check."""
    content_root = Path(settings["PATH"])
    excluded = [content_root / path for path in [*settings["ARTICLE_EXCLUDES"], *settings["PAGE_PATHS"]]]
    # One regex for every pattern (fnmatch.fnmatch would look each pattern up again for each of 5,000 files).
    patterns = [fnmatch.translate(pattern) for pattern in settings.get("IGNORE_FILES", ["**/.*"])]
    ignored = re.compile("|".join(patterns) or "(?!)")  # (?!) matches nothing: no pattern ignores no file
    # Resolved once: resolving each of 5,000 paths (a stat per folder level) was a fifth of the checks' time.
    shown_root = _shown(content_root)
    root = os.path.join(str(content_root), "")
    sources, problems = [], []
    # Plain strings and os.path below, not Path objects: this loop runs for every post of every build.
    for article_path in settings["ARTICLE_PATHS"]:
        for directory, subdirectories, files in os.walk(content_root / article_path):
            here = Path(directory)
            subdirectories[:] = sorted(d for d in subdirectories if here / d not in excluded and not d.startswith("."))
            folder = os.path.join(directory, "")[len(root) :].replace(os.sep, "/")
            for name in sorted(files):
                if name.startswith(".") or ignored.match(os.path.normcase(name)):
                    continue
                relative = folder + name
                shown = f"{shown_root}/{relative}" if shown_root != "." else relative
                suffix = os.path.splitext(name)[1]
                if suffix in MARKDOWN_EXTENSIONS:
                    try:
                        with open(os.path.join(directory, name), encoding="utf-8") as handle:
                            sources.append(Source(shown, relative, handle.read()))
                    except UnicodeDecodeError as error:
                        problems.append(
                            Problem(
                                shown,
                                1,
                                "file",
                                f"is not UTF-8 text ({error.reason} at byte "
                                f"{error.start}; expected the file saved as UTF-8)",
                            )
                        )
                elif suffix in OTHER_READER_EXTENSIONS:
                    problems.append(
                        Problem(shown, 1, "file", f"posts must be Markdown (expected a .md file, found {suffix!r})")
                    )
    return sources, problems


def _shown(path: Path) -> str:
    """The path as the person running the command should see it: relative to where they are."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _slugifier(settings: Mapping):
    def slug_of(title: str) -> str:
        return slugify(
            title,
            regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )

    return slug_of


def register_published(settings: Mapping, newsroom: Newsroom) -> tuple[Path, list[str]]:
    """`invoke register`: record every post public now in the archive register; returns it and the ids added."""
    sources, _ = post_sources(settings)
    now = newsroom.now or datetime.now(UTC)
    return update_register(sources, newsroom, settings, _slugifier(settings), now)


def check_content(settings: Mapping, newsroom: Newsroom) -> list[Problem]:
    """Run every content check on every post the build would read, as of the newsroom's clock."""
    sources, problems = post_sources(settings)
    slug_of = _slugifier(settings)
    now = newsroom.now or datetime.now(UTC)
    problems += check_posts(sources, newsroom, Path(settings["PATH"]), slug_of, now)
    # Published posts are never silently removed: compare with the register of what has been public.
    problems += archive_problems(sources, newsroom, settings, slug_of, now, _shown)
    return sorted(problems)
