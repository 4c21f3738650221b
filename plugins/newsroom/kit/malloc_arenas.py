"""One malloc arena for the whole build, so that memory one thread frees is memory the next allocation reuses.

glibc gives each thread that allocates while another holds the main arena an arena of its own (up to eight per
core), and what a thread frees stays in its arena for that arena's next allocations. The build's threads are
short-lived and busy: the search index's reader threads decode each piece's files (some 10 MB a piece at 5,000
posts) and the pieces are built on threads of their own. Their arenas kept that memory resident after it was
freed: the build's peak was 245–262 MB with them and 195–199 MB in one arena (5,000 posts, four builds each).
Python holds its interpreter lock for nearly every allocation, so one arena costs no waiting.

`MALLOC_ARENA_MAX` set in the environment is the person's own choice and wins. Another C library (macOS, musl)
has no such arenas: nothing to do there.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>


def use_one_malloc_arena() -> bool:
    """Ask glibc for a single arena from now on; True when it agreed, False where it does not apply."""
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process already runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_ARENA_MAX, 1) == 1
