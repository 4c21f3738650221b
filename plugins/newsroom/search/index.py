"""Archive search: the Pagefind index of exactly the pages an edition wrote, the same files for the same pages.

Pagefind (a static search tool whose PyPI package ships its binary) runs as a service beside the build
(pagefind.py): `SearchIndexer` gives it each page as Pelican writes it, so Pagefind reads pages on the second core
while Pelican renders the next ones on the first, and writes the bundle into `pagefind/` once the build is over. A
post this edition withholds (draft, hidden, internal, embargoed) is never written, so it cannot enter the index.
Only pages marked `data-pagefind-body` (published article pages) are indexed; listings are not (and are not even
sent: Pagefind would parse them only to leave them out), and of an article page Pagefind is given the marked
article alone (documents.py).
Filters: audience, category and year (`data-pagefind-filter` in theme/templates/article.html). Tables inside a
post are not indexed (NOT_INDEXED), so result snippets come from its prose.

The index is cut into pieces (pieces.py: a page's piece is a hash of its path; their number follows the number of
marked pages), each an independent bundle built by its own Pagefind process, which the reader's browser merges.
The build says how many article pages it will write once it knows (`expect_pages`); until then, or when the count
turns out otherwise, pages wait and are placed once the number is known, so the pieces depend only on the pages.
Each piece's Pagefind is closed as soon as its files are taken, so each Pagefind process's memory is bounded by a
piece; two pieces are built at a time on a machine with two cores (INDEXED_AT_ONCE).

A rebuild reuses the pieces whose pages did not change (piece_cache.py). A piece's pages are not sent to Pagefind
while they are, one by one, the pages its cached record lists: only when one differs are the ones held sent, and
the rest streamed as before; a piece whose pages all match is copied from the cache, at no Pagefind cost.

Building a piece's index is Pagefind's largest step. It can be asked for early (`index_ahead`, once the article
pages, the only ones marked, are written): each piece then builds its index on the second core while the build
writes the rest. If no page reaches a piece after that, its early index is its index; if one does (a theme that
marks other pages), that piece is indexed again from its pages, which gives the same index as if it had never been
asked early (tested), so the early index only ever saves time.

Pagefind numbers pages in the order it is given them, so the order is part of each piece: the pages the build
wrote, in the order it wrote them (Pelican's order is fixed by the content), then any other HTML file in the
output folder by path. Whether the pages are sent while Pelican renders or after it, the bundle is the same, byte
for byte (bundle.py puts Pagefind's filter lists in order).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.kit.paths import relative_posix
from newsroom.model.ownership import SEARCH_INDEX_DIR, output_files
from newsroom.search.bundle import ENTRY, BundleFormatError, make_deterministic
from newsroom.search.documents import is_marked, search_document
from newsroom.search.pagefind import PagefindService, PagefindServiceError
from newsroom.search.piece_cache import PieceCache, index_fingerprint
from newsroom.search.pieces import MANIFEST, PAGES_PER_PIECE, manifest, piece_count, piece_files, piece_folder, piece_of
from newsroom.search.staging import Staging, drop

BUNDLE_DIR = SEARCH_INDEX_DIR  # under the output folder; the search page loads pagefind-ui.js from here
# Tables in a post (financial statements, guidance) are left out of the index: Pagefind cuts its result snippets
# from indexed text, and a run of table cells ("Revenue 1,904 1,700 +12.0% Adjusted EBITDA…") reads as noise.
# What a table says is also said in the post's prose, where the snippet then comes from.
NOT_INDEXED = (".e-content table",)
# Pieces whose index Pagefind builds at the same time, one per core up to two: building an index is mostly one
# core's work. Each Pagefind process holds one piece's index, so the build's memory then holds this many at once.
INDEXED_AT_ONCE = min(2, os.cpu_count() or 1)


class SearchIndexFailed(NewsroomError):
    """Pagefind could not index the site; the message says why and what to do."""


@dataclass
class _Piece:
    """One piece of the index while it is being built."""

    number: int
    recorded: list[tuple[str, str]] | None  # the pages of the cached piece, if any
    pages: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256 of its document), in order
    held: list[str] = field(default_factory=list)  # pages of this piece its current Pagefind has not been given
    service: PagefindService | None = None
    # The published files of Pagefind's index of exactly `pages`, once it has one, waiting on disk (staging.py).
    indexed: Path | None = None
    diverged: bool = False  # the pages are no longer the cached record's: they go to Pagefind

    def drop_index(self) -> None:
        drop(self.indexed)
        self.indexed = None

    def close(self) -> None:
        if self.service is not None:
            self.service.close()
            self.service = None
        self.held = [path for path, _ in self.pages]  # a new service must be given them all


class SearchIndexer:
    """The search index of one build: `page_written` for each page as it is written, then `finish`.

    Pages go to Pagefind from a thread of their own, so Pelican never waits for Pagefind (which reads them on the
    other core). With `while_writing` False the pages are only remembered, and sent in `finish` (the plain path,
    kept to show that indexing alongside the build changes nothing in the result). `cache` is the build's cache
    folder (None: every piece is indexed); `pages_per_piece` is pieces.py's threshold."""

    def __init__(
        self,
        output: Path,
        *,
        language: str | None = "en",
        while_writing: bool = True,
        every_page: bool = False,
        cache: Path | None = None,
        pages_per_piece: int = PAGES_PER_PIECE,
    ):
        # Pelican names the files it writes under os.path.abspath(OUTPUT_PATH): the same form, no symlinks resolved.
        self.output = Path(os.path.abspath(output))
        self.language = language
        self.while_writing = while_writing
        self.pages_per_piece = pages_per_piece
        # One language for the archive of a newsroom in one language (a post's own Lang: would split it off);
        # a newsroom in several (language None) gets one index per language, from each page's <html lang>.
        self._config: dict = {"exclude_selectors": list(NOT_INDEXED)}
        if language:
            self._config["force_language"] = language
        self._cache = PieceCache(cache, index_fingerprint(self._config))
        self._order: dict[str, None] = {}  # the pages the build wrote, in the order it wrote them
        self._read: dict[str, tuple[int, int, int]] = {}  # page -> its file's identity when it was read (_identity)
        self._indexed: list[tuple[str, str]] = []  # the pages read that go into the index, with their digests
        self._pieces: list[_Piece] | None = None  # once their number is known
        self._staging = Staging()  # where each piece's files wait for the bundle
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._error: str | None = None
        self._closing = False
        self._every_page = every_page  # True: send every page whole, listings too (the reference, for tests)
        self.copied = 0  # pieces copied from the cache by the last finish

    def page_written(self, path: str | Path, on_disk: Callable[[], bool] | None = None) -> None:
        """Pelican wrote `path` (any file): an HTML page under the output folder goes to Pagefind now or later.

        `on_disk`, for a page another process writes (parallel_render.py), waits until it is there (False: it
        never will be); the pages still go to Pagefind in the order they were given here."""
        relative = _relative_html(self.output, path)
        if relative is None or relative in self._order:
            return
        self._order[relative] = None
        if self.while_writing:
            self._on_sender(lambda: self._take_written(relative, on_disk))

    def expect_pages(self, marked: int, pages_per_piece: int | None = None) -> None:
        """The build will write `marked` pages marked for search: pages can be placed in their pieces as they
        come. Only a forecast: `finish` counts the pages indexed, and places them again if the count differs.
        `pages_per_piece`, when given, is the build's validated setting, known only once the build has started."""
        if pages_per_piece is not None:
            self.pages_per_piece = pages_per_piece
        if self.while_writing:
            self._on_sender(lambda: self._place_all(piece_count(marked, self.pages_per_piece)))

    def index_ahead(self) -> None:
        """Have Pagefind build each piece's index from the pages sent so far, beside the rest of the build; `finish`
        uses a piece's if no page reaches that piece after it. Only where pages are sent while the build writes."""
        if self.while_writing and self._sender is not None:
            self._on_sender(self._index_ahead)

    def finish(self) -> str:
        """Send what is left, then write the bundle of each piece into `pagefind/`; returns a one-line summary."""
        try:
            self._stop_sender()
            if self._error:
                raise SearchIndexFailed(self._error)
            if any(_changed(self.output / name, seen) for name, seen in self._read.items()):
                self._start_again()  # a page rewritten after Pagefind read it: start again from what is on disk now
            pages = [*self._order, *self._other_pages()]
            self._take_all(pages)
            if not self._indexed and not self._every_page:  # no page marked: Pagefind indexes every page
                self._start_again()
                self._every_page = True
                self._take_all(pages)
            count = 1 if self._every_page else piece_count(len(self._indexed), self.pages_per_piece)
            if self._pieces is None or len(self._pieces) != count:
                self._place_all(count)
            self._write_bundle()
        except (OSError, PagefindServiceError, BundleFormatError) as error:
            raise SearchIndexFailed(str(error)) from None
        finally:
            self.close()
        pieces = f"{count} piece{'s' if count > 1 else ''}" + (f", {self.copied} unchanged" if self.copied else "")
        return f"Pagefind indexed {len(self._indexed)} page(s) into {BUNDLE_DIR}/ ({pieces})"

    def close(self) -> None:
        self._closing = True  # a build that failed: the pages still queued are not worth sending
        self._stop_sender()
        for piece in self._pieces or ():
            piece.close()
        self._staging.close()

    # --- Reading pages and placing them in their pieces ---------------------------------------------------------

    def _take_written(self, relative: str, on_disk: Callable[[], bool] | None) -> None:
        if self._error is not None or self._closing:
            return
        if on_disk is not None and not on_disk():
            self._error = f"{relative}: the process rendering it stopped before writing it"
            return
        try:
            self._take(relative)
        except (OSError, PagefindServiceError) as error:
            self._error = str(error)  # raised by finish: a signal receiver must not stop Pelican half-way

    def _take_all(self, pages: list[str]) -> None:
        for relative in pages:
            if relative not in self._read and (self.output / relative).is_file():
                self._take(relative)

    def _take(self, relative: str) -> None:
        """Read a page; if it goes into the index, place it in its piece (once their number is known)."""
        stat, document = self._document(relative)
        self._read[relative] = _identity(stat)
        if document is None:
            return
        page = (relative, hashlib.sha256(document.encode("utf-8")).hexdigest())
        self._indexed.append(page)
        if self._pieces is not None:
            self._place(page, document)

    def _document(self, relative: str) -> tuple[os.stat_result, str | None]:
        """The page's stat (taken before reading: a later rewrite changes it, and finish sees that) and what
        Pagefind is given of it (None: it is not indexed)."""
        with open(self.output / relative, "rb") as file:
            stat = os.fstat(file.fileno())
            html = file.read().decode("utf-8", errors="replace")
        if self._every_page:
            return stat, html
        # Pagefind indexes only the pages marked data-pagefind-body when any page has the mark; it would read the
        # listings only to leave them out (a third of its work). Should no page have it, finish sends all.
        # Of a marked page, the marked element alone: the same index for less reading (documents.py).
        return stat, search_document(html) if is_marked(html) else None

    def _place_all(self, count: int) -> None:
        """Cut the index into `count` pieces and place every page read so far (its document is read again when
        its piece needs it)."""
        for piece in self._pieces or ():
            piece.close()
            piece.drop_index()
        self._pieces = [_Piece(number, self._cache.recorded_pages(number, count)) for number in range(count)]
        for page in self._indexed:
            self._place(page, None)

    def _place(self, page: tuple[str, str], document: str | None) -> None:
        """Add a page to its piece: held while the piece's pages are still its cached record's, else sent
        (with the pages held before it), or held for later when its `document` is not at hand."""
        piece = self._pieces[piece_of(page[0], len(self._pieces))]
        piece.drop_index()  # an index built before this page is not the piece's index
        piece.pages.append(page)
        recorded = piece.recorded or ()
        if len(piece.pages) > len(recorded) or recorded[len(piece.pages) - 1] != page:
            piece.diverged = True
        if piece.diverged and document is not None:
            self._send_held(piece)
            piece.service.add_html(page[0], document)
        else:
            piece.held.append(page[0])

    def _send_held(self, piece: _Piece) -> None:
        if piece.service is None:
            piece.service = PagefindService(self.output, self._config)
        for relative in piece.held:
            # Read again rather than kept since it was first read (5 KB a page). Should it have been rewritten
            # since, its stat no longer matches the one kept, and finish starts again from what is on disk.
            _, document = self._document(relative)
            if document is not None:
                piece.service.add_html(relative, document)
        piece.held = []

    # --- Building each piece's index ----------------------------------------------------------------------------

    def _index_ahead(self) -> None:
        if self._error is not None or self._closing or self._pieces is None or self._every_page:
            return  # nothing placed yet, or nothing marked yet: finish may send every page instead (see finish)
        try:
            # Should a page follow, a piece indexed now is indexed again (_place drops its files).
            self._index_pieces(
                [piece for piece in self._pieces if piece.diverged and piece.indexed is None and piece.pages]
            )
        except (OSError, PagefindServiceError, BundleFormatError) as error:
            self._error = str(error)

    def _write_bundle(self) -> None:
        """Each piece's files, from its index (early or now) or the cache; written in the pieces' order, one piece
        in memory at a time."""
        bundle, self.copied, languages, count = self.output / BUNDLE_DIR, 0, {}, len(self._pieces)
        # Pagefind would leave the files of earlier runs in place: a fragment of a post since withdrawn would
        # stay on the server. Start from nothing, so the bundle holds exactly this build.
        shutil.rmtree(bundle, ignore_errors=True)
        # An empty piece other than the primary (which holds the UI) is left out.
        written = [piece for piece in self._pieces if piece.pages or piece.number == 0]
        self._index_pieces(
            [
                piece
                for piece in written
                if piece.indexed is None and (piece.diverged or not self._cache.holds(piece.number, count, piece.pages))
            ]
        )
        for piece in written:
            files = None if piece.indexed is not None else self._cache.files(piece.number, count, piece.pages)
            if files is not None:
                self.copied += 1
            else:
                if piece.indexed is None:  # a cached file damaged since its record was read: indexed after all
                    self._index_piece(piece)
                files = self._staging.read(piece.indexed)
                self._cache.store(piece.number, count, piece.pages, files)
            _write_files(str(bundle / piece_folder(piece.number)), files)
            if piece.pages:
                languages[piece.number] = list(json.loads(files[ENTRY])["languages"])
        (bundle / MANIFEST).write_bytes(manifest(languages))
        self._cache.keep_only(count)

    def _index_pieces(self, pieces: list[_Piece]) -> None:
        """Have Pagefind build each piece's index (`indexed`), INDEXED_AT_ONCE at a time; which thread builds
        which piece changes nothing in its files."""
        at_once = min(INDEXED_AT_ONCE, len(pieces))
        if at_once <= 1:
            for piece in pieces:
                self._index_piece(piece)
            return
        with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="search-piece") as pool:
            started = [pool.submit(self._index_piece, piece) for piece in pieces]
            try:
                for indexed in started:
                    indexed.result()
            except BaseException:
                for indexed in started:
                    indexed.cancel()  # a failed piece fails the index: the pieces not begun are not worth building
                raise

    def _index_piece(self, piece: _Piece) -> None:
        self._send_held(piece)
        try:
            files = piece.service.get_files()
        finally:
            piece.close()  # its Pagefind's memory goes now
        piece.indexed = self._staging.keep(piece_files(make_deterministic(files), piece.number))

    def _start_again(self) -> None:
        self.close()
        self._closing = False
        self._read, self._indexed, self._pieces = {}, [], None

    # --- The thread that sends pages ----------------------------------------------------------------------------

    def _on_sender(self, task: Callable[[], None]) -> None:
        if self._sender is None:
            self._sender = threading.Thread(target=self._run_queued, name="search-index", daemon=True)
            self._sender.start()
        self._queue.put(task)

    def _run_queued(self) -> None:
        while (task := self._queue.get()) is not None:
            task()

    def _stop_sender(self) -> None:
        if self._sender is not None:
            self._queue.put(None)
            self._sender.join()
            self._sender = None

    def _other_pages(self) -> list[str]:
        """HTML files in the output folder the build did not write (copied, or left by an earlier build)."""
        return [
            relative
            for relative in output_files(self.output, leaving_out={BUNDLE_DIR})
            if relative.endswith(".html") and relative not in self._order
        ]


def index_site(output: Path, *, language: str = "en", pages_per_piece: int = PAGES_PER_PIECE) -> str:
    """Index a site already built in `output` (its pages in path order); returns a one-line summary."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise SearchIndexFailed(f"{output}: no built site to index (expected `invoke build` to have written it)")
    indexer = SearchIndexer(output, language=language, while_writing=False, pages_per_piece=pages_per_piece)
    return indexer.finish()


def _write_files(folder: str, files: dict[str, bytes]) -> None:
    """Write `files` ({path under `folder`: bytes}) in the order of their paths. Each folder is made once: a piece
    has some 700 files in a few folders, written after the last page while the other core has nothing to do."""
    made = set()
    for name, content in sorted(files.items()):
        parent = os.path.dirname(name)
        if parent not in made:
            os.makedirs(os.path.join(folder, parent), exist_ok=True)
            made.add(parent)
        with open(os.path.join(folder, name), "wb") as file:
            file.write(content)


def _relative_html(output: Path, path: str | Path) -> str | None:
    """`path` relative to the output folder as a posix path, if it is an HTML page outside the bundle."""
    if not str(path).endswith(".html"):
        return None
    relative = relative_posix(path, output)
    return None if relative.startswith(("../", f"{BUNDLE_DIR}/")) else relative


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a page's file from a rewrite of it (a whole stat_result is 0.8 KB: 4 MB at 5,000 posts)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _changed(path: Path, seen: tuple[int, int, int]) -> bool:
    try:
        return _identity(path.stat()) != seen
    except OSError:
        return True
