"""How large and how tangled a post's or page's file may be: bounds read before any check, regex or Markdown does.

Some work on a text grows with the square of one of its dimensions, in code the newsroom does not own: Markdown
reads from every '[' to its ']' (or to the end of the paragraph, when there is none), and from every '](' to its
')'; html5lib looks through every open element for each new one. A 16 KB line of '[' took 34 s to check, and a
publish has a time limit. So each file is measured first, in linear time, and one out of bounds is refused with
one line naming the line and the limit, before anything else reads it. html5lib's looking through the open
elements is bounded by their depth (each new element looks through at most MAX_ELEMENT_DEPTH of them).

The limits are far above any press release (the sample posts are 2 to 4 KB; a long one, 30 KB), and keep the worst
text within them to a few seconds of checking:
- the file: 1,000,000 characters, some 150,000 words;
- a line: 100,000 characters (a paragraph written on one line is a few thousand);
- a header line: 10,000 characters, above every field's own limit (the longest, a Syndicate-Text, 5,000: the
  checks name a field past its limit in its own words);
- what Markdown reads looking for the ends of the text's brackets: 1,000,000 characters (a post of 100 KB with a
  thousand links reads some 30,000; a thousand '[' never closed in one 10 KB paragraph, 10,000,000);
- HTML elements open inside one another: 100 (a post's tables and lists nest a few deep; a '<' in code or an
  autolink opens none);
- what HTML parsers read looking for the '>' of the text's tags: 10,000,000 characters (a tag is some tens of
  characters to its '>'; 20,000 '<img ' with none took Markdown's HTML parser 43 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

from newsroom.model.frontmatter import markdown_lines, parse_document
from newsroom.model.markdown_code import without_markup_of_its_own

MAX_FILE_CHARACTERS = 1_000_000
MAX_LINE_CHARACTERS = 100_000
MAX_HEADER_LINE_CHARACTERS = 10_000
MAX_BRACKET_READING = 1_000_000
MAX_ELEMENT_DEPTH = 100
MAX_TAG_READING = 10_000_000

# What Markdown's link patterns read to: brackets, parentheses and the blank line that ends a paragraph.
_BRACKET_OR_BLANK_LINE = re.compile(r"[\[\]()]|\n[ \t]*(?=\n)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Elements that hold nothing (no end tag), or whose end tag may be left out (the next one closes them): neither
# nests when written without it, as browsers and html5lib read it.
_NOT_NESTING = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"),
        *("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup"),
        *("caption", "rb", "rt", "rp", "rtc"),
    }
)


@dataclass(frozen=True)
class Excess:
    """Where a text goes past a bound (its line, from 1, and the field: file, header or body), and what to tell
    its author."""

    line: int
    field: str
    message: str


def first_excess(text: str) -> Excess | None:
    """The first bound `text` (a whole file, header included) goes past, or None (nearly every file). Linear in
    the text, and little more than a count of it for a file within every bound."""
    if len(text) > MAX_FILE_CHARACTERS:
        return Excess(
            1,
            "file",
            f"is {len(text):,} characters long (expected at most {MAX_FILE_CHARACTERS:,}: split it into several "
            "posts, or publish the long part as a download)",
        )
    if (
        len(text) <= MAX_HEADER_LINE_CHARACTERS
        and text.count("[") * len(text) <= MAX_BRACKET_READING
        and text.count("<") <= MAX_ELEMENT_DEPTH
    ):
        return None  # no line can be too long, nor the brackets or tags too many, wherever the body starts
    # The body starts where Markdown's meta extension ends the header, which parse_document decides for every
    # reader: at the first line that is not a field, blank line or none. Guessing it here otherwise (at the first
    # blank line) let a body written straight under the header go unmeasured.
    lines = markdown_lines(text)
    header_lines = parse_document(text).body_line - 1
    excess = _long_line(lines[:header_lines], MAX_HEADER_LINE_CHARACTERS, 1, "header", "shorten the field") or (
        _long_line(lines[header_lines:], MAX_LINE_CHARACTERS, header_lines + 1, "body", "break it into paragraphs")
    )
    if excess is not None:
        return excess
    # Markdown reads the header as fields, not as text: its brackets and tags are the field checks' business.
    body = "\n".join(lines[header_lines:])
    excess = _bracket_reading(body) or _tags(body)
    return None if excess is None else Excess(header_lines + excess.line, excess.field, excess.message)


def _long_line(lines: list[str], limit: int, first_line: int, field: str, fix: str) -> Excess | None:
    """The longest of `lines` (the first of them numbered `first_line`), when it is longer than `limit`."""
    if not lines or max(map(len, lines)) <= limit:
        return None
    longest = max(range(len(lines)), key=lambda index: len(lines[index]))
    return Excess(
        first_line + longest,
        field,
        f"the line is {len(lines[longest]):,} characters long (expected at most {limit:,}: {fix})",
    )


def _bracket_reading(text: str) -> Excess | None:
    """Markdown reads from each '[' to its ']' and from each '](' to its ')', nested ones counted, or to the end of
    the paragraph when there is none: so much reading in one text is refused at the first bracket left open in the
    paragraph that goes past the bound.
    Code counts too: reading it costs the scan below nothing, and a paragraph of code needs no such brackets."""
    if text.count("[") * len(text) <= MAX_BRACKET_READING:
        return None  # every '[' reading to the end of the file would still be within the bound: nearly every file
    reading = 0
    squares: list[int] = []  # where each '[' not yet closed is
    rounds: list[tuple[int, bool]] = []  # where each '(' not yet closed is, and whether it follows ']'
    for match in chain(_BRACKET_OR_BLANK_LINE.finditer(text), [None]):  # None: the end of the text ends a paragraph
        at, token = (match.start(), match.group()) if match else (len(text), "")
        if token == "[":
            squares.append(at)
        elif token == "]":
            reading += at - squares.pop() if squares else 0
        elif token == "(":
            rounds.append((at, text[at - 1 : at] == "]"))
        elif token == ")":
            opened, link = rounds.pop() if rounds else (at, False)
            reading += at - opened if link else 0
        else:  # a blank line or the end: the paragraph ends, and what is still open reads to here
            reading += sum(at - opened for opened in squares) + sum(at - opened for opened, link in rounds if link)
        if reading > MAX_BRACKET_READING:
            still_open = squares + [opened for opened, link in rounds if link]
            return Excess(
                text.count("\n", 0, min(still_open, default=at)) + 1,
                "body",
                f"the text's brackets would have Markdown read {reading:,} characters looking for their ends "
                f"(expected at most {MAX_BRACKET_READING:,}; {len(still_open):,} '[' or '](' left open, the first on "
                "this line: close each '[' with ']' and '(' with ')', write a bracket that is text as '\\[', or break "
                "the paragraph up)",
            )
        if token not in ("[", "]", "(", ")"):
            squares.clear()
            rounds.clear()
    return None


def _tags(text: str) -> Excess | None:
    """HTML elements written open inside one another past MAX_ELEMENT_DEPTH, at the tag that goes past it; or
    tags whose '>' is so far on (or missing) that HTML parsers would read past MAX_TAG_READING characters looking
    for their ends (each start tag is read to its '>'), at the first of them.
    Only what an HTML parser would see as an element counts for the depth: not code (markdown_code.py), which
    Markdown shows as text, nor an autolink, which it writes as a link it closes; a '<' there is still read to
    its '>' (counting it costs little, and keeps the reading bound whatever the code)."""
    if text.count("<") <= MAX_ELEMENT_DEPTH:
        return None
    markup = without_markup_of_its_own(text)  # the same length as text, its code and autolinks blanked out
    depth, reading, tag_end = 0, 0, -1
    for match in _TAG.finditer(text):
        closing, tag = match.groups()
        if tag_end < match.start():  # the next '>' (found once for every tag before it)
            tag_end = text.find(">", match.start())
            tag_end = len(text) if tag_end == -1 else tag_end
        reading += tag_end - match.start()
        if reading > MAX_TAG_READING:
            return Excess(
                text.count("\n", 0, match.start()) + 1,
                "body",
                f"<{tag}> and the tags before it have no '>' for {reading:,} characters, which HTML parsers read "
                f"looking for their ends (expected at most {MAX_TAG_READING:,}: end each tag with '>', or write a "
                "'<' that is text as &lt;)",
            )
        if tag.lower() in _NOT_NESTING or markup[match.start()] != "<":
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > MAX_ELEMENT_DEPTH:
            return Excess(
                text.count("\n", 0, match.start()) + 1,
                "body",
                f"<{tag}> opens an element {depth} deep inside others (expected at most {MAX_ELEMENT_DEPTH}: close "
                f"each element, e.g. <{tag}> with </{tag}>, before the next one opens)",
            )
    return None
