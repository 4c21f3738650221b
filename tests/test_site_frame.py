"""The site's header and footer are rendered once per page language, edition and highlighted section
(site/site_frame.py, a shared partial), and every page still shows the header and footer it would have rendered
itself: its own section marked, its own language, its own company paragraph."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ENGLISH_AND_FRENCH, ROOT, text_of, theme_with
from newsroom.site import shared_partials
from newsroom.site.site_frame import FRAME_TEMPLATE

ARTICLE = "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"


def current_links(page: str) -> list[str]:
    """The addresses the page's navigation marks as the current page."""
    return re.findall(r'<a href="([^"]*)"[^>]* aria-current="page"', page)


def header_of(page: str) -> str:
    start = page.index('<header class="site-header">')
    return page[start : page.index("</header>", start)]


def footer_of(page: str) -> str:
    start = page.index('<footer class="site-footer">')
    return page[start : page.index("</footer>", start)]


@pytest.fixture
def two_posts(site):
    site.overrides["NEWSROOM_PARALLEL_RENDER"] = False  # one process renders every page, in turn
    site.post("kessler", Tags="wind", Audience="media, investors")
    site.post("results", Title="Third-quarter results", Category="Press releases", Audience="investors")
    return site


def test_each_page_marks_its_own_section_in_the_shared_header(two_posts):
    output = two_posts.build()
    site = two_posts.settings()["SITEURL"]
    marked = {
        page: current_links(text_of(output, page))
        for page in ("news/index.html", ARTICLE, "archive/index.html", "investors/index.html", "index.html")
    }
    assert marked["news/index.html"] == [f"{site}/news/"]
    assert marked[ARTICLE] == [f"{site}/news/"]  # a post marks its category
    assert marked["archive/index.html"] == [f"{site}/archive/"]
    assert marked["investors/index.html"] == [f"{site}/investors/"]
    assert marked["index.html"] == []  # the home page is in no section of the navigation


def test_the_media_contacts_page_keeps_its_own_footer_paragraph(two_posts):
    shutil.copy(ROOT / "content" / "pages" / "media-contacts.md", two_posts.content / "pages")
    output = two_posts.build()
    contacts, home = text_of(output, "media-contacts/index.html"), text_of(output, "index.html")
    assert 'href="#boilerplate-title"' in footer_of(contacts)
    assert 'href="#boilerplate-title"' not in footer_of(home) and "Larkspur Energy, Inc." in footer_of(home)


def test_each_language_gets_the_header_and_footer_in_its_own_words(two_posts):
    two_posts.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    two_posts.post("kessler-fr", Title="Le parc éolien de Kessler Ridge", Lang="fr", Tags="éolien")
    output = two_posts.build()
    site = two_posts.settings()["SITEURL"]
    english, french = text_of(output, "index.html"), text_of(output, "fr/index.html")
    assert f'href="{site}/fr/archive/"' in header_of(french) and f'href="{site}/archive/"' in header_of(english)
    assert header_of(english) != header_of(french) and footer_of(english) != footer_of(french)
    french_post = next(output.glob("fr/news/2026/*/index.html")).read_text(encoding="utf-8")
    assert header_of(french_post).replace(' aria-current="page"', "") == header_of(french).replace(
        ' aria-current="page"', ""
    )


def test_a_build_renders_the_frame_once_per_language_and_section_not_once_per_page(two_posts):
    for number in range(12):  # more pages in the same sections: a post and a topic page each
        two_posts.post(f"update-{number}", Title=f"Operations update {number}", Tags=f"site {number}")
    output, frames = two_posts.build_keeping_partials(FRAME_TEMPLATE)
    pages = [page.read_text(encoding="utf-8") for page in output.rglob("*.html")]
    # Every header and footer a page prints is one the build rendered, and it rendered far fewer than pages.
    headers = {header_of(frame) for frame in frames if "</header>" in frame}
    footers = {footer_of(frame) for frame in frames if "</footer>" in frame}
    assert {header_of(page) for page in pages} <= headers and {footer_of(page) for page in pages} <= footers
    assert len(pages) > 2 * len(frames)


# A frame template that tries to read a page's own variables: it sees none of them.
NOSY_FRAME = (
    "{% macro header(active_section) %}<header>{{ active_section }}|{{ article is defined }}"
    "|{{ articles_page is defined }}|{{ page_language is defined }}|{{ SITENAME }}</header>{% endmacro %}"
    "{% macro footer(boilerplate) %}<footer>{{ output_file is defined }}</footer>{% endmacro %}"
)


def test_the_frame_sees_only_its_arguments_the_language_and_the_settings(two_posts, tmp_path):
    theme = theme_with(tmp_path, {"partials/site_frame.html": NOSY_FRAME})
    output = two_posts.build(THEME=str(theme))
    assert "<header>news|False|False|True|Larkspur Energy Newsroom</header>" in text_of(output, ARTICLE)
    assert "<header>None|False|False|True|" in text_of(output, "tags/wind/index.html")  # sets no section
    assert "<footer>False</footer>" in text_of(output, "index.html")


def test_remembered_frames_and_cards_give_the_pages_rendering_them_again_would(site, tmp_path, monkeypatch):
    """The whole sample newsroom, in its languages, built with the shared partials remembered and built with
    each one rendered anew wherever it is printed: every file the same, byte for byte."""
    site.with_sample_content()
    site.overrides["NEWSROOM_PARALLEL_RENDER"] = False
    remembered = site.build(OUTPUT_PATH=str(tmp_path / "remembered"), CACHE_CONTENT=False)
    monkeypatch.setattr(shared_partials, "remembered", lambda memo, key, make: make())
    rendered = site.build(OUTPUT_PATH=str(tmp_path / "rendered"), CACHE_CONTENT=False)
    files = sorted(path.relative_to(remembered) for path in remembered.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(rendered) for path in rendered.rglob("*") if path.is_file())
    assert len(files) > 100
    different = [str(name) for name in files if (remembered / name).read_bytes() != (rendered / name).read_bytes()]
    assert different == []
