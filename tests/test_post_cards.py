"""A post's card is rendered once per post, page language and SITEURL (site/post_cards.py), its heading level put
in where it is printed, and every listing still shows the card it would have rendered itself."""

from __future__ import annotations

import re

import pytest

from conftest import ENGLISH_AND_FRENCH, text_of, theme_with
from newsroom.site.post_cards import CARD_TEMPLATE

POST = "news/2026/larkspur-opens-kessler-ridge-wind-farm/"


def card_titles(page: str) -> list[tuple[str, str, str]]:
    """(heading level, link address, the link's other attributes) of each card's title on a listing."""
    return re.findall(r'<h(\d) class="card__title"><a href="([^"]*)"([^>]*)>', page)


@pytest.fixture
def tagged(site):
    site.overrides["NEWSROOM_PARALLEL_RENDER"] = False  # one process renders every listing, in turn
    site.post("kessler", Tags="wind", Audience="media, investors")
    return site


def test_a_card_has_the_heading_level_of_each_listing_that_shows_it(tagged):
    output = tagged.build()
    levels = {page: card_titles(text_of(output, page))[0][0] for page in ("tags/wind/index.html", "media/index.html")}
    assert levels == {"tags/wind/index.html": "2", "media/index.html": "3"}
    assert [level for level, _, _ in card_titles(text_of(output, "investors/index.html"))] == ["3"]


def test_a_post_has_one_card_whatever_heading_level_its_listings_give_it(tagged):
    output, cards = tagged.build_keeping_partials(CARD_TEMPLATE)
    assert {card_titles(text_of(output, page))[0][0] for page in ("tags/wind/index.html", "media/index.html")} == {
        "2",
        "3",
    }
    assert len(cards) == 1  # one post, one language, one SITEURL: one card, printed at both levels


def test_with_relative_urls_each_listing_links_the_post_from_its_own_depth(tagged):
    output = tagged.build("pelicanconf.py")
    links = {page: card_titles(text_of(output, page))[0][1] for page in ("media/index.html", "tags/wind/index.html")}
    assert links == {"media/index.html": f"../{POST}", "tags/wind/index.html": f"../../{POST}"}


def test_each_language_edition_of_a_listing_marks_the_card_for_its_own_language(tagged):
    tagged.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    tagged.post("kessler-fr", Title="Le parc éolien de Kessler Ridge", Lang="fr", Tags="éolien")
    output = tagged.build()
    english = {href: attributes for _, href, attributes in card_titles(text_of(output, "media/index.html"))}
    french = {href: attributes for _, href, attributes in card_titles(text_of(output, "fr/media/index.html"))}
    assert set(english) == set(french) and len(english) == 2
    for href in english:  # the same two cards, each marked on the listing whose language is not the post's
        assert (english[href], french[href]) in ((' lang="fr" hreflang="fr"', ""), ("", ' lang="en" hreflang="en"'))
    assert len(set(english.values())) == 2


# A card template that tries to read the listing's own variables: it sees none of them.
NOSY_CARD = (
    "{% macro card(post, heading_level) %}{{ post.title }}|{{ articles_page is defined }}|{{ tag is defined }}"
    "|{{ page_language is defined }}{% endmacro %}"
)


def test_a_card_sees_only_the_post_its_heading_the_language_and_the_settings(tagged, tmp_path):
    theme = theme_with(tmp_path, {"partials/post_card.html": NOSY_CARD})
    output = tagged.build(THEME=str(theme))
    for page in ("tags/wind/index.html", "media/index.html"):
        assert "<li>Larkspur opens Kessler Ridge wind farm|False|False|True</li>" in text_of(output, page)


# A theme whose post pages each show the card of the newest post: pages in two languages, one build context.
NEWEST_CARD = '<html lang="{{ article.lang }}"><div id="card">{{ post_card(articles[0], 3) }}</div></html>\n'


def test_pages_in_two_languages_each_get_the_card_in_their_own_language(site, tmp_path):
    site.overrides |= {"NEWSROOM_LANGUAGES": ENGLISH_AND_FRENCH, "NEWSROOM_PARALLEL_RENDER": False}
    for number, lang in enumerate(("en", "fr", "en", "fr")):  # written in turn; the newest is in French
        site.post(f"post-{number}", Title=f"Post {number}", Lang=lang, Date=f"2026-06-0{number + 1} 10:00 UTC")
    theme = theme_with(tmp_path, {"article.html": NEWEST_CARD})
    output = site.build(THEME=str(theme))
    pages = [*output.glob("news/2026/*/index.html"), *output.glob("fr/news/2026/*/index.html")]
    assert len(pages) == 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        marked = ' lang="fr" hreflang="fr">Post 3</a>' in html
        assert marked == ('<html lang="en">' in html), (page, html)  # marked on the English pages only
