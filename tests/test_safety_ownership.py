"""Every output file has one owner: the build records it, refuses a second claim on a file, and verify reports it."""

from __future__ import annotations

import json

import pytest

from newsroom.model.ownership import OWNERS_PATH, output_files, output_path, referenced_addresses
from newsroom.model.settings import load_newsroom
from newsroom.publishing.verify import verify_output
from newsroom.site.build import BuildFailed
from refusals import lines_naming, problems, refused_build


def test_the_build_records_an_owner_for_every_file_it_writes(site):
    site.post("wind", "![Turbines at dusk](/images/wind.svg)", Title="Wind farm opens", Slug="wind")
    site.file("images/wind.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.file("images/unused.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = site.build()
    owners = json.loads((out / OWNERS_PATH).read_text(encoding="utf-8"))
    assert set(owners) == set(output_files(out)) - {OWNERS_PATH}
    assert owners["images/wind.svg"] == "linked file: from posts/wind.md"
    assert owners["news/2026/wind/index.html"].startswith("post: ")
    assert owners["feeds/all.atom.xml"].startswith("feed: ")
    assert not (out / "images/unused.svg").exists()


def test_verify_reports_how_many_files_each_kind_of_owner_accounts_for(site):
    site.post("wind", "![Turbines at dusk](/images/wind.svg)", Title="Wind farm opens", Slug="wind")
    site.file("images/wind.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = site.build()
    settings = site.settings()
    report = verify_output(out, settings, load_newsroom(settings), None)
    owners = dict(report.owners)
    assert owners["linked file"] == 1 and owners["post"] == 1 and owners["feed"] > 10
    assert report.lines()[1].startswith("  owners: ") and report.unowned == ()


def test_a_page_that_would_overwrite_a_listing_stops_the_build_naming_the_file(site):
    site.post("wind", Title="Wind farm opens")
    (site.content / "pages" / "archive.md").write_text(
        "Title: Our archive policy\nSlug: archive\n\nWe keep everything.\n", encoding="utf-8"
    )
    expected = r"pages/archive\.md:2: slug: this page would be written to archive/index\.html, the file of the listing"
    with pytest.raises(BuildFailed, match=expected):
        site.build()
    assert not (site.root / "output").exists()  # the content checks stop it before anything is written


@pytest.mark.parametrize(
    "field, value, name",
    [
        ("Tags", "???", "???"),
        ("Tags", "wind power; !!!", "!!!"),  # Pelican splits at semicolons when a line has any
        ("Author", "***", "***"),
        ("Authors", "Dana Okafor, ...", "..."),
    ],
)
def test_a_tag_or_author_whose_slug_is_empty_is_refused_naming_the_file_field_and_value(site, field, value, name):
    """Its page would be written to tags//index.html, the list of topics' file: Pelican skips it without a word."""
    site.post("p", **{field: value})
    lines = problems(site)
    assert len(lines) == 1, lines
    assert lines_naming(lines, "posts/p.md", field.lower()) == lines, lines
    kind = "tag" if field == "Tags" else "author"
    assert f"{name!r} makes an empty slug, so its {kind} page would have no address of its own" in lines[0]
    assert f"(expected a {kind} with letters or digits, e.g. '{field}: " in lines[0]


def test_a_tag_whose_slug_is_empty_stops_the_build_with_the_checks_line_in_one_or_two_processes(site):
    site.post("p", Tags="???")
    for processes in (True, False):
        message = refused_build(site, NEWSROOM_PARALLEL_RENDER=processes)
        assert lines_naming(message, "posts/p.md", "tags"), message
        assert "render processes" not in message, message


@pytest.mark.parametrize("two_processes", [False, True])
def test_a_second_write_of_one_file_stops_the_build_should_a_tag_get_past_the_checks(site, monkeypatch, two_processes):
    """The writer's own rule, should the checks ever miss a name: tags//index.html is tags/index.html, and a
    second write of a file stops the build naming it, where Pelican skipped the tag's page without a word."""
    import newsroom.checks.content_check as content_check

    monkeypatch.setattr(content_check, "check_listing_slugs", lambda *args, **kwargs: [])
    site.post("p", Tags="???")
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=two_processes)
    assert message.startswith("tags/index.html: written a second time by the build (expected one file per address"), (
        message
    )


@pytest.mark.parametrize("lang", ["../../index", "en/../../feeds/all", "fr_CA!", "e"])
def test_a_language_that_is_not_a_language_tag_is_refused(site, lang):
    site.post("p", Lang=lang)
    lines = site.check()
    assert len(lines) == 1 and ":6: lang: " in lines[0] and "is not a language tag" in lines[0], lines


@pytest.mark.parametrize("lang", ["fr", "EN", "en-US"])
def test_a_lang_other_than_the_default_on_a_newsroom_in_one_language_is_refused(site, lang):
    """Pelican would write the post to its fallback address for other languages ({slug}-{lang}.html at the
    site's root), not its own."""
    site.post("p", Lang=lang)
    site.post("q", Lang="en", Title="Another title here")  # the site's one language, written as DEFAULT_LANG
    lines = problems(site)
    assert lines_naming(lines, "posts/p.md", "lang") == lines and len(lines) == 1, lines
    assert (
        f"lang: {lang!r}: this newsroom is in 'en' alone (expected no Lang line, or 'Lang: en'; to publish in "
        "another language, set up NEWSROOM_LANGUAGES: see docs/languages.md)"
    ) in lines[0]


@pytest.mark.parametrize(
    "address, page, expected",
    [
        ("../../../images/a.svg", "news/2026/wind/", "images/a.svg"),
        ("/images/a%20b.svg", "news/2026/wind/", "images/a b.svg"),
        ("https://newsroom.example/downloads/x.pdf", "about/", "downloads/x.pdf"),
        ("https://elsewhere.example/downloads/x.pdf", "about/", None),
        ("../../../../../etc/passwd", "news/2026/wind/", "etc/passwd"),  # a browser stops at the site's root
        ("/news/2026/wind/", "about/", "news/2026/wind/index.html"),
    ],
)
def test_an_address_on_a_page_names_the_output_file_a_server_would_send(address, page, expected):
    assert output_path(address, page, "https://newsroom.example") == expected


def test_a_file_name_with_a_newline_or_an_escape_sequence_is_still_one_line(site):
    site.post("fine")
    site.file("posts/evil\nname\x1b[2J.txt", "x")
    lines = site.check()
    assert len(lines) == 1 and "\n" not in lines[0] and "\x1b" not in lines[0]
    assert "posts/evil\\nname\\x1b[2J.txt:1: file: no reader handles '.txt' here" in lines[0]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="a.pdf">x</a><img src="b.png" alt="">', ["a.pdf", "b.png"]),
        ('<video poster="p.jpg"><source src="v.mp4"></video>', ["p.jpg", "v.mp4"]),
        ('<img src="a.png" srcset="a.png 1x, b%20c.png 2x">', ["a.png", "a.png", "b%20c.png"]),
        ('<a data-href="d.pdf" href = "e.pdf">', ["d.pdf", "e.pdf"]),  # an attribute name's word begins at "-"
        ('<a xhref="no.pdf" hrefs="no.pdf" nosrc="no.png" asrcset="no.png 1x">', []),  # inside another word
        ('<p>href="not.pdf" src=</p><a href="&amp;q.pdf">', ["not.pdf", "&q.pdf"]),
    ],
)
def test_the_addresses_a_body_refers_to_are_the_attributes_that_begin_a_word(html, expected):
    assert referenced_addresses(html) == expected


def test_output_files_lists_every_entry_but_folders_and_never_follows_a_link(tmp_path):
    out = tmp_path / "out"
    (out / "news" / "2026").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (out / "news" / "2026" / "index.html").write_text("post")
    (out / "empty").mkdir()
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.txt").write_text("not the site's")
    (out / "linked-folder").symlink_to(outside)
    (out / "news" / "broken").symlink_to(tmp_path / "nothing")
    (out / "news" / "linked-file").symlink_to(outside / "deep" / "secret.txt")
    assert output_files(out) == [
        "index.html",
        "linked-folder",
        "news/2026/index.html",
        "news/broken",
        "news/linked-file",
    ]
    assert output_files(tmp_path / "missing") == []
    # A folder left out is left out only where it is named: the same name deeper down is walked.
    (out / "news" / "empty").mkdir()
    (out / "news" / "empty" / "kept.html").write_text("kept")
    assert output_files(out, leaving_out={"empty", "news/2026"}) == [
        "index.html",
        "linked-folder",
        "news/broken",
        "news/empty/kept.html",
        "news/linked-file",
    ]
