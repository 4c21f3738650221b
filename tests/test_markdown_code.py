"""Which parts of a Markdown body are code (model/markdown_code.py): the one answer the checks, the sanitiser's
reading of the source and the text bounds all use. Code is text to Markdown, never markup: an image or a tag in
it must not be checked as one (nor counted as an element that opens), and markup outside it must never be
skipped for being taken for code. Each case is held against Markdown itself, with the extensions the site uses."""

from __future__ import annotations

import markdown
import pytest

from conftest import fastest
from newsroom.model.markdown_code import code_ranges, without_code, without_markup_of_its_own

MARK = "<b>"  # a tag Markdown passes through as markup, or escapes when it is code

# Each body holds MARK once: in code (Markdown escapes it), or not.
CASES = {
    "fenced-backticks": ("```\ncode <b>\n```\n\nAfter.", True),
    "fenced-tildes": ("~~~\ncode <b>\n~~~\n\nAfter.", True),
    "fenced-with-language": ("```python\nx = '<b>'\n```   \nAfter.", True),
    "fenced-long-fence-closed-only-by-its-own": ("````\n<b>\n```\n````", True),
    "after-a-fenced-block": ("```\ncode\n```\nAfter <b>.", False),
    "unclosed-fence-is-no-block": ("```\nNot closed <b>\n\nStill text.", False),
    "three-backticks-on-one-line-is-a-span": ("A ```x``` span, then <b>.", False),
    "three-backticks-on-one-line-around-the-tag": ("A ```<b>``` span.", True),
    "indented-block": ("Lead.\n\n    code <b>\n\nAfter.", True),
    "indented-with-a-tab": ("Lead.\n\n\tcode <b>\n\nAfter.", True),
    "indented-line-inside-a-paragraph": ("Lead\n    <b> still the paragraph.", False),
    "indented-paragraph-of-a-list-item": ("- Item.\n\n    More of the item <b>.", False),
    "indented-inside-an-html-block": ("<div>\n\n    <b>\n\n</div>", False),
    "span": ("A `<b>` span.", True),
    "span-of-two-backticks-holding-one": ("A `` x ` <b> `` span.", True),
    "escaped-backtick-opens-nothing": ("A \\`<b>` text.", False),
    "escaped-backslash-then-span": ("A \\\\`<b>` span.", True),
    "span-across-lines-of-a-paragraph": ("A `span\n<b>` across lines.", True),
    "no-span-across-paragraphs": ("A `tick\n\n<b>` apart.", False),
    "unmatched-longer-run-falls-back-to-a-shorter-one": ("``a` <b> `y`", False),
    "runs-of-different-lengths": ("``a`<b>`` and `c`", True),
}


@pytest.mark.parametrize("case", CASES)
def test_code_is_what_markdown_shows_as_text(case):
    body, in_code = CASES[case]
    rendered = markdown.markdown(body, extensions=["markdown.extensions.extra"])
    assert (MARK not in rendered) is in_code, rendered  # the case says what Markdown does
    assert (MARK not in without_code(body)) is in_code, without_code(body)


def test_blanked_code_keeps_the_text_s_length_and_lines():
    """The checks number lines and offsets in the body as written: blanking code must move neither."""
    body = "Lead.\r\n\r\n```\r\ncode <b>\r\n```\r\n\r\n    more\u2028code\n\nA `span` here."
    blanked = without_code(body)
    assert len(blanked) == len(body) and len(blanked.splitlines()) == len(body.splitlines())
    assert "<b>" not in blanked and "more" not in blanked and "span" not in blanked and "here" in blanked


def test_a_body_without_code_has_no_ranges():
    assert code_ranges("Lead.\n\nA paragraph with <b>bold</b> and [a link](https://example.com).") == []


@pytest.mark.parametrize(
    "unit",
    ["```x\n", "```\n", "x " + "`" * 7 + " ", "`" * 3 + "a" + "`" * 2 + " ", "\\`", "    code\n\n- item\n\n"],
    ids=["fences-never-closed", "fences", "runs-of-one-length", "mixed-runs", "escaped", "indented-and-lists"],
)
def test_finding_code_takes_time_in_proportion_to_the_text(unit):
    """It runs on every post of every build, and on text the bounds have not yet refused: never quadratic."""
    short, long = unit * 10_000, unit * 80_000
    small = fastest(lambda: code_ranges(short), 5)
    large = fastest(lambda: code_ranges(long), 5)
    assert large < max(24 * small, 0.05), f"{small:.3f} s, then {large:.3f} s"  # eight times as long: 64 if squared


def test_autolinks_are_no_markup_of_the_author_s_but_tags_beside_them_are():
    """Markdown writes `<https://…>` and `<press@example.com>` as links of its own: whatever looks for the
    author's tags (the sanitiser's reading of the source, the depth bound) must not take them for tags."""
    body = "See <https://example.com/a> or <press@example.com>, `<i>`, and <b>bold</b>."
    rendered = markdown.markdown(body, extensions=["markdown.extensions.extra"])
    assert "<https" not in rendered and "<press" not in rendered and "<b>" in rendered, rendered
    markup = without_markup_of_its_own(body)
    assert len(markup) == len(body) and markup.count("<") == 2 and "<b>bold</b>" in markup, markup
