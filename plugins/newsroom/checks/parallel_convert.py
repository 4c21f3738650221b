"""Converting the posts' Markdown in two processes while the checks go through the posts: the checks' conversions
(rendering.py), ready sooner.

Converting Markdown is the largest single cost of reading a site, and each file's conversion depends on nothing
but its text and the settings. So a forked helper converts files while this process checks them. Both take files
from one counter, a few at a time, in the order the checks come to them:
- the helper takes the next few files nobody has taken, converts them and sends their conversions at once;
- the checks, coming to a file, use its conversion if the helper has sent it. If the helper still has it in hand,
  they take the next few files nobody has taken and convert those here meanwhile; once every file is taken, they
  convert that file here too (the helper's copy, when it comes, is not used).

So the checks never wait for the helper: a helper that hangs, is stopped or dies costs at most the files it had in
hand, converted here, and never holds the checks. The helper, which only converts, converts more files than this
process, which also checks every one, and both are busy until the last file. (The helper used to convert from the
last file back until it met the checks, and send everything then: the checks were left alone with the helper's
files to check, some 1.6 s of one core at 5,000 posts in two languages, the other core idle.)

The counter is in memory both processes share, guarded by a lock the system releases when its holder dies: a
helper killed while it holds it (the out-of-memory killer, `kill -9`) cannot stop the checks, as it would with a
multiprocessing lock, which nothing releases.

The helper reads each file itself, so no process holds every post's text at once. A conversion (and the
sanitiser's reading of it) is the same in either process (the same Markdown, settings and text), and names the
text it was made from (its digest), so a file rewritten between the helper's reading and the checks' is converted
again from what the checks read. A text Markdown cannot convert comes back as such (Rendered.failure), for the
checks to name.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Pipe

from newsroom.model.rendering import MarkdownRenderer, Rendered

# Below this many texts the fork costs more than it saves (a rebuild converts only what changed).
WORTH_A_HELPER = 64
# Files taken at a time. Converting a few in a row keeps Markdown's code in the processor's caches (converting each
# post between classifying and checking it made the checks 10% slower); few, so that the checks hold few
# conversions ahead of them and seldom find the file they come to still in the helper's hands. The helper sends a
# message per batch: twice the checks' batch, so fewer messages to take, and at the end the checks convert at most
# one batch of the helper's again.
TAKEN_HERE, TAKEN_BY_HELPER = 8, 16
# The helper's sends wait for nothing while the checks are busy: a pipe this large holds several of its messages.
PIPE_BYTES = 1024 * 1024
# Once the checks are done, how long the helper is given to send the files it has in hand (a few conversions take
# milliseconds); past that it is stopped, and a file it had is converted if and when the checks ask for it.
HELPERS_LAST_FILES = 1.0  # seconds


class ConvertingAhead:
    """Started before the checks go through the files (`paths`, under content/): every file the checks come to
    (`ready_for`, in order) has its conversion in `renderer.ready` by then, made by a helper process or here, each
    read with `read` (None: a file the checks refuse to read or need not convert, left alone). `finish` stops the
    helper and takes what it sent; a file nobody converted is converted when the checks ask the renderer for it.
    `helper` False: every file is converted here. Use it as a context manager: a build stopped before `finish`
    leaves no helper behind."""

    def __init__(
        self,
        renderer: MarkdownRenderer,
        paths: Sequence[str],
        read: Callable[[str], str | None],
        *,
        helper: bool = True,
    ):
        self._renderer, self._paths, self._read = renderer, list(paths), read
        self._settled: set[int] = set()  # converted (here or by the helper), or with nothing to convert
        self._helper: int | None = None
        self._results = None  # the helper's end of the pipe (a multiprocessing Connection), until it ends
        self._received = 0  # conversions of the helper's that the checks took
        wanted = helper and len(self._paths) >= WORTH_A_HELPER and hasattr(os, "fork")
        self._next = SharedCounter.made(len(self._paths)) if wanted else None
        if self._next is None:
            self._next = LocalCounter(len(self._paths))
            return
        results, send = Pipe(duplex=False)
        with contextlib.suppress(OSError, AttributeError):  # a larger pipe where the system allows it (Linux)
            fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        sys.stdout.flush(), sys.stderr.flush()  # or what is buffered would be written by both processes
        helper = os.fork()
        if helper == 0:  # the helper: convert what it takes, send each few, exit (it never returns)
            code = 1
            try:
                results.close()
                while taken := self._next.take(TAKEN_BY_HELPER):
                    send.send((taken, [(index, *_parts(rendered)) for index, rendered in self._converted(taken)]))
                send.close()
                code = 0
            finally:
                os._exit(code)
        send.close()
        self._helper, self._results = helper, results

    def __enter__(self) -> ConvertingAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()

    @property
    def taken(self) -> int:
        """How many files either process has taken so far."""
        return self._next.value()

    def ready_for(self, index: int) -> None:
        """The checks come to `paths[index]` (in order): once this returns, its conversion is in the renderer's
        `ready`, unless there was nothing to convert. Never waits for the helper: converts here what nobody has
        taken yet, and, once every file is taken, this file if the helper has not sent it."""
        while index not in self._settled:
            if self._results is not None and self._results.poll():
                self._receive()  # the helper sent something: perhaps this file
                continue
            if self._results is None and index < self._next.value():
                taken = [index]  # the helper took it and is gone: convert it now, not the files after it first
            else:
                taken = self._next.take(TAKEN_HERE) or [index]
            self._store(taken, self._converted(taken))

    def finish(self) -> int:
        """Stop the helper, and take every conversion it sent into the renderer's `ready`; returns how many of its
        conversions were taken (0 when there was none). Waits for the helper's last files a second at most (a hung
        helper is then killed). What nobody converted is converted when asked for."""
        if self._helper is not None:
            self._next.stop()  # what the helper has not taken, it leaves; it sends what it has in hand and ends
            deadline = time.monotonic() + HELPERS_LAST_FILES
            while self._results is not None and self._results.poll(max(0.0, deadline - time.monotonic())):
                self._receive()  # to its end (EOF), which stops it
            if self._helper is not None:  # not ended in time: hung or stopped
                self._stop_helper()
        while self._results is not None and self._results.poll():  # what it sent, to its last whole message
            self._receive()
        self._close_results()
        return self._received

    def abandon(self) -> None:
        """Stop the helper if `finish` was not reached (the build stopped on the way): no process is left."""
        if self._helper is not None:
            self._stop_helper()
        self._close_results()

    def _converted(self, indexes: list[int]) -> list[tuple[int, Rendered]]:
        """Each of these files that has a text to convert, converted."""
        renderer = self._renderer
        return [
            (index, renderer.convert(text)) for index in indexes if (text := self._read(self._paths[index])) is not None
        ]

    def _store(self, taken: list[int], converted: list[tuple[int, Rendered]]) -> None:
        """Put conversions where the checks find them, the files taken settled, converted or not; a file already
        settled (converted here while the helper had it in hand) keeps its first conversion."""
        ready, paths = self._renderer.ready, self._paths
        for index, rendered in converted:
            if index not in self._settled:
                ready[paths[index]] = rendered
        self._settled.update(taken)

    def _receive(self) -> None:
        """Take the helper's next message, there to be read. One that cannot be read (the helper ended: after its
        last file, or failing; or it sent what is not a message of its own) stops the helper: what it took and
        never sent is then converted here."""
        try:
            taken, sent = self._results.recv()
            converted = [(index, Rendered(*parts)) for index, *parts in sent]
            if not all(0 <= index < len(self._paths) for index in taken) or not {i for i, _ in converted} <= {*taken}:
                raise ValueError("not a message of the helper's: it names files it did not take")
        except Exception:  # EOFError when it has ended
            if self._helper is not None:
                self._stop_helper()
            self._close_results()
            return
        self._received += len([index for index, _ in converted if index not in self._settled])
        self._store(taken, converted)

    def _close_results(self) -> None:
        if self._results is not None:
            self._results.close()
            self._results = None

    def _stop_helper(self) -> None:
        """Kill the helper (it may be converting, stopped or hung: it holds nothing the checks need) and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._helper, signal.SIGKILL)
        os.waitpid(self._helper, 0)
        self._helper = None


class LocalCounter:
    """The next file nobody has taken, when there is no helper: a number."""

    def __init__(self, end: int):
        self._next, self._end = 0, end

    def take(self, count: int) -> list[int]:
        """The next `count` files nobody has taken (fewer at the end, none once all are)."""
        first, self._next = self._next, min(self._next + count, self._end)
        return list(range(first, self._next))

    def value(self) -> int:
        return self._next

    def stop(self) -> None:
        self._next = self._end


class SharedCounter:
    """The next file nobody has taken, shared by this process and the helper it forks: eight bytes in a file that
    both map, guarded by a POSIX record lock on that file, which the system releases when its holder dies. The
    file has no name: a memory file where the system has them (Linux), else an unlinked temporary file."""

    def __init__(self, file, end: int):
        self._file, self._end = file, end
        os.ftruncate(file.fileno(), 8)
        self._memory = mmap.mmap(file.fileno(), 8)  # shared: what one process writes, the other reads

    @classmethod
    def made(cls, end: int) -> SharedCounter | None:
        """A counter for a helper, or None where none can be made (no memory file, no temporary folder)."""
        try:
            if hasattr(os, "memfd_create"):
                return cls(os.fdopen(os.memfd_create("newsroom-convert-counter"), "r+b", buffering=0), end)
            return cls(tempfile.TemporaryFile(buffering=0), end)
        except OSError:
            return None

    def take(self, count: int) -> list[int]:
        """The next `count` files nobody has taken (fewer at the end, none once all are), now the caller's."""
        with self._locked():
            first = int.from_bytes(self._memory[:8], "little")
            last = min(first + count, self._end)
            self._memory[:8] = last.to_bytes(8, "little")
        return list(range(first, last))

    def value(self) -> int:
        with self._locked():
            return int.from_bytes(self._memory[:8], "little")

    def stop(self) -> None:
        """Every file is taken from now on."""
        with self._locked():
            self._memory[:8] = self._end.to_bytes(8, "little")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.lockf(self._file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self._file.fileno(), fcntl.LOCK_UN)


def _parts(rendered: Rendered) -> tuple:
    """What the helper sends of a conversion: its fields, as they are held."""
    return rendered.digest, rendered.html_utf8, rendered.meta, rendered.clean_utf8, rendered.failure
