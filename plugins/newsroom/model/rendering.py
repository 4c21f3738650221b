"""Each source file is converted from Markdown once per build: the content checks convert it, and the reader takes
the result rather than converting the same text again.

The checks must see the HTML the sanitiser will see, so they convert every post exactly as Pelican's reader does
(the site's MARKDOWN settings, completed as the reader completes them, metadata header included). The reader then
uses that HTML and metadata when the file still holds the very text that was converted, and converts it itself
otherwise. Converting a post is a third of what reading it costs; doing it twice made the checks as dear as the
rest of reading.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from markdown import Markdown

from newsroom.kit.content_cache import reader_markdown_settings

RENDERED = "newsroom_rendered"  # where the checks leave their conversions for the reader (lower-case: not a setting)


@dataclass(frozen=True)
class Rendered:
    """One file's text, the HTML Markdown made of it, and the metadata its header gave (as Markdown's Meta)."""

    text: str
    html: str
    meta: dict[str, list[str]]


class MarkdownRenderer:
    """Markdown as Pelican's reader runs it, remembering each file's conversion (by its path under content/)."""

    def __init__(self, settings: Mapping, *, remember: bool = True):
        self._markdown = Markdown(**reader_markdown_settings(settings["MARKDOWN"]))
        self.rendered: dict[str, Rendered] = {}
        self._remember = remember  # False for the checks alone (`invoke check`): no reader will come

    def render(self, content_relative: str, text: str) -> str:
        self._markdown.reset()
        html = self._markdown.convert(text)
        if self._remember:
            meta = {name: list(values) for name, values in getattr(self._markdown, "Meta", {}).items()}
            self.rendered[content_relative] = Rendered(text, html, meta)
        return html


def keep_for_reader(settings: MutableMapping, renderer: MarkdownRenderer) -> None:
    settings[RENDERED] = renderer.rendered


def take_rendered(settings: MutableMapping, content_relative: str) -> Rendered | None:
    """The checks' conversion of a file, handed over once (the reader keeps the HTML; this build needs no copy)."""
    return settings.get(RENDERED, {}).pop(content_relative, None)


def forget_rendered(settings: MutableMapping) -> None:
    """Drop what the reader did not take (files served from Pelican's content cache, or not read at all)."""
    settings.pop(RENDERED, None)
