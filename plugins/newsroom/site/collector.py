"""Python's garbage collector during a build: what the build holds to its end is not searched again and again.

A build holds the checks' findings, its posts and the site's context (every listing, each language's edition)
from the time it makes them until its last page is written. Python's cyclic garbage collector searches every
container it tracks at each full collection, and runs one each time the heap has grown by a quarter: at 5,000
posts in two languages, 1.3 s of the build's first process, nearly all of it spent going through what the build
holds anyway. So at two points (the checks done; the context complete, before any page is written) the build moves
what it holds into the collector's permanent generation (gc.freeze), which full collections leave alone. What
the build makes after that, each page's render, is collected as before; what it held is let go through reference
counts as ever, and only a cycle among it waits for the end of the build. When the build ends, or stops, all of it
is handed back (gc.unfreeze): a process that builds again (`invoke livereload`) collects the earlier build.

parallel_render.py freezes once more just before it forks: the second process then shares those pages of memory
with the first instead of copying each one its collector would touch.

A command that builds once and ends (`invoke build`, `invoke preview`) need not free the build at all: when Python
ends, its last full collection goes through everything it holds and frees the build's objects one by one (0.6 to
1.2 s at 5,000 posts in two languages, on one core, after the last page is written), memory the system takes back
at once when the process ends. `leave_to_the_system_at_exit` freezes everything as the process ends instead, so
that collection finds nothing to do. Only what the collector would free is left: every open file the newsroom
writes is closed by its `with` block, and the exit handlers (temporary folders' clean-up among them) run as ever.
"""

from __future__ import annotations

import atexit
import gc


def keep_out_of_collections() -> None:
    """Everything tracked now is held to the end of the build: full collections leave it alone from now on."""
    gc.freeze()


def collect_as_before() -> None:
    """The build is over: what it held is collected like anything else again."""
    gc.unfreeze()


def leave_to_the_system_at_exit() -> None:
    """The process ends after this build: what it holds is not freed object by object as Python ends."""
    atexit.unregister(gc.freeze)  # once, however many builds the process runs
    atexit.register(gc.freeze)
