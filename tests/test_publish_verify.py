"""Verification before deploy: the sample newsroom plus marker posts leaks nothing anywhere, and every kind
of leak, broken link and malformed feed planted in a build is caught and named."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from conftest import WITHHELD_KINDS as MARKERS
from conftest import TinySite, files_containing, text_of
from newsroom.model.dates import parse_timestamp
from newsroom.model.settings import load_newsroom
from newsroom.publishing.verify import verify_output
from newsroom.search.index import index_site
from newsroom.search.pieces import PAGES_PER_PIECE

NOW = "2026-11-26 12:00 UTC"


def add_marker_posts(site) -> None:
    """One withheld post of each kind, each with an attachment of its own (lead image and a download)."""
    for marker, fields in MARKERS.items():
        slug = marker.lower()
        site.file(f"images/{slug}-chart.svg", f"<svg xmlns='http://www.w3.org/2000/svg'><title>{marker}</title></svg>")
        site.file(f"downloads/{slug}-terms.txt", f"Terms {marker}")
        site.post(
            f"{slug}-post",
            Title=f"Larkspur {marker} agreement signed",
            Summary=f"The {marker} summary, for nobody yet.",
            Id=f"2026-11-{slug}",
            Tags=f"{slug}-tag",
            Image=f"{{static}}/images/{slug}-chart.svg",
            Image_Alt="A chart",
            body=f"Body of {marker}. [Terms]({{static}}/downloads/{slug}-terms.txt)",
            **fields,
        )


@pytest.fixture
def sample(site):
    with_sample(site)
    add_marker_posts(site)
    return site


def with_sample(site):
    """The sample newsroom's content: its pages link to its posts, and the theme links to its pages."""
    return site.with_sample_content()


def build(site, edition="public", pages_per_piece=PAGES_PER_PIECE, **overrides):
    """Build as `invoke publish` does: Pelican, then the search index of what it wrote (in pieces of
    `pages_per_piece` pages)."""
    out = site.build(edition=edition, **overrides)
    index_site(out, pages_per_piece=pages_per_piece)
    return out


def verify(site, out, edition="public", **overrides):
    settings = site.settings(edition=edition, **overrides)
    return verify_output(out, settings, load_newsroom(settings), parse_timestamp(NOW))


def test_sample_newsroom_with_marker_posts_leaks_no_marker_into_any_public_file(sample):
    out = build(sample)

    for marker in MARKERS:
        assert files_containing(out, marker) == [], marker
    assert not (out / "drafts").exists()
    report = verify(sample, out)
    assert report.ok, report.lines()
    assert report.withheld >= len(MARKERS) and report.markers >= 4 * len(MARKERS)
    assert (out / "pagefind").is_dir()  # the search index was searched too (see test below)


def test_an_index_in_pieces_is_verified_whole(sample):
    out = build(sample, pages_per_piece=4)
    assert (out / "pagefind" / "piece-4" / "pagefind-entry.json").is_file()
    for marker in MARKERS:
        assert files_containing(out, marker) == [], marker
    report = verify(sample, out)
    assert report.ok, report.lines()


def test_internal_edition_has_its_posts_and_still_no_draft_hidden_or_embargoed_marker(sample):
    out = build(sample, edition="internal")
    assert "employees/index.html" in files_containing(out, "INTERNALMARKER")
    assert "images/internalmarker-chart.svg" in files_containing(out, "INTERNALMARKER")
    for marker in ("DRAFTMARKER", "HIDDENMARKER", "EMBARGOMARKER"):
        assert files_containing(out, marker) == [], marker
    assert verify(sample, out, edition="internal").ok


def test_embargo_preview_shows_embargoed_posts_marked_and_nothing_else_withheld(sample):
    out = build(sample, edition="embargo-preview")
    page = "news/2026/larkspur-embargomarker-agreement-signed/index.html"
    assert page in files_containing(out, "EMBARGOMARKER")
    html = text_of(out, page)
    assert "Embargo preview: includes posts that are not public yet. Do not share." in html
    assert "This post is <strong>embargoed</strong> until" in html
    for marker in ("DRAFTMARKER", "HIDDENMARKER", "INTERNALMARKER"):
        assert files_containing(out, marker) == [], marker


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    site = TinySite(tmp_path_factory.mktemp("planted"))
    with_sample(site)
    site.file("images/q4-secret-chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>Q4</title></svg>")
    site.post(
        "deal",
        Title="Larkspur & Northwind agree terms",
        Summary="Larkspur will acquire Northwind Power.",
        Id="2026-12-03-northwind",
        Slug="northwind-deal",
        Date="2026-12-03 16:05 America/New_York",
        Image="{static}/images/q4-secret-chart.svg",
        Image_Alt="Chart",
    )
    out = build(site)
    assert verify(site, out).ok
    return site, out


@pytest.fixture
def built(built_once, tmp_path):
    """The built site of this module, copied: each test plants its trace in its own copy."""
    site, out = built_once
    return site, Path(shutil.copytree(out, tmp_path / "output"))


def plant(out, relative: str, data: bytes | str) -> None:
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.mark.parametrize(
    "relative, data, described",
    [
        ("feeds/all.rss.xml", None, "the title of"),  # appended below, HTML-escaped as a feed writes it
        ("search/data.json", json.dumps({"t": "Larkspur & Northwind agree terms"}), "the title of"),
        ("sitemap.xml", "<urlset><url><loc>https://x/news/2026/northwind-deal/</loc></url></urlset>", "the address of"),
        ("news/index.html", "<p>Larkspur will acquire Northwind Power.</p>", "the summary of"),
        (
            "structured.json",
            json.dumps({"@id": "tag:x,2026:post/2026-12-03-northwind"}, ensure_ascii=True),
            "the id of",
        ),
        (
            "pagefind/fragment/en_1234abc.pf_fragment",
            gzip.compress(b'pagefind_dcd{"content":"Larkspur &amp; Northwind agree terms"}'),
            "the title of",
        ),
        (
            "pagefind/piece-3/fragment/en_1234abc.pf_fragment",  # a piece of the index other than the first
            gzip.compress(b'pagefind_dcd{"content":"Larkspur &amp; Northwind agree terms"}'),
            "the title of",
        ),
        (
            "downloads/renamed.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'><title>Q4</title></svg>",
            "a copy of images/q4-secret-chart.svg",
        ),
        ("drafts/northwind-deal.html", "<p>draft</p>", "the address of"),
        ("images/q4-secret-chart.svg", "<svg/>", "the attachment of"),
        (
            ".newsroom/manifest.json",
            json.dumps({"edition": "public", "posts": [{"id": "2026-12-03-northwind"}]}),
            "the id of",
        ),
    ],
    ids=[
        "feed",
        "json",
        "sitemap",
        "listing",
        "json-ld-escaped",
        "search-index",
        "search-index-piece",
        "attachment-copy",
        "drafts",
        "attachment-name",
        "manifest",
    ],
)
def test_a_planted_trace_of_an_embargoed_post_is_caught_and_named_without_printing_it(built, relative, data, described):
    site, out = built
    if data is None:
        data = text_of(out, relative).replace(
            "</channel>", "<item><title>Larkspur &amp; Northwind agree terms</title></item></channel>"
        )
    plant(out, relative, data)

    report = verify(site, out)
    assert not report.ok
    assert [f.file for f in report.leaks] == [relative]
    assert described in report.leaks[0].problem and "content/posts/deal.md (embargoed)" in report.leaks[0].problem
    assert "Northwind agree terms" not in "\n".join(report.lines())  # a CI log must not leak it either


def test_a_withheld_title_that_public_pages_also_use_is_not_evidence_but_its_address_still_is(site):
    with_sample(site)
    site.post("public", Title="Larkspur opens Kessler Ridge wind farm", Slug="kessler")
    site.post("draft", Title="Larkspur Energy", Slug="company-profile-draft", Status="draft")  # the company name
    out = build(site)

    report = verify(site, out)
    assert report.ok, report.lines()  # "Larkspur Energy" is on every page, legitimately
    assert "the title of content/posts/draft.md" in report.lines()[-1]
    plant(out, "about/old.html", '<a href="/news/2026/company-profile-draft/">x</a>')
    assert [f.problem for f in verify(site, out).leaks] == ["contains the address of content/posts/draft.md (draft)"]


def teased_in_public(site, out, path: str) -> None:
    """A public post links to `path` at its intranet address, and the built home page carries that link (as a link
    that got past the checks would be)."""
    link = f"{site.settings(edition='internal')['SITEURL']}{path}"
    site.post("teaser", Title="Larkspur teases a deal", body=f"Employees: read [the details]({link}).")
    plant(out, "index.html", text_of(out, "index.html").replace("</main>", f'<a href="{link}">x</a></main>'))


def test_a_shown_posts_own_link_to_a_withheld_posts_intranet_address_does_not_excuse_that_address(site):
    """Verify is the last line of defence, for a link that got past the checks: a shown post's link to a withheld
    post, here to its copy on the intranet (the same path under another of the newsroom's addresses), is how its
    address would leak, so the author's own text cannot make that address a legitimate one."""
    site.post(
        "2026/secret", Title="Larkspur to close the Brennholtwerk plant", Slug="plant-closure", Audience="employees"
    )
    out = build(site)
    teased_in_public(site, out, "/news/2026/plant-closure/")
    assert [f.problem for f in verify(site, out).leaks] == [
        "contains the address of content/posts/2026/secret.md (internal)"
    ]


def test_a_shown_posts_link_to_a_withheld_posts_file_on_the_intranet_does_not_excuse_that_file(site):
    """A public post links to an employees-only memo's attachment at its intranet address: the build does not
    copy the file here (it is used by this edition's posts only through this edition's address), so the link does
    not make the file's name legitimate in this edition's output, and verify still names it."""
    (site.content / "downloads").mkdir(exist_ok=True)
    (site.content / "downloads/brennholt-closure-plan.pdf").write_bytes(b"%PDF-1.4\n% the closure plan\n%%EOF\n")
    site.post(
        "2026/secret",
        Title="Larkspur to close the Brennholtwerk plant",
        Audience="employees",
        body="The [plan]({static}/downloads/brennholt-closure-plan.pdf).",
    )
    out = build(site)
    teased_in_public(site, out, "/downloads/brennholt-closure-plan.pdf")
    assert [f.problem for f in verify(site, out).leaks] == [
        "contains the attachment of content/posts/2026/secret.md (internal)"
    ]


def test_broken_internal_links_are_found_and_external_ones_ignored(built):
    site, out = built
    page = text_of(out, "index.html").replace(
        "</main>",
        '<a href="/gone/">a</a><a href="https://newsroom.larkspur-energy.example/feeds/nope.xml">b</a>'
        '<a href="../media/">ok</a><a href="https://example.org/x">ext</a><a href="mailto:a@b.c">m</a>'
        '<img src="images/missing.png" alt=""></main>',
    )
    plant(out, "index.html", page)
    links = [f.problem for f in verify(site, out).broken_links]
    assert links == [
        "links to /gone/, which is not in the build",
        "links to https://newsroom.larkspur-energy.example/feeds/nope.xml, which is not in the build",
        "links to images/missing.png, which is not in the build",
    ]


def test_malformed_feeds_and_a_wrong_manifest_edition_are_reported(built):
    site, out = built
    plant(out, "feeds/media.atom.xml", text_of(out, "feeds/media.atom.xml")[:-40])
    plant(out, "feeds/all.json", '{"version": "1.0", "items": []}')
    plant(out, ".newsroom/manifest.json", json.dumps({"edition": "embargo-preview"}))
    problems = [str(f) for f in verify(site, out).malformed]
    assert problems[0].startswith("feeds/all.json: not a JSON Feed")
    assert problems[1].startswith("feeds/media.atom.xml: not well-formed XML")
    assert problems[2] == ".newsroom/manifest.json: says edition 'embargo-preview', but this is the public edition"


def test_the_same_post_is_withheld_before_its_minute_and_verified_public_after(site):
    with_sample(site)
    site.post("deal", Title="Acquisition EMBARGOMARKER", Date="2026-12-03 16:05 America/New_York")
    reports = {}
    for now in ("2026-12-03 21:04 UTC", "2026-12-03 21:05 UTC"):
        out = build(site, NEWSROOM_NOW=now)
        settings = site.settings(NEWSROOM_NOW=now)
        reports[now] = verify_output(out, settings, load_newsroom(settings), parse_timestamp(now))
        assert reports[now].ok, reports[now].lines()
        assert bool(files_containing(out, "EMBARGOMARKER")) == now.endswith("21:05 UTC")
    # At 16:05 New York time the marker post stops being withheld (and so do both language versions of the
    # sample's 16:05 release: one embargo for every version).
    assert reports["2026-12-03 21:05 UTC"].withheld == reports["2026-12-03 21:04 UTC"].withheld - 3
