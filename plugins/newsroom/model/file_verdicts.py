"""What walking an image or a download found, remembered for each version of the file: an unchanged photo is walked
at most once per build, and not at all by a rebuild that kept its cache.

The checks (publishable_files.py), the static copy (site/static_copies.py), the feeds' enclosures and the deploy's
verify step all ask the same questions of the same files (can it be published? what does its published copy drop,
and how long is it?), and a 15 MB photo takes about 10 ms to walk. Each answer is a function of the file's bytes
and the code, so it is kept by the file's path and its stamp: size, modification and change times in nanoseconds,
inode and device. Writing a file in any way (an editor, a git checkout, a copy) gives it a new change time, which
nothing can set back (os.utime sets only the other two), so a changed file is never taken for the one remembered.
As git does for its index, a verdict is remembered only for a file last changed well before it was read: a file
written again within the clock's granularity of the first version could otherwise keep that version's stamp.

The verdicts of a build are kept between builds in Pelican's content cache folder, whose name is a fingerprint of
the code and settings (content_cache.py), as the posts' facts are (checks/remembered_facts.py), and only the
verdicts this process found or used are kept: a file since changed or removed is forgotten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from newsroom.kit.content_cache import load_kept, save_kept

FILE_NAME = "file-verdicts.pickle"
# How long before it is read a file must have last changed for its verdict to be remembered: well over the
# timestamp granularity of any file system a build runs on (2 s on FAT).
SETTLED_NS = 3_000_000_000


@dataclass(frozen=True)
class FileVerdict:
    """What one version of a file is, for publishing it."""

    problems: tuple[str, ...]  # why it may not be published (publishable_files.problems), none when it may
    dropped: tuple[str, ...]  # what its published copy leaves out (a raster image's metadata), none: the same bytes
    published_size: int  # the length of its published copy


class FileVerdicts:
    """Verdicts by path and stamp: those remembered from the last build, and this build's."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self._known: dict[tuple, tuple] = {}
        self._now: dict[tuple, tuple] = {}

    def keep_in(self, path: Path | None) -> None:
        """Take up the verdicts kept at `path` by the last build, and keep this process's there (None: nowhere)."""
        self.path = path
        self._known = load_kept(path, "every file is checked again") if path else {}

    def verdict(self, path: Path, walk: Callable[[Path], FileVerdict]) -> FileVerdict:
        """The verdict on the file at `path` as it is now: remembered, or found by `walk` (which reads it)."""
        before = time.time_ns()
        stat = path.stat()  # taken before the file is read: a version written after it has another stamp
        key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)
        row = self._now.get(key) or self._known.get(key)
        found = _verdict_of(row)
        if found is None:
            found = walk(path)
            if before - max(stat.st_mtime_ns, stat.st_ctime_ns) < SETTLED_NS:
                return found  # changed too recently for its stamp to tell it from a version written next
        self._now[key] = astuple(found)
        return found

    def save(self) -> None:
        """Keep this build's verdicts for the next; one that cannot be written is one warning (all walked again)."""
        save_kept(self.path, self._now, "the files' verdicts")


def _verdict_of(row) -> FileVerdict | None:
    """The verdict a kept row holds, or None when it is not a row this code writes."""
    if not (isinstance(row, tuple) and len(row) == 3 and isinstance(row[2], int)):
        return None
    if not all(isinstance(names, tuple) and all(isinstance(n, str) for n in names) for names in row[:2]):
        return None
    return FileVerdict(*row)


# One for the process: the checks, the build, the feeds and verify run in one process for a deploy, and each asks
# about the same files. The build points it at its cache folder (site/plugin.py).
VERDICTS = FileVerdicts()
