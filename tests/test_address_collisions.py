"""One file, one owner, before the build: `invoke check` refuses a page or post whose file is a listing's (in its
language's edition) or another page's or post's, in one line naming both and the fix.

The listings' files are derived from the settings the build writes them with: move a listing and the check
follows it. Real tiny sites; the build, which runs the same checks, refuses with the same line.
"""

from __future__ import annotations

import pytest

from conftest import kessler_in_english_and_french, run_invoke
from refusals import lines_naming, problems, refused_build

KESSLER = {"Id": "2026-06-01-kessler", "Tags": "wind", "Audience": "media, investors"}
FIX = "(expected another slug: one file has one owner, and the build would stop on the second)"
# Posts at the top of the site, so that a post's slug is an address a listing or a page may have too.
POSTS_AT_THE_TOP = {"ARTICLE_URL": "{slug}/", "ARTICLE_SAVE_AS": "{slug}/index.html"}


@pytest.fixture
def bilingual(site):
    kessler_in_english_and_french(site, KESSLER)
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    return site


def about_pages(site, english_slug: str = "about", french_slug: str = "a-propos") -> None:
    site.file("pages/about.md", f"Title: About Larkspur\nSlug: {english_slug}\n\nWho we are.\n")
    site.file("pages/about-fr.md", f"Title: À propos\nId: pages/about\nLang: fr\nSlug: {french_slug}\n\nQui.\n")


LISTINGS = [
    ("archive", "ARCHIVES_SAVE_AS 'archive/index.html'"),
    ("search", "SEARCH_SAVE_AS 'search/index.html'"),
    ("tags", "TAGS_SAVE_AS 'tags/index.html'"),
    ("categories", "CATEGORIES_SAVE_AS 'categories/index.html'"),
    ("news", "CATEGORY_SAVE_AS '{slug}/index.html' for the category 'news'"),
    ("investors", "AUDIENCE_SAVE_AS '{slug}/index.html' for the audience 'investors'"),
    ("material-news", "MATERIAL_NEWS_SAVE_AS 'material-news/index.html'"),
]


@pytest.mark.parametrize("slug, listing", LISTINGS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_page_at_a_listings_address_in_its_language_is_refused_by_the_check_naming_both(
    bilingual, lang, slug, listing
):
    about_pages(bilingual, **{"english_slug" if lang == "en" else "french_slug": slug})
    page, line, edition = ("about.md", 2, "") if lang == "en" else ("about-fr.md", 4, "fr/")
    lines = lines_naming(problems(bilingual), f"pages/{page}", "slug")
    in_french = ", the Français edition" if lang == "fr" else ""
    assert lines == [
        f"{bilingual.content}/pages/{page}:{line}: slug: this page would be written to {edition}{slug}/index.html, "
        f"the file of the listing {listing}{in_french} {FIX}"
    ], lines


@pytest.mark.parametrize(
    "slug, owner",
    [
        ("pagefind", "search index: Pagefind"),  # every build empties it: the page would vanish without a word
        ("feeds", "feed: NEWSROOM_FEEDS"),
        ("theme", "theme asset: THEME_STATIC_PATHS"),
        # One folder on a case-insensitive host (macOS, Windows, some web servers).
        ("PAGEFIND", "search index: Pagefind"),
        ("Feeds", "feed: NEWSROOM_FEEDS"),
    ],
)
def test_a_page_inside_a_folder_another_owner_holds_whole_is_refused(site, slug, owner):
    site.file("pages/about.md", f"Title: About Larkspur\nSlug: {slug}\n\nWho we are.\n")
    lines = lines_naming(problems(site), "pages/about.md", "slug")
    assert lines == [
        f"{site.content}/pages/about.md:2: slug: this page would be written to {slug}/index.html, inside the "
        f"folder of the {owner} {FIX}"
    ], lines


EDITOR = "browser editor: NEWSROOM_EDITOR, which the internal edition writes whole"


@pytest.mark.parametrize("slug", ["admin", "ADMIN"])
def test_a_page_in_the_editors_folder_is_refused_where_the_settings_have_the_editor(site, slug):
    # The internal edition writes /admin/ (the editor's page, scripts and config.yml) whole: a page there would
    # take its index.html, and the build would stop only once it reached the internal edition.
    site.file("pages/about.md", f"Title: About Larkspur\nSlug: {slug}\n\nWho we are.\n")
    lines = lines_naming(problems(site, NEWSROOM_EDITOR={"repo": "larkspur/newsroom"}), "pages/about.md", "slug")
    assert lines == [
        f"{site.content}/pages/about.md:2: slug: this page would be written to {slug}/index.html, inside the "
        f"folder of the {EDITOR} {FIX}"
    ], lines


def test_a_page_at_admin_is_the_sites_own_when_the_settings_have_no_editor(site):
    site.file("pages/about.md", "Title: About Larkspur\nSlug: admin\n\nWho we are.\n")
    assert lines_naming(problems(site, NEWSROOM_EDITOR=None), "pages/about.md", "slug") == []


def test_an_address_that_differs_only_in_case_from_a_listings_is_its_file_on_case_insensitive_hosts(site):
    # macOS, Windows and some hosts store Archive/ and archive/ as one folder: the page would replace the listing.
    site.file("pages/about.md", "Title: About Larkspur\nSlug: Archive\n\nWho we are.\n")
    lines = lines_naming(problems(site), "pages/about.md", "slug")
    assert lines == [
        f"{site.content}/pages/about.md:2: slug: this page would be written to Archive/index.html, the file of the "
        f"listing ARCHIVES_SAVE_AS 'archive/index.html' {FIX}"
    ], lines


def test_two_pages_whose_addresses_differ_only_in_case_are_refused(site):
    site.file("pages/about.md", "Title: About Larkspur\nSlug: about\n\nWho we are.\n")
    site.file("pages/team.md", "Title: Our team\nSlug: About\n\nWho we are.\n")
    lines = lines_naming(problems(site), "pages/team.md", "slug")
    assert lines == [
        f"{site.content}/pages/team.md:2: slug: this page would be written to About/index.html, which "
        f"{site.content}/pages/about.md is written to as well {FIX}"
    ], lines


def test_the_build_refuses_a_page_in_the_search_index_folder_rather_than_losing_it(site):
    site.file("pages/about.md", "Title: About Larkspur\nSlug: pagefind\n\nWho we are.\n")
    assert "would be written to pagefind/index.html, inside the folder of the search index" in refused_build(site)


def test_the_build_refuses_with_the_checks_line_before_writing_anything(bilingual):
    about_pages(bilingual, french_slug="archive")
    message = refused_build(bilingual)
    lines = lines_naming(message, "pages/about-fr.md", "slug")
    assert len(lines) == 1 and "would be written to fr/archive/index.html, the file of the listing" in lines[0]
    assert not (bilingual.root / "output" / "fr").exists()


def test_a_listing_moved_by_the_settings_moves_the_address_the_check_refuses(bilingual):
    """Derived from the settings, not a list: with the archive at archives/, archive is free and archives is not."""
    moved = {"ARCHIVES_SAVE_AS": "archives/index.html", "ARCHIVES_URL": "archives/"}
    about_pages(bilingual, english_slug="archive")
    assert lines_naming(problems(bilingual, **moved), "pages/about.md", "slug") == []
    about_pages(bilingual, english_slug="archives")
    lines = lines_naming(problems(bilingual, **moved), "pages/about.md", "slug")
    assert len(lines) == 1 and "archives/index.html, the file of the listing ARCHIVES_SAVE_AS" in lines[0], lines


def test_a_page_at_a_topics_address_is_refused_when_the_topics_are_at_the_top(bilingual):
    """The topics' pages are written once per tag the posts use: their files are known from the posts."""
    at_the_top = {"TAG_URL": "{slug}/", "TAG_SAVE_AS": "{slug}/index.html"}
    about_pages(bilingual, english_slug="wind")
    lines = lines_naming(problems(bilingual, **at_the_top), "pages/about.md", "slug")
    assert len(lines) == 1 and "the file of the listing TAG_SAVE_AS '{slug}/index.html' for the tag 'wind'" in lines[0]
    about_pages(bilingual, english_slug="solar")  # a topic no post uses has no page
    assert lines_naming(problems(bilingual, **at_the_top), "pages/about.md", "slug") == []


@pytest.mark.parametrize(
    "slug, taken_by",
    [
        ("archive", "the file of the listing ARCHIVES_SAVE_AS 'archive/index.html'"),
        ("about", "which {content}/pages/about.md is written to as well"),
    ],
)
def test_a_post_at_a_listings_or_a_pages_address_is_refused_naming_both(bilingual, slug, taken_by):
    about_pages(bilingual)
    bilingual.post("at-the-top", **{**KESSLER, "Id": "2026-06-02-at-the-top"}, Slug=slug)
    lines = lines_naming(problems(bilingual, **POSTS_AT_THE_TOP), "posts/at-the-top.md", "slug")
    assert lines == [
        f"{bilingual.content}/posts/at-the-top.md:8: slug: this post would be written to {slug}/index.html, "
        f"{taken_by.format(content=bilingual.content)} {FIX}"
    ], lines


def test_two_french_pages_at_one_french_address_are_refused_naming_both(bilingual):
    """Two pages (two Ids) whose French versions have one slug: one file under fr/, two owners."""
    about_pages(bilingual)
    bilingual.file("pages/team.md", "Title: Our team\nSlug: team\n\nWho.\n")
    bilingual.file("pages/team-fr.md", "Title: Équipe\nId: pages/team\nLang: fr\nSlug: a-propos\n\nQui.\n")
    lines = lines_naming(problems(bilingual), "pages/team-fr.md", "slug")
    assert lines == [
        f"{bilingual.content}/pages/team-fr.md:4: slug: this page would be written to fr/a-propos/index.html, which "
        f"{bilingual.content}/pages/about-fr.md is written to as well {FIX}"
    ], lines
    assert lines_naming(problems(bilingual), "pages/about-fr.md", "slug") == []  # named once, on the second


def test_versions_in_two_languages_with_one_slug_have_two_addresses(bilingual):
    """/about/ and /fr/about/ are two files: a translation may keep its original's slug."""
    about_pages(bilingual, french_slug="about")
    assert [line for line in problems(bilingual) if "written to" in line] == []


def test_invoke_check_refuses_a_page_at_a_listings_address_in_one_line(site):
    site.post("kessler", **KESSLER)
    site.file("pages/archive.md", "Title: Archive\n\nOur story.\n")  # the slug is made from the title
    result = run_invoke("check", "--settings", str(site.settings_file()))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert (
        "pages/archive.md:1: slug: this page would be written to archive/index.html, the file of the listing "
        "ARCHIVES_SAVE_AS 'archive/index.html' (expected another slug"
    ) in output, output
