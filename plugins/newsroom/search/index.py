"""Archive search: the Pagefind index of exactly the pages an edition wrote, the same files for the same pages.

Pagefind (a static search tool whose PyPI package ships its binary) runs as a service beside the build
(pagefind_service.py): `SearchIndexer` gives it each page as Pelican writes it, so Pagefind reads pages on the
second core while Pelican renders the next ones on the first, and writes the bundle into `pagefind/` once the
build is over. A post this edition withholds (draft, hidden, internal, embargoed) is never written, so it cannot
enter the index. Only pages marked `data-pagefind-body` (published article pages) are indexed; listings are not
(and are not even sent: Pagefind would parse them only to leave them out), and of an article page Pagefind is
given the marked article alone (documents.py).
Filters: audience, category and year (`data-pagefind-filter` in theme/templates/article.html). Tables inside a
post are not indexed (NOT_INDEXED), so result snippets come from its prose.

Building the index from the pages is Pagefind's largest single step (3–4 s at 5,000 posts). It can be asked for
early (`index_ahead`, once the article pages, the only ones marked, are written): Pagefind then builds it on the
second core while the build writes the rest. If no page reaches Pagefind after that, the early index is the index;
if one does (a theme that marks other pages), `finish` asks again, and Pagefind's index of all the pages is the
same as if it had never been asked early (tested), so the early index only ever saves time.

Pagefind numbers pages in the order it is given them, so the order is part of the index: the pages the build
wrote, in the order it wrote them (Pelican's order is fixed by the content), then any other HTML file in the
output folder by path. Whether the pages are sent while Pelican renders or after it, the bundle is the same, byte
for byte (search_bundle.py puts Pagefind's filter lists in order).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.model.ownership import SEARCH_INDEX_DIR
from newsroom.search.bundle import BundleFormatError, make_deterministic
from newsroom.search.documents import search_document
from newsroom.search.pagefind import PagefindService, PagefindServiceError

BUNDLE_DIR = SEARCH_INDEX_DIR  # under the output folder; the search page loads pagefind-ui.js from here
# Tables in a post (financial statements, guidance) are left out of the index: Pagefind cuts its result snippets
# from indexed text, and a run of table cells ("Revenue 1,904 1,700 +12.0% Adjusted EBITDA…") reads as noise.
# What a table says is also said in the post's prose, where the snippet then comes from.
NOT_INDEXED = (".e-content table",)
_INDEX_AHEAD = ("index ahead", None)  # queued by index_ahead(): build the index from the pages sent before it
_SEARCH_BODY = re.compile(r"<[^>]*\sdata-pagefind-body[\s=/>]")


class SearchIndexFailed(NewsroomError):
    """Pagefind could not index the site; the message says why and what to do."""


class SearchIndexer:
    """The search index of one build: `page_written` for each page as it is written, then `finish`.

    Pages go to Pagefind from a thread of their own, so Pelican never waits for Pagefind (which reads them on the
    other core). With `while_writing` False the pages are only remembered, and sent in `finish` (the plain path,
    kept to show that indexing alongside the build changes nothing in the result)."""

    def __init__(
        self, output: Path, *, language: str | None = "en", while_writing: bool = True, every_page: bool = False
    ):
        # Pelican names the files it writes under os.path.abspath(OUTPUT_PATH): the same form, no symlinks resolved.
        self.output = Path(os.path.abspath(output))
        self.language = language
        self.while_writing = while_writing
        self._order: dict[str, None] = {}  # the pages the build wrote, in the order it wrote them
        self._sent: dict[str, os.stat_result] = {}  # page -> its file's stat when Pagefind was given it
        self._service: PagefindService | None = None
        self._queue: queue.SimpleQueue[tuple[str, Callable[[], bool] | None] | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._error: str | None = None
        self._closing = False
        self._bodies = 0  # pages sent that are marked data-pagefind-body
        self._every_page = every_page  # True: send every page whole, listings too (the reference, for tests)
        # The index Pagefind built when asked early, and how many requests its service had had by then.
        self._early: tuple[int, dict[str, bytes]] | None = None

    def page_written(self, path: str | Path, on_disk: Callable[[], bool] | None = None) -> None:
        """Pelican wrote `path` (any file): an HTML page under the output folder goes to Pagefind now or later.

        `on_disk`, for a page another process writes (parallel_render.py), waits until it is there (False: it
        never will be); the pages still go to Pagefind in the order they were given here."""
        relative = _relative_html(self.output, path)
        if relative is None or relative in self._order:
            return
        self._order[relative] = None
        if self.while_writing:
            if self._sender is None:
                self._sender = threading.Thread(target=self._send_queued, name="search-index", daemon=True)
                self._sender.start()
            self._queue.put((relative, on_disk))

    def index_ahead(self) -> None:
        """Have Pagefind build the index from the pages written so far, beside the rest of the build; `finish` uses
        it if no page reaches Pagefind after it. Only where pages are sent while the build writes."""
        if self.while_writing and self._sender is not None:
            self._queue.put(_INDEX_AHEAD)

    def finish(self) -> str:
        """Send what is left, then write the bundle into `pagefind/`; returns a one-line summary."""
        try:
            self._stop_sender()
            if self._error:
                raise SearchIndexFailed(self._error)
            if any(_changed(self.output / name, stat) for name, stat in self._sent.items()):
                # A page rewritten after Pagefind read it: start again from what is on disk now.
                self.close()
                self._sent, self._bodies = {}, 0
            pages = [*self._order, *self._other_pages()]
            for relative in pages:
                if relative not in self._sent and (self.output / relative).is_file():
                    self._send(relative)
            if not self._bodies and not self._every_page:  # no page marked: Pagefind indexes every page
                self.close()
                self._sent, self._every_page = {}, True
                for relative in pages:
                    if (self.output / relative).is_file():
                        self._send(relative)
            files = make_deterministic(self._index())
            bundle = self.output / BUNDLE_DIR
            # Pagefind would leave the files of earlier runs in place: a fragment of a post since withdrawn would
            # stay on the server. Start from nothing, so the bundle holds exactly this build.
            shutil.rmtree(bundle, ignore_errors=True)
            for name, content in sorted(files.items()):
                path = bundle / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        except (OSError, PagefindServiceError, BundleFormatError) as error:
            raise SearchIndexFailed(str(error)) from None
        finally:
            self.close()
        return f"Pagefind indexed {self._bodies or len(self._sent)} page(s) into {BUNDLE_DIR}/"

    def close(self) -> None:
        self._closing = True  # a build that failed: the pages still queued are not worth sending
        self._stop_sender()
        self._early = None  # an index of that service's pages: never of the next one's
        if self._service is not None:
            self._service.close()
            self._service = None

    def _send(self, relative: str) -> None:
        with open(self.output / relative, "rb") as file:
            stat = os.fstat(file.fileno())  # before reading: a later rewrite changes it, and finish sees that
            html = file.read().decode("utf-8", errors="replace")
        self._sent[relative] = stat
        if _has_search_body(html):
            self._bodies += 1
            if not self._every_page:  # the marked element alone: the same index for less reading (documents.py)
                html = search_document(html)
        elif not self._every_page:
            # Pagefind indexes only the pages marked data-pagefind-body when any page has the mark; it would read
            # the listings only to leave them out (a third of its work). Should no page have it, finish sends all.
            return
        self._service_started().add_html(relative, html)

    def _index(self) -> dict[str, bytes]:
        """The index of every page sent: the one built early if nothing has been sent since, else built now."""
        service = self._service_started()
        if self._early is not None and self._early[0] == service.requests_sent:
            return self._early[1]
        return service.get_files()

    def _index_ahead(self) -> None:
        if self._service is None or not self._bodies or self._every_page:
            return  # nothing marked yet: finish may send every page instead (see finish)
        try:
            files = self._service.get_files()
            self._early = (self._service.requests_sent, files)
        except PagefindServiceError as error:
            self._error = str(error)

    def _send_queued(self) -> None:
        while (queued := self._queue.get()) is not None:
            if queued is _INDEX_AHEAD:
                if self._error is None and not self._closing:
                    self._index_ahead()
                continue
            relative, on_disk = queued
            if self._error is None and not self._closing:
                if on_disk is not None and not on_disk():
                    self._error = f"{relative}: the process rendering it stopped before writing it"
                    continue
                try:
                    self._send(relative)
                except (OSError, PagefindServiceError) as error:
                    self._error = str(error)  # raised by finish: a signal receiver must not stop Pelican half-way

    def _stop_sender(self) -> None:
        if self._sender is not None:
            self._queue.put(None)
            self._sender.join()
            self._sender = None

    def _service_started(self) -> PagefindService:
        if self._service is None:
            # One language for the archive of a newsroom in one language (a post's own Lang: would split it off);
            # a newsroom in several (language None) gets one index per language, from each page's <html lang>.
            config: dict = {"exclude_selectors": list(NOT_INDEXED)}
            if self.language:
                config["force_language"] = self.language
            self._service = PagefindService(self.output, config)
        return self._service

    def _other_pages(self) -> list[str]:
        """HTML files in the output folder the build did not write (copied, or left by an earlier build)."""
        found = []
        for directory, folders, files in os.walk(self.output):
            folders[:] = [name for name in folders if name != BUNDLE_DIR or directory != str(self.output)]
            for name in files:
                relative = _relative_html(self.output, os.path.join(directory, name))
                if relative is not None and relative not in self._order:
                    found.append(relative)
        return sorted(found)


def index_site(output: Path, *, language: str = "en") -> str:
    """Index a site already built in `output` (its pages in path order); returns a one-line summary."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise SearchIndexFailed(f"{output}: no built site to index (expected `invoke build` to have written it)")
    indexer = SearchIndexer(output, language=language, while_writing=False)
    return indexer.finish()


def _relative_html(output: Path, path: str | Path) -> str | None:
    """`path` relative to the output folder as a posix path, if it is an HTML page outside the bundle."""
    if not str(path).endswith(".html"):
        return None
    relative = os.path.relpath(os.path.abspath(path), output).replace(os.sep, "/")
    return None if relative.startswith(("../", f"{BUNDLE_DIR}/")) else relative


def _has_search_body(html: str) -> bool:
    """Whether a tag of the page carries data-pagefind-body (text that merely mentions it is escaped: no `<`)."""
    return "data-pagefind-body" in html and _SEARCH_BODY.search(html) is not None


def _changed(path: Path, seen: os.stat_result) -> bool:
    try:
        now = path.stat()
    except OSError:
        return True
    return (now.st_size, now.st_mtime_ns, now.st_ino) != (seen.st_size, seen.st_mtime_ns, seen.st_ino)
