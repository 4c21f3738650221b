"""A page render remembers its language (translations.page_language): each page still gets its own, never the
page written before it, and a template that sets the page's post itself is answered in that post's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ENGLISH_AND_FRENCH, text_of, theme_with

# Posts written in turn in English and French: each page is rendered right after one in the other language.
POSTS = [(f"post-{number}", "fr" if number % 2 else "en") for number in range(6)]


@pytest.fixture
def alternating(site):
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.overrides["NEWSROOM_PARALLEL_RENDER"] = False  # one process renders every page, in turn
    for number, (name, lang) in enumerate(POSTS):
        site.post(
            name,
            Title=f"Post {number} {lang}",
            Id=name,
            Lang=lang,
            Date=f"2026-06-0{number + 1} 10:00 America/New_York",
        )
    return site


def post_page(output: Path, name: str, lang: str) -> str:
    """A post's page: under fr/ in French (its slug is made from its title)."""
    folder = "fr/" if lang == "fr" else ""
    return text_of(output, f"{folder}news/2026/{name}-{lang}/index.html")


def test_posts_in_two_languages_written_one_after_the_other_each_print_their_own_words(alternating):
    output = alternating.build()
    for name, lang in POSTS:
        page = post_page(output, name, lang)
        assert f'<html lang="{lang}">' in page
        labels = re.findall(r"<dt>(.*?)</dt>", page)
        assert labels == (["Publié", "Pour"] if lang == "fr" else ["Published", "For"]), (name, labels)
        # The header's home link leads to the home page of the page's own language.
        home = re.search(r'<a class="brand" href="([^"]*)"', page).group(1)
        assert home.endswith("/fr/") == (lang == "fr"), (name, home)


def test_each_listing_edition_marks_the_posts_of_the_other_language_not_of_its_own(alternating):
    output = alternating.build()
    english, french = text_of(output, "index.html"), text_of(output, "fr/index.html")
    for page, own in ((english, "en"), (french, "fr")):
        marked = re.findall(r'<a href="[^"]*"( lang="(\w+)" hreflang="\w+")?>Post \d (\w+)</a>', page)
        assert marked, page
        for attributes, lang, post_lang in marked:
            assert (lang or own) == post_lang, (own, attributes, post_lang)
    assert ">Latest news</h2>" in english and ">Latest news</h2>" not in french


# A theme whose home page prints a word, then sets `article` to a French post itself and prints it again.
SETS_ITS_ARTICLE = """<p id="before">{{ _("For") }}</p>
{%- set article = (articles|selectattr("lang", "equalto", "fr")|list or articles)[0] %}
<p id="after">{{ _("For") }}</p>
"""


def test_a_template_that_sets_the_post_itself_gets_that_posts_language(alternating, tmp_path):
    theme = theme_with(tmp_path, {"index.html": SETS_ITS_ARTICLE})
    output = alternating.build(THEME=str(theme))
    home = text_of(output, "index.html")
    assert '<p id="before">For</p>' in home  # the English home page's own language
    assert '<p id="after">Pour</p>' in home, home  # the post it set: asked again, not remembered
