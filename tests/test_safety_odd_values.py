"""Header values that the checks once let through and the build then crashed on (a traceback), or built without
the post (a post silently dropped), or published against what the header seemed to say. Each is now one line
from `invoke check`, naming the file, the line, the field and the value, and the build refuses the same way."""

from __future__ import annotations

import pytest

from conftest import ENGLISH_AND_FRENCH, files_containing
from newsroom.model.dates import TimestampError, parse_timestamp
from refusals import BODY_LINE, body_lines_naming, line_number, lines_naming, problems, refused_build

# (field, value): a time no time zone or calendar can hold
ODD_TIMES = {
    "offset-a-day": ("Date", "2026-06-01 10:00 +24:00"),
    "offset-far": ("Date", "2026-06-01 10:00 +99:00"),
    "offset-past-kiribati": ("Date", "2026-11-27 11:00 +23:59"),  # public on 26 November, reads as the 27th
    "offset-past-baker-island": ("Date", "2026-06-01 10:00 -12:30"),
    "offset-minutes": ("Date", "2026-06-01 10:00 +05:75"),
    "year-one": ("Date", "0001-01-01 00:00 +05:00"),
    "year-9999": ("Date", "9999-12-31 23:59 -05:00"),
    "modified-far": ("Modified", "2026-06-02 10:00 -30:00"),
    "correction-far": ("Correction", "2026-06-02 10:00 -30:00 | Fixed the capacity."),
    "withdrawn-far": ("Withdrawn", "2026-06-02 10:00 +48:00 | Court order."),
    # Names a machine's zoneinfo folder holds that are no one place's clock: this machine's own zone (a Date would
    # be another instant on a laptop in Paris than on the UTC build machine), no zone, leap-second clocks.
    "zone-localtime": ("Date", "2026-06-01 10:00 localtime"),
    "zone-posixrules": ("Date", "2026-06-01 10:00 posixrules"),
    "zone-factory": ("Date", "2026-06-01 10:00 Factory"),
    "zone-leap-seconds": ("Date", "2026-11-01 01:00:10 right/America/New_York"),  # 01:00:10 happens twice there
    "zone-posix-copy": ("Modified", "2026-06-02 10:00 posix/Europe/Paris"),
}


@pytest.mark.parametrize("case", ODD_TIMES)
def test_a_time_no_zone_or_calendar_holds_is_one_line_from_the_check_and_the_build(site, case):
    field, value = ODD_TIMES[case]
    site.post("odd", **{field: value})
    named = lines_naming(problems(site), "posts/odd.md", field.lower())
    assert len(named) == 1, named
    assert value.split(" |")[0].split(" ")[-1] in named[0] or "year" in named[0], named
    assert "Traceback" not in refused_build(site)


def test_the_offsets_real_zones_use_are_read_as_written():
    assert parse_timestamp("2026-06-01 10:00 +14:00").utcoffset().total_seconds() == 14 * 3600
    assert parse_timestamp("2026-06-01 10:00 -12:00").utcoffset().total_seconds() == -12 * 3600
    assert parse_timestamp("2026-06-01 10:00 +0545").utcoffset().total_seconds() == 5 * 3600 + 45 * 60
    assert parse_timestamp("1000-01-01 00:00 +14:00").year == 1000
    with pytest.raises(TimestampError, match=r"'\+14:01', which no time zone uses"):
        parse_timestamp("2026-06-01 10:00 +14:01")


@pytest.mark.parametrize(
    ("field", "value"),
    [("Slug", "a" * 201), ("Slug", "é" * 101), ("Tags", "b" * 300), ("Author", "Dana " + "c" * 300)],
    ids=["slug", "slug-in-bytes", "tag", "author"],
)
def test_a_slug_longer_than_a_file_name_may_be_is_refused_before_the_build(site, field, value):
    site.post("long", **{field: value})
    named = lines_naming(problems(site), "posts/long.md", field.lower())
    assert len([line for line in named if "longer than a file name may be" in line]) == 1, named
    assert "Traceback" not in refused_build(site)


def test_a_slug_of_200_bytes_is_built(site):
    site.post("long", Slug="a" * 200)
    assert problems(site) == []
    assert (site.build() / "news/2026" / ("a" * 200) / "index.html").is_file()


# A template of the theme that renders something else than a post: the home page's wrote a copy of the home
# page in the post's place (the post nowhere), a listing's or a page's stopped the build without naming the file.
NOT_FOR_POSTS = ["index", "archives", "404", "search", "tags", "category", "tag", "audience", "page", "subscribe"]


@pytest.mark.parametrize("template", NOT_FOR_POSTS)
def test_a_post_may_name_only_a_template_that_renders_a_post(site, template):
    site.post("templated", "TEMPLATEDBODY", Template=template)
    named = lines_naming(problems(site), "posts/templated.md", "template")
    assert len(named) == 1 and "not one that renders a post" in named[0], named
    assert "(expected one of: article, or no Template line)" in named[0], named
    assert "Traceback" not in refused_build(site)


@pytest.mark.parametrize("template", ["article", "index", "audience", "tag", "category", "period_archives"])
def test_a_page_may_name_only_a_template_that_renders_a_page(site, template):
    site.file("pages/plan.md", f"Title: Our plan\nSlug: plan\nTemplate: {template}\n\nPLANBODY\n")
    named = lines_naming(problems(site), "pages/plan.md", "template")
    assert len(named) == 1 and "not one that renders a page" in named[0], named


def test_the_templates_that_render_posts_and_pages_are_built_and_the_settings_can_add_one(site):
    site.post("plain", "PLAINBODY", Template="article")
    site.file("pages/subscribe.md", "Title: Subscribe\nSlug: subscribe\nTemplate: subscribe\n\nSUBSCRIBEBODY\n")
    assert problems(site) == []
    output = site.build()
    assert files_containing(output, "PLAINBODY") and files_containing(output, "SUBSCRIBEBODY")
    checks = {"post_templates": ["article"], "page_templates": ["page", "contacts", "disclosure"]}
    named = lines_naming(problems(site, NEWSROOM_CHECKS=checks), "pages/subscribe.md", "template")
    assert len(named) == 1 and "contacts, disclosure, page" in named[0], named


def test_a_template_list_that_is_not_a_list_of_names_is_a_settings_error(site):
    site.post("plain")
    assert problems(site, NEWSROOM_CHECKS={"post_templates": "article"}) == [
        "settings: NEWSROOM_CHECKS.post_templates: 'article' must be a list of strings"
    ]


def test_a_version_whose_id_differs_only_in_case_is_refused_not_published_alone(site):
    """The translator's `Id:` in other capitals made the French version of a draft a post of its own."""
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.post("k", "DRAFTENGLISH", Id="2026-06-01-kessler", Status="draft")
    french = {"Title": "Kessler Ridge en service", "Summary": "Le parc alimente le réseau.", "Lang": "fr"}
    site.post("k-fr", "FRENCHVERSION", Id="2026-06-01-KESSLER", **french)
    found = problems(site)
    # Whichever version comes first in the archive's order is the spelling the other is compared with.
    named = lines_naming(found, "posts/k-fr.md", "id") + lines_naming(found, "posts/k.md", "id")
    assert len(named) == 1, found
    assert "'2026-06-01-kessler' differs only in case from '2026-06-01-KESSLER'" in named[0], named
    assert line_number(named[0], "posts/k.md") == 6  # its Id: line, after VALID_POST's five
    assert "Traceback" not in refused_build(site)


@pytest.mark.parametrize(
    "header",
    [
        "Date: 2026-06-01 10:00\n    America/New_York",
        "Date: 2026-06-01\n    10:00 America/New_York",
        "Modified: 2026-06-02 10:00\n    America/New_York",
    ],
    ids=["zone-below", "time-below", "modified"],
)
def test_a_time_continued_on_the_next_line_is_read_by_the_build_as_the_checks_read_it(site, header):
    name = header.split(":")[0]
    fields = {"Date": "2026-06-01 10:00 America/New_York", name: None}
    site.post("continued", "CONTINUEDBODY", **fields)
    path = site.content / "posts/continued.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0], header, *lines[1:]]), encoding="utf-8")
    assert problems(site) == []
    page = site.build() / "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"
    assert "CONTINUEDBODY" in page.read_text(encoding="utf-8")
    assert (
        'datetime="2026-06-02T10:00:00-04:00"' if name == "Modified" else 'datetime="2026-06-01T10:00:00-04:00"'
    ) in (page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", ["index.html", "404.html", "Index.HTML", "feed.xml", "robots.txt"])
def test_a_page_slug_that_ends_like_a_file_name_is_refused_before_the_build(site, slug):
    site.file("pages/odd.md", f"Title: About\nSlug: {slug}\n\nText.\n")
    named = lines_naming(problems(site), "pages/odd.md", "slug")
    assert any("ends like a file's name" in line for line in named), named
    assert "Traceback" not in refused_build(site)


@pytest.mark.parametrize(
    ("setting", "value", "where"),
    [
        ("SITENAME", "Larkspur\x01 Newsroom", "SITENAME"),
        ("SITESUBTITLE", "Energy \u202enews", "SITESUBTITLE"),
        ("AUTHOR", "Comms\ufffe", "AUTHOR"),
        ("NEWSROOM_COMPANY", {"name": "Lark\x1bspur"}, "NEWSROOM_COMPANY.name"),
    ],
    ids=["control", "rtl-override", "noncharacter", "company-name"],
)
def test_a_settings_text_with_a_character_nobody_sees_is_one_line_from_the_check(site, setting, value, where):
    site.post("plain")
    if isinstance(value, dict):
        value = {**site.settings()[setting], **value}
    found = problems(site, **{setting: value})
    assert [line for line in found if line.startswith(f"settings: {where}: holds the character")], found
    assert "Traceback" not in refused_build(site, **{setting: value})


def test_a_category_description_pasted_with_a_vertical_tab_is_named(site):
    site.post("plain")
    categories = [dict(entry) for entry in site.settings()["NEWSROOM_CATEGORIES"]]
    categories[0]["description"] = "Company news\x0bupdates"
    found = problems(site, NEWSROOM_CATEGORIES=categories)
    assert any(line.startswith("settings: NEWSROOM_CATEGORIES[0].description: holds") for line in found), found


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("url", "javascript:alert(1)", "must be an http(s) address"),
        ("same_as", ["https://www.linkedin.com/company/x", "javascript:alert(2)"], "must be an http(s) address"),
        ("logo", "https://tracker.example/pixel.png", "must be an image file's path in the content folder"),
        ("logo", "//tracker.example/pixel.png", "must be an image file's path in the content folder"),
    ],
    ids=["url", "same-as", "remote-logo", "scheme-relative-logo"],
)
def test_the_company_addresses_are_web_addresses_and_its_logo_a_file_of_the_site(site, key, value, expected):
    site.post("plain")
    company = {**site.settings()["NEWSROOM_COMPANY"], key: value}
    found = problems(site, NEWSROOM_COMPANY=company)
    assert [line for line in found if line.startswith("settings: NEWSROOM_COMPANY.") and expected in line], found


# --- the body: visible text, as header values are ------------------------------------------------------------------

BODY_HIDDEN = {
    "NUL": "\x00",
    "BEL": "\x07",
    "file-separator": "\x1c",  # str.splitlines() takes it for a line end
    "line-separator": "\u2028",
    "right-to-left-override": "\u202e",
    "zero-width-no-break-space": "\ufeff",
    "noncharacter": "\ufffe",
    "replacement-character": "\ufffd",  # what a conversion leaves for a character it lost (feeds: "bad characters")
}


@pytest.mark.parametrize("name", BODY_HIDDEN)
def test_an_invisible_character_in_the_body_is_refused_on_its_line(site, name):
    """A control character was dropped from the feeds (NUL from the page too) with no word; an override reads one
    way in the pull request and another on the site."""
    site.post("fine", f"First paragraph.\r\n\r\nThe wind farm{BODY_HIDDEN[name]} is online.\n")
    (line,) = body_lines_naming(problems(site), "fine", "First paragraph.\n\nThe wind farm is online.")
    assert f"posts/fine.md:{BODY_LINE + 2}: body: holds the character U+" in line
    assert "after 'The wind farm'" in line and "delete the character" in line


# The same characters written as HTML character references, which Markdown passes through and the sanitiser
# decodes: the page and the feeds then hold the character itself.
BODY_HIDDEN_REFERENCES = {
    "override-hex": ("&#x202E;", "\u202e"),
    "override-decimal": ("&#8238;", "\u202e"),
    "vertical-tab": ("&#11;", "\x0b"),
    "unit-separator": ("&#x1F;", "\x1f"),
    "zero-width-space-named": ("&ZeroWidthSpace;", "\u200b"),
    "soft-hyphen-named": ("&shy;", "\u00ad"),
    "noncharacter": ("&#xFFFE;", "\ufffe"),
    "isolate-in-an-attribute": ('<abbr title="MW&#x2066;">MW</abbr>', "\u2066"),
}


@pytest.mark.parametrize("name", BODY_HIDDEN_REFERENCES)
def test_an_invisible_character_written_as_a_reference_is_refused_on_its_line_and_never_published(site, name):
    """The body is judged as it is published: a reference is decoded on the page and in the feeds, so the
    character it stands for is refused as the character itself is, on the line that wrote it."""
    written, character = BODY_HIDDEN_REFERENCES[name]
    site.post("fine", f"First paragraph.\n\nThe wind farm {written}is online.\n")
    (line,) = body_lines_naming(problems(site), "fine", "First paragraph.\n\nThe wind farm is online.")
    reference = written if written.startswith("&") else "&#x2066;"
    assert f"posts/fine.md:{BODY_LINE + 2}: body: {reference}: is the character U+{ord(character):04X}" in line
    assert "delete the reference" in line
    refused_build(site)


def test_a_reference_to_visible_text_or_one_shown_as_code_passes(site):
    """What a reader sees as written is fine however it is written: a dash or a no-break space as a reference, and
    a reference shown as code (its `&` is escaped, so the page shows the reference itself)."""
    site.post("fine", "Kessler Ridge &mdash; 240&nbsp;MW &amp; more. Write `&#x202E;` to reverse text.\n")
    assert problems(site) == []
    assert files_containing(site.build(), "\u202e") == []


def test_what_writing_needs_in_a_body_passes(site):
    body = "Tabs\tin a table.\r\nA family: 👨\u200d👩\u200d👧. Hebrew: \u200fשלום\u200f. Persian: می\u200cخواهم.\r\n"
    site.post("fine", body)
    assert problems(site) == []


@pytest.mark.parametrize(
    "fields, said",
    [
        ({"Author": "Jane Doe </b>"}, ": author: 'Jane Doe </b>' contains HTML (expected plain text)"),
        ({"Tags": "wind, a </b> b"}, ": tags: 'wind, a </b> b' contains HTML (expected plain text)"),
        ({"Author": "Dana Okafor <press@larkspur-energy.example>"}, ": author: 'Dana Okafor <press@"),
        ({"Author": "press@larkspur-energy.example"}, "holds an e-mail address (expected the author's name alone"),
    ],
)
def test_an_author_or_tags_that_are_not_plain_names_are_refused(site, fields, said):
    """Author and tags go into every feed as names (Atom's author name, a category label): markup reads as HTML to
    the W3C validator and to feed readers, and no feed's author name may hold an e-mail address."""
    site.post("fine", **fields)
    assert any(said in line for line in problems(site)), problems(site)
