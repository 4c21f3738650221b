"""Open Graph's og:locale: each page names its language's locale (NEWSROOM_LANGUAGES' `locale`, `fr_CA`) and, as
og:locale:alternate, the locales of its versions in the other languages that this edition publishes.

Real builds of a tiny site in English and French; the settings are refused in one line by `invoke check` and by
the build when a locale is not one of its language's.
"""

from __future__ import annotations

import re

import pytest

from conftest import run_invoke, text_of
from newsroom.model.site_folders import EDITOR_FOLDER
from refusals import refused_build

LOCALES = [
    {"code": "en", "name": "English", "default": True, "locale": "en_US"},
    {"code": "fr", "name": "Français", "prefix": "fr", "since": "2026-01-01 00:00 UTC", "locale": "fr_CA"},
]
LOCALE_OF = {"en": "en_US", "fr": "fr_CA"}
KESSLER = {"Id": "2026-06-01-kessler", "Tags": "wind", "Audience": "media, investors"}
MEMO = {"Id": "2026-05-05-memo", "Title": "A memo to staff", "Date": "2026-05-05 09:00 UTC", "Audience": "employees"}
KESSLER_EN = "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"
KESSLER_FR = "fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html"

OPEN_GRAPH_LOCALE = re.compile(r'<meta property="og:locale(?P<alternate>:alternate)?" content="(?P<locale>[^"]*)">')
HREFLANG = re.compile(r'<link rel="alternate" hreflang="(?P<lang>[^"]+)" href="[^"]+">')
HTML_LANG = re.compile(r'<html lang="(?P<lang>[^"]+)">')


def locales(page_text: str) -> tuple[list[str], list[str]]:
    """The page's og:locale values and its og:locale:alternate values, in order."""
    found = [(match["alternate"], match["locale"]) for match in OPEN_GRAPH_LOCALE.finditer(page_text)]
    return [locale for alternate, locale in found if not alternate], [
        locale for alternate, locale in found if alternate
    ]


def html_pages(output) -> list[str]:
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html"))


@pytest.fixture
def bilingual(site):
    """Kessler in both languages (its French version also tagged 'éolien', a topic only French uses), a post in
    English only, a post in French only, and the about page in both."""
    site.overrides["NEWSROOM_LANGUAGES"] = LOCALES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("kessler", **KESSLER)
    site.post(
        "kessler-fr",
        "Le texte.",
        **{**KESSLER, "Tags": "wind, éolien"},
        Title="Larkspur met en service le parc éolien de Kessler Ridge",
        Summary="Le parc de 240 MW alimente le réseau.",
        Lang="fr",
    )
    site.post(
        "cfo", Id="2026-05-02-cfo", Title="Larkspur names a new chief financial officer", Date="2026-05-02 09:00 UTC"
    )
    site.post("annonce", Id="2026-04-01-annonce", Title="Portes ouvertes à Kessler Ridge", Lang="fr")
    site.file("pages/about.md", "Title: About Larkspur\nSlug: about\n\nWho we are.\n")
    site.file("pages/about-fr.md", "Title: À propos\nId: pages/about\nLang: fr\nSlug: a-propos\n\nQui nous sommes.\n")
    return site


def test_posts_pages_and_listings_name_their_locale_and_their_other_versions_locales(bilingual):
    output = bilingual.build()
    expected = {
        KESSLER_EN: (["en_US"], ["fr_CA"]),
        KESSLER_FR: (["fr_CA"], ["en_US"]),
        "news/2026/larkspur-names-a-new-chief-financial-officer/index.html": (["en_US"], []),  # English only
        "fr/news/2026/portes-ouvertes-a-kessler-ridge/index.html": (["fr_CA"], []),  # French only
        "about/index.html": (["en_US"], ["fr_CA"]),
        "fr/a-propos/index.html": (["fr_CA"], ["en_US"]),
        "index.html": (["en_US"], ["fr_CA"]),
        "fr/index.html": (["fr_CA"], ["en_US"]),
        "tags/wind/index.html": (["en_US"], ["fr_CA"]),
        "fr/archive/2026/index.html": (["fr_CA"], ["en_US"]),
        "fr/media/index.html": (["fr_CA"], ["en_US"]),
        "fr/tags/eolien/index.html": (["fr_CA"], []),  # a topic only French uses: no English edition to name
    }
    assert {page: locales(text_of(output, page)) for page in expected} == expected


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_page_names_the_locale_of_its_html_lang_and_the_locales_of_its_hreflang_versions(bilingual, edition):
    """The alternates are the page's hreflang versions, the ones this edition publishes: an internal memo in
    both languages is in neither language in the public edition, and in both in the internal one."""
    bilingual.post("memo", **MEMO)
    bilingual.post("memo-fr", "Le texte.", **{**MEMO, "Title": "Note aux employés"}, Lang="fr")
    output = bilingual.build(edition=edition)
    memo = (output / "fr/news/2026/note-aux-employes/index.html").is_file()
    assert memo == (edition == "internal")
    # Every reader's page: the browser editor's (/admin/, internal edition) is not one, nor in a language.
    pages = [page for page in html_pages(output) if not page.startswith(f"{EDITOR_FOLDER}/")]
    assert len(pages) > 20
    for page in pages:
        text = text_of(output, page)
        own, others = locales(text)
        language = HTML_LANG.search(text)["lang"]
        versions = [lang for lang in HREFLANG.findall(text) if lang not in (language, "x-default")]
        assert (own, others) == ([LOCALE_OF[language]], [LOCALE_OF[lang] for lang in versions]), page


def test_a_language_without_a_locale_names_none_and_is_named_by_no_other_page(bilingual):
    """Open Graph wants a territory: the newsroom never guesses one."""
    output = bilingual.build(NEWSROOM_LANGUAGES=[LOCALES[0], {**LOCALES[1], "locale": None}])
    assert locales(text_of(output, KESSLER_FR)) == ([], [])
    assert locales(text_of(output, "fr/index.html")) == ([], [])
    assert locales(text_of(output, KESSLER_EN)) == (["en_US"], [])
    assert locales(text_of(output, "index.html")) == (["en_US"], [])


def test_a_newsroom_without_languages_names_no_locale(site):
    site.post("kessler", **KESSLER)
    output = site.build(NEWSROOM_LANGUAGES=None)
    assert [page for page in html_pages(output) if "og:locale" in text_of(output, page)] == []


def test_a_newsroom_in_one_language_gives_its_locale_in_its_one_language_and_changes_nothing_else(site):
    """The place for a one-language newsroom's locale is the one language it configures (its code is
    DEFAULT_LANG): every page gains og:locale, and nothing else changes."""
    site.post("kessler", **KESSLER)
    plain = site.build(OUTPUT_PATH=str(site.root / "plain"), NEWSROOM_LANGUAGES=None)
    one = site.build(OUTPUT_PATH=str(site.root / "one"), NEWSROOM_LANGUAGES=[LOCALES[0]])
    pages = html_pages(one)
    assert pages == html_pages(plain)
    tag = '\n  <meta property="og:locale" content="en_US">'
    for page in pages:
        text = text_of(one, page)
        assert locales(text) == (["en_US"], []), page
        assert text.replace(tag, "") == text_of(plain, page), page


BAD_LOCALES = [
    ("fr", "fr-CA", "'fr-CA' for the language 'fr' is not a locale (expected language_TERRITORY, e.g. 'fr_CA'"),
    ("fr", "fr_ca", "'fr_ca' for the language 'fr' is not a locale (expected language_TERRITORY, e.g. 'fr_CA'"),
    ("fr", "fr", "'fr' for the language 'fr' is not a locale (expected language_TERRITORY, e.g. 'fr_CA'"),
    ("fr", "", "'' for the language 'fr' is not a locale (expected language_TERRITORY, e.g. 'fr_CA'"),
    ("fr", 5, "5 for the language 'fr' is not a locale (expected language_TERRITORY, e.g. 'fr_CA'"),
    ("fr", "en_CA", "'en_CA' for the language 'fr' is another language's locale (expected 'fr' and a territory"),
    ("fr-CA", "fr_FR", "'fr_FR' for the language 'fr-CA' names another territory (expected 'fr_CA')"),
]


@pytest.mark.parametrize("code, locale, message", BAD_LOCALES)
def test_a_bad_locale_is_refused_in_one_line_by_the_check_and_by_the_build(bilingual, code, locale, message):
    languages = [LOCALES[0], {**LOCALES[1], "code": code, "locale": locale}]
    lines = [line for line in bilingual.check(NEWSROOM_LANGUAGES=languages) if ".locale" in line]
    assert len(lines) == 1 and lines[0].startswith(f"settings: NEWSROOM_LANGUAGES[1].locale: {message}"), lines
    assert lines[0].removeprefix("settings: ") in refused_build(bilingual, NEWSROOM_LANGUAGES=languages).splitlines()


def test_two_languages_with_one_locale_are_refused(bilingual):
    languages = [{**LOCALES[0], "locale": "en_CA"}, {**LOCALES[1], "code": "en-CA", "prefix": "ca"}]
    lines = [line for line in bilingual.check(NEWSROOM_LANGUAGES=languages) if "locale" in line]
    assert len(lines) == 1 and "'en_CA'" in lines[0], lines


def test_invoke_check_refuses_a_bad_locale_in_one_line_without_a_traceback(site):
    languages = [{**LOCALES[0], "locale": "en-US"}]
    result = run_invoke("check", "--settings", str(site.settings_file(NEWSROOM_LANGUAGES=languages)))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert (
        "NEWSROOM_LANGUAGES[0].locale: 'en-US' for the language 'en' is not a locale (expected language_TERRITORY, "
        "e.g. 'en_US': the og:locale of its pages)"
    ) in output
