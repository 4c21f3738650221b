"""What Pagefind is given of a page: its `<html>` tag and the one element marked data-pagefind-body.

On a page with a marked element Pagefind reads only that element (its text, headings, first image, and the
data-pagefind-filter, -meta and -sort attributes inside it) and the page's language from `<html lang>`; the
header, navigation and footer around it, it parses only to skip them. An article page is 15 KB of which the
article is 5 KB: handing Pagefind the article alone saves it a fifth of its work and gives the same index, byte
for byte (tests/test_search_index_build.py builds both).

The cut is taken only where it is plainly exact: one marked element, closed where its tag's nesting says, and no
data-pagefind- attribute anywhere outside it (a theme may put `data-pagefind-meta` on a `<meta>` in the head).
Otherwise the page goes whole. The cut is a part of a page already published, so nothing that goes wrong here
can publish anything: at worst it would change what search finds.
"""

from __future__ import annotations

import re

MARK = "data-pagefind-body"
# `data-pagefind-` in any case, found from hyphen to hyphen: re tries a pattern that starts with a cased letter
# under IGNORECASE at every character of the page (58 µs of an article page's 80 µs here), and jumps straight
# from one `-` to the next (it has no case) when the pattern starts with it. The rest is matched by re's own
# IGNORECASE, as before, so the same spellings count (`DATA-PageFınd-`, with a dotless ı, is one).
_ANY_PAGEFIND_ATTRIBUTE = re.compile(r"-(?<=(?i:data)-)(?i:pagefind)-")
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_MARKED_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?\sdata-pagefind-body(?=[\s=/>])[^>]*>")


def is_marked(html: str) -> bool:
    r"""Whether a tag of the page carries data-pagefind-body (text that merely mentions it is escaped: no `<`):
    whether `<[^>]*\sdata-pagefind-body[\s=/>]` is found, looked for only where the mark is. Scanning every
    tag of every page with that pattern cost the search index a quarter of its reading."""
    at = html.find(MARK)
    while at != -1:
        after = at + len(MARK)
        if (
            at > 0
            and html[at - 1].isspace()
            and after < len(html)
            and (html[after].isspace() or html[after] in "=/>")
            # In a tag: its `<` comes after the last `>` before the space (the pattern's [^>]*).
            and html.rfind("<", 0, at - 1) > html.rfind(">", 0, at - 1)
        ):
            return True
        at = html.find(MARK, at + 1)
    return False


def marked_tags(html: str) -> list[re.Match]:
    """The tags carrying data-pagefind-body, exactly as `_MARKED_TAG.finditer(html)` finds them, the pattern tried
    only where a match can start: at a `<` after the last `>` before an occurrence of the mark (a match cannot
    cross a `>`), and after the previous match. Every `<` is tried once, in order, as finditer tries it."""
    found: list[re.Match] = []
    tried = 0  # every `<` before this was tried, lies in a match, or is followed by a `>` before any mark
    at = html.find(MARK)
    while at != -1:
        candidate = html.find("<", max(html.rfind(">", 0, at) + 1, tried), at)
        while candidate != -1:
            match = _MARKED_TAG.match(html, candidate)
            if match is not None:
                found.append(match)
                tried = match.end()
                break
            candidate = html.find("<", candidate + 1, at)
        else:
            tried = max(tried, at)
        at = html.find(MARK, max(at + 1, tried))
    return found


def search_document(html: str) -> str:
    """The part of `html` Pagefind needs, as a page of its own; the page itself where a cut might not be exact."""
    marked = marked_tags(html)
    html_tag = _HTML_TAG.search(html)
    if len(marked) != 1 or html_tag is None or html_tag.start() > marked[0].start():
        return html
    start = marked[0]
    end = _closing_end(html, start.group(1), start.end())
    if end is None:
        return html
    outside = html[: html_tag.start()] + html[html_tag.end() : start.start()] + html[end:]
    if _ANY_PAGEFIND_ATTRIBUTE.search(outside) or _ANY_PAGEFIND_ATTRIBUTE.search(html_tag.group(0)):
        return html
    return f"<!DOCTYPE html>{html_tag.group(0)}<body>{html[start.start() : end]}</body></html>"


def _closing_end(html: str, name: str, position: int) -> int | None:
    """Where the element opened just before `position` ends (after its closing tag), counting nested ones."""
    tags = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None
