"""Which files of content/ Pelican reads, and which it may publish as images and downloads: the one rule the checks
and the build share.

Pelican copies whatever file a post links with {static} or {attach}, wherever it lies: outside content/ (a
`{attach}/../secret.txt` beside the repository's settings), among the posts' own Markdown sources (a draft's
whole text), or under a name its IGNORE_FILES leaves out, which the checks therefore never read. So a file may be
published only if it is one the checks read and allowed: under a STATIC_PATHS folder that is not also a folder of
posts or pages, with no part of its path left out by IGNORE_FILES. The checks refuse a link to any other file
(checks/rules.py), and the build refuses to copy one should it reach Pelican all the same (site/plugin.py), so
what is published never depends on a link having been read the way Pelican reads it.

IGNORE_FILES is read as Pelican reads it: each pattern matched (fnmatch) against the name of the file and of each
folder below the settings' folder Pelican walks it from (that folder itself, "posts" or "images", is never matched).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Iterable, Mapping

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")  # what Pelican's Markdown reader reads
PELICAN_IGNORE_FILES = ["**/.*"]  # Pelican's default; matched against a bare name, it leaves out nothing


def ignored_names(settings: Mapping) -> re.Pattern:
    """One pattern for every IGNORE_FILES pattern, matched against a file's or folder's name (fnmatch.fnmatch
    would look each pattern up again for each of 5,000 files)."""
    patterns = [fnmatch.translate(pattern) for pattern in settings.get("IGNORE_FILES", PELICAN_IGNORE_FILES)]
    return re.compile("|".join(patterns) or "(?!)")  # (?!) matches nothing: no pattern ignores no file


def walked_folders(settings: Mapping) -> tuple[str, ...]:
    """The folders Pelican walks for posts, pages and static files, as prefixes, longest first."""
    folders = ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS")
    return tuple(sorted(folder_prefixes(p for name in folders for p in settings.get(name, ())), key=len, reverse=True))


def is_ignored(relative: str, ignored: re.Pattern, walked: tuple[str, ...]) -> bool:
    """Whether Pelican leaves out the file at `relative` (under content/) when it walks the `walked` folders: its
    name, or a folder on its way below the walked folder it lies in, matches IGNORE_FILES."""
    below = next((len(folder) for folder in walked if relative.startswith(folder)), 0)
    return any(ignored.match(os.path.normcase(part)) for part in relative[below:].split("/"))


def folder_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    """Settings' folders (ARTICLE_PATHS, STATIC_PATHS…) as prefixes of paths under content/: "images/"."""
    return tuple(f"{path.strip('/')}/" for path in paths if path.strip("/"))


def is_source_place(relative: str, settings: Mapping) -> bool:
    """Whether `relative` (under content/) lies in a folder of posts (ARTICLE_PATHS) or pages (PAGE_PATHS)."""
    return (relative + "/").startswith(folder_prefixes((*settings["ARTICLE_PATHS"], *settings.get("PAGE_PATHS", ()))))


def is_static_place(relative: str, settings: Mapping) -> bool:
    """Whether `relative` (under content/) lies in a STATIC_PATHS folder and in no folder of posts or pages."""
    static = folder_prefixes(settings.get("STATIC_PATHS", ()))
    return (relative + "/").startswith(static) and not is_source_place(relative, settings)


def static_source_problem(relative: str, settings: Mapping) -> str | None:
    """Why the file at `relative` (its path under content/ as a link names it, perhaps "../x" or
    "images/.chart.svg") may not be published as an image or download; None when it may."""
    normal = posixpath.normpath(relative.replace("\\", "/"))
    folders = " or ".join(f"content/{prefix}" for prefix in folder_prefixes(settings.get("STATIC_PATHS", ())))
    expected = f"expected a file under {folders or 'a STATIC_PATHS folder (there is none)'}"
    if normal == ".." or normal.startswith("../") or posixpath.isabs(normal):
        return f"is outside content/ ({expected})"
    if not is_static_place(normal, settings):
        return f"is not an image or download ({expected}; a post or page is linked with {{filename}})"
    if is_ignored(normal, ignored_names(settings), walked_folders(settings)):
        patterns = ", ".join(repr(p) for p in settings.get("IGNORE_FILES", PELICAN_IGNORE_FILES))
        return (
            f"has a name IGNORE_FILES ({patterns}) leaves out, so the checks never read it ({expected}, "
            "named so that no pattern matches: rename it)"
        )
    return None
