"""search_document gives what it gave before it looked for data-pagefind- from hyphen to hyphen, on every page.

The reference below is documents.py's search_document with the pattern it had (the rest of it is unchanged;
its marked_tags is held to its own pattern by test_search_documents.py). It is compared on the pages of a real build of the sample newsroom and on
thousands of seeded mutations of them: the edits that decide between a cut and the page whole (tags, marks,
quotes, `<` and `>`, letters in other cases, `ſ`, `K`, `ı`, `İ` and other non-ASCII letters, a name split around
the parts the cut leaves out)."""

from __future__ import annotations

import random
import re
import sys

import pytest

from conftest import TinySite
from newsroom.search import documents
from newsroom.search.documents import is_marked, marked_tags, search_document

# The pattern search_document used before (5c52102): the one part of it that changed.
_ANY_PAGEFIND_ATTRIBUTE = re.compile(r"data-pagefind-", re.IGNORECASE)


def _reference_search_document(html: str) -> str:
    """search_document as it was: the same code, with the pattern it had."""
    new, documents._ANY_PAGEFIND_ATTRIBUTE = documents._ANY_PAGEFIND_ATTRIBUTE, _ANY_PAGEFIND_ATTRIBUTE
    try:
        return documents.search_document(html)
    finally:
        documents._ANY_PAGEFIND_ATTRIBUTE = new


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory) -> list[str]:
    site = TinySite(tmp_path_factory.mktemp("sample"))
    (site.content / "pages").mkdir(parents=True)
    (site.content / "images").mkdir()
    output = site.with_sample_content().build()
    return [path.read_text(encoding="utf-8") for path in sorted(output.rglob("*.html"))]


def test_every_page_of_the_sample_newsroom_gets_the_document_it_got_before(sample_pages):
    cut = 0
    for html in sample_pages:
        expected = _reference_search_document(html)
        assert search_document(html) == expected
        cut += expected != html
    assert cut >= 10, "too few article pages to say anything"


NAMES = ["data-pagefind-", "DATA-PAGEFIND-", "Data-PageFind-", "dAtA-pAgEfInD-", "data-pagefınd-", "data-pagefİnd-"]
PIECES = [
    "<",
    ">",
    " ",
    "'",
    '"',
    "=",
    "-",
    "\u00a0",
    "é",
    "\u017f",  # ſ, which IGNORECASE takes for an s
    "\u212a",  # the Kelvin sign, which it takes for a k
    "ı",
    "İ",
    "<!-- ",
    " -->",
    "<html>",
    '<HTML lang="en" data-pagefind-ignore>',
    "<article>",
    "</article>",
    "<ARTICLE>",
    "</Article >",
    "<div>",
    "</div>",
    "<article data-pagefind-body>",
    "<div data-pagefind-body>",
    " data-pagefind-body",
    "data-pagefind-body",
    "data-pagefind-meta=",
    '<meta data-pagefind-meta="image[content]" content="/x.jpg">',
    '<p title="data-pagefind-filter">',
    "data",
    "pagefind",
    *NAMES,
]
# What a letter may become, besides its other case: what IGNORECASE takes for it, or an accented letter.
FOLDS = {"i": "ıİ", "k": "\u212a", "s": "\u017f", "a": "á", "e": "é", "n": "ñ"}


def mutated(html: str, chance: random.Random) -> str:
    """`html` after one to four edits of the kinds that decide between the cut and the page whole."""
    for _ in range(chance.randint(1, 4)):
        at, to = sorted(chance.randrange(len(html) + 1) for _ in range(2))
        to = min(to, at + chance.choice([1, 20, 400, 5000]))
        edit = chance.randrange(7)
        if edit == 0:  # a piece inserted anywhere: in text, a tag, an attribute value, a comment
            html = html[:at] + chance.choice(PIECES) + html[at:]
        elif edit == 1:
            html = html[:at] + html[to:]
        elif edit == 2:  # a stretch duplicated: a second marked element, nested elements of the same name
            html = html[:to] + html[at:to] + html[to:]
        elif edit == 3:
            html = html[:at] + chance.choice([str.upper, str.lower, str.swapcase])(html[at:to]) + html[to:]
        elif edit == 4:  # letters that re's IGNORECASE folds (or does not) into the name's letters
            html = (
                html[:at] + "".join(chance.choice(c + c.swapcase() + FOLDS.get(c, "")) for c in html[at:to]) + html[to:]
            )
        else:  # a name split around the <html> tag, the marked tag or its closing tag: the seams of the cut
            tags = [m.span() for m in re.finditer(r"<html\b[^>]*>|<[a-zA-Z]+[^>]*data-pagefind-body[^>]*>", html)]
            tags += [(m.start(), m.end()) for m in re.finditer(r"</article>|</div>", html)]
            if tags:
                start, end = chance.choice(tags)
                name = chance.choice(NAMES)
                split = chance.randrange(1, len(name))
                html = html[:start] + name[:split] + html[start:end] + name[split:] + html[end:]
    return html


def test_thousands_of_edited_pages_get_the_document_they_got_before(sample_pages):
    chance = random.Random(52)
    articles = [html for html in sample_pages if is_marked(html)]
    outcomes = {"cut": 0, "whole": 0, "whole for an attribute": 0}
    for _ in range(6000):
        html = mutated(chance.choice(articles), chance)
        expected = _reference_search_document(html)
        assert search_document(html) == expected, repr(html)
        outcomes["whole" if expected == html else "cut"] += 1
        outcomes["whole for an attribute"] += expected == html and cut_but_for_attributes(html)
    assert min(outcomes.values()) > 500, outcomes


def cut_but_for_attributes(html: str) -> bool:
    """Whether the page has one marked element, closed, after its <html> tag: whether only a data-pagefind-
    attribute outside it can send the page whole."""
    marked, html_tag = marked_tags(html), documents._HTML_TAG.search(html)
    if len(marked) != 1 or html_tag is None or html_tag.start() > marked[0].start():
        return False
    return documents._closing_end(html, marked[0].group(1), marked[0].end()) is not None


def test_the_attribute_name_counts_in_exactly_the_spellings_re_ignorecase_counted():
    """Every code point in place of each character of the name, at once: matched where the old pattern did."""
    name = "data-pagefind-"
    every_character = [chr(point) for point in range(sys.maxunicode + 1) if point != ord("\n")]
    for at in range(len(name)):
        line_start, line_end = name[:at], name[at + 1 :]
        text = line_start + f"{line_end}\n{line_start}".join(every_character) + line_end  # a line a character
        before = [match.start() for match in _ANY_PAGEFIND_ATTRIBUTE.finditer(text)]
        after = [match.start() - len("data") for match in documents._ANY_PAGEFIND_ATTRIBUTE.finditer(text)]
        assert after == before, name[at]
        assert before, name[at]
