"""Rendering the site's pages in two processes: the same files, byte for byte, in less time on a machine with two cores.

Once Pelican has read every post and built its context, writing one page no longer depends on writing another.
When the writer is created (after every generator's generate_context), the build forks: both processes walk
through the same write_file calls in the same order (same code, same context), and each call is rendered by
whichever process reaches it first (a shared counter, so a process busy elsewhere leaves more to the other). The
second process runs only the generators that write pages through the writer (PAGE_GENERATORS), after the feeds and
the manifest (below); the static files and everything the plugin records stay in the first.

The first process still goes through every call the second one renders, without rendering it: Pelican's record of
written files (its refusal to write one file twice) and the `content_written` signal, so the plugin's ownership
records and the search index see every page in the order of a serial build. A page the other process renders
carries WRITTEN_ELSEWHERE in its context: a function that waits until the page is on disk (the search indexer
reads it only then). The second process reports each page it wrote; at `finalized` the first waits for it, and
refuses a build where the two did not walk through the same pages.

The generators that write files of their own and read nothing a page leaves behind (WRITTEN_BEFORE_PAGES: the feeds,
the manifest) write before any page, in one process or two: in two, the second process writes them while the first
has the pages to itself, and the counter gives the second fewer pages for the time it spent. Written after the pages,
they left one core idle for a second at 5,000 posts (docs/benchmarks.md, "The seventh round"). They are the second's
because of memory: the feeds' XML, built and freed, left some 11 MB of holes in the process that wrote it, and the
first process holds the most (the search index's and ownership's records) and peaks highest ("The twentieth
round"). The first needs to hear of none of their files: the ownership records own them by their place, and are
written only once the second process has ended (`finish`). Their order does not change a byte: they read the
generators' context, complete before the writer exists, and each post's summary, which the checks require as
metadata and Pelican resolves once before any page is written (its links otherwise follow the page written last);
and no page may take one of their files (checks/address_collisions.py refuses a page or post in the feeds' folder
or the build's records). A generator here that wrote through the writer would make the two processes walk
different pages: `finish` refuses that build. What one of them refuses (a feed that cannot be written) stops the
build with its own line once the pages are written.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Mapping
from functools import partial

from pelican import signals as pelican_signals
from pelican.writers import Writer

from newsroom.feeds.generator import FeedsGenerator
from newsroom.kit.errors import NewsroomError
from newsroom.model.settings import Newsroom
from newsroom.site.collector import keep_out_of_collections
from newsroom.site.kept_pages import KEPT, KeepingWriter
from newsroom.site.listing_editions import WRITER_GENERATORS, LanguageEditionsGenerator
from newsroom.site.manifest import ManifestGenerator
from newsroom.site.owning_writer import OwningWriter
from newsroom.site.validated import NEWSROOM

# Where the build keeps what the writer needs (lower-case keys: not settings anyone writes).
GENERATORS = "newsroom_generators"
RENDERER = "newsroom_second_renderer"
WRITTEN_ELSEWHERE = "newsroom_written_elsewhere"  # in a page's context: wait until the other process wrote it
# Generators whose generate_output writes only through the writer's write_file: the second process runs these
# (the page writers, and the languages' editions of their listings, which are the same generators run again).
PAGE_GENERATORS = (*WRITER_GENERATORS, LanguageEditionsGenerator)
# Generators that write their own files (not through the writer) from the finished context, and read no page:
# the second process writes them before its pages, while the first renders.
WRITTEN_BEFORE_PAGES = (FeedsGenerator, ManifestGenerator)


logger = logging.getLogger(__name__)


class RenderFailed(NewsroomError):
    """The second render process failed, or did not write the pages the first expected; the message says which."""


def two_processes(newsroom: Newsroom) -> bool:
    """Whether pages are rendered in two processes: NEWSROOM_PARALLEL_RENDER as validated; unset, when the machine
    has more than one CPU (and the system can fork)."""
    wanted = newsroom.parallel_render
    if wanted is None:
        wanted = (os.cpu_count() or 1) > 1
    return wanted and hasattr(os, "fork")


def write_independent_first(generators) -> None:
    """all_generators_finalized: WRITTEN_BEFORE_PAGES write first (Pelican calls generate_output in this list's
    order); the others keep theirs (the static files last, as Pelican requires)."""
    generators.sort(key=lambda generator: not isinstance(generator, WRITTEN_BEFORE_PAGES))


def remember_generators(generators) -> None:
    """all_generators_finalized: the writer, created next, forks with these."""
    generators[0].settings[GENERATORS] = generators


def parallel_writer(pelican):
    """get_writer: the writer that splits the pages between two processes, when the setting asks for it; in one
    process, the writer that writes unchanged pages from the cache (kept_pages.py), when the build keeps them, else
    the one that stops at a second write of a file (owning_writer.py), as they both do."""
    settings = pelican.settings
    if settings.get(GENERATORS) is None or not two_processes(settings[NEWSROOM]):
        return KeepingWriter if settings.get(KEPT) is not None else OwningWriter
    return ParallelWriter


def finish_render(settings: Mapping) -> None:
    """Wait until the second process has written its pages; raise RenderFailed if it failed or went astray."""
    writer = settings.get(RENDERER)
    if writer is not None:
        writer.finish()


def abandon_render(settings: Mapping) -> None:
    """A build stopped half-way: stop the second process rather than leave it writing."""
    writer = settings.get(RENDERER)
    if writer is not None:
        writer.abandon()


def _written_by_the_second_process(writer) -> None:
    """A WRITTEN_BEFORE_PAGES generator's generate_output in the first process: the second writes its files."""


class _Unrendered:
    """Stands in for the template of a page the other process renders: nothing to render here."""

    @staticmethod
    def render(context) -> str:
        return ""


class ParallelWriter(KeepingWriter):
    """Pelican's writer, forked in two when created; each write_file call is rendered by one of the two."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._calls = 0  # write_file calls so far, rendered here or not
        self._rendering = True  # False while going through a call the other process renders
        self._skipped: dict[int, str] = {}  # first process: call -> the page the second renders for it
        self._counter = multiprocessing.get_context("fork").Value("q", 0)  # the next call nobody has taken
        reports, self._report_to = os.pipe()
        sys.stdout.flush(), sys.stderr.flush()  # or what is buffered would be written by both processes
        # Neither process's garbage collector goes through what both hold (the second's would copy every page of
        # the first's memory it touched); the build hands it back when it ends (collector.py).
        keep_out_of_collections()
        self._child = os.fork()
        if self._child == 0:
            os.close(reports)
            self._render_share(self.settings[GENERATORS])  # never returns
        os.close(self._report_to)
        for generator in self.settings[GENERATORS]:
            if isinstance(generator, WRITTEN_BEFORE_PAGES):
                generator.generate_output = _written_by_the_second_process  # Pelican's loop calls it next
        self.settings[RENDERER] = self
        self._progress = _ChildProgress(reports)

    @property
    def _is_parent(self) -> bool:
        return self._child != 0

    def write_file(self, name, template, context, *args, override_output=False, **kwargs):
        if not name:
            return super().write_file(name, template, context, *args, override_output=override_output, **kwargs)
        call = self._calls
        self._calls += 1
        first = self._take(call)
        # A file written over (override_output) must be written after the earlier write of it: the first process
        # writes it, once every page the second wrote before that call is on disk.
        mine = self._is_parent if override_output else first
        if mine:
            if override_output and self._skipped:
                self._progress.wait_until_written(max(self._skipped))
            super().write_file(name, template, context, *args, override_output=override_output, **kwargs)
            if not self._is_parent:
                self._report(["written", call, name])
            return
        if self._is_parent:
            self._skipped[call] = name
            kwargs[WRITTEN_ELSEWHERE] = partial(self._progress.wait_until_written, call)
        self._rendering = False
        try:  # Pelican's own write_file: nothing to render, so nothing to keep
            Writer.write_file(self, name, _Unrendered, context, *args, override_output=override_output, **kwargs)
        finally:
            self._rendering = True

    def write_feed(self, *args, **kwargs):
        if self._is_parent:  # the first process writes every feed
            return super().write_feed(*args, **kwargs)
        return None

    def _open_w(self, filename, encoding, override=False):
        if self._rendering:
            return super()._open_w(filename, encoding, override)
        if filename in self._overridden_files or (filename in self._written_files and not override):
            return super()._open_w(filename, encoding, override)  # Pelican's refusal, or its os.devnull
        # Keep Pelican's record of every file written, by either process, so its refusals stay the same.
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return open(os.devnull, "w", encoding=encoding)

    def _take(self, call: int) -> bool:
        """Whether this process is the first to reach `call` (both reach every call, in the same order)."""
        with self._counter.get_lock():
            if self._counter.value != call:
                return False
            self._counter.value = call + 1
            return True

    def _render_share(self, generators) -> None:
        """The second process: render the pages it takes, report each, and exit (it never returns)."""
        code = 1
        try:
            # The first process accounts for every page (ownership, search index) and tells the indexer when the
            # articles are written; here nothing must react.
            with contextlib.ExitStack() as muted:
                for accounted in (pelican_signals.content_written, pelican_signals.article_writer_finalized):
                    muted.enter_context(accounted.muted())
                for generator in generators:
                    if isinstance(generator, WRITTEN_BEFORE_PAGES):
                        generator.generate_output(self)
                for generator in generators:
                    if isinstance(generator, PAGE_GENERATORS):
                        generator.generate_output(self)
            kept = self.settings.get(KEPT)
            if kept is not None:
                kept.save_part()  # the first process merges it into the build's records
            self._report(["end", self._calls])
            code = 0
        except BaseException as error:  # whatever it is, the first process must hear of it, not wait forever
            with contextlib.suppress(OSError):  # unless the first process is gone
                # A refusal of the newsroom's is given as it is: its own line and exit code.
                refused = error.exit_code if isinstance(error, NewsroomError) else None
                self._report(["failed", str(error) or type(error).__name__, refused])
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            os._exit(code)

    def _report(self, message: list) -> None:
        line = (json.dumps(message) + "\n").encode("utf-8")
        while line:
            line = line[os.write(self._report_to, line) :]

    def finish(self) -> None:
        """First process, after every generator: wait for the second, and check it wrote what was expected."""
        self.settings.pop(RENDERER, None)
        outcome = self._progress.wait_until_done()
        _, status = os.waitpid(self._child, 0)
        if outcome.failure is not None:
            if outcome.refused is None:
                raise RenderFailed(f"rendering pages in a second process failed: {outcome.failure}")
            refusal = RenderFailed(outcome.failure)
            refusal.exit_code = outcome.refused
            raise refusal
        if status != 0:
            raise RenderFailed(f"the second render process exited with {os.waitstatus_to_exitcode(status)}")
        if outcome.calls != self._calls or outcome.written != self._skipped:
            astray = sorted(set(outcome.written.items()) ^ set(self._skipped.items()))[:3]
            raise RenderFailed(
                f"the two render processes went through different pages ({outcome.calls} and {self._calls} "
                f"write_file calls; first differences: {astray}): a generator outside PAGE_GENERATORS wrote "
                "through Pelican's writer (expected none; set NEWSROOM_PARALLEL_RENDER = False to render in one "
                "process)"
            )
        logger.info("Rendered %d of %d page(s) in a second process", len(self._skipped), self._calls)

    def abandon(self) -> None:
        self.settings.pop(RENDERER, None)
        try:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # it had already exited and been reaped


class _Outcome:
    def __init__(self) -> None:
        self.written: dict[int, str] = {}  # call -> page, as the second process reported them
        self.calls: int | None = None  # its number of write_file calls, once it ended
        self.failure: str | None = None
        self.refused: int | None = None  # a refusal of the newsroom's (NewsroomError): its exit code
        self.over = False


class _ChildProgress:
    """The second process's reports, read as they come by a thread of the first (so the pipe never fills)."""

    def __init__(self, reports: int):
        self._outcome = _Outcome()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._follow, args=(reports,), name="second-render", daemon=True)
        self._reader.start()

    def _follow(self, reports: int) -> None:
        outcome = self._outcome
        with os.fdopen(reports, "rb") as pipe:
            for line in pipe:
                kind, *values = json.loads(line)
                with self._changed:
                    if kind == "written":
                        outcome.written[values[0]] = values[1]
                    elif kind == "end":
                        outcome.calls = values[0]
                    else:
                        outcome.failure, outcome.refused = values[0], values[1]
                    self._changed.notify_all()
        with self._changed:
            if outcome.calls is None and outcome.failure is None:
                outcome.failure = "it stopped without saying why"
            outcome.over = True
            self._changed.notify_all()

    def wait_until_written(self, call: int) -> bool:
        """Wait until the page of `call` is on disk; False if the second process ended without writing it."""
        with self._changed:
            self._changed.wait_for(lambda: call in self._outcome.written or self._outcome.over)
            return call in self._outcome.written

    def wait_until_done(self) -> _Outcome:
        with self._changed:
            self._changed.wait_for(lambda: self._outcome.over)
        self._reader.join()
        return self._outcome
