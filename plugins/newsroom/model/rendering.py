"""Each source file is converted from Markdown and sanitised once per build: the content checks do both, and the
reader takes the results rather than doing the same work on the same text again.

The checks must see the HTML the sanitiser will see, so they convert every post exactly as Pelican's reader does
(the site's MARKDOWN settings, completed as the reader completes them, metadata header included). The reader then
uses that HTML and metadata when the file still holds the very text that was converted, and converts it itself
otherwise. Converting a post is a third of what reading it costs; doing it twice made the checks as dear as the
rest of reading. The sanitiser's result travels with the HTML for the same reason: the checks need it to name what
it removes, the reader to publish it, and it is one function of the HTML and the embed hosts.

What waits for the reader is kept small, since it waits for every post at once, through the checks:
- A conversion names the text it was made from by the text's sha256, not by the text: the reader compares it with
  the file it reads, and every post's text is not kept alive until then (28 MB at 5,000 posts, while Pelican reads).
- The HTML waits as UTF-8 and is decoded when asked for. One curly quote or dash makes a Python string two bytes a
  character, and a newsroom's prose has them in every post: 27 MB of HTML at 5,000 posts is 13.5 MB as UTF-8, for
  some 30 ms of encoding and decoding.

A text Markdown cannot convert is a post's problem, not the build's: lists, quotes or emphasis nested some hundreds
of levels deep (`*` two thousand times) take Markdown and its extensions past Python's recursion limit, and an
extension may fail on other odd input. That limit counts every frame on the stack, and a conversion starts at a
different depth in the checks, in their helper process and in the reader: a text nested close to it would pass in
one and fail in another. So every conversion gets the same depth of its own (`own_depth`, CONVERSION_DEPTH frames
from where it starts), and whether a text converts is a property of the text alone. Every conversion goes through
`convert`, in this process or the forked helper (parallel_convert.py), and comes back as a Rendered whatever
happens: a failure is held in it (`failure`) for the checks to name with the file, and is never taken for a clean
text or handed to the reader; the reader converts what it must within `own_depth` too.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass

from markdown import Markdown

from newsroom.kit.content_cache import reader_markdown_settings
from newsroom.kit.errors import clipped
from newsroom.kit.utf8 import from_utf8, utf8
from newsroom.model.sanitize import clean_html

RENDERED = "newsroom_rendered"  # where the checks leave their conversions for the reader (lower-case: not a setting)
# The frames a conversion may use, counted from where it starts: Python's default limit (1,000) less the depth at
# which the checks used to convert, so that what converted then converts now.
CONVERSION_DEPTH = 900


@dataclass(frozen=True)
class Rendered:
    """One file's text (its text_digest), the HTML Markdown made of it, the metadata its header gave (as
    Markdown's Meta), and the HTML as the sanitiser leaves it (`clean`: the HTML itself when it changes nothing, as
    for nearly every post). The HTML is held as UTF-8 (`of` makes one from strings)."""

    digest: bytes
    html_utf8: bytes
    meta: dict[str, list[str]]
    clean_utf8: bytes | None  # None: the sanitiser changed nothing
    failure: Unconvertible | None = None  # why Markdown could not convert the text (then there is no HTML)

    @classmethod
    def of(cls, digest: bytes, html: str, meta: dict[str, list[str]], clean: str) -> Rendered:
        return cls(digest, utf8(html), meta, None if clean == html else utf8(clean))

    @classmethod
    def unconvertible(cls, digest: bytes, failure: Unconvertible) -> Rendered:
        return cls(digest, b"", {}, b"", failure)

    @property
    def sanitiser_removed_nothing(self) -> bool:
        return self.clean_utf8 is None and self.failure is None

    @property
    def html(self) -> str:
        return from_utf8(self.html_utf8)

    @property
    def clean(self) -> str:
        return self.html if self.clean_utf8 is None else from_utf8(self.clean_utf8)


class MarkdownRenderer:
    """Markdown as Pelican's reader runs it, remembering each file's conversion (by its path under content/)."""

    def __init__(
        self,
        settings: Mapping,
        embed_hosts: tuple[str, ...] = (),
        image_hosts: tuple[str, ...] = (),
        *,
        remember: bool = True,
    ):
        self._markdown = Markdown(**reader_markdown_settings(settings["MARKDOWN"]))
        self._embed_hosts, self._image_hosts = embed_hosts, image_hosts
        self.rendered: dict[str, Rendered] = {}
        self.ready: dict[str, Rendered] = {}  # converted ahead by another process (parallel_convert.py)
        self._remember = remember  # False for the checks alone (`invoke check`): no reader will come

    def render(self, content_relative: str, text: str) -> Rendered:
        rendered = self.ready.pop(content_relative, None)
        if rendered is None or rendered.digest != text_digest(text):  # not converted ahead, or not this text
            rendered = self.convert(text)
        if self._remember:
            self.rendered[content_relative] = rendered
        return rendered

    def settle(self, content_relative: str) -> Rendered | None:
        """The checks are done with this file: a conversion made ahead that they did not ask for (a body with
        nothing the checks read in its HTML) goes to the reader all the same, or is let go if none will come;
        returns it (None: they asked for it, or there was none)."""
        rendered = self.ready.pop(content_relative, None)
        if rendered is not None and self._remember:
            self.rendered[content_relative] = rendered
        return rendered

    def convert(self, text: str) -> Rendered:
        """`text` converted as Pelican's reader would convert it (HTML and header metadata), and sanitised; or,
        when Markdown cannot convert it, why not (Rendered.failure)."""
        self._markdown.reset()
        try:
            with own_depth():
                html = self._markdown.convert(text)
        except Exception as error:  # RecursionError too: a post's text, never the build, is what is wrong
            return Rendered.unconvertible(text_digest(text), conversion_failure(error, text))
        meta = {name: list(values) for name, values in getattr(self._markdown, "Meta", {}).items()}
        return Rendered.of(text_digest(text), html, meta, clean_html(html, self._embed_hosts, self._image_hosts))


@contextlib.contextmanager
def own_depth() -> Iterator[None]:
    """Python's recursion limit set CONVERSION_DEPTH frames past the caller's, for the conversion within: the same
    depth wherever it runs."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + CONVERSION_DEPTH)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@dataclass(frozen=True)
class Unconvertible:
    """Why Markdown could not convert a text, in words for its author, and the text of the line to point at."""

    reason: str
    line: str  # "": no line stands out (the message points at the body's first line)


def conversion_failure(error: Exception, text: str) -> Unconvertible:
    """What to tell the author of `text`, which Markdown failed to convert with `error`."""
    if isinstance(error, RecursionError):
        return Unconvertible(
            "Markdown cannot convert it: this line is nested too deeply (lists, quotes or emphasis some hundreds of "
            "levels deep, such as a long run of '*' or '_', or list items indented level after level) (expected "
            "the nesting simplified: fewer levels, or the characters escaped as \\* or written in `code`)",
            deepest_line(text),
        )
    return Unconvertible(
        f"Markdown cannot convert it ({type(error).__name__}: {clipped(str(error))}) (expected the part that makes "
        "it fail simplified, or written in `code`; if the text looks ordinary, tell the web team)",
        "",
    )


def deepest_line(text: str) -> str:
    """The line of `text` that nests deepest, as Markdown nests: its indentation (a list level per 4 columns), its
    quote markers, or its longest run of emphasis characters. Read only once a conversion has failed."""

    def depth(line: str) -> int:
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        quoted = line[: len(line) - len(line.lstrip("> \t"))].count(">")
        run = longest = 0
        for index, character in enumerate(line):
            run = run + 1 if character in "*_" and index and line[index - 1] in "*_" else int(character in "*_")
            longest = max(longest, run)
        return max(indent // 4, quoted, longest // 2)

    return max(text.splitlines() or [""], key=depth)


def text_digest(text: str) -> bytes:
    """What tells one text from any other: its sha256."""
    return hashlib.sha256(utf8(text)).digest()


def keep_for_reader(settings: MutableMapping, renderer: MarkdownRenderer) -> None:
    settings[RENDERED] = renderer.rendered


def take_rendered(settings: MutableMapping, content_relative: str) -> Rendered | None:
    """The checks' conversion of a file, handed over once (the reader keeps the HTML; this build needs no copy)."""
    return settings.get(RENDERED, {}).pop(content_relative, None)


def forget_rendered(settings: MutableMapping) -> None:
    """Drop what the reader did not take (files served from Pelican's content cache, or not read at all)."""
    settings.pop(RENDERED, None)
