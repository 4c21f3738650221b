"""The search index in pieces: which piece a page is in, how many pieces an edition has, what each piece keeps.

Pagefind's memory while it builds an index grows with the pages in it (0.12 MB a page: 600 MB for 4,700 pages,
twice the build's own process), and a rebuild would index every page again for one edited post. So the index is
cut into a few pieces, each an independent Pagefind bundle built by its own Pagefind process, which the reader's
browser merges (Pagefind's `mergeIndex`; theme/static/js/search.js):

- A page's piece is a pure function of its path under the output folder and the number of pieces (sha256 of the
  path, modulo the count): editing or adding a post touches one piece, the others keep their exact pages, and a
  piece unchanged since the last build can be copied from the cache (piece_cache.py) instead of indexed.
- The number of pieces is a pure function of the number of marked pages: one below PAGES_PER_PIECE, one more per
  PAGES_PER_PIECE after that, never more than MOST_PIECES (a reader's search loads one small entry, metadata and
  index chunk per piece). It changes only when the archive crosses a threshold.
- The first piece is the primary bundle at `pagefind/`, with Pagefind's UI; piece n (n >= 2) is at
  `pagefind/piece-n/` and keeps only what a search reads from it (PIECE_FILES). `pagefind/pieces.json` lists the
  pieces and the languages each holds: a piece without the reader's language is not loaded (Pagefind would search
  its other language instead).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence

# Marked pages: below it one piece. Pagefind's peak while it builds a piece's index grows faster than the piece
# (89 MB at 600 pages, 171 MB at 1,200: it copies every page before building); at 800 a piece peaks near 115 MB,
# below the 1.3x vanilla Pelican the build allows itself (docs/benchmarks.md, the twelfth round).
PAGES_PER_PIECE = 800
# A reader's browser never merges more than this many indexes. What a piece costs a reader's search: its entry,
# its metadata (some 12 KB at 800 pages) and, per word searched, one index chunk (some 20 KB); Pagefind's
# WebAssembly is fetched once, from the first piece (tests/browser/test_search_pieces.py).
MOST_PIECES = 8
MANIFEST = "pieces.json"  # in the primary bundle: what search.js reads to learn the pieces
# What a search reads from a piece that is not the primary bundle: its entry, metadata, word index, filters and
# fragments, and Pagefind's search engine (pagefind.js, its worker and WebAssembly), which the reader's browser
# loads from the piece that holds its language when the primary bundle does not. The UI files stay in pagefind/.
PIECE_FILES = re.compile(
    r"^(?:pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(?:index|filter|fragment)/[^/]+"
    r"|pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$"
)


def piece_count(marked_pages: int, pages_per_piece: int = PAGES_PER_PIECE) -> int:
    """How many pieces an index of `marked_pages` pages is cut into: 1, 2, … MOST_PIECES."""
    return min(MOST_PIECES, 1 + marked_pages // pages_per_piece)


def piece_of(relative_path: str, pieces: int) -> int:
    """The piece (0-based) of the page at `relative_path` (posix, under the output folder) among `pieces`."""
    digest = hashlib.sha256(relative_path.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % pieces


def piece_folder(piece: int) -> str:
    """The piece's folder under the bundle folder: "" for the primary bundle, else "piece-<n>/" (1-based)."""
    return "" if piece == 0 else f"piece-{piece + 1}/"


def piece_files(files: Mapping[str, bytes], piece: int) -> dict[str, bytes]:
    """The files of a piece's bundle that are published: all of the primary's, the PIECE_FILES of another."""
    return {name: content for name, content in files.items() if piece == 0 or PIECE_FILES.match(name)}


def manifest(languages_by_piece: Mapping[int, Sequence[str]]) -> bytes:
    """pieces.json: each piece's folder (relative to the bundle folder) and the languages its index holds, in the
    pieces' order; a piece without pages is not listed."""
    pieces = [
        {"path": piece_folder(piece), "languages": sorted(languages)}
        for piece, languages in sorted(languages_by_piece.items())
    ]
    return json.dumps({"pieces": pieces}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
