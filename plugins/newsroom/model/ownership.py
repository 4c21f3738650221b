"""Why each file of an edition is there: the allowlist that keeps everything else out of the output.

Every output file must be owned by something the edition publishes: a post or page, a listing, a feed, the search
index, a theme asset, or a static file that one of those refers to (or that the press kit lists). The build
records the owner of each file in `.newsroom/owners.json` as "kind: detail" (e.g. "post: 2026-10-29-q3-results",
"linked file: from posts/2026/q3.md"); `verify` refuses any file without one.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Collection, Mapping
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsroom.model.feed_catalogue import FEEDS_DIR

OUTPUT_OWNERS = "newsroom_output_owners"  # where the build collects them (a lower-case key: not a setting)
OWNERS_PATH = ".newsroom/owners.json"
SEARCH_INDEX_DIR = "pagefind"  # written after Pelican by `invoke build`; owned as a whole by the search index

# Each name begins a word (as \b would say), written as a letter then "not after a word character": a pattern
# that opens with a letter lets the regex engine skip to that letter, while one that opens with \b is tried at
# every character of every post (0.45 s of a 5,000-post build).
_ADDRESS = re.compile(r"""(?:h(?<!\wh)ref|s(?<!\ws)rc|p(?<!\wp)oster)\s*=\s*"([^"]*)\"""")
_SRCSET = re.compile(r"""s(?<!\ws)rcset\s*=\s*"([^"]*)\"""")

# Pelican's generators keep what an edition writes under these context keys (drafts and hidden posts only when
# NEWSROOM_PREVIEW_DRAFTS keeps them: the newsroom plugin empties these lists otherwise).
WRITTEN_ITEMS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")

# The kinds of owner of a file copied from content/ as it is (everything else in an edition the build wrote
# itself): verify holds each such file to the allowlist of kinds a browser shows or saves (publishable_files).
PRESS_KIT, COMPANY_LOGO, FEED_LOGO = "press kit", "company logo", "feed logo"
LEAD_IMAGE, LINKED_FILE = "lead image", "linked file"
COPIED_KINDS = frozenset({PRESS_KIT, COMPANY_LOGO, FEED_LOGO, LEAD_IMAGE, LINKED_FILE})


def static_file_owners(context: Mapping, settings: Mapping) -> dict[str, str]:
    """{output path: owner} for every image or download this edition may copy."""
    siteurl = settings.get("SITEURL", "")
    owners = settings_file_owners(settings)
    for item in _written_items(context):
        # The owner names the item's source file, but only a file's first owner is kept: Pelican's
        # get_relative_source_path (a relpath) is asked only then, not for each of thousands of posts.
        lead = getattr(item, "lead_image", None)
        if lead is not None and lead.path not in owners:
            owners[lead.path] = f"{LEAD_IMAGE}: of {item.get_relative_source_path()}"
        for address in referenced_addresses(item.content):
            if address.endswith("/") or address.startswith(("#", "mailto:", "tel:")):
                continue  # a page, an anchor or not an address in the site: never a static file
            path = output_path(address, item.url, siteurl)
            if path and path not in owners:
                owners[path] = f"{LINKED_FILE}: from {item.get_relative_source_path()}"
    return owners


def settings_file_owners(settings: Mapping) -> dict[str, str]:
    """{output path: owner} for the images and downloads the settings publish, whatever the posts say."""
    newsroom = settings["NEWSROOM"]
    owners: dict[str, str] = {}
    for download in newsroom.downloads:
        owners.setdefault(download.path.lstrip("/"), f"{PRESS_KIT}: NEWSROOM_PRESS_KIT")
    if newsroom.company.logo and "://" not in newsroom.company.logo:
        owners.setdefault(newsroom.company.logo.lstrip("/"), f"{COMPANY_LOGO}: NEWSROOM_COMPANY")
    if newsroom.feeds.image:
        owners.setdefault(newsroom.feeds.image.lstrip("/"), f"{FEED_LOGO}: NEWSROOM_FEEDS")
    return owners


def _written_items(context: Mapping):
    seen = set()
    for key in WRITTEN_ITEMS:
        for item in context.get(key, ()):
            for each in (item, *getattr(item, "translations", ())):
                if id(each) not in seen:
                    seen.add(id(each))
                    yield each


def referenced_addresses(html: str) -> list[str]:
    """Every address a rendered (sanitised, so double-quoted) body refers to."""
    found = [unescape(match) for match in _ADDRESS.findall(html)]
    for value in _SRCSET.findall(html):
        found += [candidate.strip().split(" ")[0] for candidate in unescape(value).split(",") if candidate.strip()]
    return found


def output_path(address: str, page_url: str, siteurl: str) -> str | None:
    """The output file an address on the page at `page_url` names, or None for another site."""
    address = address.strip()
    if siteurl and address.startswith(siteurl.rstrip("/") + "/"):
        address = "/" + address[len(siteurl.rstrip("/")) + 1 :]
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = (
        path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(page_url.rstrip("/") + "/x"), path)
    )
    normal = posixpath.normpath(joined).lstrip("/")
    if normal.startswith("..") or normal in ("", "."):
        return None
    return normal + "/index.html" if path.endswith("/") else normal


def page_owner(context: Mapping) -> str:
    """The owner of a page Pelican writes, from the context it was written with."""
    item = context.get("article") or context.get("page")
    if item is not None:
        post_id = getattr(item, "post_id", None)
        return f"post: {post_id}" if post_id else f"page: {item.get_relative_source_path()}"
    for key in ("category", "tag", "author", "audience"):
        if context.get(key) is not None:
            return f"listing: {key} {context[key]}"
    return f"listing: {context.get('page_name') or context.get('template_name') or 'page'}"


def owner_by_place(relative: str, settings: Mapping) -> str | None:
    """Owners that follow from where a file is: theme assets, feeds, the search index, the build's records."""
    theme = settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"
    if relative.startswith(theme):
        return "theme asset: THEME_STATIC_PATHS"
    if relative.startswith(FEEDS_DIR + "/"):
        return "feed: NEWSROOM_FEEDS"
    if relative.startswith(SEARCH_INDEX_DIR + "/"):
        return "search index: Pagefind"
    if relative.startswith(".newsroom/"):
        return "build record: never deployed"
    return None


def write_owners(output: Path, settings: Mapping, recorded: Mapping[str, str]) -> list[str]:
    """Write `.newsroom/owners.json` for every file under `output`; return the files nothing accounts for."""
    owners, unowned = {}, []
    for relative in output_files(output):
        owner = recorded.get(relative) or owner_by_place(relative, settings)
        if relative == OWNERS_PATH:
            continue
        if owner is None:
            unowned.append(relative)
        else:
            owners[relative] = owner
    path = output / OWNERS_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:  # written as it is encoded: 12,000 files make 1 MB of text
        json.dump(owners, file, indent=0, sort_keys=True, ensure_ascii=False)
        file.write("\n")
    return unowned


def read_owners(output: Path) -> dict[str, str] | None:
    """The build's record of owners, or None when the build wrote none."""
    try:
        return json.loads((output / OWNERS_PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def output_files(output: Path, *, leaving_out: Collection[str] = ()) -> list[str]:
    """Every entry under `output` that is not a folder (links included, never followed), as posix paths; a folder
    that cannot be read is passed over, as os.walk does, and so are the folders `leaving_out` names (posix paths
    under `output`). (scandir says what each entry is without another system call per folder: os.walk's way, with
    an islink for each folder, cost 0.2 s at 5,000 posts.)"""
    found: list[str] = []
    pending = [(os.fspath(output), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if f"{prefix}{entry.name}" not in leaving_out:
                            pending.append((entry.path, f"{prefix}{entry.name}/"))
                    else:
                        found.append(prefix + entry.name)
        except OSError:
            continue
    return sorted(found)
