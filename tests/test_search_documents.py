"""What Pagefind is given of a page: the marked element alone where that gives the same index, else the page whole.

The cut saves Pagefind a fifth of its work on a newsroom (tests/test_search_index_build.py checks that the index
of a real build is the same byte for byte); these tests hold the cut to exactness on the pages where it could
lose something Pagefind reads."""

from __future__ import annotations

import random
import re

from test_search import fragments

from newsroom.search import documents
from newsroom.search.documents import is_marked, marked_tags, search_document
from newsroom.search.index import SearchIndexer

ARTICLE = '<article class="post" data-pagefind-body><h1>Title</h1><p>Words</p></article>'


def page(head: str = "", body: str = ARTICLE, lang: str = "fr") -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head><title>T</title>{head}</head>\n'
        f'<body><header><nav><a href="/">Home</a></nav></header><main>{body}</main>'
        f"<footer><p>Footer words</p></footer></body>\n</html>"
    )


def test_an_article_page_is_cut_to_its_html_tag_and_the_marked_element():
    document = search_document(page())
    assert document == f'<!DOCTYPE html><html lang="fr"><body>{ARTICLE}</body></html>'


def test_the_cut_ends_at_the_marked_elements_own_closing_tag_past_nested_ones_of_its_kind():
    nested = "<article data-pagefind-body><p>A</p><article><p>B</p></article><p>C</p></article>"
    document = search_document(page(body=nested + "<article><p>After</p></article>"))
    assert document == f'<!DOCTYPE html><html lang="fr"><body>{nested}</body></html>'


def test_a_page_whose_cut_might_lose_something_goes_whole():
    whole_pages = [
        page(head='<meta data-pagefind-meta="image[content]" content="/lead.jpg">'),  # read outside the body
        page(body=ARTICLE + '<p data-pagefind-filter="year">2026</p>'),
        page(body=ARTICLE + ARTICLE),  # two marked elements: Pagefind joins them its own way
        page(body="<article data-pagefind-body><p>never closed</p>"),
        page(body="<div data-pagefind-body><div><p>one close short</p></div>"),
        ARTICLE,  # no <html> tag to carry the language
    ]
    for html in whole_pages:
        assert search_document(html) == html


def test_a_page_without_the_mark_is_left_as_it_is():
    html = page(body="<p>No mark; data-pagefind-body appears only in text</p>")
    assert search_document(html) == html


def test_metadata_outside_the_marked_element_still_reaches_the_index(tmp_path):
    head = '<meta data-pagefind-meta="image[content]" content="/lead.jpg">'
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text(page(head=head, lang="en"), encoding="utf-8")
    (tmp_path / "index.html").write_text(page(body="<p>home</p>", lang="en"), encoding="utf-8")
    SearchIndexer(tmp_path, while_writing=False).finish()
    [fragment] = fragments(tmp_path)
    assert fragment["meta"]["image"] == "/lead.jpg"
    assert "Footer words" not in fragment["content"] and "Words" in fragment["content"]


# The patterns is_marked and marked_tags answer for, searched over the whole page: their specification.
WHOLE_PAGE_MARK = re.compile(r"<[^>]*\sdata-pagefind-body[\s=/>]")
TOKENS = [
    "<",
    ">",
    " ",
    "\n",
    "\u00a0",
    "\x1c",
    "=",
    "/",
    '"',
    "'",
    "div",
    "Section",
    "a",
    "-",
    "x",
    "1",
    "</div>",
    "<div ",
    "<main class=",
    "data-pagefind-body",
    "data-pagefind-body",
    "data-pagefind-bodyx",
    "data-pagefind-",
    "data-pagefind-meta",
    "<!-- ",
    " -->",
]


def hostile_pages(count: int, seed: int = 18):
    """Pages made of the pieces a tag with the mark is made of, in any order: unclosed tags, a `<` inside an
    attribute, the mark twice in one tag, inside a comment, glued to other words, with odd spaces around it."""
    chance = random.Random(seed)
    for _ in range(count):
        yield "".join(chance.choice(TOKENS) for _ in range(chance.randint(1, 30)))


def test_the_mark_is_found_exactly_where_the_whole_page_pattern_finds_it():
    pages = [*hostile_pages(40_000), page(), page(body="<p>No mark here</p>"), page(head="<meta data-pagefind-body>")]
    pages += ['<div title="<" data-pagefind-body>', '<div data-pagefind-body data-pagefind-body="1">x</div>']
    pages += [
        "<a data-pagefind-bodyx data-pagefind-body>",
        "text data-pagefind-body <b>",
        "<p>\u00a0data-pagefind-body/",
    ]
    marked = 0
    for html in pages:
        assert is_marked(html) == (WHOLE_PAGE_MARK.search(html) is not None), repr(html)
        expected = [(m.span(), m.group(1)) for m in documents._MARKED_TAG.finditer(html)]
        assert [(m.span(), m.group(1)) for m in marked_tags(html)] == expected, repr(html)
        marked += bool(expected)
    assert marked > 500, "too few pages with a marked tag to say anything"
