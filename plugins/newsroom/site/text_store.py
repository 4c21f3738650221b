"""Where a build's long texts wait while the site renders: in an unlinked temporary file, not in the build's memory.

Every post's HTML is held from the moment Pelican reads it until the last page is written, and read a couple of
times in between (its own page, its feed entries); every post's card (post_cards.py) likewise, from the first
listing that shows it. At 5,000 posts the bodies are 12.7 MB even as UTF-8 (25.5 MB as Python strings) and the
cards 4.4 MB: the largest holdings of the build, whose peak is at its end. Written to a file when they are made and
read back with one `pread` each time they are asked for, they cost the build a few tens of milliseconds and no
heap: the operating system keeps the file's pages in its cache, which it can reclaim, rather than in the process.

The file is opened already unlinked (tempfile.TemporaryFile) and readable by its owner alone: nothing is left behind
whatever stops the build, and no other user of the machine can read an unpublished post from it. Each process
appends to a file of its own (a process forked during the build opens one as it starts) and reads any file it
inherited, since `pread` shares no file position. Where this cannot be done (no `pread`, no temporary folder it may
write to, a full disk), or outside a build, a text is held in memory, as UTF-8 unless it is ASCII: a Python string
with one curly quote or dash holds every character in two bytes, and a newsroom's prose has them in every post.
"""

from __future__ import annotations

import os
import tempfile
import threading

from newsroom.kit.utf8 import from_utf8, utf8


class TextStore:
    """The file one process of one build appends its texts to; `hold` gives what to keep in a text's place."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for as long as a text in it may be read
        self._fd = self._file.fileno()
        self._end = 0
        self._appending = threading.Lock()  # the render holds texts on one thread; nothing relies on that

    def hold(self, text: str) -> OnDisk | bytes:
        """Where `text` waits: in this file, or in memory should writing fail."""
        data = utf8(text)
        with self._appending:
            try:
                written = os.pwrite(self._fd, data, self._end)
            except OSError:
                return data
            if written != len(data):  # a short write (a full disk): what was written is never read
                return data
            at, self._end = self._end, self._end + written
        return OnDisk(self, at, written)

    def read(self, at: int, size: int) -> bytes:
        data = os.pread(self._fd, size, at)
        if len(data) != size:
            raise OSError(f"the build's text store gave {len(data)} of {size} bytes at {at}")
        return data


class OnDisk:
    """A text in a TextStore: where it is, and the store, kept open for as long as this is held."""

    __slots__ = ("at", "size", "store")

    def __init__(self, store: TextStore, at: int, size: int):
        self.store, self.at, self.size = store, at, size

    def text(self) -> str:
        return from_utf8(self.store.read(self.at, self.size))


STORING = hasattr(os, "pwrite") and hasattr(os, "pread")
_store: TextStore | None = None  # this process's file, between `open_store` and `close_store`


def open_store() -> None:
    """A build starts: texts held from now on go to a new file (the last build's stays open while a text in it is
    referenced). Opened now rather than with the first text, and in a forked process as it starts: opening a file
    while a page renders would mark the page as reading outside the build (page_reads.py), and it would be
    rendered again on every build."""
    global _store
    try:
        _store = TextStore() if STORING else None
    except OSError:  # no temporary folder this process may write to: the texts are held in memory
        _store = None


def close_store() -> None:
    """The build is over: a text held from now on is held in memory."""
    global _store
    _store = None


def _open_own_store() -> None:
    """In a process forked during a build: a file of its own to append to (the parent's is the parent's)."""
    if _store is not None:
        open_store()


if hasattr(os, "register_at_fork"):  # where there is no fork, there is no forked process
    os.register_at_fork(after_in_child=_open_own_store)


def hold(text: str) -> str | bytes | OnDisk:
    """What to keep in place of `text`."""
    if _store is not None:
        return _store.hold(text)
    return text if text.isascii() else utf8(text)


def held_text(value):
    """The text `hold` gave `value` for (anything else, such as None, is given as it is)."""
    kind = type(value)
    if kind is OnDisk:
        return value.text()
    if kind is bytes:
        return from_utf8(value)
    return value
