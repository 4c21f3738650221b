"""A newsroom in several languages: the settings, translations linked both ways, and the checks between versions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_invoke, text_of
from newsroom.site.build import build_and_index

LANGUAGES = [
    {"code": "en", "name": "English", "default": True},
    {"code": "fr", "name": "Français"},
]
RELEASE = {"Id": "2026-06-01-kessler", "Material": None}


@pytest.fixture
def bilingual(site):
    site.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": False, "channel_fallback": False}
    return site


def french(site, name="kessler-fr", **fields):
    """The French version of the valid post (same Id)."""
    values = {
        "Title": "Larkspur met en service le parc éolien de Kessler Ridge",
        "Summary": "Le parc de 240 MW alimente maintenant le réseau.",
        "Lang": "fr",
        **RELEASE,
        **fields,
    }
    return site.post(name, "Le texte du communiqué.", **values)


def settings_problems(site, **overrides) -> list[str]:
    return [line for line in site.check(**overrides) if line.startswith("settings: NEWSROOM_")]


# --- settings -------------------------------------------------------------------------------------------------


def test_languages_are_validated_once_with_one_line_per_problem(site):
    languages = [
        {"code": "en", "name": "English", "default": True, "prefix": "en"},
        {"code": "fr", "name": "Français", "prefx": "fr"},
        {"code": "fr", "name": "", "prefix": "media"},
        {"code": "f r", "name": "Nope", "prefix": "Bad Prefix"},
    ]
    lines = settings_problems(site, NEWSROOM_LANGUAGES=languages)
    expected = [
        "NEWSROOM_LANGUAGES[0].prefix: 'en': the default language's pages live at the top (expected '')",
        "NEWSROOM_LANGUAGES[1]: unknown key 'prefx' (did you mean 'prefix'?)",
        "NEWSROOM_LANGUAGES[2].prefix: 'media' for the language 'fr' is already an audience's slug (NEWSROOM_AUDIENCES) "
        "(expected another prefix: the 'fr' pages and listings go under /media/, beside the site's own folders)",
        "NEWSROOM_LANGUAGES[2].name: '' must be a non-empty string",
        "NEWSROOM_LANGUAGES[3].code: 'f r' is not a language tag (expected e.g. 'en', 'fr' or 'fr-CA')",
        "NEWSROOM_LANGUAGES[3].prefix: 'Bad Prefix' is not a slug (expected e.g. 'fr': pages go under /fr/)",
        "NEWSROOM_LANGUAGES: code 'fr' is used twice (each must be unique)",
    ]
    for line in expected:
        assert any(found.endswith(line) for found in lines), (line, lines)


def test_exactly_one_default_language_and_it_is_pelicans_default_lang(site):
    no_default = [{"code": "en", "name": "English"}, {"code": "fr", "name": "Français"}]
    assert any(
        "0 languages say 'default': True (expected exactly one)" in line
        for line in site.check(NEWSROOM_LANGUAGES=no_default)
    )
    wrong = [{"code": "fr", "name": "Français", "default": True}, {"code": "en", "name": "English"}]
    assert any(
        "the default language 'fr' is not DEFAULT_LANG 'en'" in line for line in site.check(NEWSROOM_LANGUAGES=wrong)
    )


def test_a_misspelt_translation_rule_is_named_with_the_fix(bilingual):
    lines = bilingual.check(NEWSROOM_TRANSLATION_RULES={"one_language_frist": True})
    assert any("NEWSROOM_TRANSLATION_RULES: unknown key 'one_language_frist' (did you mean" in line for line in lines)


def test_a_bad_language_setting_stops_invoke_check_with_one_line_and_no_traceback(site):
    path = site.settings_file(NEWSROOM_LANGUAGES=[{"code": "en", "name": "English", "default": "yes"}])
    result = run_invoke("check", "--settings", str(path))
    assert result.returncode != 0
    assert "NEWSROOM_LANGUAGES[0].default: 'yes' must be True or False" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# --- translations linked both ways ----------------------------------------------------------------------------

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="(?P<lang>[^"]+)" href="(?P<href>[^"]+)">')


def alternates(output, page: str) -> dict[str, str]:
    return {m["lang"]: m["href"] for m in ALTERNATE.finditer(text_of(output, page))}


def json_ld(output, page: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text_of(output, page), re.S)
    return next(data for data in map(json.loads, scripts) if data.get("@type") == "NewsArticle")


def test_a_translation_lives_under_its_prefix_and_each_version_links_every_version_back(bilingual):
    bilingual.post("kessler", **RELEASE)
    french(bilingual)
    output = bilingual.build()
    english_page = "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"
    french_page = "fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html"
    pages = {"en": english_page, "fr": french_page}
    siteurl = bilingual.settings()["SITEURL"]
    for lang, page in pages.items():
        links = alternates(output, page)
        assert links == {
            "en": f"{siteurl}/{english_page.removesuffix('index.html')}",
            "x-default": f"{siteurl}/{english_page.removesuffix('index.html')}",
            "fr": f"{siteurl}/{french_page.removesuffix('index.html')}",
        }, page
        assert f'<html lang="{lang}">' in text_of(output, page)
        assert json_ld(output, page)["inLanguage"] == lang
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', text_of(output, french_page), re.S)[0]
    assert 'hreflang="en" lang="en">English</a>' in switcher
    assert 'hreflang="fr" lang="fr" aria-current="page">Français</a>' in switcher


def test_a_post_in_one_language_has_no_alternates_and_no_switcher(bilingual):
    bilingual.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    bilingual.post("kessler", **RELEASE)
    output = bilingual.build()
    page = text_of(output, "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html")
    assert "hreflang" not in page and "language-switcher" not in page
    assert json_ld(output, "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html")["inLanguage"] == "en"


def test_versions_are_linked_by_id_not_by_slug(bilingual):
    """Two posts that happen to share a slug in two languages are not translations unless they share the Id."""
    bilingual.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    bilingual.post("kessler", **RELEASE)
    bilingual.post("other", Lang="fr", Id="another-post")
    output = bilingual.build()
    assert "hreflang" not in text_of(output, "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html")
    assert "hreflang" not in text_of(output, "fr/news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html")


# --- the checks between versions -------------------------------------------------------------------------------


def problems(site, **overrides) -> list[str]:
    """The content problems, with paths under content/."""
    lines = [line for line in site.check(**overrides) if not line.startswith("settings:")]
    return [line.replace(f"{site.content}/", "") for line in lines]


MATERIAL = {
    **RELEASE,
    "Material": "yes",
    "Audience": "investors, media",
    "Contact": "investor-relations",
    "Category": "Press releases",
}


def test_material_news_missing_a_language_fails_the_check_naming_the_language(bilingual):
    bilingual.post("results", **MATERIAL)
    lines = problems(bilingual)
    assert any(
        "posts/results.md:" in line
        and "id: the 'fr' (Français) version of '2026-06-01-kessler' is missing" in line
        and "material news is released in every language at once" in line
        for line in lines
    ), lines
    french(bilingual, **MATERIAL)
    assert problems(bilingual) == []


def test_an_embargoed_material_post_must_have_every_language_before_the_embargo_lifts(bilingual):
    bilingual.post("results", **{**MATERIAL, "Date": "2026-12-03 16:05 America/New_York"})
    assert any("'fr' (Français) version" in line for line in problems(bilingual))


def test_a_translation_left_as_a_draft_is_named_as_not_published(bilingual):
    bilingual.post("results", **MATERIAL)
    french(bilingual, **MATERIAL, Status="draft")
    lines = problems(bilingual)
    assert any("version of '2026-06-01-kessler' is not published (its Status differs)" in line for line in lines)
    assert any(
        line.startswith("posts/kessler-fr.md") and ": status: 'draft' differs from 'published'" in line
        for line in lines
    ), lines


def test_non_material_news_may_go_out_in_one_language_only_if_the_settings_allow_it(bilingual):
    bilingual.post("kessler", **RELEASE)
    assert any(
        "the 'fr' (Français) version" in line and "one_language_first: False" in line for line in problems(bilingual)
    )
    assert problems(bilingual, NEWSROOM_TRANSLATION_RULES={"one_language_first": True}) == []
    bilingual.post("results", **{**MATERIAL, "Id": "material-one", "Title": "Larkspur reports results"})
    still = problems(bilingual, NEWSROOM_TRANSLATION_RULES={"one_language_first": True})
    assert len(still) == 1 and "'material-one' is missing" in still[0], still


def test_a_translation_with_another_date_is_named_in_one_line(bilingual):
    bilingual.post("kessler", **RELEASE)
    path = french(bilingual, Date="2026-06-01 11:00 America/New_York")
    line = next(line for line in problems(bilingual) if ": date: " in line)
    assert line.startswith("posts/kessler-fr.md:")
    assert "'2026-06-01 11:00 America/New_York' differs from '2026-06-01 10:00 America/New_York' in " in line
    assert "expected the same Date" in line and "\n" not in line
    assert path.exists()


def test_the_same_moment_written_in_another_zone_is_the_same_date(bilingual):
    bilingual.post("kessler", **RELEASE, Correction="2026-06-02 10:00 UTC | The capacity is 240 MW, not 204 MW.")
    french(
        bilingual,
        Date="2026-06-01 14:00 UTC",
        Correction="2026-06-02 06:00 America/New_York | La capacité est de 240 MW, et non 204 MW.",
    )
    assert problems(bilingual) == []


def test_a_translation_lacking_the_originals_correction_is_named_with_the_fix(bilingual):
    bilingual.post("kessler", **RELEASE, Correction="2026-06-02 10:00 UTC | The capacity is 240 MW, not 204 MW.")
    french(bilingual)
    lines = problems(bilingual)
    assert lines == [
        "posts/kessler-fr.md:1: correction: lacks the correction of '2026-06-02 10:00 UTC' that posts/kessler.md "
        "has (expected 'Correction: 2026-06-02 10:00 UTC | ' and the correction in this language)"
    ]


def test_a_withdrawal_must_be_mirrored_in_every_version(bilingual):
    bilingual.post("kessler", **RELEASE, Withdrawn="2026-06-03 10:00 UTC | Published in error.")
    french(bilingual)
    lines = problems(bilingual)
    assert len(lines) == 1 and lines[0].startswith(
        "posts/kessler-fr.md:1: withdrawn: is not withdrawn but posts/kessler.md is"
    ), lines


def test_a_post_in_a_language_the_newsroom_does_not_publish_in_is_refused(bilingual):
    bilingual.post("kessler", Lang="de", Id="x")
    assert any(
        ": lang: 'de' is not one of the newsroom's languages (expected one of: en, fr;" in line
        for line in problems(bilingual)
    )


@pytest.mark.parametrize("lang, code", [("FR", "fr"), ("EN", "en")])
def test_a_lang_is_written_as_the_languages_code(bilingual, lang, code):
    """Pelican compares `Lang:` with DEFAULT_LANG as written: 'EN' would put an English post at its fallback
    address for other languages ({slug}-EN.html at the site's root); 'FR' is refused alike: one rule for every
    language."""
    bilingual.post("kessler", **RELEASE, Lang=lang if code == "en" else None)
    french(bilingual, Lang=lang if code == "fr" else "fr")
    lines = problems(bilingual)
    expected = f": lang: {lang!r} is written {code!r} in NEWSROOM_LANGUAGES (expected 'Lang: {code}')"
    assert len(lines) == 1 and expected in lines[0], lines


def test_two_versions_in_one_language_with_the_same_id_are_refused(bilingual):
    bilingual.post("kessler", **RELEASE)
    french(bilingual)
    french(bilingual, "kessler-fr-2", Title="Autre titre")
    assert any("posts/kessler-fr-2.md" in line and "already used by" in line for line in problems(bilingual))


def test_an_embargo_lifts_for_every_version_in_the_same_build(bilingual):
    embargoed = {**RELEASE, "Date": "2026-12-03 16:05 America/New_York"}
    bilingual.post("kessler", **embargoed)
    french(bilingual, **embargoed)
    before = bilingual.build()
    assert not list(before.glob("**/*kessler*/index.html"))
    after = bilingual.build(NEWSROOM_NOW="2026-12-03 21:06 UTC")
    assert (after / "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html").is_file()
    assert (after / "fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html").is_file()


# --- per-language editions: feeds, OPML, audience pages ----------------------------------------------------------


def test_each_language_has_its_own_feeds_opml_and_audience_pages(bilingual):
    bilingual.post("kessler", **RELEASE)
    french(bilingual)
    output = bilingual.build()
    english = text_of(output, "feeds/media.atom.xml")
    assert "Kessler Ridge wind farm" in english and "parc éolien" not in english
    french_atom = text_of(output, "feeds/fr/media.atom.xml")
    assert 'xml:lang="fr"' in french_atom and "parc éolien" in french_atom and "wind farm" not in french_atom
    assert "tag:" in french_atom and ":post/2026-06-01-kessler@fr</id>" in french_atom
    assert "<language>fr</language>" in text_of(output, "feeds/fr/media/news.rss.xml")
    assert "<language>en</language>" in text_of(output, "feeds/media/news.rss.xml")
    assert json.loads(text_of(output, "feeds/fr/all.json"))["language"] == "fr"
    opml = text_of(output, "feeds/fr/newsroom.opml")
    assert "/feeds/fr/media.rss.xml" in opml and "/feeds/media.rss.xml" not in opml
    assert "/feeds/fr/" not in text_of(output, "feeds/newsroom.opml")
    audience_page = text_of(output, "fr/media/index.html")
    assert '<html lang="fr">' in audience_page and "parc éolien" in audience_page
    assert "/feeds/fr/media.atom.xml" in audience_page
    assert "parc éolien" not in text_of(output, "media/index.html")
    article = text_of(output, "fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html")
    assert "/feeds/fr/media.atom.xml" in article and "/fr/media/" in article


def test_one_configured_language_builds_byte_for_byte_what_no_setting_builds(site):
    site.post("kessler", **RELEASE)
    site.post("other", Title="Larkspur names a new chief executive", Correction="2026-06-02 10:00 UTC | Fixed.")
    plain = site.build(OUTPUT_PATH=str(site.root / "plain"), NEWSROOM_LANGUAGES=None)
    one = site.build(
        OUTPUT_PATH=str(site.root / "one"), NEWSROOM_LANGUAGES=[{"code": "en", "name": "English", "default": True}]
    )
    files = sorted(path.relative_to(plain) for path in plain.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(one) for path in one.rglob("*") if path.is_file())
    assert [f for f in files if (plain / f).read_bytes() != (one / f).read_bytes()] == []


def test_a_language_added_later_is_not_required_of_posts_dated_before_it(bilingual):
    since = [LANGUAGES[0], {**LANGUAGES[1], "since": "2026-06-01 12:00 UTC"}]
    bilingual.post("results", **MATERIAL)  # 10:00 New York: 14:00 UTC, after the French edition began
    bilingual.post("older", **{**MATERIAL, "Id": "older", "Title": "Older results", "Date": "2026-06-01 11:00 UTC"})
    lines = problems(bilingual, NEWSROOM_LANGUAGES=since)
    assert len(lines) == 1 and lines[0].startswith("posts/results.md:") and "'fr' (Français)" in lines[0], lines
    assert any(
        "NEWSROOM_LANGUAGES[1].since:" in line
        for line in bilingual.check(NEWSROOM_LANGUAGES=[LANGUAGES[0], {**LANGUAGES[1], "since": "soon"}])
    )


def test_search_has_one_index_per_language_and_a_search_page_in_each(bilingual):
    bilingual.post("kessler", **RELEASE)
    french(bilingual)
    settings = bilingual.settings()
    build_and_index(settings)
    output = Path(settings["OUTPUT_PATH"])
    entry = json.loads(text_of(output, "pagefind/pagefind-entry.json"))
    assert {code: language["page_count"] for code, language in entry["languages"].items()} == {"en": 1, "fr": 1}
    search_page = text_of(output, "fr/search/index.html")
    assert '<html lang="fr">' in search_page and "/fr/search/" in search_page


def test_a_newsroom_in_one_language_keeps_one_index_whatever_a_post_says(site):
    # `Lang: en`, its one language: any other Lang is refused by the checks (test_safety_ownership.py).
    site.post("kessler", **RELEASE)
    site.post("other", Title="Another", Lang="en")
    settings = site.settings()
    build_and_index(settings)
    entry = json.loads(text_of(Path(settings["OUTPUT_PATH"]), "pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == 2
