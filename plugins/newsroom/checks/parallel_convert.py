"""Converting the posts' Markdown in two processes while the checks go through the posts: the checks' conversions
(rendering.py), ready sooner.

Converting Markdown is the largest single cost of reading a site, and each file's conversion depends on nothing
but its text and the settings. So a forked helper converts files while this process checks them. Both take files
from one counter, a few at a time, in the order the checks come to them:
- the helper takes the next few files nobody has taken, converts them and sends their conversions at once;
- the checks, coming to a file, use its conversion if the helper has sent it. If the helper is still converting
  it, they take the next few files nobody has taken and convert those here meanwhile; when every file is taken,
  they wait for the helper's.

So neither process waits while a file is left to convert. The helper, which only converts, converts more files
than this process, which also checks every one, and both are busy until the last file. (The helper used to convert
from the last file back until it met the checks, and send everything then: the checks were left alone with the
helper's files to check, some 1.6 s of one core at 5,000 posts in two languages, the other core idle.)

The helper reads each file itself, so no process holds every post's text at once. A conversion (and the
sanitiser's reading of it) is the same in either process (the same Markdown, settings and text), and names the
text it was made from (its digest), so a file rewritten between the helper's reading and the checks' is converted
again from what the checks read. A text Markdown cannot convert comes back as such (Rendered.failure), for the
checks to name. Should the helper fail, this process converts what the helper took and never sent, as the checks
come to it, as it would have without a helper.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence

from newsroom.model.rendering import MarkdownRenderer, Rendered

# Below this many texts the fork costs more than it saves (a rebuild converts only what changed).
WORTH_A_HELPER = 64
# Files taken at a time. Converting a few in a row keeps Markdown's code in the processor's caches (converting each
# post between classifying and checking it made the checks 10% slower); a few, so that the checks seldom find the
# file they come to still being converted by the helper.
TAKEN_HERE, TAKEN_BY_HELPER = 8, 4
# The helper's sends wait for nothing while the checks are busy: a pipe this large holds several of its messages.
PIPE_BYTES = 1024 * 1024


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
        self._received = 0  # conversions the helper sent
        self._next_local = 0  # without a helper: the next file nobody has taken
        self._next = None  # with one: the same, shared with it
        if not helper or len(self._paths) < WORTH_A_HELPER or not hasattr(os, "fork"):
            return
        context = multiprocessing.get_context("fork")
        self._next = context.Value("q", 0)
        results, send = context.Pipe(duplex=False)
        with contextlib.suppress(OSError, AttributeError):  # a larger pipe where the system allows it (Linux)
            fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        sys.stdout.flush(), sys.stderr.flush()  # or what is buffered would be written by both processes
        helper = os.fork()
        if helper == 0:  # the helper: convert what it takes, send each few, exit (it never returns)
            results.close()
            code = 1
            try:
                while taken := self._take(TAKEN_BY_HELPER):
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
        if self._next is None:
            return self._next_local
        with self._next.get_lock():
            return self._next.value

    def ready_for(self, index: int) -> None:
        """The checks come to `paths[index]` (in order): once this returns, its conversion is in the renderer's
        `ready`, unless there was nothing to convert. Converts here, meanwhile, what nobody has taken yet."""
        while index not in self._settled:
            if self._helper is not None and self._receive(wait=False):
                continue  # the helper sent something: perhaps this file
            taken = self._take(TAKEN_HERE)
            if taken:
                self._store(taken, self._converted(taken))
            elif self._helper is not None:
                self._receive(wait=True)  # every file is taken: this one is the helper's, on its way
            else:  # the helper took it and failed before sending it
                self._store([index], self._converted([index]))

    def finish(self) -> int:
        """Stop the helper taking files, then take every conversion it sent into the renderer's `ready`; returns
        how many it converted (0 when there was none). What nobody converted is converted when asked for."""
        if self._next is not None:
            with self._next.get_lock():
                self._next.value = len(self._paths)  # what the helper has not taken, it leaves
        while self._helper is not None:
            self._receive(wait=True)
        return self._received

    def abandon(self) -> None:
        """Stop and reap the helper if `finish` was not reached (the build stopped on the way)."""
        if self._helper is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._helper, signal.SIGKILL)
        self._reap()

    def _take(self, count: int) -> list[int]:
        """The next `count` files nobody has taken (fewer at the end, none once all are), now this process's."""
        if self._next is None:
            first = self._next_local
            self._next_local = min(first + count, len(self._paths))
            return list(range(first, self._next_local))
        with self._next.get_lock():
            first = self._next.value
            self._next.value = min(first + count, len(self._paths))
            return list(range(first, self._next.value))

    def _converted(self, indexes: list[int]) -> list[tuple[int, Rendered]]:
        """Each of these files that has a text to convert, converted."""
        renderer = self._renderer
        return [
            (index, renderer.convert(text)) for index in indexes if (text := self._read(self._paths[index])) is not None
        ]

    def _store(self, taken: list[int], converted: list[tuple[int, Rendered]]) -> None:
        """Put conversions where the checks find them: the files taken are settled, converted or not."""
        ready, paths = self._renderer.ready, self._paths
        for index, rendered in converted:
            ready[paths[index]] = rendered
        self._settled.update(taken)

    def _receive(self, wait: bool) -> bool:
        """Take one message from the helper if one is there (or, with `wait`, once one is); False when there was
        none. When the helper has ended, or sent what cannot be read, it is stopped and reaped: what it took and
        never sent is then converted here."""
        if not wait and not self._results.poll():
            return False
        try:
            taken, sent = self._results.recv()
            converted = [(index, Rendered(*parts)) for index, *parts in sent]
            if not all(0 <= index < len(self._paths) for index in taken) or not {i for i, _ in converted} <= {*taken}:
                raise ValueError("not a message of the helper's: it names files it did not take")
        except Exception:  # it ended (EOFError: after its last file, or failing), or its message is unreadable
            self.abandon()
            return True
        self._received += len(converted)
        self._store(taken, converted)
        return True

    def _reap(self) -> None:
        """The helper has ended or been killed: wait for it, and close its end of the pipe."""
        os.waitpid(self._helper, 0)
        self._helper = None
        self._results.close()


def _parts(rendered: Rendered) -> tuple:
    """What the helper sends of a conversion: its fields, as they are held."""
    return rendered.digest, rendered.html_utf8, rendered.meta, rendered.clean_utf8, rendered.failure
