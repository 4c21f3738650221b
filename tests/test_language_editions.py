"""Each language's edition of every listing: home, categories, tags, archives, audience, material news, search.

Real builds of a tiny site in English and French: each edition lists every post once (its version in the
edition's language, or the post in its own language, marked), links its editions in every language both ways,
and shows the theme's words in its language.
"""

from __future__ import annotations

import re

import pytest

from conftest import WITHHELD_KINDS, files_containing, text_of
from newsroom.site.build import BuildFailed

LANGUAGES = [
    {"code": "en", "name": "English", "default": True},
    {"code": "fr", "name": "Français", "prefix": "fr", "since": "2026-01-01 00:00 UTC"},
]
KESSLER = {"Id": "2026-06-01-kessler", "Tags": "wind", "Audience": "media, investors"}
FRENCH_KESSLER = "Larkspur met en service le parc éolien de Kessler Ridge"
ENGLISH_ONLY = "Larkspur names a new chief financial officer"
RESULTS = {
    "Id": "2026-07-29-results",
    "Title": "Larkspur reports second-quarter results",
    "Date": "2026-05-20 16:05 America/New_York",
    "Material": "yes",
    "Audience": "investors, media",
    "Contact": "investor-relations",
    "Category": "Press releases",
}
OLD_RESULTS = {
    **RESULTS,
    "Id": "2025-07-29-results",
    "Title": "Larkspur reports 2025 results",
    "Date": "2025-07-29 16:05 UTC",
}

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="(?P<lang>[^"]+)" href="(?P<href>[^"]+)">')


@pytest.fixture
def two_editions(site):
    """English and French: Kessler in both, a post in English only, a material release in both, an older material
    release from before French began (English only), and a post in French only."""
    site.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("kessler", **KESSLER)
    site.post(
        "kessler-fr",
        "Le texte.",
        **{**KESSLER, "Tags": "wind, éolien"},
        Title=FRENCH_KESSLER,
        Summary="Le parc de 240 MW alimente le réseau.",
        Lang="fr",
    )
    site.post("cfo", Id="2026-05-02-cfo", Title=ENGLISH_ONLY, Date="2026-05-02 09:00 UTC", Tags="wind, leadership")
    site.post("results", **RESULTS)
    french_results = {**RESULTS, "Title": "Larkspur publie ses résultats du deuxième trimestre", "Lang": "fr"}
    site.post("results-fr", "Le texte.", **french_results)
    site.post("old-results", **OLD_RESULTS)
    site.post(
        "annonce",
        Id="2026-04-01-annonce",
        Title="Portes ouvertes à Kessler Ridge",
        Lang="fr",
        Date="2026-04-01 10:00 UTC",
    )
    return site


def alternates(output, page: str) -> dict[str, str]:
    return {m["lang"]: m["href"] for m in ALTERNATE.finditer(text_of(output, page))}


def links_to(page_text: str, title: str) -> list[str]:
    """Every link whose text is `title`, with its attributes."""
    return re.findall(rf"<a [^>]*>{re.escape(title)}</a>", page_text)


# Every kind of listing, by its page in the default language (the French edition is the same under fr/).
LISTINGS = (
    "index.html",
    "news/index.html",
    "tags/wind/index.html",
    "archive/index.html",
    "archive/2026/index.html",
    "media/index.html",
)


@pytest.mark.parametrize("listing", LISTINGS)
def test_each_listing_has_a_french_edition_listing_each_post_once_in_french_where_it_can(two_editions, listing):
    output = two_editions.build()
    french_page = text_of(output, f"fr/{listing}")
    assert '<html lang="fr">' in french_page
    assert len(links_to(french_page, FRENCH_KESSLER)) == 1
    assert links_to(french_page, "Larkspur opens Kessler Ridge wind farm") == []  # never shown twice
    # No French version: listed once, in English, and marked as English for screen readers and search engines.
    english_only = links_to(french_page, ENGLISH_ONLY)
    assert len(english_only) == 1 and 'lang="en" hreflang="en"' in english_only[0]
    english_page = text_of(output, listing)
    assert links_to(english_page, FRENCH_KESSLER) == []
    assert len(links_to(english_page, ENGLISH_ONLY)) == 1 and "hreflang" not in links_to(english_page, ENGLISH_ONLY)[0]


def test_a_post_in_french_only_is_on_the_english_home_page_once_marked_french(two_editions):
    output = two_editions.build()
    english = links_to(text_of(output, "index.html"), "Portes ouvertes à Kessler Ridge")
    assert len(english) == 1 and 'lang="fr" hreflang="fr"' in english[0]
    french = links_to(text_of(output, "fr/index.html"), "Portes ouvertes à Kessler Ridge")
    assert len(french) == 1 and "hreflang" not in french[0]


def test_the_french_material_news_page_lists_each_release_once_older_ones_in_english(two_editions):
    output = two_editions.build()
    page = text_of(output, "fr/material-news/index.html")
    assert len(links_to(page, "Larkspur publie ses résultats du deuxième trimestre")) == 1
    assert links_to(page, "Larkspur reports second-quarter results") == []
    older = links_to(page, "Larkspur reports 2025 results")  # before French began: no French version required
    assert len(older) == 1 and 'lang="en" hreflang="en"' in older[0]
    assert "Information réglementée / importante" in page and "Annonces importantes" in page


@pytest.mark.parametrize(
    "listing", [*LISTINGS, "material-news/index.html", "search/index.html", "categories/index.html"]
)
def test_each_listing_and_its_french_edition_link_each_other_both_ways(two_editions, listing):
    output = two_editions.build()
    siteurl = two_editions.settings()["SITEURL"]
    url = listing.removesuffix("index.html")
    expected = {"en": f"{siteurl}/{url}", "x-default": f"{siteurl}/{url}", "fr": f"{siteurl}/fr/{url}"}
    assert alternates(output, listing) == expected
    assert alternates(output, f"fr/{listing}") == expected
    switcher = text_of(output, f"fr/{listing}").split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'hreflang="fr" lang="fr" aria-current="page">Français</a>' in switcher
    assert f'href="{siteurl}/{url}" hreflang="en" lang="en">English</a>' in switcher


def test_a_listing_only_one_language_has_links_no_editions(two_editions):
    output = two_editions.build()
    page = text_of(output, "fr/tags/eolien/index.html")  # only the French version has this tag
    assert alternates(output, "fr/tags/eolien/index.html") == {} and "language-switcher" not in page
    assert not (output / "tags/eolien/index.html").exists()


def topic_links(page: str) -> dict[str, str]:
    """The topics a list of topics links, each with the attributes of its link besides the address."""
    links = re.findall(r'<a href="[^"]+/tags/[^"]+/"([^>]*)>([^<]+)</a>', page)
    return {name: attributes for attributes, name in links}


def test_a_topic_only_posts_in_another_language_use_is_marked_with_that_language(two_editions):
    output = two_editions.build()
    # "wind" is used in both languages, "éolien" in French only, "leadership" by a post in English only.
    assert topic_links(text_of(output, "fr/tags/index.html")) == {"leadership": ' lang="en"', "wind": "", "éolien": ""}
    assert topic_links(text_of(output, "tags/index.html")) == {"leadership": "", "wind": ""}
    # ... and so is the heading of its own page in the French edition.
    heading = '<h1 class="listing-header__title"{}>leadership</h1>'
    assert heading.format(' lang="en"') in text_of(output, "fr/tags/leadership/index.html")
    assert heading.format("") in text_of(output, "tags/leadership/index.html")
    assert '<h1 class="listing-header__title">wind</h1>' in text_of(output, "fr/tags/wind/index.html")


def test_every_page_of_a_paginated_listing_has_its_edition(two_editions):
    output = two_editions.build(DEFAULT_PAGINATION=2)
    siteurl = two_editions.settings()["SITEURL"]
    for page in ("page/2/index.html", "page/3/index.html"):
        url = page.removesuffix("index.html")
        assert alternates(output, f"fr/{page}") == {
            "en": f"{siteurl}/{url}",
            "x-default": f"{siteurl}/{url}",
            "fr": f"{siteurl}/fr/{url}",
        }
    assert not (output / "fr/page/4/index.html").exists() and not (output / "page/4/index.html").exists()
    assert "Page 2 sur 3" in text_of(output, "fr/page/2/index.html")


def test_a_french_listing_links_the_french_editions_of_the_other_listings(two_editions):
    output = two_editions.build()
    siteurl = two_editions.settings()["SITEURL"]
    page = text_of(output, "fr/news/index.html")
    for listing in ("", "news/", "archive/", "search/", "media/", "tags/", "material-news/"):
        assert f'href="{siteurl}/fr/{listing}"' in page, listing
    english = text_of(output, "news/index.html")
    assert f'href="{siteurl}/fr/archive/"' not in english and f'href="{siteurl}/archive/"' in english


# The theme's words on each kind of French listing, and the English words they replace.
FRENCH_WORDS = {
    "index.html": ("Dernières nouvelles", "Latest news"),
    "news/index.html": ("Catégorie", ">Category<"),
    "tags/wind/index.html": ("Sujet", ">Topic<"),
    "tags/index.html": ("Sujets", ">Topics<"),
    "categories/index.html": ("Catégories", ">Categories<"),
    "archive/index.html": ("Toutes nos publications", "Every post we have published"),
    "archive/2026/index.html": ("Archives 2026", "2026 archive"),
    "material-news/index.html": ("Annonces importantes", "Material announcements"),
    "search/index.html": ("Chercher dans les archives", "Search the archive"),
    "404.html": ("Page introuvable", "Page not found"),
}


@pytest.mark.parametrize("listing", FRENCH_WORDS)
def test_a_french_listing_shows_the_themes_words_in_french(two_editions, listing):
    output = two_editions.build()
    french_words, english_words = FRENCH_WORDS[listing]
    french_page, english_page = text_of(output, f"fr/{listing}"), text_of(output, listing)
    assert french_words in french_page and english_words not in french_page
    assert english_words in english_page


def test_two_processes_write_the_same_editions_as_one(two_editions):
    one = two_editions.build(OUTPUT_PATH=str(two_editions.root / "one"), NEWSROOM_PARALLEL_RENDER=False)
    two = two_editions.build(OUTPUT_PATH=str(two_editions.root / "two"), NEWSROOM_PARALLEL_RENDER=True)
    files = sorted(path.relative_to(one) for path in one.rglob("*") if path.is_file())
    assert (one / "fr/archive/2026/index.html").is_file()
    assert files == sorted(path.relative_to(two) for path in two.rglob("*") if path.is_file())
    assert [f for f in files if (one / f).read_bytes() != (two / f).read_bytes()] == []


def test_the_french_search_page_gives_the_search_box_french_example_words(two_editions):
    output = two_editions.build()
    assert 'data-placeholder="p. ex. dividende, Kessler Ridge"' in text_of(output, "fr/search/index.html")
    assert "data-placeholder" not in text_of(output, "search/index.html")  # search.js has the English words


def test_the_internal_editions_banner_is_in_the_pages_language(two_editions):
    output = two_editions.build(edition="internal")
    assert "Édition interne : comprend des publications réservées au personnel." in text_of(output, "fr/index.html")
    assert "Internal edition: includes posts for employees only." in text_of(output, "index.html")


def test_a_listing_added_later_gets_its_editions_without_a_change_to_the_newsroom(two_editions):
    """Any generator in WRITER_GENERATORS writes its editions: here Pelican's template pages (TEMPLATE_PAGES)."""
    template = two_editions.root / "extra.html"  # outside content/, where the checks allow no template
    template.write_text('{% extends "base.html" %}{% block content %}<p>{{ _("Latest news") }}</p>{% endblock %}')
    output = two_editions.build(TEMPLATE_PAGES={str(template): "extra/index.html"})
    french = text_of(output, "fr/extra/index.html")
    assert '<html lang="fr">' in french and "<p>Dernières nouvelles</p>" in french
    assert "<p>Latest news</p>" in text_of(output, "extra/index.html")
    assert alternates(output, "fr/extra/index.html")["fr"].endswith("/fr/extra/")


def test_a_page_whose_address_is_in_a_languages_folder_is_refused_naming_the_slug(two_editions):
    two_editions.file("pages/french.md", "Title: French\nSlug: fr\n\nA page that would be the French home page.\n")
    lines = two_editions.check()
    assert any(
        line.endswith(
            "pages/french.md:2: slug: 'fr' would write this page to fr/index.html, in the folder of the Français "
            "editions of the listings (expected another slug, or another prefix for 'fr' in NEWSROOM_LANGUAGES)"
        )
        for line in lines
    ), lines
    two_editions.file("pages/french.md", "Title: French\nSlug: francais\n\nA page of its own.\n")
    assert not any("pages/french.md" in line for line in two_editions.check())


@pytest.mark.parametrize("kind", sorted(WITHHELD_KINDS))
def test_a_withheld_version_reaches_no_page_of_any_edition_while_its_original_is_public(site, kind):
    """An author (or an attacker with commit access) gives a public post a French version that is withheld: a
    draft, hidden, internal or embargoed. The editions replace posts by their versions, so this is where such a
    version could leak: its words must be in no file of the public build, or the build must refuse it, naming it."""
    site.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("kessler", **KESSLER)
    site.post(
        "kessler-fr",
        f"Le texte {kind}.",
        **{**KESSLER, **WITHHELD_KINDS[kind]},
        Title=f"Kessler Ridge {kind}",
        Summary=f"Résumé {kind}.",
        Lang="fr",
    )
    try:
        output = site.build()
    except BuildFailed as refusal:  # refused before anything was written, naming the version
        assert "kessler-fr.md" in str(refusal), str(refusal)
        return
    assert files_containing(output, kind) == []
    assert (output / "fr/index.html").exists()  # the French edition was written, with the original instead
