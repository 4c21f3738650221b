"""What a page reads while it renders: the per-page attributes of the posts it reads, and whether it read anything
from outside the build (a file, a process). And where Pelican's Content keeps a post's body meanwhile.

Pelican's Content objects keep a post's body, summary and revision history (PER_PAGE) as plain attributes. Here
they become data descriptors on the Content class that store into the instance's __dict__ as before, and note the
object whenever one is read while a page is being rendered, whichever code reads it: a template, a filter, Pelican's
own properties. A value remembered across pages (a post's card) is remembered with what making it read
(`remembered`), so a page that takes it from the memo has read the same. An audit hook notes a page that opened a
file or started a process while rendering. kept_pages.py writes a page from the cache only when all it read is
unchanged.

The body (`_content`) waits outside the heap, in the build's text store (text_store.py), and is read back each
time it is asked for (outside a build, as UTF-8). For the same reason Pelican's memoised `get_content` (the body
with {filename} links resolved) is computed each time it is asked for, a couple of times per post: its memo kept
every body, decoded, for the whole build.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable

from pelican.contents import Content

from newsroom.site.collector import collect_as_before
from newsroom.site.text_store import close_store, held_text, hold

# A post's attributes that one edit changes without changing what other pages show of it (its title, date, address
# and groupings are the whole site's). Each page depends on those it read.
PER_PAGE = ("_content", "_summary", "history", "updated", "syndicated_copies")
READ_THROUGH = ("get_summary",)  # Pelican's memoised reader of the summary (get_content reads `_content`)
# Events that mean a page read something no record holds; such a page is rendered on every build.
OUTSIDE_INPUTS = frozenset({"open", "subprocess.Popen", "os.system", "os.exec", "os.spawn", "socket.connect"})


class Reads:
    __slots__ = ("contents", "outside", "thread")

    def __init__(self) -> None:
        self.contents: dict[int, Content] = {}  # id -> each post, page or static file whose PER_PAGE it read
        self.outside: str | None = None  # the first audit event that read something outside the build's inputs
        # The thread rendering the page: the audit hook sees every thread's events, and the search index's thread
        # reads written pages while the next one renders (that is not the page reading outside the build).
        self.thread = threading.get_ident()


rendering: list[Reads] = []  # one per page (or remembered value) being made, innermost last


class _PerPageAttribute:
    """A PER_PAGE attribute of Pelican's Content: kept in the instance's __dict__ as before; a read while a page
    renders is recorded."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, content, owner=None):
        if content is None:
            return self
        if rendering:
            rendering[-1].contents[id(content)] = content
        try:
            return content.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None

    def __set__(self, content, value) -> None:
        content.__dict__[self.name] = value

    def __delete__(self, content) -> None:
        try:
            del content.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


class _Body(_PerPageAttribute):
    """`_content`, the post's HTML: held where text_store.py keeps it, given back as the text it was."""

    def __get__(self, content, owner=None):
        return held_text(super().__get__(content, owner))

    def __set__(self, content, value) -> None:
        content.__dict__[self.name] = hold(value) if type(value) is str else value


def held_value(content, name: str, absent):
    """A PER_PAGE attribute's value, read without recording it (`absent` when the object has none)."""
    value = content.__dict__.get(name, absent)
    return held_text(value) if name == "_content" else value


def _content_with_links(content, siteurl: str) -> str:
    """Pelican's Content.get_content without its memo: the body with its {filename} links made addresses. A body
    in which the intrasite link pattern (INTRASITE_LINK_REGEX, part of the pattern Pelican replaces) matches
    nowhere has nothing to replace, and is given as it is without Pelican's slower search through its tags."""
    body = content._get_content() if hasattr(content, "_get_content") else content._content
    # Verbose, as Pelican compiles it inside its own pattern (where a space in the setting means nothing).
    if not body or re.search(content.settings["INTRASITE_LINK_REGEX"], body, re.VERBOSE) is None:
        return body
    return content._update_content(body, siteurl)


class _ReadThrough:
    """Pelican's memoised get_content/get_summary: a remembered result is read without touching PER_PAGE
    attributes, so asking for one counts as reading them."""

    def __init__(self, inner):
        self.inner = inner

    def __get__(self, content, owner=None):
        if content is not None and rendering:
            rendering[-1].contents[id(content)] = content
        return self.inner.__get__(content, owner)


def _outside_input(event: str, args) -> None:
    if rendering and event in OUTSIDE_INPUTS:
        page = rendering[-1]
        if page.outside is None and page.thread == threading.get_ident():
            page.outside = event


def install() -> None:
    """Put the recording descriptors on Pelican's Content, once per process (the plugin does, before any post is
    read: they record nothing until a page is rendered with `reading_page`)."""
    if isinstance(Content.__dict__.get(PER_PAGE[0]), _PerPageAttribute):
        return
    for name in PER_PAGE:
        setattr(Content, name, _Body(name) if name == "_content" else _PerPageAttribute(name))
    Content.get_content = _content_with_links
    for name in READ_THROUGH:
        setattr(Content, name, _ReadThrough(Content.__dict__[name]))


def build_ended() -> None:
    """The build is over, finished or stopped: a body set from now on is held in memory (text_store.py), and
    Pelican's memo of get_summary lets go of the posts it was asked for. The memo is the class's, not a post's:
    a process that builds again and again (`invoke livereload`) kept every earlier build's posts, and their text
    store files open, until it ended."""
    close_store()
    collect_as_before()
    memo = Content.__dict__.get("get_summary")
    memo = memo.inner if isinstance(memo, _ReadThrough) else memo
    if isinstance(getattr(memo, "cache", None), dict):
        memo.cache.clear()


def watch_outside_inputs() -> None:
    """Put the audit hook that notes a page reading outside the build in place, once per process."""
    global _watching
    if not _watching:
        sys.addaudithook(_outside_input)
        _watching = True


_watching = False


def remembered(memo: dict, key, make: Callable[[], object]):
    """memo[key], made by `make` on first use; what making it read counts as read by every page that uses it."""
    entry = memo.get(key)
    if entry is None:
        reads = Reads()
        rendering.append(reads)
        try:
            value = make()
        finally:
            rendering.pop()
        entry = memo[key] = (value, tuple(reads.contents.values()), reads.outside)
    value, contents, outside = entry
    if rendering:
        page = rendering[-1]
        for content in contents:
            page.contents[id(content)] = content
        if outside is not None and page.outside is None:
            page.outside = outside
    return value


class reading_page:
    """`with reading_page() as reads:` around rendering one page: `reads` is what it read."""

    def __enter__(self) -> Reads:
        self.reads = Reads()
        rendering.append(self.reads)
        return self.reads

    def __exit__(self, *exc) -> None:
        rendering.pop()
