"""Nothing withheld or hostile reaches the public site in any language: the attacker with commit access and the
confused author against a newsroom in English and French.

Each test builds a real tiny site as `invoke build` does (every page, feed, OPML bundle and the search index) and
searches every file it writes, the search index decompressed, for the words of what must not be public; or it
expects the build to refuse, in one line naming the file, the field and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_safety_html import HOSTILE

from conftest import ENGLISH_AND_FRENCH, ROOT, TinySite, files_containing, text_of
from newsroom.model.visibility import Visibility, shown_with_versions
from newsroom.site.build import build_and_index, load_settings
from refusals import lines_naming, problems, refused_build

KESSLER = {"Id": "2026-06-01-kessler", "Audience": "media, investors", "Tags": "wind"}
STAFF = {"Id": "2026-05-05-staff", "Date": "2026-05-05 09:00 UTC", "Audience": "employees"}


@pytest.fixture
def bilingual(site):
    """A newsroom in English and French with one public release in both languages."""
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("kessler", **KESSLER)
    site.post("kessler-fr", "Le texte.", **KESSLER, Lang="fr", Title="Larkspur met en service Kessler Ridge")
    return site


def published(site, edition: str = "public") -> Path:
    """The site as `invoke build` writes it: every page and feed, and the search index."""
    settings = site.settings(edition=edition)
    build_and_index(settings)
    return Path(settings["OUTPUT_PATH"])


def about_pages(site, english_status: str | None, french_status: str | None, extra: str = "") -> None:
    """An about page in English and its French version; each title and body carries its own marker word."""
    english = f"Status: {english_status}\n" if english_status else ""
    french = f"Status: {french_status}\n" if french_status else ""
    site.file("pages/about.md", f"Title: About secretenglish\nSlug: about\n{english}\nWho we are secretenglish.\n")
    site.file(
        "pages/about-fr.md",
        f"Title: À propos secretfrench\nId: pages/about\nLang: fr\n{french}{extra}\nQui nous sommes secretfrench.\n",
    )


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_a_page_withheld_in_every_language_is_in_no_file_and_the_build_goes_on(bilingual, status):
    """A draft page is never written (publishconf.py's DRAFT_PAGE_SAVE_AS is empty), and under fr/ an empty
    address must stay empty, not become the file fr; a hidden page, which Pelican would write unlisted, is withheld
    as a hidden post is: its address alone (the slug) would give its title away."""
    about_pages(bilingual, status, status)
    output = published(bilingual)
    assert files_containing(output, "secretenglish") == []
    assert files_containing(output, "secretfrench") == []
    assert (output / "fr/index.html").is_file() and (output / "fr/news/index.html").is_file()


def test_a_hidden_page_is_written_in_no_edition_of_a_site_in_one_language(site):
    site.post("kessler", **KESSLER)
    site.file("pages/thanks.md", "Title: Thanks secrethidden\nStatus: hidden\n\nYou are subscribed secrethidden.\n")
    for edition in ("public", "internal"):
        assert files_containing(published(site, edition), "secrethidden") == [], edition


def test_a_local_preview_still_writes_a_hidden_page_for_its_author(site):
    site.post("kessler", **KESSLER)
    site.file("pages/thanks.md", "Title: Thanks secrethidden\nStatus: hidden\n\nYou are subscribed secrethidden.\n")
    output = site.build(NEWSROOM_PREVIEW_DRAFTS=True)
    assert "secrethidden" in text_of(output, "thanks-secrethidden/index.html")
    assert "secrethidden" not in text_of(output, "index.html")  # unlisted


@pytest.mark.parametrize(
    "english, french",
    [("published", "draft"), ("published", "hidden"), ("draft", "published"), ("hidden", "published")],
)
def test_a_page_version_whose_status_differs_from_its_originals_is_refused_naming_both(bilingual, english, french):
    """The confused author: the English page is still a draft, its translator's French one says nothing (so is
    published), or the other way round. The versions are one page: refused, never one language out alone."""
    about_pages(bilingual, english, french)
    message = refused_build(bilingual)
    lines = lines_naming(message, "pages/about-fr.md", "status")
    assert lines and f"status: {french!r} differs from {english!r} in " in lines[0], message
    assert lines[0].split(" in ", 1)[1].startswith(str(bilingual.content / "pages/about.md")), lines[0]


@pytest.mark.parametrize(
    "field",
    [
        "Audience: employees",  # an internal page? pages are for everyone
        "Date: 2026-12-03 16:05 America/New_York",  # an embargo? a page is published when committed
        "Save_as: news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html",  # over another file of the site
        "URL: fr/",
    ],
)
def test_a_field_a_page_cannot_honour_is_refused_in_a_french_page(bilingual, field):
    about_pages(bilingual, None, None, extra=f"{field}\n")
    name = field.split(":", 1)[0]
    lines = lines_naming(problems(bilingual), "pages/about-fr.md", name.lower())
    assert lines and f"unknown field {name!r} on a page (expected one of: Title, Slug, Id, Lang" in lines[0], lines


@pytest.mark.parametrize("slug", ["archive", "search", "news", "tags", "investors", "material-news"])
def test_a_french_page_whose_address_is_a_french_listings_is_refused_naming_both(bilingual, slug):
    """Pelican lets a version written under a language's prefix take any file, and drops the listing it replaces:
    a French page with `Slug: archive` would have been the French archive, its listing gone. The content checks
    the build runs first name both (checks/address_collisions.py); the one-owner rule stops anything they miss."""
    about_pages(bilingual, None, None, extra=f"Slug: {slug}\n")
    message = refused_build(bilingual)
    lines = lines_naming(message, "pages/about-fr.md", "slug")
    assert len(lines) == 1, message
    assert f"this page would be written to fr/{slug}/index.html, the file of the listing " in lines[0], message
    assert not (bilingual.root / "output" / "fr").exists()


@pytest.mark.parametrize(
    "extra, field, expected",
    [
        ("Slug: ../../feeds\n", "slug", "is not a valid slug (expected letters, digits"),
        (
            "Template: ../../../etc/passwd\n",
            "template",
            "is not a template of the theme (expected one of: contacts, disclosure, page, subscribe,",
        ),
        ("Template: nosuch\n", "template", "'nosuch' is not a template of the theme"),
        ("Summary: <img src=x onerror=alert(1)>\n", "summary", "contains HTML (expected plain text)"),
    ],
)
def test_a_french_page_header_is_checked_as_a_posts_is(bilingual, extra, field, expected):
    """Before, an unknown template stopped the build with a traceback, and a slug climbing out of the site
    with a line naming nothing."""
    about_pages(bilingual, None, None, extra=extra)
    lines = lines_naming(problems(bilingual), "pages/about-fr.md", field)
    assert lines and expected in lines[0], lines


def test_a_pages_language_that_is_not_a_language_tag_is_refused_on_a_site_in_one_language(site):
    """Lang becomes part of the address Pelican writes a page in another language to (PAGE_LANG_SAVE_AS)."""
    site.post("kessler", **KESSLER)
    site.file("pages/about.md", "Title: About\nLang: ../../index\n\nWho we are.\n")
    lines = lines_naming(problems(site), "pages/about.md", "lang")
    assert lines and "'../../index' is not a language tag" in lines[0], lines


def test_a_field_given_twice_in_a_french_page_is_refused(bilingual):
    """Lang: en then Lang: fr: the checks and Pelican could each read another one."""
    about_pages(bilingual, None, None, extra="Lang: en\n")
    lines = lines_naming(problems(bilingual), "pages/about-fr.md", "lang")
    assert lines and "given twice (lines 3 and 4; expected one 'Lang' line" in lines[0], lines


def test_the_french_version_of_an_internal_post_written_for_the_media_is_refused(bilingual):
    """An internal memo's translator sets Audience: media: the French memo would be on the public home page, in
    the French feeds and the search index. The versions are one release for the same readers."""
    bilingual.post("staff", **STAFF, Title="Staff secretenglish")
    bilingual.post("staff-fr", "Le texte.", **{**STAFF, "Audience": "media"}, Lang="fr", Title="Personnel secretfrench")
    message = refused_build(bilingual)
    lines = lines_naming(message, "posts/staff-fr.md", "audience")
    assert lines and "audience: 'media' differs from 'employees' in " in lines[0], message


def test_an_internal_posts_french_version_is_only_in_the_internal_edition(bilingual):
    bilingual.post("staff", **STAFF, Title="Staff secretenglish")
    bilingual.post("staff-fr", "Le texte secretfrench.", **STAFF, Lang="fr", Title="Personnel secretfrench")
    public = published(bilingual)
    assert files_containing(public, "secretfrench") == [] and files_containing(public, "secretenglish") == []
    internal = published(bilingual, "internal")
    found = files_containing(internal, "secretfrench")
    assert "fr/news/2026/personnel-secretfrench/index.html" in found and "feeds/fr/employees.rss.xml" in found
    assert any(name.startswith("pagefind/fragment/fr_") for name in found), found
    assert "feeds/employees.rss.xml" not in found  # the English feed carries the English version


MEMO = {**STAFF, "Id": "2026-05-05-memo", "Title": "Note secretfrench", "Lang": "fr"}  # internal, in French only


@pytest.mark.parametrize(
    "linker, link, target",
    [
        ("pages/about-fr.md", "/fr/news/2026/note-secretfrench/", "posts/memo-fr.md"),
        ("pages/about-fr.md", "{filename}../posts/memo-fr.md", "posts/memo-fr.md"),
        (
            "pages/about.md",
            "https://newsroom.larkspur-energy.example/fr/news/2026/note-secretfrench/",
            "posts/memo-fr.md",
        ),
        ("posts/cfo.md", "/fr/secret-secretfrench/", "pages/secret-fr.md"),
        ("pages/about.md", "{filename}secret-fr.md", "pages/secret-fr.md"),
    ],
)
def test_a_link_from_a_public_page_or_post_to_a_withheld_version_is_refused(bilingual, linker, link, target):
    """A link alone publishes an address, and a withheld version's address is its headline: an internal memo in
    French only, a hidden French page. Pages were not checked for such links at all."""
    bilingual.post("memo-fr", "Le texte.", **MEMO)
    bilingual.file("pages/secret.md", "Title: Secret\nStatus: hidden\n\nx\n")
    bilingual.file(
        "pages/secret-fr.md", "Title: Secret secretfrench\nId: pages/secret\nLang: fr\nStatus: hidden\n\nx\n"
    )
    about_pages(bilingual, None, None)
    bilingual.post("cfo", Id="2026-05-02-cfo", Title="A new chief financial officer")
    source = bilingual.content / linker
    source.write_text(source.read_text(encoding="utf-8") + f"\nSee [this]({link}).\n", encoding="utf-8")
    message = refused_build(bilingual)
    lines = lines_naming(message, linker, "link")
    assert lines and f"link: links to {target}" in lines[0] and "does not show yet" in lines[0], message


def test_the_versions_of_a_post_are_shown_only_together():
    """The build's own rule, whatever passes the checks: one withheld version withholds them all."""
    assert shown_with_versions("public", [Visibility.PUBLIC, Visibility.PUBLIC])
    assert not shown_with_versions("public", [Visibility.PUBLIC, Visibility.INTERNAL])
    assert shown_with_versions("internal", [Visibility.PUBLIC, Visibility.INTERNAL])
    assert not shown_with_versions("internal", [Visibility.INTERNAL, Visibility.DRAFT])


@pytest.fixture(scope="module")
def hostile_french_pages(tmp_path_factory) -> list[str]:
    """One site with, for every hostile construct, an English page and its French version carrying it."""
    site = TinySite(tmp_path_factory.mktemp("hostile-french"))
    (site.content / "images").mkdir(parents=True)
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.post("kessler", **KESSLER)
    for name, body in HOSTILE.items():
        site.file(f"pages/{name}.md", f"Title: About {name}\nSlug: {name}\n\nWho we are.\n")
        site.file(f"pages/{name}-fr.md", f"Title: À propos {name}\nId: pages/{name}\nLang: fr\n\n{body}\n")
    return problems(site)


@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_construct_in_a_french_page_is_named_as_in_an_english_one(hostile_french_pages, name):
    assert lines_naming(hostile_french_pages, f"pages/{name}-fr.md", "body"), hostile_french_pages
    assert lines_naming(hostile_french_pages, f"pages/{name}.md", "body") == []


HOSTILE_TEXT = ' <script>evilsetting()</script><img src=x onerror="evilsetting()"> {{ 7*7 }} {% raw %}'


def with_hostile_french_texts(project: dict) -> dict:
    """Every text of the settings that has a French version, with hostile HTML and template syntax added to it."""

    def spoiled(entry: dict) -> dict:
        french = entry.get("translations", {}).get("fr", {})
        return {**entry, "translations": {"fr": {key: text + HOSTILE_TEXT for key, text in french.items()}}}

    settings = {
        key: [spoiled(entry) for entry in project[key]]
        for key in ("NEWSROOM_AUDIENCES", "NEWSROOM_CATEGORIES", "NEWSROOM_CONTACTS", "NEWSROOM_PRESS_KIT")
    }
    return {**settings, "NEWSROOM_COMPANY": spoiled(project["NEWSROOM_COMPANY"])}


def test_french_texts_from_the_settings_print_as_text_in_every_file(bilingual):
    """Whoever edits the settings writes HTML and template syntax into the French texts and the language's name:
    every page, feed, OPML bundle and structured data block shows them as text, never as markup or evaluated."""
    bilingual.overrides.update(with_hostile_french_texts(load_settings(ROOT / "pelicanconf.py")))
    english, french = ENGLISH_AND_FRENCH
    bilingual.overrides["NEWSROOM_LANGUAGES"] = [english, {**french, "name": french["name"] + HOSTILE_TEXT}]
    bilingual.file("pages/contacts.md", "Title: Media contacts\nSlug: media-contacts\nTemplate: contacts\n\nCall us.\n")
    bilingual.file(
        "pages/contacts-fr.md",
        "Title: Contacts médias\nId: pages/contacts\nLang: fr\nSlug: contacts-medias\nTemplate: contacts\n\nAppelez.\n",
    )
    output = published(bilingual)
    carrying = files_containing(output, "evilsetting")
    assert {"fr/index.html", "fr/contacts-medias/index.html", "feeds/fr/newsroom.opml"} <= set(carrying)
    assert any(name.startswith("feeds/fr/") and name.endswith(".atom.xml") for name in carrying), carrying
    for name in carrying:
        data = (output / name).read_bytes()
        if name.endswith(".json"):  # JSON Feed: titles are plain text; only its HTML must hold no markup
            document = json.loads(data)
            html = [item.get("content_html", "") for item in document.get("items", ())]
            assert not [text for text in html if "<script>evilsetting" in text], name
        elif not name.startswith(("pagefind/", ".newsroom/")):  # HTML, XML, OPML: escaped, never markup
            assert b"<script>evilsetting" not in data and b"<img src=x onerror" not in data, name
    assert "{{ 7*7 }} {% raw %}" in text_of(output, "fr/index.html")  # printed as written, not evaluated
