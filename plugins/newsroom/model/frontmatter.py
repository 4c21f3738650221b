"""A post's metadata header, read the way Python-Markdown's `meta` extension reads it, with line numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

# The same grammar as markdown.extensions.meta, so the checks see exactly what Pelican will see.
_BEGIN = re.compile(r"^-{3}(\s.*)?$")
_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
_FIELD = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)")
# Markdown's own reading of a text, before its meta extension sees it (markdown.core): CR LF and a lone CR end a
# line as LF does, nothing else ends one (not U+2028, U+0085, form feed or U+001C, which str.splitlines would
# split on), and a tab is spaces to the next multiple of TAB_LENGTH (Markdown's default; the settings keep it).
# Reading lines any other way would let a header say `Status: draft` to the checks and nothing to Pelican.
TAB_LENGTH = 4
_LINE_END = re.compile(r"\r\n|\r|\n")
# The one field a post may give several times, one line each (see fields.MAY_REPEAT, which names it for the checks).
REPEATABLE = frozenset({"correction"})


class Field(NamedTuple):
    """One metadata key: every value line it was given and the line it starts on. (A named tuple: the checks
    make one per field of every post in every build, and a tuple is the cheapest immutable record.)"""

    name: str
    values: tuple[str, ...]
    lines: tuple[int, ...]
    repeated: tuple[int, ...] = ()  # lines where the key itself was written again (not continuation lines)

    @property
    def line(self) -> int:
        return self.lines[0]

    @property
    def text(self) -> str:
        """All values joined as one string (Pelican's view of a single-line field)."""
        return joined(self.values)


def joined(values: tuple[str, ...] | list[str]) -> str:
    """A field's value lines as the one text both the checks and the build read: the build's reader joins
    continuation lines the same way (site/reader.py), so a Title or Summary on two lines is one text to both."""
    return values[0] if len(values) == 1 else " ".join(values).strip()  # each value is stripped already


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown source: its metadata fields by lower-case name, and its body with line offset.

    The body is kept as where it starts in the text it was read from, not as a copy of it: the checks hold every
    post at once, and a copy of every body was a fifth of the build's peak (26 MB at 5,000 posts)."""

    fields: dict[str, Field] = field(default_factory=dict)
    body_line: int = 1
    # The line that ended the header by being neither a field, a continuation nor an empty line (0: none did).
    # Markdown reads it as the body's first line: a mistyped `Status : draft` would be published as text.
    stray_line: int = 0
    _source: str | None = ""  # the body is _source[_body_start:] (None: let go, see without_body)
    _body_start: int = 0

    @property
    def body(self) -> str:
        return self._source[self._body_start :]

    def without_body(self) -> Document:
        """The header alone, for what reads only the header once the body is checked (check_content): the text
        it was read from is let go, and asking for the body fails rather than giving an empty one."""
        return Document(self.fields, self.body_line, self.stray_line, None, 0)

    def get(self, name: str) -> Field | None:
        return self.fields.get(name)

    def text(self, name: str) -> str:
        """The field's value as one string, or "" when the post does not have the field."""
        entry = self.fields.get(name)
        return entry.text if entry else ""


def parse_document(text: str) -> Document:
    """Split `text` into metadata fields and body, remembering where each field starts."""
    # The header almost always ends at the first empty line: split only that far, not the whole body (this runs
    # for every post of every build). Anything unusual (CR line ends, a header ending otherwise) takes the long way.
    head_end = text.find("\n\n")
    if head_end != -1 and "\r" not in (head := text[:head_end]):
        lines = head.split("\n")
        quick = _parse(lines)
        # Only when every line of `head` was a field, so that the empty line is what ended the header.
        if quick.body_line == len(lines) + 1 and not _END.match(lines[-1]):
            return Document(quick.fields, quick.body_line + 1, 0, text, head_end + 2)  # the body follows the empty line
    return _parse(markdown_lines(text))


def fields_below_header(doc: Document) -> list[tuple[int, str]]:
    """The lines of the body's first paragraph written `Key: value`, as (line number, key as written). Markdown
    ends the header at the first empty line, `---` or `...` line, and publishes what follows as text: a field
    written there (`Status: draft` under a `---`) would be read by nobody, and the post published."""
    found, line = [], doc.body_line
    lines = _lines_of(doc.body)  # read only as far as the first paragraph: this runs for every post
    for text in lines:  # the empty lines before the first paragraph
        if text.strip():
            break
        line += 1
    else:
        return found
    while text.strip():
        match = _FIELD.match(text.expandtabs(TAB_LENGTH))
        if match:
            found.append((line, match["key"]))
        text, line = next(lines, ""), line + 1
    return found


def _lines_of(text: str) -> Iterator[str]:
    """`text`'s lines as Markdown splits them (see TAB_LENGTH), one at a time."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def markdown_lines(text: str) -> list[str]:
    """`text`'s lines as Markdown splits them (see TAB_LENGTH), without the empty one after a final line end."""
    # _lines_of's lines, split faster (the text bounds split every long file): a plain split when only LF ends lines.
    lines = _LINE_END.split(text) if "\r" in text else text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _parse(lines: list[str]) -> Document:
    fields: dict[str, Field] = {}
    index = 0
    if lines and _BEGIN.match(lines[0]):
        index = 1
    key, stray = None, 0
    while index < len(lines):
        line = lines[index].expandtabs(TAB_LENGTH)
        if line.strip() == "" or _END.match(line):
            index += 1
            break
        match = _FIELD.match(line)
        if match:
            key = match["key"].lower()
            value = match["value"].strip()
        else:
            more = _CONTINUATION.match(line)
            if not (more and key):
                stray = index + 1 if fields else 0  # with no field before it, the file simply has no header
                break
            value = more["value"].strip()
        entry = fields.get(key)
        if entry is None:
            fields[key] = Field(match["key"], (value,), (index + 1,))
        elif match and key not in REPEATABLE:
            # The key written again: remembered for the checks' "given twice" line, but its value is not mixed
            # into the first one (which every other check then reads as written).
            fields[key] = entry._replace(repeated=(*entry.repeated, index + 1))
        else:  # a continuation line, or another correction: one more value, under the name first written
            fields[key] = entry._replace(values=(*entry.values, value), lines=(*entry.lines, index + 1))
        index += 1
    return Document(fields, index + 1, stray, "\n".join(lines[index:]))
