"""Texts from the settings (audience, category and contact texts, the boilerplate) in every language of a page."""

from __future__ import annotations

import copy
import json
import re

import pytest

from conftest import ENGLISH_AND_FRENCH, ROOT, kessler_in_english_and_french, run_invoke, text_of
from newsroom.kit.translated import Translations, localized
from newsroom.model.audiences import Audience
from newsroom.site.build import load_settings

RELEASE = {"Id": "2026-06-01-kessler", "Material": None, "Category": "Press releases", "Contact": "media-relations"}
FRENCH_POST = "fr/press-releases/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html"
ENGLISH_POST = "press-releases/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"


@pytest.fixture
def bilingual(site):
    kessler_in_english_and_french(site, RELEASE)
    return site


def project(name: str):
    """A copy of the sample's setting, to break one thing in it."""
    return copy.deepcopy(load_settings(ROOT / "pelicanconf.py")[name])


def article_section(page: str) -> str:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return next(data for data in map(json.loads, scripts) if data.get("@type") == "NewsArticle")["articleSection"]


def settings_problems(site, **overrides) -> list[str]:
    return [line.removeprefix("settings: ") for line in site.check(**overrides) if line.startswith("settings:")]


def test_a_french_page_shows_the_settings_texts_in_french_and_the_english_page_in_english(bilingual):
    output = bilingual.build()
    french = text_of(output, FRENCH_POST)
    # The search filters too, under names of their language (Pagefind's search box shows them).
    assert 'data-pagefind-filter="public">Médias</a>' in french
    assert 'data-pagefind-filter="catégorie">Communiqués de presse</a>' in french
    assert "Responsable des relations avec les médias" in french
    assert "construit et exploite des centrales éoliennes" in french
    assert ">Head of Media Relations<" not in french and "builds and operates wind" not in french
    english = text_of(output, ENGLISH_POST)
    assert 'data-pagefind-filter="audience">Media</a>' in english and "Head of Media Relations" in english
    assert "Médias" not in english and "Communiqués" not in english
    audience_page = text_of(output, "fr/media/index.html")
    assert '<h1 class="listing-header__title">Médias</h1>' in audience_page
    assert "Journalistes et rédactions : annonces" in audience_page
    assert "Journalists and editors" not in audience_page
    assert '<h1 class="listing-header__title">Media</h1>' in text_of(output, "media/index.html")
    assert article_section(french) == "Communiqués de presse" and article_section(english) == "Press releases"


def test_a_text_missing_in_one_language_stops_the_build_naming_the_entry_key_and_fix(bilingual):
    audiences = project("NEWSROOM_AUDIENCES")
    del audiences[1]["translations"]["fr"]["name"]
    lines = settings_problems(bilingual, NEWSROOM_AUDIENCES=audiences)
    assert lines == [
        "NEWSROOM_AUDIENCES[1].translations: no 'fr' text for 'name' ('Media') (expected {'fr': {'name': '…'}}: "
        "the pages and feeds in that language show it)"
    ]
    path = bilingual.settings_file(NEWSROOM_AUDIENCES=audiences, NEWSROOM_LANGUAGES=ENGLISH_AND_FRENCH)
    result = run_invoke("check", "--settings", str(path))
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "NEWSROOM_AUDIENCES[1].translations: no 'fr' text for 'name' ('Media')" in result.stdout + result.stderr


def test_an_entry_without_any_translation_is_named_once_with_every_missing_text(bilingual):
    contacts = project("NEWSROOM_CONTACTS")
    del contacts[0]["translations"]
    categories = project("NEWSROOM_CATEGORIES")
    del categories[1]["translations"]
    lines = settings_problems(bilingual, NEWSROOM_CONTACTS=contacts, NEWSROOM_CATEGORIES=categories)
    assert sorted(lines) == [
        "NEWSROOM_CATEGORIES[1].translations: no 'fr' text for 'name' ('News'), 'description' ('Company news and "
        "project updates.') (expected {'fr': {'name': '…', 'description': '…'}}: the pages and feeds in that "
        "language show it)",
        "NEWSROOM_CONTACTS[0].translations: no 'fr' text for 'role' ('Head of Media Relations') (expected "
        "{'fr': {'role': '…'}}: the pages and feeds in that language show it)",
    ]


@pytest.mark.parametrize(
    "translations, line",
    [
        (
            {"de": {"name": "Medien"}},
            "NEWSROOM_AUDIENCES[1].translations: unknown language 'de' (expected one of NEWSROOM_LANGUAGES' other "
            "languages: fr)",
        ),
        (
            {"fr": {"name": "Médias", "descripton": "x", "description": "x", "reader": "x"}},
            "NEWSROOM_AUDIENCES[1].translations.fr: unknown key 'descripton' (did you mean 'description'?)",
        ),
        (
            {"fr": {"name": 5, "description": "x", "reader": "x"}},
            "NEWSROOM_AUDIENCES[1].translations.fr.name: 5 must be a non-empty string",
        ),
        (
            {"fr": "Médias"},
            "NEWSROOM_AUDIENCES[1].translations.fr: 'Médias' must be a dictionary (expected {'name': '…', "
            "'description': '…', 'reader': '…'})",
        ),
        (
            ["fr", "Médias"],
            "NEWSROOM_AUDIENCES[1].translations: ['fr', 'Médias'] must be a dictionary (expected {'fr': "
            "{'name': '…', 'description': '…', 'reader': '…'}}, one entry per language other than the default)",
        ),
    ],
)
def test_a_wrong_translation_is_one_line_naming_setting_entry_key_and_value(bilingual, translations, line):
    audiences = project("NEWSROOM_AUDIENCES")
    audiences[1]["translations"] = translations
    assert line in settings_problems(bilingual, NEWSROOM_AUDIENCES=audiences)


def test_a_newsroom_in_one_language_refuses_texts_in_another(site):
    audiences = project("NEWSROOM_AUDIENCES")
    audiences[0]["translations"] = {"fr": {"name": "Investisseurs"}}
    assert settings_problems(site, NEWSROOM_AUDIENCES=[audiences[0], *site.settings()["NEWSROOM_AUDIENCES"][1:]]) == [
        "NEWSROOM_AUDIENCES[0].translations: unknown language 'fr' (NEWSROOM_LANGUAGES has no other language than "
        "the default: add it there, or remove these texts)"
    ]


def test_localized_gives_the_languages_text_and_the_entrys_own_otherwise():
    media = Audience("media", "Media", "Journalists.", translations=Translations((("fr", "name", "Médias"),)))
    assert localized(media, "name", "fr") == localized(media, "name", "FR") == "Médias"
    assert localized(media, "name", None) == "Media"
    assert localized(media, "description", "fr") == "Journalists."  # validation requires it; a test may not
