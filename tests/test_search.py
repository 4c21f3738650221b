"""Archive search: the Pagefind index built from a real site holds the public posts and nothing withheld.

Pagefind's files are gzip-compressed ("pagefind_dcd" + JSON or CBOR); reading them back decompressed is how
these tests see every word and every page the index holds. The browser test (test_browser_search.py) then
searches through Pagefind's own JavaScript API."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from conftest import kessler_in_english_and_french, text_of
from newsroom.search.index import SearchIndexFailed, index_site

WITHHELD = {
    "internalmarker": {"Audience": "employees"},
    "draftmarker": {"Status": "draft"},
    "hiddenmarker": {"Status": "hidden"},
    "embargomarker": {"Date": "2026-12-03 16:05 America/New_York"},
}


def index_files(output) -> dict[str, bytes]:
    """Every file of the search index, decompressed: path under pagefind/ -> bytes."""
    files = {}
    for path in (output / "pagefind").rglob("*"):
        if path.suffix.startswith(".pf_") or path.name.endswith(".pagefind"):
            data = path.read_bytes()
            files[path.relative_to(output).as_posix()] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return files


def fragments(output) -> list[dict]:
    """The indexed pages, as Pagefind stores them (URL, text, filters, meta)."""
    return [
        json.loads(data.removeprefix(b"pagefind_dcd"))
        for name, data in sorted(index_files(output).items())
        if name.endswith(".pf_fragment")
    ]


@pytest.fixture
def indexed(site):
    site.post(
        "results",
        Title="Quarterly results",
        Audience="investors, media",
        Category="Press releases",
        Date="2025-10-29 16:05 America/New_York",
        body="Revenue rose on record PUBLICMARKER output.",
    )
    site.post("plant", Title="Plant opens", Audience="communities", body="The plant opens its doors.")
    for marker, fields in WITHHELD.items():
        site.post(marker, Title=f"Secret {marker}", Summary=f"About {marker}.", body=f"Body {marker}.", **fields)
    out = site.build()
    index_site(out)
    return out


def test_index_holds_every_public_post_and_no_listing(indexed):
    pages = sorted(fragment["url"] for fragment in fragments(indexed))
    assert pages == ["/news/2026/plant-opens/", "/press-releases/2025/quarterly-results/"]
    text = next(f for f in fragments(indexed) if "quarterly" in f["url"])["content"]
    assert "PUBLICMARKER" in text
    assert "About Larkspur Energy" not in text  # boilerplate, contacts and history are not what people search for


@pytest.mark.parametrize("marker", sorted(WITHHELD))
def test_withheld_posts_never_enter_the_public_index(indexed, marker):
    holding = [name for name, data in index_files(indexed).items() if marker.encode() in data.lower()]
    assert holding == []
    # the same search finds the public post's marker (in its fragment: the page text Pagefind shows)
    assert any(b"publicmarker" in data.lower() for data in index_files(indexed).values())


def test_index_filters_by_audience_category_and_year(indexed):
    by_url = {fragment["url"]: fragment for fragment in fragments(indexed)}
    assert by_url["/press-releases/2025/quarterly-results/"]["filters"] == {
        "audience": ["Investors", "Media"],
        "category": ["Press releases"],
        "year": ["2025"],
    }
    assert by_url["/news/2026/plant-opens/"]["filters"]["audience"] == ["Communities"]
    assert by_url["/press-releases/2025/quarterly-results/"]["meta"]["date"] == "29 October 2025, 16:05 EDT"


def test_a_french_posts_filters_are_named_in_french_for_the_french_search_box(site):
    kessler_in_english_and_french(site, {"Id": "2026-06-01-kessler", "Audience": "investors"})
    out = site.build()
    index_site(out)
    by_url = {fragment["url"]: fragment for fragment in fragments(out)}
    # Pagefind's search box heads each filter with its name, as indexed: the French search page's are French.
    assert by_url["/fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/"]["filters"] == {
        "public": ["Investisseurs"],
        "catégorie": ["Actualités"],
        "année": ["2026"],
    }
    assert set(by_url["/news/2026/larkspur-opens-kessler-ridge-wind-farm/"]["filters"]) == {
        "audience",
        "category",
        "year",
    }


def test_search_ui_is_served_from_the_site_itself(indexed):
    html = text_of(indexed, "search/index.html")
    scripts = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts and all(src.startswith("https://newsroom.larkspur-energy.example/") for src in scripts)
    for src in scripts:
        assert (indexed / src.removeprefix("https://newsroom.larkspur-energy.example/")).is_file(), src


def test_search_page_works_without_javascript_through_the_year_and_category_archive(indexed):
    html = text_of(indexed, "search/index.html")
    assert '<div class="search" id="search-box" role="search" hidden>' in html  # the box appears only with JS
    browse = re.search(r'<section class="browse".*?</section>', html, re.S).group(0)
    links = re.findall(r'<a href="https://newsroom.larkspur-energy.example/([^"]*)">', browse)
    assert {"archive/2025/", "archive/2026/", "press-releases/", "news/", "archive/", "investors/"} <= set(links)
    for link in links:  # every way through the archive leads to a page (no link to an empty category)
        assert (indexed / link / "index.html").is_file(), link
    assert "policy-notices/" not in links
    assert "Searching needs JavaScript" in html  # <noscript> explains the way through the archive
    assert 'href="https://newsroom.larkspur-energy.example/search/">Search</a>' in text_of(indexed, "index.html")


def test_reindexing_keeps_nothing_of_text_since_removed_from_a_post(site):
    # pelicanconf.py keeps the output folder between builds, as `invoke build` and `livereload` do
    site.post("results", Title="Quarterly results", body="Revenue rose on record PUBLICMARKER output.")
    index_site(site.build("pelicanconf.py"))
    site.post("results", Title="Quarterly results", body="Revenue rose on record output.")
    out = site.build("pelicanconf.py")
    index_site(out)
    assert [name for name, data in index_files(out).items() if b"publicmarker" in data.lower()] == []
    assert [fragment["url"] for fragment in fragments(out)] == ["/news/2026/quarterly-results/"]


def test_indexing_a_folder_without_a_site_fails_with_a_clear_message(tmp_path):
    with pytest.raises(SearchIndexFailed, match="no built site to index"):
        index_site(tmp_path)
