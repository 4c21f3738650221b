"""Each piece's index files wait on disk, not in the build's memory, from the moment Pagefind gives them back until
the bundle is written.

A piece's files are some 2 MB at 800 pages, and the pieces asked for early (index.py's `index_ahead`) come back
while the build is still rendering: kept in memory, all of them together were the build process's last 13 MB at
5,000 posts, at its peak. Each piece waits as one file in a private temporary folder: one write and one read of a
few MB, where its 700 files one by one cost up to a millisecond each on a busy disk.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path


class Staging:
    """A private temporary folder (made when first needed, removed by `close`) holding sets of files."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._lock = threading.Lock()  # pieces are indexed two at a time, on two threads

    def keep(self, files: Mapping[str, bytes]) -> Path:
        """Keep `files` ({path: bytes}) in one file of their own; returns it (`read` gives them back)."""
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="newsroom-search-"))  # readable by this user alone
        handle, name = tempfile.mkstemp(dir=self._root)
        with open(handle, "wb") as kept:
            pickle.dump(dict(files), kept, protocol=pickle.HIGHEST_PROTOCOL)
        return Path(name)

    @staticmethod
    def read(kept: Path) -> dict[str, bytes]:
        """The files `keep` kept in `kept` (a file this process wrote in its own private folder)."""
        with open(kept, "rb") as file:
            return pickle.load(file)

    def close(self) -> None:
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
                self._root = None


def drop(kept: Path | None) -> None:
    """Remove what `Staging.keep` kept (None: nothing to remove)."""
    if kept is not None:
        kept.unlink(missing_ok=True)
