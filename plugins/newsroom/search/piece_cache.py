"""A rebuild copies each search index piece whose pages did not change, instead of having Pagefind index it again.

Pagefind's index of a piece depends only on the documents it was given, in their order, and on Pagefind itself
(its version and the index's config) and on this package's code (bundle.py's canonical form, the cut of each page).
So the build's cache folder (CACHE_PATH, which CI restores) keeps, per piece, a record of exactly that: the
ordered (page path, sha256 of the document Pagefind was given) of its pages, under a fingerprint of Pagefind's
version, the config and this package's code; and the piece's published files, each stored under the sha256 of
its content. A piece whose pages are the same, in the same order, with the same documents, under the same
fingerprint, is copied from there.

A damaged or foreign cache only costs time: a record that does not parse, does not match its own check hash,
names another fingerprint or other pages, or a file that is missing, whose content does not hash to its name or
whose place is outside the piece, is not used, and the piece is indexed. Nothing read from the cache is
published without its hash checked.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

from newsroom.kit.files import write_bytes_atomically

SEARCH_CODE = Path(__file__).resolve().parent  # any change to how pages are cut or bundles canonicalised
PAGEFIND_DISTRIBUTIONS = ("pagefind", "pagefind_bin", "pagefind_bin_extended")
RECORD = "record.json"
logger = logging.getLogger(__name__)
_DIGEST = re.compile(r"[0-9a-f]{64}")
# A file's place in a piece, as Pagefind names them: a record naming another place (`../index.html`) is foreign.
_FILE_NAME = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)?[A-Za-z0-9_-][A-Za-z0-9._-]*")

Pages = Sequence[tuple[str, str]]  # (page path under the output folder, sha256 of the document sent), in order


def index_fingerprint(config: Mapping) -> str:
    """A short hash of what a piece's index depends on besides its documents: Pagefind, its config, this code."""
    digest = hashlib.sha256()
    versions = {name: _version(name) for name in PAGEFIND_DISTRIBUTIONS}
    binary = os.environ.get("PAGEFIND_BINARY_PATH")  # a binary of its own: its path stands for its version
    digest.update(json.dumps({"pagefind": versions, "binary": binary, "config": config}, sort_keys=True).encode())
    for path in sorted(SEARCH_CODE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class PieceCache:
    """The pieces of earlier builds in `folder`, under a folder named after the fingerprint (None: no cache,
    every piece is indexed)."""

    def __init__(self, folder: Path | None, fingerprint: str):
        self.folder = None if folder is None else Path(folder) / fingerprint
        self.fingerprint = fingerprint

    def recorded_pages(self, piece: int, pieces: int) -> list[tuple[str, str]] | None:
        """The pages the stored piece was indexed from, in order; None if there is none (or it is unreadable)."""
        record = self._record(piece, pieces)
        return None if record is None else [tuple(page) for page in record["pages"]]

    def holds(self, piece: int, pieces: int, pages: Pages) -> bool:
        """Whether the stored piece was indexed from exactly `pages` (its files are checked when `files` reads
        them)."""
        return self._record_of(piece, pieces, pages) is not None

    def files(self, piece: int, pieces: int, pages: Pages) -> dict[str, bytes] | None:
        """The stored files of the piece indexed from exactly `pages`, each checked against its hash; else None."""
        record = self._record_of(piece, pieces, pages)
        if record is None:
            return None
        files = {}
        for name, digest in record["files"].items():
            try:
                content = (self._piece_folder(piece, pieces) / "files" / digest).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(content).hexdigest() != digest:
                return None
            files[name] = content
        return files

    def store(self, piece: int, pieces: int, pages: Pages, files: Mapping[str, bytes]) -> None:
        """Keep the piece's files and the record of its pages (the record last: a crash leaves no record that
        names files not written); files of earlier builds of this piece are removed. A cache that cannot be
        written (a full or read-only disk) costs the next build time, never this build: as Pelican does with its
        own cache, it is told once and left alone for the rest of the build."""
        if self.folder is None:
            return
        try:
            self._store(piece, pieces, pages, files)
        except OSError as error:
            self._unwritable(error)

    def keep_only(self, pieces: int) -> None:
        """Remove what no build of this code can use again: other fingerprints' pieces (another Pagefind, other
        search code) and pieces of another count. CI saves the cache folder whole under each new key, so what is
        not removed here is carried from cache to cache for ever."""
        if self.folder is None:
            return
        current = {self._piece_folder(piece, pieces).name for piece in range(pieces)}
        try:
            for old in self.folder.parent.iterdir():
                if old != self.folder:
                    _remove(old)
            for old in self.folder.iterdir() if self.folder.is_dir() else ():
                if old.name not in current:
                    _remove(old)
        except OSError as error:
            self._unwritable(error)

    def _unwritable(self, error: OSError) -> None:
        logger.warning(
            "search index cache: %s could not be written (%s); this build goes on without it, and the next "
            "one indexes every piece (free space there, or make it writable)",
            self.folder,
            error.strerror or type(error).__name__,
        )
        self.folder = None

    def _store(self, piece: int, pieces: int, pages: Pages, files: Mapping[str, bytes]) -> None:
        stored = self._piece_folder(piece, pieces) / "files"
        stored.mkdir(parents=True, exist_ok=True)
        digests = {}
        for name, content in files.items():
            digests[name] = hashlib.sha256(content).hexdigest()
            path = stored / digests[name]
            if not (path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digests[name]):
                path.write_bytes(content)  # a torn write is caught by the hash check when read
        record = {"fingerprint": self.fingerprint, "pages": [list(page) for page in pages], "files": digests}
        record["check"] = _check(record)
        write_bytes_atomically(self._piece_folder(piece, pieces) / RECORD, json.dumps(record).encode())
        for old in stored.iterdir():
            if old.name not in digests.values():
                old.unlink(missing_ok=True)

    def _record_of(self, piece: int, pieces: int, pages: Pages) -> dict | None:
        record = self._record(piece, pieces)
        if record is None or [tuple(page) for page in record["pages"]] != [tuple(page) for page in pages]:
            return None
        return record

    def _record(self, piece: int, pieces: int) -> dict | None:
        if self.folder is None:
            return None
        try:
            record = json.loads((self._piece_folder(piece, pieces) / RECORD).read_bytes())
            valid = (
                record["check"] == _check(record)
                and record["fingerprint"] == self.fingerprint
                and all(isinstance(page, list) and len(page) == 2 for page in record["pages"])
                and all(_FILE_NAME.fullmatch(name) for name in record["files"])
                and all(_DIGEST.fullmatch(digest) for digest in record["files"].values())
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return record if valid else None

    def _piece_folder(self, piece: int, pieces: int) -> Path:
        return self.folder / f"piece-{piece + 1}-of-{pieces}"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _check(record: dict) -> str:
    """A hash of the record's own fields: a record damaged in place (a digest, a page changed) is not used."""
    fields = [record["fingerprint"], record["pages"], record["files"]]
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
