"""A language's URL prefix (/fr/) is a folder of its own: never one the site's settings, listings or pages take."""

from __future__ import annotations

import pytest

from conftest import run_invoke

ENGLISH = {"code": "en", "name": "English", "default": True}


def prefix_problems(site, prefix: str, **overrides) -> list[str]:
    languages = [ENGLISH, {"code": "fr", "name": "Français", "prefix": prefix}]
    lines = site.check(NEWSROOM_LANGUAGES=languages, **overrides)
    return [line for line in lines if "NEWSROOM_LANGUAGES" in line]


def refusal(prefix: str, what: str) -> str:
    return (
        f"settings: NEWSROOM_LANGUAGES[1].prefix: {prefix!r} for the language 'fr' is already {what} (expected "
        f"another prefix: the 'fr' pages and listings go under /{prefix}/, beside the site's own folders)"
    )


# Each kind of folder the sample site's settings take, and what the message says takes it.
COLLISIONS = {
    "tags": "the folder of TAG_URL ('tags/{slug}/')",  # Pelican's own settings
    "search": "the folder of SEARCH_SAVE_AS ('search/index.html')",
    "categories": "the folder of CATEGORIES_SAVE_AS ('categories/index.html')",
    "archive": "the folder of YEAR_ARCHIVE_URL ('archive/{date:%Y}/')",
    "material-news": "the folder of MATERIAL_NEWS_URL ('material-news/')",  # the newsroom's own listings
    "investors": "an audience's slug (NEWSROOM_AUDIENCES)",
    "news": "a category's slug (NEWSROOM_CATEGORIES)",
    "feeds": "the feeds' folder (NEWSROOM_FEEDS)",
    "pagefind": "the search index's folder",
    "admin": "the browser editor's folder",
    "theme": "the theme's folder (THEME_STATIC_DIR 'theme')",
    "images": "a folder of static files (STATIC_PATHS 'images')",
    "downloads": "a folder of static files (STATIC_PATHS 'downloads')",
}


@pytest.mark.parametrize("prefix", sorted(COLLISIONS))
def test_a_prefix_that_is_one_of_the_sites_folders_is_refused_in_one_line(site, prefix):
    assert prefix_problems(site, prefix) == [refusal(prefix, COLLISIONS[prefix])]


def test_the_samples_french_prefix_is_accepted(site):
    assert prefix_problems(site, "fr") == []


def test_the_folders_follow_the_settings_rather_than_a_list(site):
    """Moved tags free 'tags' and take their new folder; a moved theme folder, likewise."""
    moved = {
        "TAG_URL": "labels/{slug}/",
        "TAG_SAVE_AS": "labels/{slug}/index.html",
        "TAGS_SAVE_AS": "labels/index.html",
    }
    assert prefix_problems(site, "tags", **moved) == []
    assert prefix_problems(site, "labels", **moved) == [refusal("labels", "the folder of TAG_URL ('labels/{slug}/')")]
    assert prefix_problems(site, "assets", THEME_STATIC_DIR="assets/theme") == [
        refusal("assets", "the theme's folder (THEME_STATIC_DIR 'assets/theme')")
    ]
    # Categories under a folder of their own: a category's slug is free, the folder is not.
    under = {"CATEGORY_URL": "category/{slug}/", "CATEGORY_SAVE_AS": "category/{slug}/index.html"}
    assert prefix_problems(site, "events", **under, ARTICLE_URL="{slug}/", ARTICLE_SAVE_AS="{slug}/index.html") == []
    assert prefix_problems(site, "category", **under) == [
        refusal("category", "the folder of CATEGORY_URL ('category/{slug}/')")
    ]


def test_a_prefix_that_is_a_pages_slug_is_refused_by_invoke_check_naming_the_page(site):
    site.file("pages/about.md", "Title: About Larkspur\nSlug: about\n\nWho we are.\n")
    languages = [ENGLISH, {"code": "fr", "name": "Français", "prefix": "about"}]
    result = run_invoke("check", "--settings", str(site.settings_file(NEWSROOM_LANGUAGES=languages)))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        "pages/about.md:2: slug: 'about' would write this page to about/index.html, in the folder of the Français "
        "editions of the listings (expected another slug, or another prefix for 'fr' in NEWSROOM_LANGUAGES)"
    ) in output, output
    assert "Traceback" not in output


def test_a_post_whose_address_is_in_another_languages_folder_is_refused_naming_the_post(site):
    """With posts at the top of the site (ARTICLE_URL = '{slug}/'), an English post with the slug 'fr' would be
    written over the French home page; the French version of a post lives in that folder by right."""
    top = {"ARTICLE_URL": "{slug}/", "ARTICLE_SAVE_AS": "{slug}/index.html"}
    site.post("french-named", Slug="fr", Id="2026-06-01-fr")
    site.post("kessler", Id="2026-06-01-kessler")
    site.post("kessler-fr", "Le texte.", Id="2026-06-01-kessler", Lang="fr", Slug="kessler")
    languages = [ENGLISH, {"code": "fr", "name": "Français", "prefix": "fr"}]
    lines = site.check(NEWSROOM_LANGUAGES=languages, **top)
    refused = [line for line in lines if "in the folder of the Français editions" in line]
    assert refused == [
        f"{site.content}/posts/french-named.md:6: slug: puts this post at fr/, in the folder of the Français "
        "editions of the listings (expected another slug, or another prefix for 'fr' in NEWSROOM_LANGUAGES)"
    ], lines
