"""Each piece's index files wait on disk, not in the build's memory, from the moment Pagefind gives them back until
the bundle is written.

A piece's files are some 2 MB at 800 pages, and the pieces asked for early (index.py's `index_ahead`) come back
while the build is still rendering: kept in memory, all of them together were the build process's last 13 MB at
5,000 posts, at its peak. Written to a private temporary folder, they cost a write and a read of a few MB.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write each of `files` ({path under `folder`, posix: bytes}) under `folder`, in the order of their paths."""
    for name, content in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def read_files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its posix path under it: what write_files wrote there."""
    files = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


class Staging:
    """A private temporary folder (made when first needed, removed by `close`) holding sets of files."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._lock = threading.Lock()  # pieces are indexed two at a time, on two threads

    def keep(self, files: Mapping[str, bytes]) -> Path:
        """Write `files` into a folder of their own; returns it (read_files reads them back)."""
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="newsroom-search-"))
        folder = Path(tempfile.mkdtemp(dir=self._root))
        write_files(folder, files)
        return folder

    def close(self) -> None:
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
                self._root = None


def drop(folder: Path | None) -> None:
    """Remove a folder `Staging.keep` made (None: nothing to remove)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
