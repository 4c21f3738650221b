"""A post's file is measured before anything reads it (model/text_bounds.py), and the checks' own patterns are
linear: one post of any shape is checked in time in proportion to its size, or refused with one line naming the
file, the line, the size and the limit. Checking had taken time growing with the square of one line or field
(a 16 KB line of '[' took 34 s), so one post could hold a publish past its time limit."""

from __future__ import annotations

import time

import markdown
import pytest

from conftest import fastest
from newsroom.checks.rules import EMAIL, HTML_IMAGE, HTML_MARKUP, MARKDOWN_IMAGE
from newsroom.model.frontmatter import parse_document
from newsroom.model.text_bounds import (
    MAX_BRACKET_READING,
    MAX_ELEMENT_DEPTH,
    MAX_FILE_CHARACTERS,
    MAX_HEADER_LINE_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_TAG_READING,
    first_excess,
)
from refusals import BODY_LINE, line_number, lines_naming, problems

# Each goes past one bound, on a known line (None: the header's), with the limit named in the line.
OUT_OF_BOUNDS = {
    "file": ("word " * (MAX_FILE_CHARACTERS // 5 + 1), {}, "file", 1, MAX_FILE_CHARACTERS),
    "body-line": ("Lead.\n\n" + "a" * (MAX_LINE_CHARACTERS + 1), {}, "body", BODY_LINE + 2, MAX_LINE_CHARACTERS),
    "header-line": ("Body.", {"Author": "a" * 100_000}, "header", None, MAX_HEADER_LINE_CHARACTERS),
    "unclosed-brackets": ("Lead.\n\n" + "[" * 16_000, {}, "body", BODY_LINE + 2, MAX_BRACKET_READING),
    "image-openers-in-code": ("```\n](" + "![" * 49_000 + "\n```", {}, "body", BODY_LINE + 1, MAX_BRACKET_READING),
    "links-left-open": ("Lead.\n\n" + "[a](\n" * 4_000, {}, "body", BODY_LINE + 2, MAX_BRACKET_READING),
    "nested-divs": ("<div>" * 20_000, {}, "body", BODY_LINE, MAX_ELEMENT_DEPTH),
    "tags-without-end": ("<img " * 20_000, {}, "body", BODY_LINE, MAX_TAG_READING),
}


@pytest.mark.parametrize("case", OUT_OF_BOUNDS)
def test_a_post_out_of_bounds_is_one_line_with_its_size_and_the_limit(site, case):
    body, fields, field, line, limit = OUT_OF_BOUNDS[case]
    site.post("big", body, **fields)
    started = time.monotonic()
    found = problems(site)
    assert time.monotonic() - started < 10, "measuring a post must take no longer than counting it"
    named = [entry for entry in found if "posts/big.md" in entry]
    assert len(named) == 1 and lines_naming(named, "posts/big.md", field), found
    assert f"{limit:,}" in named[0], named
    if line is not None:
        assert line_number(named[0], "posts/big.md") == line, named


def test_an_over_long_title_is_refused_for_its_length_before_anything_reads_it(site):
    """The length comes first: a title past it is not read for HTML (that reading grew with the square of it)."""
    site.post("big", Title="<b>Bold</b> " + "a" * 3_989)
    named = lines_naming(problems(site), "posts/big.md", "title")
    assert [line for line in named if "is 4001 characters long (expected at most 150)" in line], named
    assert not [line for line in named if "contains HTML" in line], named


def _grows_linearly(work, size: int) -> None:
    """Four times the input takes well under sixteen times as long (the square's growth); the best of several CPU timings, as the
    machine is shared."""
    small = fastest(lambda: work(size))
    large = fastest(lambda: work(4 * size))
    assert large < max(8 * small, 0.05), f"{size}: {small:.3f} s, {4 * size}: {large:.3f} s"


@pytest.mark.parametrize(
    "pattern, text",
    [
        (EMAIL, "a"),
        (HTML_MARKUP, "<a"),
        (MARKDOWN_IMAGE, "!["),
        (HTML_IMAGE, "<img "),
    ],
    ids=["email", "html-markup", "markdown-image", "html-image"],
)
def test_the_checks_patterns_take_time_in_proportion_to_the_line(pattern, text):
    _grows_linearly(lambda n: pattern.findall(text * n), 12_500)


# A header as a post writes it, and under it, with no blank line between, a body Markdown reads for 80 s.
HEADER = "Title: Results\nDate: 2026-06-01 10:00 UTC\nAudience: media\nCategory: News\nSummary: Results.\n"
BRACKETS = "\n".join(["[" * 9_000] * 2)


@pytest.mark.parametrize("between", ["\n", ""], ids=["blank-line", "no-blank-line"])
def test_the_body_is_measured_from_where_markdown_starts_it(between):
    """Markdown's meta extension ends the header at the first line that is not a field, not only at a blank
    line: the bounds must measure the body from there (parse_document's reading), or a body written straight
    under the header goes unmeasured and takes as long to check as the bounds exist to prevent."""
    text = HEADER + between + BRACKETS + "\n"
    body_line = parse_document(text).body_line
    excess = first_excess(text)
    assert excess is not None and excess.field == "body", excess
    assert excess.line == body_line and f"{MAX_BRACKET_READING:,}" in excess.message, excess


def test_a_body_straight_under_the_header_is_refused_in_good_time(site):
    path = site.post("brackets")
    path.write_text(HEADER + BRACKETS + "\n", encoding="utf-8")
    started = time.monotonic()
    found = problems(site)
    assert time.monotonic() - started < 10, "measuring a post must take no longer than counting it"
    named = [entry for entry in found if "posts/brackets.md" in entry]
    assert len(named) == 1 and lines_naming(named, "posts/brackets.md", "body"), found
    assert line_number(named[0], "posts/brackets.md") == HEADER.count("\n") + 1, named


def test_a_header_line_stays_within_its_own_bound_wherever_the_body_starts():
    """The header's lines keep their own limit, and a long body line straight under the header is a body line."""
    long_field = HEADER + "Author: " + "a" * MAX_HEADER_LINE_CHARACTERS + "\n\nBody.\n"
    excess = first_excess(long_field)
    assert excess is not None and (excess.field, excess.line) == ("header", HEADER.count("\n") + 1), excess
    long_body = HEADER + "a" * (MAX_HEADER_LINE_CHARACTERS + 1) + "\n"
    assert first_excess(long_body) is None  # a body line may be ten times as long as a header line


# What no HTML parser sees as an element, MAX_ELEMENT_DEPTH + 1 times over: the depth bound must not count it.
NOT_ELEMENTS = {
    "web-autolinks": "\n".join(f"- Source {n}: <https://example.com/report-{n}>" for n in range(MAX_ELEMENT_DEPTH + 1)),
    "mail-autolinks": " ".join(f"<press{n}@example.com>" for n in range(MAX_ELEMENT_DEPTH + 1)),
    "fenced-code": "```java\n" + "\n".join(f"List<Item{n}> items{n};" for n in range(MAX_ELEMENT_DEPTH + 1)) + "\n```",
    "indented-code": "Lead.\n\n" + "\n".join(f"    List<Item{n}> items{n};" for n in range(MAX_ELEMENT_DEPTH + 1)),
    "code-spans": " ".join(f"`List<Item{n}>`" for n in range(MAX_ELEMENT_DEPTH + 1)),
}


@pytest.mark.parametrize("case", NOT_ELEMENTS)
def test_autolinks_and_code_open_no_elements(site, case):
    """The depth bound exists to bound html5lib's work on the elements Markdown passes it. Markdown writes an
    autolink as a link it closes itself, and shows code as text: counting either as an element that never
    closes refused a press release listing its sources, as 'nested 101 deep'."""
    body = NOT_ELEMENTS[case]
    html = markdown.markdown(body, extensions=["markdown.extensions.extra"])
    assert "<https" not in html and "<press" not in html and "<Item" not in html, html  # Markdown's own reading
    assert first_excess("Title: x\n\n" + body + "\n") is None
    site.post("sources", "Lead paragraph.\n\n" + body + "\n")
    assert [line for line in problems(site) if "posts/sources.md" in line] == []


def test_elements_written_next_to_code_and_autolinks_still_count():
    """Markup outside the code and the autolinks is counted as before: the bound is looser only where no parser
    sees an element."""
    body = "`<b>` <https://example.com> " + "<div>" * (MAX_ELEMENT_DEPTH + 1)
    excess = first_excess("Title: x\n\n" + body + "\n")
    assert excess is not None and f"{MAX_ELEMENT_DEPTH + 1} deep" in excess.message, excess
