"""What a post can make the build link to or copy: only what the checks read and allowed, however it is written.

An attacker with commit access (or a slip of the keyboard) tried four ways past the checks, and each published
something on the code before these tests:
- a link whose address is on the line after `[text](`, after a reference's `[r]:`, or after an HTML attribute's
  name: the checks read links line by line, Markdown and HTML join them, so a public page linked a draft's source
  (which Pelican then copied, whole) or an embargoed post's address;
- `{attach}/../secret.txt`: Pelican copies a linked file from wherever it lies, here from beside content/;
- a file named `.chart.svg`, `.terms.html` or `.teaser.md`: the checks skipped names beginning with ".", Pelican
  read them (its default IGNORE_FILES, "**/.*", matches no bare name);
- `Status : draft` (or `Status = draft`…) as the header's last line: it ended the header without being a field,
  and Markdown published it, and the post, as text.
"""

from __future__ import annotations

import os

import pytest

from conftest import files_containing
from refusals import line_number, lines_naming, problems, refused_build

SECRET = "OUTSIDESECRETBYTES"
DRAFT_WORDS = "HALVORSENBIDWORDS"
SCRIPT_SVG = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(document.domain)</script></svg>"


def draft_deal(site, **fields):
    """The withheld post the links aim at: a draft, or (Status None and a Date to come) an embargoed one."""
    return site.post(
        "2026/deal",
        f"{DRAFT_WORDS} The board approved a bid of $2.1 billion.",
        Title="Larkspur bids for Halvorsen Hydro",
        Slug="halvorsen-bid",
        **({"Status": "draft"} | fields),
    )


def embargoed_deal(site):
    return draft_deal(site, Status=None, Date="2026-12-03 16:05 America/New_York")


# The three ways an address can follow on the next line and still be the link Markdown and the browser read.
SPLIT_LINKS = {
    "inline link": "See [the bid](\n{target}).",
    "reference definition": "See [the bid][r].\n\n[r]:\n    {target}",
    "html attribute": 'See <a title="bid" href\n="{target}">the bid</a>.',
}


@pytest.mark.parametrize("shape", SPLIT_LINKS.values(), ids=SPLIT_LINKS)
def test_a_link_split_over_lines_to_an_embargoed_post_is_refused_on_the_line_of_its_address(site, shape):
    embargoed_deal(site)
    site.post("teaser", shape.format(target="/news/2026/halvorsen-bid/"), Title="Larkspur reports Q3")
    found = lines_naming(problems(site), "posts/teaser.md", "link")
    assert found and "which this public edition does not show yet" in found[0], found
    body_starts = 7  # five header lines, an empty line
    assert line_number(found[0], "posts/teaser.md") == body_starts + shape.count("\n", 0, shape.index("{target}"))
    refused_build(site)


@pytest.mark.parametrize("shape", SPLIT_LINKS.values(), ids=SPLIT_LINKS)
def test_a_static_link_split_over_lines_to_a_drafts_source_is_refused(site, shape):
    draft_deal(site)
    site.post("teaser", shape.format(target="{static}/posts/2026/deal.md"), Title="Larkspur reports Q3")
    assert lines_naming(problems(site), "posts/teaser.md", "link")
    refused_build(site)
    assert files_containing(site.root / "output", DRAFT_WORDS) == []


def test_a_static_link_to_a_public_posts_source_is_refused_too(site):
    """A post's source is never a download, drafts or not: it would publish its header and every comment."""
    site.post("kessler")
    site.post("teaser", "[the source]({static}/posts/kessler.md)", Title="Larkspur reports Q3")
    found = lines_naming(problems(site), "posts/teaser.md", "link")
    assert (
        found
        and "is not an image or download (expected a file under content/images/ or content/downloads/" in (found[0])
    )


CLIMBING = [
    "{attach}/../secret.txt",
    "{static}/../secret.txt",
    "{filename}/../secret.txt",
    "{attach}../../secret.txt",  # relative to content/posts/
    "{static}/downloads/../../secret.txt",
    "|attach|/../secret.txt",
]


@pytest.mark.parametrize("link", CLIMBING)
def test_a_file_reference_that_climbs_out_of_content_is_refused(site, link):
    (site.root / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")  # beside content/, as settings are
    site.post("q3", f"[terms]({link})", Title="Larkspur reports Q3")
    found = lines_naming(problems(site), "posts/q3.md", "link")
    assert found and "is outside content/ (expected a file under content/images/ or content/downloads/)" in found[0]
    refused_build(site)
    assert files_containing(site.root / "output", SECRET) == []


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("{attach}/../secret.txt", "secret.txt: linked file: from posts/q3.md, but it is outside content/"),
        ("{static}/posts/2026/deal.md", "posts/2026/deal.md: linked file: from posts/q3.md, but it is not an image"),
        ("{static}/images/.chart.svg", "images/.chart.svg: linked file: from posts/q3.md, but it has a name IGNORE"),
    ],
)
def test_the_build_copies_no_file_the_checks_did_not_allow_should_a_link_get_past_them(site, monkeypatch, link, why):
    """The build's own rule, should the checks ever read a link otherwise than Pelican: here they are made to
    read none."""
    import newsroom.checks.rules as rules

    monkeypatch.setattr(rules, "_check_file_reference", lambda *args, **kwargs: None)
    monkeypatch.setattr(rules, "_check_links_to_withheld", lambda *args, **kwargs: None)
    (site.root / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    site.file("images/.chart.svg", SCRIPT_SVG)
    draft_deal(site)
    site.post("q3", f"[terms]({link})", Title="Larkspur reports Q3")
    message = refused_build(site)
    assert why in message and "\n" not in message.strip(), message
    output = site.root / "output"
    assert files_containing(output, SECRET) == [] and files_containing(output, DRAFT_WORDS) == []
    assert not (output / "images/.chart.svg").exists()


def test_dot_named_files_are_left_out_by_the_checks_and_the_build_alike(site):
    """IGNORE_FILES (".*" in the project's settings) is one rule: what Pelican does not read, the checks do not
    read, and nothing of it is published."""
    embargoed_deal(site)
    site.post("kessler")
    site.file("images/.chart.svg", SCRIPT_SVG)
    site.file("downloads/.terms.html", "<!doctype html><script>alert(document.cookie)</script>")
    site.file("images/.gitkeep")
    site.file(
        "pages/.teaser.md",
        "Title: Teaser\nSlug: teaser\nDate: 2030-01-01 10:00 UTC\n\nRead [the deal](/news/2026/halvorsen-bid/).\n",
    )
    (site.content / "posts/.notes.md").write_text("Title: Notes\n\nNot a post yet.\n", encoding="utf-8")
    assert problems(site) == []
    output = site.build()
    assert [path.name for path in output.rglob(".*")] == [".newsroom"]  # the build's own record (ownership)
    assert files_containing(output, "halvorsen-bid") == [] and files_containing(output, "alert(") == []


def test_a_link_to_a_dot_named_file_is_refused(site):
    site.file("images/.chart.svg", SCRIPT_SVG)
    site.post("q3", "![Q3 chart]({static}/images/.chart.svg)", Title="Larkspur reports Q3")
    found = lines_naming(problems(site), "posts/q3.md", "link")
    assert found and "has a name IGNORE_FILES ('.*') leaves out, so the checks never read it" in found[0], found


def test_where_pelican_reads_dot_named_files_the_checks_read_them_too(site):
    """Pelican's own default leaves out nothing: the checks then read `.chart.svg` and `.teaser.md` like any file."""
    embargoed_deal(site)
    site.file("images/.chart.svg", SCRIPT_SVG)
    site.file(
        "pages/.teaser.md",
        "Title: Teaser\nSlug: teaser\n\nRead [the deal](/news/2026/halvorsen-bid/).\n",
    )
    found = problems(site, IGNORE_FILES=["**/.*"])
    assert lines_naming(found, "images/.chart.svg", "file"), found
    assert lines_naming(found, "pages/.teaser.md", "link"), found


@pytest.mark.parametrize(
    "line",
    ["Status : draft", "Status = draft", "Status\uff1adraft", "Status draft", "- Status: draft", "Status\t draft"],
)
def test_a_line_that_ends_the_header_without_being_a_field_is_refused(site, line):
    path = site.post("deal", f"{DRAFT_WORDS} The board approved the bid.", Title="Larkspur bids for Halvorsen Hydro")
    path.write_text(path.read_text(encoding="utf-8").replace("\n\n", f"\n{line}\n\n", 1), encoding="utf-8")
    found = lines_naming(problems(site), "posts/deal.md", "header")
    assert found and line_number(found[0], "posts/deal.md") == 6, found
    assert "ends the header without being a 'Key: value' line, so it would be published as the text" in found[0]
    refused_build(site)
    assert files_containing(site.root / "output", DRAFT_WORDS) == []


def test_text_straight_after_the_header_is_refused_on_a_page_as_on_a_post(site):
    site.post("kessler", "The wind farm is online.")
    site.file("pages/about.md", "Title: About\nLarkspur builds wind farms.\n")
    found = problems(site)
    assert lines_naming(found, "pages/about.md", "header") and not lines_naming(found, "posts/kessler.md", "header")


@pytest.mark.parametrize("folder", ["posts", "images", "pages"])
def test_a_file_whose_name_is_not_utf8_is_one_line_from_the_check_and_the_build(site, folder):
    """A name saved by an older system in Latin-1 (`café` as b"caf\\xe9"): Python keeps the byte as a lone
    surrogate, which the build could write into no page or feed (it stopped with a traceback)."""
    site.post("fine")
    name = b"caf\xe9" + (b".png" if folder == "images" else b".md")
    text = b"\x89PNG\r\n\x1a\n" if folder == "images" else (site.content / "posts/fine.md").read_bytes()
    (site.content / folder).mkdir(exist_ok=True)
    with open(os.path.join(bytes(site.content / folder), name), "wb") as file:
        file.write(text)
    found = problems(site)
    assert [line.split("/content/", 1)[1] for line in found] == [
        f"{folder}/caf\\xe9.{'png' if folder == 'images' else 'md'}:1: file: its name is not UTF-8 text (the bytes "
        "shown as \\x..), which pages, feeds and addresses cannot hold (expected the file renamed, e.g. with the "
        "accent retyped)"
    ]
    assert "its name is not UTF-8 text" in refused_build(site)
