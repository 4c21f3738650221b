"""The site's own pages (about, subscribe, media contacts…) in every language: a page with `Lang:` and the
original's `Id:` is its version in that language, as a post's translation is.

Real builds of a tiny site in English and French: the French version is written under /fr/ and linked both ways,
every French page links to it (or to the original, marked English, where there is none), the subscribe page
lists the French feeds in French, and the checks refuse what cannot be linked, in one line each.
"""

from __future__ import annotations

import re

import pytest

from conftest import text_of
from refusals import problems, refused_build

LANGUAGES = [
    {"code": "en", "name": "English", "default": True},
    {"code": "fr", "name": "Français", "prefix": "fr"},
]
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="(?P<lang>[^"]+)" href="(?P<href>[^"]+)">')


@pytest.fixture
def bilingual(site):
    """English and French: a subscribe page and a media contacts page in both, an about page in English only."""
    site.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("kessler", Id="2026-06-01-kessler", Audience="media, investors")
    site.post("kessler-fr", "Le texte.", Id="2026-06-01-kessler", Audience="media, investors", Lang="fr",
              Title="Larkspur met en service Kessler Ridge")  # fmt: skip
    site.file("pages/subscribe.md", "Title: Subscribe\nSlug: subscribe\nTemplate: subscribe\n\nGet our news.\n")
    site.file(
        "pages/subscribe-fr.md",
        "Title: S'abonner\nSlug: abonnement\nId: pages/subscribe\nLang: fr\nTemplate: subscribe\n\nNos nouvelles.\n",
    )
    site.file(
        "pages/media-contacts.md",
        "Title: Media contacts\nId: contacts\nSlug: media-contacts\nTemplate: contacts\n\nCall us.\n",
    )
    site.file(
        "pages/media-contacts-fr.md",
        "Title: Contacts médias\nId: contacts\nLang: fr\nSlug: media-contacts\nTemplate: contacts\n\nAppelez-nous.\n",
    )
    site.file("pages/about.md", "Title: About Larkspur\nSlug: about\n\nWho we are.\n")
    return site


def alternates(output, page: str) -> dict[str, str]:
    return {m["lang"]: m["href"] for m in ALTERNATE.finditer(text_of(output, page))}


def links_to(page_text: str, title: str) -> list[str]:
    """Every link whose text is `title`, with its attributes."""
    return re.findall(rf"<a [^>]*>{re.escape(title)}</a>", page_text)


@pytest.fixture
def built(bilingual):
    return bilingual.build()


def test_a_pages_french_version_is_written_under_fr_in_french_linked_both_ways(built):
    french = text_of(built, "fr/abonnement/index.html")
    assert '<html lang="fr">' in french and '<h1 class="listing-header__title">S&#39;abonner</h1>' in french
    for page in ("subscribe/index.html", "fr/abonnement/index.html"):
        found = alternates(built, page)
        assert found["en"].endswith("/subscribe/") and found["fr"].endswith("/fr/abonnement/"), (page, found)
        assert found["x-default"] == found["en"]
    assert 'hreflang="fr" lang="fr">Français</a>' in text_of(built, "subscribe/index.html")  # the switcher
    assert 'hreflang="en" lang="en">English</a>' in french


def test_a_page_in_one_language_stays_where_it_is_without_alternates(built):
    about = text_of(built, "about/index.html")
    assert '<html lang="en">' in about and "hreflang" not in about.split("</head>")[0]
    assert not (built / "fr" / "about").exists()


def test_french_pages_link_the_french_version_of_a_page_and_the_english_one_marked_where_there_is_none(built):
    french_pages = ("fr/index.html", "fr/abonnement/index.html", "fr/news/2026/larkspur-met-en-service-kessler-ridge/")
    for page in french_pages:
        text = text_of(built, page.replace("ridge/", "ridge/index.html"))
        assert links_to(text, "S&#39;abonner") and all('href="' in link for link in links_to(text, "S&#39;abonner"))
        assert any('/fr/media-contacts/"' in link for link in links_to(text, "Contacts médias")), page
        assert any('/fr/abonnement/"' in link for link in re.findall(r'<a class="site-nav__cta"[^>]*>', text)), page
        about = links_to(text, "About Larkspur")
        assert about and all('/about/" lang="en" hreflang="en"' in link for link in about), (page, about)
    english_home = text_of(built, "index.html")
    assert '<a class="site-nav__cta" href="' in english_home and '/subscribe/">' in english_home
    assert links_to(english_home, "About Larkspur") and "hreflang" not in links_to(english_home, "About Larkspur")[0]


def test_the_french_home_page_sends_readers_to_the_french_subscribe_page_under_the_french_tagline(built):
    hero = re.search(r'<p class="hero__lede">(.*?)</p>', text_of(built, "fr/index.html"), re.S)[1]
    assert hero.startswith("Nouvelles, résultats et avis de Larkspur Energy. ") and '/fr/abonnement/"' in hero
    english = re.search(r'<p class="hero__lede">(.*?)</p>', text_of(built, "index.html"), re.S)[1]
    assert english.startswith("News, results and notices from Larkspur Energy. ") and "/subscribe/" in english


def test_the_current_page_is_marked_in_the_french_navigation_whatever_the_versions_slug(built):
    nav = re.findall(r'<a class="site-nav__cta"[^>]*>', text_of(built, "fr/abonnement/index.html"))
    assert nav and 'aria-current="page"' in nav[0]


def test_the_french_subscribe_page_lists_the_french_feeds_and_opml_in_french(built):
    french = text_of(built, "fr/abonnement/index.html")
    feeds = re.findall(r'href="([^"]*/feeds/[^"]*)"', french)
    assert feeds and all("/feeds/fr/" in feed for feed in feeds), feeds
    assert "/feeds/fr/newsroom.opml" in french
    assert "Je suis" in french and "Tout ce que nous publions" in french
    for english in ("I&#39;m", "Everything we publish", "Email alerts", "News feed", "Paste this address"):
        assert english not in french, english
    english_page = text_of(built, "subscribe/index.html")
    assert "/feeds/fr/" not in english_page and "Everything we publish" in english_page


def test_the_french_media_contacts_page_is_in_french(built):
    french = text_of(built, "fr/media-contacts/index.html")
    assert '<h2 id="contacts-title">Contacts</h2>' in french and "À propos de Larkspur Energy" in french
    assert "About Larkspur Energy" not in french


def test_the_french_pages_description_is_the_french_tagline(built):
    for page in ("fr/index.html", "fr/404.html"):
        assert '<meta name="description" content="Nouvelles, résultats et avis de Larkspur Energy">' in text_of(
            built, page
        ), page
    assert '<meta name="description" content="News, results and notices from Larkspur Energy">' in text_of(
        built, "index.html"
    )


def test_a_two_language_site_without_a_french_tagline_is_refused_in_one_line(bilingual):
    company = {**bilingual.settings()["NEWSROOM_COMPANY"]}
    company["translations"] = {"fr": {"boilerplate": company["translations"]["fr"]["boilerplate"]}}
    lines = refused_build(bilingual, NEWSROOM_COMPANY=company).splitlines()
    assert (
        "NEWSROOM_COMPANY.translations: no 'fr' text for 'tagline' ('News, results and notices from Larkspur "
        "Energy') (expected {'fr': {'tagline': '…'}}: the pages and feeds in that language show it)"
    ) in lines, lines


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "pages/about-de.md",
            "Title: Über uns\nId: pages/about\nLang: de\n\nText.\n",
            "pages/about-de.md:3: lang: 'de' is not one of the newsroom's languages (expected one of: en, fr; see "
            "NEWSROOM_LANGUAGES)",
        ),
        (
            "pages/subscribe-zz.md",
            "Title: Abonnez-vous\nId: pages/subscribe\nLang: fr\nSlug: abonnez-vous\n\nText.\n",
            "pages/subscribe-zz.md:2: id: 'pages/subscribe' already has a 'fr' (Français) version: "
            "{content}/pages/subscribe-fr.md (expected one page per language for each Id: give this page its own Id, "
            "or another Lang)",
        ),
        (
            "pages/presse.md",
            "Title: Presse\nId: pages/press\nLang: fr\n\nText.\n",
            "pages/presse.md:2: id: 'pages/press' names no page in English (en): this Français version has no "
            "original to link to (expected the Id of a page without Lang:, as written in its 'Id:' or, without one, "
            "its path under content/ without .md, e.g. 'pages/about')",
        ),
    ],
    ids=["unknown language", "two versions in one language", "no original"],
)
def test_the_checks_refuse_a_page_version_that_cannot_be_linked_in_one_line(bilingual, name, text, expected):
    bilingual.file(name, text)
    expected = expected.format(content=bilingual.content)
    lines = problems(bilingual)
    assert [line for line in lines if name in line] == [line for line in lines if line.endswith(expected)] and any(
        line.endswith(expected) for line in lines
    ), lines


def test_a_site_configuring_one_language_builds_its_pages_byte_for_byte_as_one_without_the_setting(site):
    site.file("pages/subscribe.md", "Title: Subscribe\nSlug: subscribe\nTemplate: subscribe\n\nGet our news.\n")
    site.file("pages/about.md", "Title: About Larkspur\nSlug: about\n\nWho we are.\n")
    site.post("kessler", Id="2026-06-01-kessler")
    one = site.build()
    before = {path.relative_to(one): path.read_bytes() for path in sorted(one.rglob("*")) if path.is_file()}
    site.overrides["NEWSROOM_LANGUAGES"] = [{"code": "en", "name": "English", "default": True}]
    again = site.build(OUTPUT_PATH=str(site.root / "again"))
    after = {path.relative_to(again): path.read_bytes() for path in sorted(again.rglob("*")) if path.is_file()}
    assert after.keys() == before.keys()
    assert [name for name in before if before[name] != after[name]] == []


def test_every_page_of_the_sample_has_a_french_version_that_the_french_pages_link_to(site):
    """The sample newsroom's French reader is never sent to one of its pages in English."""
    output = site.with_sample_content().build()
    home = text_of(output, "fr/index.html")
    footer = home[home.index("<footer") :]
    own_pages = re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', footer)
    originals = sorted((site.content / "pages").glob("*.md"))
    french = [path for path in originals if "\nLang: fr\n" in path.read_text(encoding="utf-8")]
    assert len(french) * 2 == len(originals), "every page of content/pages has its French version"
    linked = [(href, attributes, title) for href, attributes, title in own_pages if "/fr/" in href]
    for title in ("À propos de Larkspur Energy", "Accessibilité", "Contacts médias et dossier de presse"):
        assert any(text == title and 'lang="' not in attributes for _, attributes, text in linked), title
    assert not [link for link in own_pages if 'lang="en"' in link[1]]
    for page in ("fr/a-propos/index.html", "fr/accessibilite/index.html"):
        text = text_of(output, page)
        assert '<html lang="fr">' in text
        assert alternates(output, page)["en"].endswith(("/about/", "/accessibility/"))
