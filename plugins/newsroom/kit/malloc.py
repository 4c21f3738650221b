"""What the build asks of glibc's malloc, so that memory it frees is reused or handed back rather than kept.

**One arena.** glibc gives each thread that allocates while another holds the main arena an arena of its own (up
to eight per core), and what a thread frees stays in its arena for that arena's next allocations. The build's
threads are short-lived and busy: the search index's reader threads decode each piece's files (some 10 MB a piece
at 5,000 posts) and the pieces are built on threads of their own. Their arenas kept that memory resident after it
was freed: the build's peak was 245–262 MB with them and 195–199 MB in one arena (5,000 posts, four builds each).
Python holds its interpreter lock for nearly every allocation, so one arena costs no waiting.

**Large blocks straight from the system, always.** A block at or above glibc's threshold comes from a mapping of
its own, which freeing it hands back at once; anything smaller comes from the heap, where a freed block is a hole
that stays resident until something that fits is allocated there. glibc starts the threshold at 128 KiB, then
raises it to the size of any mapped block freed (up to 32 MiB), and a build frees large blocks early: a piece of
the search index comes back from Pagefind as a few MB of JSON. From then on every page's text, its search document
and each feed's XML (thousands of them, tens to hundreds of KiB each, freed soon after) came from the heap, among
what the build keeps to its end, and left it full of holes. So the build fixes the threshold at 64 KiB: a page's
text is often between 64 and 128 KiB, and fixing it at 128 KiB left the peak where it was. At 5,000 posts in two
languages the first process's peak went from 162–165 MB to 152–155 MB, with the feeds written by the second process
(site/parallel_render.py; docs/benchmarks.md, "The twentieth round").

A value set in the environment (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`) is the person's own choice and wins.
Another C library (macOS, musl) has neither: nothing to do there.
"""

from __future__ import annotations

import ctypes
import os
import sys

# glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
LARGE_BLOCK = 64 * 1024  # half glibc's starting threshold: see above


def tune_malloc() -> None:
    """Both of the above, for the process about to build (before any thread starts)."""
    use_one_malloc_arena()
    give_large_blocks_back()


def use_one_malloc_arena() -> bool:
    """Ask glibc for a single arena from now on; True when it agreed, False where it does not apply."""
    return _mallopt("MALLOC_ARENA_MAX", M_ARENA_MAX, 1)


def give_large_blocks_back() -> bool:
    """Ask glibc to map every block of LARGE_BLOCK or more on its own, whatever blocks were freed before; True when
    it agreed, False where it does not apply."""
    return _mallopt("MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD, LARGE_BLOCK)


def _mallopt(variable: str, parameter: int, value: int) -> bool:
    if variable in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process already runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(parameter, value) == 1
