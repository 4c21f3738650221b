"""Which parts of a Markdown body are code, as Python-Markdown (with `extra`) reads them: the one answer for every
check that must not read code as markup (an image, a tag, an element that opens) or must not miss markup for
calling it code.

Three kinds, each read the way Markdown reads it:
- a fenced block: a line starting with three or more backticks or tildes (and an optional language), up to the
  next line that is the very same fence; one never closed is no block at all, and ```x``` on one line is a code
  span, not a fence;
- an indented block: lines indented four spaces (a tab counts as four), starting a block (after a blank line, or
  the body's start), unless a list is open above them (they continue its item) or an HTML block may be (past a
  line starting with '<', Markdown may be reading raw HTML, which it keeps as written);
- a code span: a run of backticks up to the next run of the same length in the paragraph (or, with none,
  Markdown's fallback: the longest shorter run after it); a backtick escaped with '\\' opens nothing.
Where the reading is uncertain, the text is not code: the checks then read it as markup, and none is missed.
Markdown's autolinks (`<https://…>`, `<press@example.com>`) are no code, but no markup either: Markdown writes
each as a link of its own, and without_markup_of_its_own leaves them out with the code, for what looks for tags.

Linear in the text: every line, and every run of backticks, is looked at a fixed number of times.
"""

from __future__ import annotations

import re

from newsroom.model.frontmatter import TAB_LENGTH

# markdown.extensions.fenced_code's opening and closing fences, for one line.
_OPENING_FENCE = re.compile(
    r"(?P<fence>~{3,}|`{3,})[ ]*(?:\{.*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(?P<quote>[\"']).*?(?P=quote)[ ]*)?)"
)
_CLOSING_FENCE = re.compile(r"(?:~{3,}|`{3,})[ ]*")
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ ]+")  # markdown's UListProcessor and OListProcessor
_HTML_BLOCK_START = re.compile(r"[ ]{0,3}<")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*|[^<> !]+@[^@<> ]+)>")  # AUTOLINK_RE, AUTOMAIL_RE
# The characters str.splitlines ends a line at: kept where code is blanked, so that its lines stay the same.
_NOT_LINE_END = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Where `text`, a Markdown body, is code: (start, end) offsets into it, in order, none overlapping."""
    if "`" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return []  # nearly every post: nothing can be code
    lines = text.split("\n")
    starts = [0] * len(lines)
    for index in range(1, len(lines)):
        starts[index] = starts[index - 1] + len(lines[index - 1]) + 1
    lines = [line.removesuffix("\r") for line in lines]  # Markdown reads CR LF as a line end
    closing = _closing_fences(lines)
    ranges: list[tuple[int, int]] = []
    block_start, in_list, in_html, paragraph = True, False, False, None  # paragraph: its first line
    index = 0
    while index < len(lines):
        line = lines[index]
        code_end = closing[index]  # a fenced block: the fences are code too, as Markdown hides them
        if code_end is None and line.strip(" \t") and block_start and _indented(line) and not (in_list or in_html):
            code_end = index
            while code_end + 1 < len(lines) and (_indented(lines[code_end + 1]) or not lines[code_end + 1].strip()):
                code_end += 1  # the block's lines: indented ones, and the blank lines between them
        if paragraph is not None and (code_end is not None or not line.strip(" \t")):  # the paragraph ends here
            ranges += _code_spans(text, starts[paragraph], starts[index] - 1)
            paragraph = None
        if code_end is not None:
            ranges.append((starts[index], starts[code_end] + len(lines[code_end])))
            # After a fence, Markdown leaves a line of its own: what follows without a blank line is no new block.
            block_start, in_list, index = closing[index] is None, False, code_end + 1
            continue
        if not line.strip(" \t"):
            block_start = True
        else:
            if block_start and not _indented(line):
                in_list = bool(_LIST_ITEM.match(line))
            in_html = in_html or bool(_HTML_BLOCK_START.match(line))
            paragraph = index if paragraph is None else paragraph
            block_start = False
        index += 1
    if paragraph is not None:
        ranges += _code_spans(text, starts[paragraph], len(text))
    return sorted(ranges)


def without_code(text: str) -> str:
    """`text` with every character of its code a space but its line ends: the same length and lines, for patterns
    that must find markup only where Markdown reads it as markup."""
    pieces, at = [], 0
    for start, end in code_ranges(text):
        pieces += [text[at:start], _NOT_LINE_END.sub(" ", text[start:end])]
        at = end
    return "".join(pieces) + text[at:] if pieces else text


def without_markup_of_its_own(text: str) -> str:
    """`text` with its code and its autolinks blanked as without_code blanks code: what is left of a '<' is one an
    HTML parser may see as a tag (Markdown escapes or writes the others itself)."""
    outside_code = without_code(text)
    if "<" not in outside_code:
        return outside_code
    return _AUTOLINK.sub(lambda link: " " * len(link.group()), outside_code)


def _indented(line: str) -> bool:
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return len(indent.expandtabs(TAB_LENGTH)) >= TAB_LENGTH


def _closing_fences(lines: list[str]) -> list[int | None]:
    """For each line opening a fenced block, the line that closes it (None: no block opens there)."""
    closing: list[int | None] = [None] * len(lines)
    nearest: dict[str, int] = {}  # a fence, as written, to the nearest line below that closes it
    for index in reversed(range(len(lines))):
        line = lines[index]
        if line[:1] not in ("`", "~"):
            continue
        opening = _OPENING_FENCE.fullmatch(line)
        if opening:
            closing[index] = nearest.get(opening["fence"])
        if _CLOSING_FENCE.fullmatch(line):
            nearest[line.rstrip(" ")] = index
    return closing


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans in text[start:end], one paragraph, as markdown's BacktickInlineProcessor finds them."""
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(text, start, end)]
    if len(runs) < 2:
        return []
    spans: list[tuple[int, int] | None] = [None] * len(runs)  # the span each run would open: (its start, last run)
    nearest: dict[int, int] = {}  # a run's length to the nearest later run of that length
    longest, first_longest = 0, 0  # the longest later run, and the first of that length
    for index in reversed(range(len(runs))):
        run_start, run_end = runs[index]
        escaped = _escaped(text, run_start, start)
        opening = run_end - run_start - escaped
        if opening and (closing := nearest.get(opening)) is not None:
            spans[index] = (run_start + escaped, closing)
        elif 0 < longest < opening:  # Markdown's fallback: the opening's last `longest` backticks open it
            spans[index] = (run_end - longest, first_longest)
        nearest[run_end - run_start] = index
        if run_end - run_start >= longest:
            longest, first_longest = run_end - run_start, index
    found, index = [], 0
    while index < len(runs):
        span = spans[index]
        if span is None:
            index += 1
            continue
        found.append((span[0], runs[span[1]][1]))
        index = span[1] + 1
    return found


def _escaped(text: str, at: int, start: int) -> int:
    """1 when the backtick at `at` is escaped (an odd number of backslashes before it, from `start`), else 0."""
    before = at
    while before > start and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2
