"""Pelican's content cache, made fit for CI: each post is checked by its content hash, and the cache is used only
for exactly the code and settings that wrote it.

Pelican can keep what its readers made of each file (the HTML and the parsed metadata) in CACHE_PATH and skip
reading a file again while its stamp is unchanged. The default stamp is the modification time, which a fresh
checkout resets, so a CI build never reused anything. pelicanconf.py stamps files by their sha256 instead
(CHECK_MODIFIED_METHOD), and `use_fingerprinted_cache` puts the cache in a folder named after a fingerprint of
everything else a read depends on: the Python, Pelican, Markdown and nh3 versions, this plugin's code, and every plain
setting except those that only say where and when to write. A cache restored from a build with other code or
settings is then simply not found.

Only the reader layer may be cached. The newsroom decides which posts an edition shows (embargoes, drafts,
internal posts) from the metadata on every build (plugin.select_articles), so a cached post cannot bypass that
decision. Rendered pages are kept in the same folder (site/kept_pages.py), each written again only when the
contexts it was rendered from, which hold that decision, compare equal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

import markdown
import nh3
import pelican

from newsroom.kit.errors import NewsroomError
from newsroom.kit.files import write_bytes_atomically
from newsroom.kit.paths import relative_posix
from newsroom.kit.regular_files import read_content_file

# Settings that say where and when to write, not how to read: a cache stays valid when they change (a staging
# SITEURL, a test's clock, another output folder, rendering in one process or two).
WRITE_ONLY_SETTINGS = frozenset(
    {
        "OUTPUT_PATH",
        "CACHE_PATH",
        "SITEURL",
        "FEED_DOMAIN",
        "NEWSROOM_NOW",
        "NEWSROOM_PARALLEL_RENDER",
        "NEWSROOM_KEEP_PAGES",
    }
)
PLUGIN_DIR = Path(__file__).resolve().parents[1]  # the whole plugin: any code change invalidates the cache

# In each fingerprint folder: the edition that last used it; its modification time says when.
LAST_USED = "last-used-by"
KEPT_PER_EDITION = 2

logger = logging.getLogger(__name__)


class ContentCacheError(NewsroomError, ValueError):
    """The cache settings could make a build show stale content; the message says which and what to set."""


def cache_fingerprint(settings: Mapping) -> str:
    """A short hash of what a cached read depends on besides the file itself."""
    digest = hashlib.sha256()
    # nh3 sanitises what the reader caches (and decides what the checks may skip: clean_bodies.py).
    versions = (sys.version_info[:2], pelican.__version__, markdown.__version__, nh3.__version__)
    digest.update(repr(versions).encode())
    for path in sorted(PLUGIN_DIR.rglob("*.py")):
        digest.update(path.relative_to(PLUGIN_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    for key in sorted(settings):
        # Lower-case keys are not settings but the build's own state (e.g. the checks' classification).
        if key not in WRITE_ONLY_SETTINGS and not key.islower():
            value = reader_markdown_settings(settings[key]) if key == "MARKDOWN" else settings[key]
            digest.update(f"{key}={json.dumps(value, sort_keys=True, default=_stable)}\n".encode())
    return digest.hexdigest()[:16]


def reader_markdown_settings(markdown_settings: Mapping) -> dict:
    """MARKDOWN as Pelican's MarkdownReader completes it (it adds `extensions` to the settings in place, so the
    same settings would otherwise look different before and after a first build), without changing them."""
    configs = dict(markdown_settings.get("extension_configs", {}))
    extensions = list(markdown_settings.get("extensions", []))
    for name in [*configs, "markdown.extensions.meta"]:
        if name not in extensions:
            extensions.append(name)
    return {**markdown_settings, "extension_configs": configs, "extensions": extensions}


def _stable(value) -> str:
    """JSON for values that are not plain data: functions and classes by name; other objects are left out
    (their repr holds a memory address), which is safe because the readers take no such setting."""
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if name else "<object>"


def remembering(settings: Mapping) -> bool:
    """Whether the build both keeps and reads its cache: only then is anything remembered between builds."""
    return bool(settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"))


def kept_file(settings: Mapping, name: str) -> Path | None:
    """Where the build keeps `name` in the folder of exactly its code and settings; None when it remembers nothing."""
    return cache_folder(settings) / name if remembering(settings) else None


def load_kept(path: Path, what: str) -> dict:
    """The table a build kept at `path` (a kept_file) for the next: {} when there is none, or when it cannot be
    read (one warning naming `what` is worked out again: a damaged or foreign pickle can fail in any way)."""
    try:
        known = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except Exception as error:
        logger.warning("Newsroom: ignored the unreadable %s (%s); %s", path, error, what)
        return {}
    return known if isinstance(known, dict) else {}


def save_kept(path: Path | None, table: dict, what: str) -> None:
    """Keep `table` at `path` for the next build (None: nowhere). One that cannot be written is one warning naming
    `what`: the next build works it out again."""
    if path is None:
        return
    try:
        write_bytes_atomically(path, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        logger.warning("Newsroom: could not keep %s in %s (%s)", what, path, error)


def cache_folder(settings: Mapping) -> Path:
    """The folder in CACHE_PATH for exactly these code and settings."""
    return Path(settings["CACHE_PATH"]) / f"content-{cache_fingerprint(settings)}"


def use_fingerprinted_cache(settings: MutableMapping) -> None:
    """With CACHE_CONTENT on: refuse the generator layer, and move CACHE_PATH into its fingerprint folder; with it
    off, have Pelican stamp files by time (nothing is stored or compared)."""
    if not settings.get("CACHE_CONTENT"):
        # Nothing is cached, so no file's stamp is ever stored or compared, but Pelican takes one of every file it
        # reads, twice: a sha256 stamp reads the whole file again each time (0.25 s at 5,000 posts), a time does not.
        settings["CHECK_MODIFIED_METHOD"] = "mtime"
        return
    if settings.get("CONTENT_CACHING_LAYER", "reader") != "reader":
        raise ContentCacheError(
            f"CONTENT_CACHING_LAYER: {settings['CONTENT_CACHING_LAYER']!r} would cache whole articles, and with them "
            "the newsroom's decision to show or withhold each one (expected 'reader')"
        )
    folder = cache_folder(settings)
    settings["CACHE_PATH"] = str(folder)
    keep_recent_folders(folder, settings.get("NEWSROOM_EDITION", "public"))
    # Pelican truncates a cache file before pickling into it, and an error while pickling (a setting that cannot
    # be pickled) leaves it empty, which its loader does not survive ("Ran out of input"). Start afresh instead.
    for empty in (path for path in folder.glob("*") if path.is_file() and path.stat().st_size == 0):
        logger.warning("Newsroom: removed the empty content cache file %s (the last build could not save it)", empty)
        empty.unlink()


def stamp_as_the_build_reads(generator) -> None:
    """article_ and page_generator_init: the generator and its readers stamp each file (by its sha256) reading it
    as every other reading of a post does (kit/regular_files.py). Pelican's own stamp opens the file by name, so a
    post swapped for a FIFO since the checks would stop the build for good, and one swapped for a link would be
    read through it. A file that cannot be read so has no stamp: Pelican then calls the reader, which refuses it
    in one line. A time stamp (CHECK_MODIFIED_METHOD "mtime") reads nothing and is left as it is."""
    method = generator.settings["CHECK_MODIFIED_METHOD"]
    if method == "mtime" or method not in hashlib.algorithms_available:
        return
    root = generator.path

    def stamp(filename: str) -> bytes:
        return hashlib.new(method, read_content_file(root, relative_posix(filename, root))).digest()

    # Pelican's FileStampDataCacher keeps its stamp function here (and turns an OSError into "no stamp").
    for cacher in (generator, generator.readers):
        cacher._filestamp_func = stamp


def keep_recent_folders(folder: Path, edition: str) -> None:
    """Mark `folder` as this edition's latest, and remove the edition's folders older than the KEPT_PER_EDITION
    latest (and folders no build marked): every change of code or settings makes a new folder, and a CI cache that
    restores and saves the whole cache would otherwise carry them all, for ever. Two per edition, so that
    alternating between two settings files (`invoke build` and `invoke preview`) does not rebuild cold each time.
    Removing a folder only ever costs the time of reading again."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / LAST_USED
    marker.write_text(edition, encoding="utf-8")  # its modification time is the folder's last use
    mine: list[tuple[float, Path]] = []
    for other in folder.parent.glob("content-*"):
        try:
            used, owner = (other / LAST_USED).stat().st_mtime, (other / LAST_USED).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            used, owner = None, None  # written before folders were marked, or damaged: no build will use it
        if owner == edition:
            mine.append((used, other))
        elif used is None and other.is_dir():
            _remove(other)
    for _, stale in sorted(mine, key=lambda entry: (entry[0], entry[1] == folder), reverse=True)[KEPT_PER_EDITION:]:
        if stale != folder:
            _remove(stale)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    logger.info("Newsroom: removed the content cache folder %s (other code or settings)", folder)
