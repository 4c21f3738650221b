"""The built site: audience pages, leak safety of each edition, article metadata, escaping."""

from __future__ import annotations

import json
import re

import pytest

from conftest import WITHHELD_KINDS, files_containing, text_of


def listed_titles(html: str) -> list[str]:
    return re.findall(r'<h\d class="card__title"><a href="[^"]*">([^<]*)</a>', html)


def test_audience_pages_list_exactly_their_posts(site):
    site.post("a", Title="Results for investors", Audience="investors")
    site.post("b", Title="News for the media", Audience="media")
    site.post("c", Title="For both", Audience="investors\n    media", Date="2026-06-02 10:00 UTC")
    out = site.build()

    assert listed_titles(text_of(out, "investors/index.html")) == ["For both", "Results for investors"]
    assert listed_titles(text_of(out, "media/index.html")) == ["For both", "News for the media"]
    assert listed_titles(text_of(out, "regulators/index.html")) == []
    assert "Nothing has been published here yet." in text_of(out, "regulators/index.html")


def test_internal_audience_has_no_page_in_the_public_edition(site):
    site.post("a")
    out = site.build()
    assert not (out / "employees").exists()
    assert (out / "media/index.html").exists()


@pytest.mark.parametrize("marker, fields", WITHHELD_KINDS.items())
def test_withheld_posts_appear_nowhere_in_the_public_build(site, marker, fields):
    site.post("public", Title="An ordinary public post")
    site.file(f"images/{marker.lower()}-chart.svg", f"<svg>{marker}</svg>")
    site.post(
        f"{marker.lower()}-post",
        Title=f"Secret {marker} plan",
        Summary=f"The {marker} summary.",
        Tags=f"{marker.lower()}-tag",
        Image=f"{{static}}/images/{marker.lower()}-chart.svg",
        Image_Alt="A chart",
        body=f"Body with {marker}. ![Chart]({{static}}/images/{marker.lower()}-chart.svg)",
        **fields,
    )
    out = site.build()

    assert files_containing(out, marker) == []
    assert (out / "index.html").exists() and "An ordinary public post" in text_of(out, "index.html")
    assert not (out / "drafts").exists()


def test_internal_edition_shows_internal_posts_but_not_drafts(site):
    site.post("memo", Title="Travel policy INTERNALMARKER", Audience="employees")
    site.post("draft", Title="Unapproved DRAFTMARKER", Status="draft")
    site.post("future", Title="Deal EMBARGOMARKER", Date="2027-01-01 09:00 UTC")
    out = site.build(edition="internal")

    assert "Travel policy INTERNALMARKER" in listed_titles(text_of(out, "employees/index.html"))
    assert "Internal edition" in text_of(out, "index.html")
    assert files_containing(out, "DRAFTMARKER") == []
    assert files_containing(out, "EMBARGOMARKER") == []


def test_local_build_lets_authors_read_drafts_unlisted(site):
    site.post("draft", Title="Unapproved DRAFTMARKER", Status="draft")
    out = site.build("pelicanconf.py")
    assert files_containing(out, "DRAFTMARKER") == ["drafts/unapproved-draftmarker.html"]


def test_embargo_lifts_at_the_minute(site):
    site.post("deal", Title="Acquisition EMBARGOMARKER", Date="2026-12-03 16:05 America/New_York")
    before = site.build(NEWSROOM_NOW="2026-12-03 21:04 UTC")
    assert files_containing(before, "EMBARGOMARKER") == []
    after = site.build(NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert "news/2026/acquisition-embargomarker/index.html" in files_containing(after, "EMBARGOMARKER")


def test_article_page_shows_zoned_times_corrections_and_structured_data(site):
    site.post(
        "results",
        Title="Q3 results",
        Category="Press releases",
        Audience="investors, media",
        Date="2026-10-29 16:05 America/New_York",
        Correction="2026-10-30 09:00 America/New_York | The dividend is $0.24, not $0.42.",
        Tags="earnings",
    )
    out = site.build()
    html = text_of(out, "press-releases/2026/q3-results/index.html")

    assert '<time class="dt-published" datetime="2026-10-29T16:05:00-04:00">29 October 2026, 16:05 EDT</time>' in html
    assert '<time class="dt-updated" datetime="2026-10-30T09:00:00-04:00">30 October 2026, 09:00 EDT</time>' in html
    assert html.index('class="corrections"') < html.index('class="prose e-content"')
    assert "The dividend is $0.24, not $0.42." in html
    assert "About Larkspur Energy" in html  # press releases carry the boilerplate
    assert "Marcus Lindqvist" in html and "Dana Okafor" in html  # contacts of both audiences
    assert (
        '<link rel="canonical" href="https://newsroom.larkspur-energy.example/press-releases/2026/q3-results/">' in html
    )
    assert '<meta property="og:type" content="article">' in html

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2026-10-29T16:05:00-04:00"
    assert data["dateModified"] == "2026-10-30T09:00:00-04:00"
    assert data["publisher"]["name"] == "Larkspur Energy"


def test_home_page_carries_organization_structured_data(site):
    site.post("a")
    html = text_of(site.build(), "index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Organization"
    assert data["legalName"] == "Larkspur Energy, Inc."


def test_titles_and_summaries_are_escaped_not_interpreted(site):
    site.post("odd", Title='AT&T deal: <1% "dilution"', Summary="Costs fell <5% & margins rose.")
    out = site.build()
    html = text_of(out, "news/2026/att-deal-1-dilution/index.html")
    assert "AT&amp;T deal: &lt;1% &#34;dilution&#34;" in html
    assert "Costs fell &lt;5% &amp; margins rose." in html
    # JSON-LD cannot be closed early by text in a title
    assert "<1%" not in html.split('application/ld+json">')[1].split("</script>")[0]


def test_year_archive_lists_every_public_post_with_time_zone(site):
    site.post("old", Title="Old news", Date="2024-03-05 09:30 Europe/London")
    site.post("new", Title="New news", Date="2026-03-05 09:30 America/Chicago")
    site.post("same", Title="Same instant", Date="2026-03-05 10:30 America/New_York")  # = 09:30 Chicago
    out = site.build()
    html = text_of(out, "archive/2024/index.html")
    assert "Old news" in html and "New news" not in html
    assert '<time datetime="2024-03-05T09:30:00+00:00">5 March 2024, 09:30 GMT</time>' in html
    # One instant written in two zones: each post shows its own (times are remembered per datetime, not per instant)
    everything = text_of(out, "archive/index.html")
    assert '<time datetime="2026-03-05T09:30:00-06:00">5 March 2026, 09:30 CST</time>' in everything
    assert '<time datetime="2026-03-05T10:30:00-05:00">5 March 2026, 10:30 EST</time>' in everything


def test_audience_chips_link_to_the_audience_pages_and_never_name_an_internal_audience_in_public(site):
    from lxml import html as lxml_html

    site.post("mixed", Title="New safety rules", Audience="employees, communities")
    site.post("press", Title="Wind farm opens", Audience="media")

    def chips(output, relative):
        tree = lxml_html.fromstring((output / relative).read_text(encoding="utf-8"))
        return [[(a.text, a.get("href")) for a in ul.iter("a")] for ul in tree.find_class("audience-tags")]

    public = site.build()
    site_url = "https://newsroom.larkspur-energy.example"
    for page in ("index.html", "communities/index.html"):
        for card in chips(public, page):
            assert card and all(name != "Employees" for name, _ in card), (page, card)
    assert [("Communities", f"{site_url}/communities/")] in chips(public, "index.html")
    internal = site.build(edition="internal")
    employees = [href for card in chips(internal, "index.html") for name, href in card if name == "Employees"]
    assert employees and all(href.endswith("/employees/") for href in employees)


def test_the_media_contacts_page_gives_the_boilerplate_once_and_addresses_wrap_only_at_the_at_sign(site):
    from lxml import html as lxml_html

    site.file("pages/contacts.md", "Title: Media contacts\nSlug: media-contacts\nTemplate: contacts\n\nCall us.\n")
    site.post("a")
    out = site.build()
    boilerplate = site.settings()["NEWSROOM_COMPANY"]["boilerplate"]
    assert (out / "media-contacts/index.html").read_text(encoding="utf-8").count(boilerplate) == 1
    assert (out / "index.html").read_text(encoding="utf-8").count(boilerplate) == 1  # other pages: the footer
    page = lxml_html.fromstring((out / "media-contacts/index.html").read_text(encoding="utf-8"))
    link = page.find(".//a[@href='mailto:press@larkspur-energy.example']")
    assert link.text_content() == "press@larkspur-energy.example"
    assert [span.text for span in link.find_class("nowrap")] == ["press", "larkspur-energy.example"]
