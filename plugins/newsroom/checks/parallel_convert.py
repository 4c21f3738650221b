"""Converting the posts' Markdown in two processes: the checks' conversions (rendering.py), ready sooner.

Converting Markdown is the largest single cost of reading a site, and each file's conversion depends on nothing
but its text and the settings. Before the checks look at the posts, a forked helper converts every other text
while this process converts the rest; the helper sends its results back in one message. A conversion (and the
sanitiser's reading of it) is the same in either process (the same Markdown, settings and text), so the build is
the same; should the helper fail, this process converts what it did not get, as it would have without it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Sequence

from newsroom.model.rendering import MarkdownRenderer

# Below this many texts the fork costs more than it saves (a rebuild converts only what changed).
WORTH_A_HELPER = 64


def convert_ahead(renderer: MarkdownRenderer, texts: Sequence[tuple[str, str]]) -> int:
    """Convert each (path under content/, text) into `renderer`, half of them in a helper process; returns how
    many the helper converted (0 when it was not worth one, or it failed)."""
    if len(texts) < WORTH_A_HELPER or not hasattr(os, "fork"):
        return 0
    helped, own = texts[1::2], texts[0::2]
    results, send = os.pipe()
    sys.stdout.flush(), sys.stderr.flush()
    helper = os.fork()
    if helper == 0:  # the helper: convert its half, send it, exit (it never returns)
        os.close(results)
        code = 1
        try:
            converted = [(path, renderer.convert(text)) for path, text in helped]
            with os.fdopen(send, "wb") as pipe:
                pickle.dump(converted, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    # Into `ready`, as the helper's half goes: the checks then take each conversion from there, whichever process
    # made it (render() through `rendered` would leave this half to be converted again when the checks ask).
    renderer.ready.update((path, renderer.convert(text)) for path, text in own)
    received: list = []
    with os.fdopen(results, "rb") as pipe, contextlib.suppress(EOFError, ValueError, pickle.UnpicklingError):
        received = pickle.load(pipe)  # nothing (EOF) when the helper failed before sending
    _, status = os.waitpid(helper, 0)
    if status != 0:
        return 0  # what it did not send is converted when the checks ask for it
    renderer.ready.update(received)
    return len(received)
