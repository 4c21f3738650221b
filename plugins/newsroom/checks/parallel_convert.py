"""Converting the posts' Markdown in two processes while the checks go through the posts: the checks' conversions
(rendering.py), ready sooner.

Converting Markdown is the largest single cost of reading a site, and each file's conversion depends on nothing
but its text and the settings. So a forked helper converts the files from the last one back, while this process
checks them from the first one on, a few at a time, converting its own as it goes: each process takes the next file
nobody has taken from its end of a shared pair of counters, so the two meet wherever the machine's timing puts
them. Where they meet, this process takes the helper's conversions, all sent in one message. The helper reads
each file itself, so no process holds every post's text at once (28 MB at 5,000 posts, the checks' largest
holding when they did). A conversion (and the sanitiser's reading of it) is the same in either process (the same
Markdown, settings and text), and names the text it was made from (its digest), so a file rewritten between the
helper's reading and the checks' is converted again from what the checks read. A text Markdown cannot convert
comes back as such (Rendered.failure), for the checks to name. Should the helper fail, this
process converts what it did not get when the checks ask for it, as it would have without a helper.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence

from newsroom.model.rendering import MarkdownRenderer, Rendered

# Below this many texts the fork costs more than it saves (a rebuild converts only what changed).
WORTH_A_HELPER = 64


class ConvertingAhead:
    """Started before the checks go through the files (`paths`, under content/): a helper process converts them
    from the last one back into `renderer` (its `ready`), reading each with `read` (None: a file the checks refuse
    to read, left alone). The checks claim each file as they come to it (`mine`); once one is the helper's, `finish`
    takes its conversions. Use it as a context manager: a build stopped before `finish` leaves no helper behind."""

    def __init__(self, renderer: MarkdownRenderer, paths: Sequence[str], read: Callable[[str], str | None]):
        self._renderer, self._paths = renderer, list(paths)
        self._helper: int | None = None
        self._results: int | None = None  # the pipe the helper's conversions come through, until `finish` reads it
        if len(self._paths) < WORTH_A_HELPER or not hasattr(os, "fork"):
            return
        # [where this process's claims end, where the helper's files begin]: files below the first are claimed,
        # files from the second on are the helper's, and the two ends close in on each other
        self._ends = multiprocessing.get_context("fork").Array("q", [0, len(self._paths)])
        results, send = os.pipe()
        sys.stdout.flush(), sys.stderr.flush()  # or what is buffered would be written by both processes
        helper = os.fork()
        if helper == 0:  # the helper: convert until it meets this process, send it all, exit (it never returns)
            os.close(results)
            code = 1
            try:
                converted = [
                    (index, *_parts(renderer.convert(text)))
                    for index in self._taken()
                    if (text := read(self._paths[index])) is not None
                ]
                with os.fdopen(send, "wb") as pipe:
                    pickle.dump(converted, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(send)
        self._helper, self._results = helper, results

    def __enter__(self) -> ConvertingAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()

    @property
    def taken(self) -> int:
        """How many files the helper has taken so far."""
        return len(self._paths) - self._ends[1] if self._helper is not None else 0

    def mine(self, index: int) -> bool:
        """Claim `paths[index]` for this process, and every file before it; False when the helper has taken it
        (its conversion comes with `finish`). Files are claimed in order."""
        if self._helper is None:
            return True
        with self._ends.get_lock():
            if index >= self._ends[1]:
                return False
            self._ends[0] = max(self._ends[0], index + 1)
            return True

    def finish(self) -> int:
        """Stop the helper taking files, then take its conversions into the renderer's `ready`; returns how many
        it converted (0 when there was none, or it failed). What nobody converted is converted when asked for."""
        if self._helper is None:
            return 0
        with self._ends.get_lock():
            self._ends[0] = self._ends[1]  # what the helper has not taken, it leaves
        ready = self._renderer.ready
        received: list = []
        results, self._results = self._results, None  # the pipe's file closes it, whatever happens from here
        with os.fdopen(results, "rb") as pipe, contextlib.suppress(EOFError, ValueError, pickle.UnpicklingError):
            received = pickle.load(pipe)  # nothing (EOF) when the helper failed before sending
        _, status = os.waitpid(self._helper, 0)
        self._helper = None
        if status != 0:
            return 0  # what it took is converted when the checks ask for it
        for index, *parts in received:
            ready[self._paths[index]] = Rendered(*parts)
        return len(received)

    def abandon(self) -> None:
        """Stop and reap the helper if `finish` was not reached (the build stopped on the way)."""
        if self._helper is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._helper, signal.SIGKILL)
        os.waitpid(self._helper, 0)
        if self._results is not None:
            os.close(self._results)
        self._helper = None

    def _taken(self) -> Iterator[int]:
        """In the helper: the files it takes, from the last one back, until it meets this process's claims."""
        while True:
            with self._ends.get_lock():
                first_free, end = self._ends[0], self._ends[1]
                if end <= first_free:
                    return
                self._ends[1] = end - 1
            yield end - 1


def _parts(rendered: Rendered) -> tuple:
    """What the helper sends of a conversion: its fields, as they are held."""
    return rendered.digest, rendered.html_utf8, rendered.meta, rendered.clean_utf8, rendered.failure
