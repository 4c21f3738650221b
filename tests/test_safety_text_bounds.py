"""A post's file is measured before anything reads it (model/text_bounds.py), and the checks' own patterns are
linear: one post of any shape is checked in time in proportion to its size, or refused with one line naming the
file, the line, the size and the limit. Checking had taken time growing with the square of one line or field
(a 16 KB line of '[' took 34 s), so one post could hold a publish past its time limit."""

from __future__ import annotations

import time

import pytest

from newsroom.checks.rules import EMAIL, HTML_IMAGE, HTML_MARKUP, MARKDOWN_IMAGE
from newsroom.model.text_bounds import (
    MAX_BRACKET_READING,
    MAX_ELEMENT_DEPTH,
    MAX_FILE_CHARACTERS,
    MAX_HEADER_LINE_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_TAG_READING,
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


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _grows_linearly(work, size: int) -> None:
    """Four times the input takes well under sixteen times as long (the square's growth); best of three, as the
    machine is shared."""
    small = min(_seconds(lambda: work(size)) for _ in range(3))
    large = min(_seconds(lambda: work(4 * size)) for _ in range(3))
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
