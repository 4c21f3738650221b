"""A draft hidden by the way its header's lines end. The checks read a post's header with their own parser
(model/frontmatter.py) and Pelican reads it through Markdown's meta extension; an author with commit access who
finds a line ending one of them splits on and the other does not could write `Status: draft` that only one of
them sees. Whatever the trick, a post that either reading calls a draft is never published: the build refuses
it or withholds it (the classification the build publishes from is the checks' one, by construction)."""

from __future__ import annotations

import pytest
from markdown import Markdown

from conftest import VALID_POST, files_containing
from newsroom.kit.content_cache import reader_markdown_settings
from newsroom.model.frontmatter import parse_document
from newsroom.site.build import BuildFailed
from refusals import line_number, lines_naming, problems, refused_build

MARKER = "SMUGGLEDDRAFTBODY"
HEADER = [f"{key}: {value}" for key, value in VALID_POST.items()]

# name -> the post's text: the header, then `Status: draft` glued on by a trick, then the body.
TRICKS = {
    "crlf": "\r\n".join([*HEADER, "Status: draft", "", MARKER]),
    "lone-cr": "\r".join([*HEADER, "Status: draft", "", MARKER]),
    "file-separator-then-crlf": "\r\n".join([*HEADER[:-1], HEADER[-1] + "\x1cStatus: draft", "", MARKER]),
    "line-separator-then-crlf": "\r\n".join([*HEADER[:-1], HEADER[-1] + "\u2028Status: draft", "", MARKER]),
    "next-line-then-crlf": "\r\n".join([*HEADER[:-1], HEADER[-1] + "\x85Status: draft", "", MARKER]),
    "form-feed": "\n".join([*HEADER[:-1], HEADER[-1] + "\x0cStatus: draft", "", MARKER]),
    "vertical-tab": "\n".join([*HEADER[:-1], HEADER[-1] + "\x0bStatus: draft", "", MARKER]),
    "tab-continuation": "\n".join([*HEADER, "Status: published", "\tdraft", "", MARKER]),
    "blank-line-of-spaces": "\n".join([*HEADER, "   ", "Status: draft", "", MARKER]),
    "tab-before-key": "\n".join([*HEADER, "\tStatus: draft", "", MARKER]),
}


def markdown_status(text: str, settings: dict) -> str:
    """`Status` as Pelican's Markdown reader gets it (the meta extension), "" when it gets none."""
    markdown = Markdown(**reader_markdown_settings(settings["MARKDOWN"]))
    markdown.convert(text)
    return " ".join(getattr(markdown, "Meta", {}).get("status", []))


@pytest.mark.parametrize("trick", TRICKS)
def test_a_draft_either_reading_sees_is_never_published(site, trick):
    text = TRICKS[trick]
    site.file("posts/hidden.md", text)
    seen_as_draft = {
        "checks": "draft" in parse_document(text).text("status"),
        "markdown": "draft" in markdown_status(text, site.settings()),
    }
    try:
        output = site.build()
    except BuildFailed as refused:
        assert "Traceback" not in str(refused)
        return
    if any(seen_as_draft.values()):
        assert files_containing(output, MARKER) == [], seen_as_draft


@pytest.mark.parametrize("field", ["Title", "Summary"])
def test_a_field_on_two_lines_is_one_text_to_the_checks_and_the_build(site, field):
    """Markdown's meta extension lets a value go on over lines indented by four spaces (or a tab). The checks read
    it as one text; the build used to hand Pelican a list, and a Summary on two lines stopped it in the feeds with
    a traceback."""
    header = {**VALID_POST, field: "Larkspur opens the Kessler Ridge\n\twind farm to visitors"}
    site.file("posts/two-lines.md", "\n".join(f"{key}: {value}" for key, value in header.items()) + "\n\nBody.\n")
    assert parse_document(site.content.joinpath("posts/two-lines.md").read_text()).text(field.lower()) == (
        "Larkspur opens the Kessler Ridge wind farm to visitors"
    )
    output = site.build()
    assert files_containing(output, "Larkspur opens the Kessler Ridge wind farm to visitors")


# Characters that show as nothing, or that reorder or break the text around them, in a header value: what a
# reviewer reads in the pull request is then not what is published and announced.
INVISIBLE = {
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "zero-width space": "\u200b",
    "soft hyphen": "\u00ad",
    "line separator": "\u2028",
    "file separator": "\x1c",
    "next line": "\x85",
    "byte-order mark": "\ufeff",
    "tag letter": "\U000e0064",
    "noncharacter": "\ufffe",  # never assigned, and not allowed in XML: the feeds would not parse
    "noncharacter in another plane": "\U0001ffff",
    "replacement character": "\ufffd",  # a character a conversion lost: the value no longer says what was written
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE)
@pytest.mark.parametrize("field", ["Title", "Summary", "Audience", "Status"])
def test_an_invisible_character_in_a_header_value_is_refused_with_its_name(site, field, character):
    value = {"Title": "Larkspur opens Kessler Ridge", "Summary": "It is online.", "Audience": "media"}.get(
        field, "published"
    )
    site.post("kessler", **{field: value[:4] + character + value[4:]})
    found = [line for line in site.check() if "posts/kessler.md:" in line and f": {field.lower()}: holds" in line]
    assert len(found) == 1, site.check()
    assert f"holds the character U+{ord(character):04X}" in found[0]
    assert f"after '{value[:4]}'" in found[0] and "(expected visible text only: delete the character)" in found[0]
    with pytest.raises(BuildFailed):
        site.build()


def test_the_spaces_and_joiners_that_writing_needs_are_accepted(site):
    site.post(
        "kessler",
        Title="Larkspur met en service Kessler Ridge\u00a0: 240\u202fMW",  # French spacing: no-break spaces
        Summary="The team \U0001f469\u200d\U0001f52c of Kessler Ridge, in \u05e2\u05d1\u05e8\u05d9\u05ea\u200f too.",
    )
    site.post("bluestem", Title="Bluestem \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 battery")  # ZWNJ (Persian)
    assert site.check() == []


# name -> the post's text: a header ended early (by a `---` or `...` line, as Markdown's meta extension allows, or
# by an empty line), `Status: draft` under it, then the body. Nobody reads that line as a field: Markdown
# publishes it as the body's first paragraph, and the post with it. The line number of `Status:` follows.
AFTER_THE_END = {
    "dashes": ("\n".join([*HEADER, "---", "Status: draft", "", MARKER]), 7),
    "dots": ("\n".join([*HEADER, "...", "Status: draft", "", MARKER]), 7),
    "dashes-and-words": ("\n".join([*HEADER, "--- review notes", "Status: draft", "", MARKER]), 7),
    "yaml-style": ("\n".join(["---", *HEADER, "---", "", "Status: draft", "", MARKER]), 9),
    "empty-line": ("\n".join([*HEADER, "", "Status: draft", "", MARKER]), 7),
    "crlf-dashes": ("\r\n".join([*HEADER, "---", "Audience: employees", "", MARKER]), 7),
    "second-line-of-the-paragraph": ("\n".join([*HEADER, "", "Embargoed until the results.", "status: DRAFT"]), 8),
}


@pytest.mark.parametrize("trick", AFTER_THE_END)
def test_a_field_below_the_end_of_the_header_is_refused_and_never_published(site, trick):
    text, line = AFTER_THE_END[trick]
    site.file("posts/hidden.md", text)
    found = problems(site)
    named = lines_naming(found, "posts/hidden.md", "header")
    assert [line_number(one, "posts/hidden.md") for one in named] == [line], found
    assert "comes after the end of the header" in named[0]
    assert "Traceback" not in refused_build(site)


def test_a_page_with_a_field_below_the_end_of_its_header_is_refused(site):
    site.file("pages/plan.md", "Title: Our plan\nSlug: plan\n...\nStatus: hidden\n\nPAGEDASH\n")
    assert [line_number(one, "pages/plan.md") for one in lines_naming(problems(site), "pages/plan.md", "header")] == [4]


def test_text_that_only_looks_like_a_field_is_accepted_under_the_header(site):
    # Not a field anyone writes in a header: a dateline or a label of the body's own.
    site.post("dateline", "Note: figures are unaudited.\nCALDER MILLS: the plant opened today.\n\n" + MARKER)
    assert problems(site) == []
    assert files_containing(site.build(), MARKER)
