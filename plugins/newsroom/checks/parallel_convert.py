"""Converting the posts' Markdown in two processes, while the checks classify the posts: the checks' conversions
(rendering.py), ready sooner.

Converting Markdown is the largest single cost of reading a site, and each file's conversion depends on nothing
but its text and the settings. So as soon as the texts are read, a forked helper starts converting them, while
this process classifies the posts (which needs no conversion); then this process converts too. Each process takes
the next text nobody has taken from a shared counter, so the two finish together however long the classification
took; the helper sends what it converted in one message. Which process converts which text follows the machine's
timing, but a conversion (and the sanitiser's reading of it) is the same in either process (the same Markdown,
settings and text), so the build is the same. Should the helper fail, this process converts what it did not get
when the checks ask for it, as it would have without a helper.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Iterator, Sequence

from newsroom.model.rendering import MarkdownRenderer, Rendered

# Below this many texts the fork costs more than it saves (a rebuild converts only what changed).
WORTH_A_HELPER = 64


class ConvertingAhead:
    """Started when the texts are read: a helper process converts them into `renderer` (its `ready`) while this
    process does other work; `finish` then converts what is left here and takes the helper's conversions. Use it
    as a context manager: a build stopped before `finish` leaves no helper behind."""

    def __init__(self, renderer: MarkdownRenderer, texts: Sequence[tuple[str, str]]):
        self._renderer, self._texts = renderer, list(texts)  # (path under content/, text)
        self._helper: int | None = None
        self._results: int | None = None  # the pipe the helper's conversions come through, until `finish` reads it
        if len(self._texts) < WORTH_A_HELPER or not hasattr(os, "fork"):
            return
        self._next = multiprocessing.get_context("fork").Value("q", 0)  # the next text nobody has taken
        results, send = os.pipe()
        sys.stdout.flush(), sys.stderr.flush()  # or what is buffered would be written by both processes
        helper = os.fork()
        if helper == 0:  # the helper: convert until no text is left, send it all, exit (it never returns)
            os.close(results)
            code = 1
            try:
                # By index, without the text: this process has it (and keeps one copy of it, not two).
                converted = [(index, *_parts(renderer.convert(text))) for index, text in self._taken()]
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
        """How many texts the two processes have taken so far (all of them, once they are all taken)."""
        return min(self._next.value, len(self._texts)) if self._helper is not None else 0

    def finish(self) -> int:
        """Convert here what the helper has not taken, then take its conversions into the renderer's `ready`;
        returns how many the helper converted (0 when there was none, or it failed)."""
        if self._helper is None:
            return 0
        ready = self._renderer.ready
        ready.update((self._texts[index][0], self._renderer.convert(text)) for index, text in self._taken())
        received: list = []
        results, self._results = self._results, None  # the pipe's file closes it, whatever happens from here
        with os.fdopen(results, "rb") as pipe, contextlib.suppress(EOFError, ValueError, pickle.UnpicklingError):
            received = pickle.load(pipe)  # nothing (EOF) when the helper failed before sending
        _, status = os.waitpid(self._helper, 0)
        self._helper = None
        if status != 0:
            return 0  # what it took is converted when the checks ask for it
        for index, *parts in received:
            ready[self._texts[index][0]] = Rendered(*parts)
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

    def _taken(self) -> Iterator[tuple[int, str]]:
        """The texts this process takes, one at a time, until none is left: (index, text)."""
        while True:
            with self._next.get_lock():
                index = self._next.value
                self._next.value = index + 1
            if index >= len(self._texts):
                return
            yield index, self._texts[index][1]


def _parts(rendered: Rendered) -> tuple:
    """What the helper sends of a conversion: its fields, as they are held."""
    return rendered.digest, rendered.html_utf8, rendered.meta, rendered.clean_utf8
