"""Search over an index in pieces, in a real browser: the sample newsroom (after the Halvorsen Hydro embargo, so
it has a post in French) built with a few pages per piece, so its index is four Pagefind bundles that the search
page merges (theme/static/js/search.js). What the reader's search box finds is what the pieces it merges hold,
from several pieces at once, with the filters of every piece, in each language."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from browser.harness import LoopbackServer, build_sample_site
from newsroom.search.pieces import MANIFEST, piece_of

AFTER_THE_EMBARGO = "2026-12-05 12:00 UTC"
ENGLISH_HALVORSEN = (
    "/press-releases/2026/larkspur-energy-to-acquire-halvorsen-hydro-adding-410-megawatts-of-hydropower/"
)
FRENCH_HALVORSEN = "/fr/press-releases/2026/acquisition-halvorsen-hydro/"


@pytest.fixture(scope="module")
def pieces_site(tmp_path_factory):
    server = LoopbackServer()
    try:
        workdir = tmp_path_factory.mktemp("pieces")
        extra = {"NEWSROOM_SEARCH_PAGES_PER_PIECE": 6}  # some 20 pages: four pieces
        output = build_sample_site(workdir, "public", server.base_url, AFTER_THE_EMBARGO, extra)
        server.serve(output)
        yield server.base_url, json.loads((output / "pagefind" / MANIFEST).read_text(encoding="utf-8"))["pieces"]
    finally:
        server.close()


def settled_count(page, query: str, before: str | None = None) -> None:
    """Wait until the box's message is a count for `query` ("12 results for Larkspur"), and not `before`: between
    the two it reads "Searching for Larkspur...", which names the query but no number."""
    page.wait_for_function(
        """([query, before]) => {
            const message = document.querySelector('.pagefind-ui__message')?.textContent || '';
            return /\\d/.test(message) && message.includes(query) && message !== before;
        }""",
        arg=[query, before],
    )


def searched_in_the_box(page, query: str, year: str | None = None) -> list[str]:
    """The addresses (paths) of every result the search page's box lists for `query` (and the year ticked)."""
    page.wait_for_selector("#search-input")
    page.fill("#search-input", query)
    settled_count(page, query)
    if year:
        before = page.locator(".pagefind-ui__message").text_content()
        # the box is inside the filter's folded <details>: ticked as a click on it would
        page.locator(f"input.pagefind-ui__filter-checkbox[name='year'][value='{year}']").evaluate("box => box.click()")
        settled_count(page, query, before)
    total = int(re.search(r"\d+", page.locator(".pagefind-ui__message").text_content()).group())
    while page.locator(".pagefind-ui__button").count():  # "Load more results" until every result is listed
        page.locator(".pagefind-ui__button").click()
    page.wait_for_function(
        "total => document.querySelectorAll('.pagefind-ui__result-link').length === total", arg=total
    )
    links = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.pathname)")
    return sorted(links)


def searched_in_each_piece(page, pieces: list[dict], query: str, filters: dict | None = None) -> dict[str, list]:
    """What each piece that holds the page's language finds on its own (Pagefind's JavaScript API, one module
    instance per piece): {piece folder: result paths}."""
    return page.evaluate(
        """async ([pieces, query, filters]) => {
            const language = document.documentElement.lang;
            const found = {};
            for (const piece of pieces.filter((piece) => piece.languages.includes(language))) {
                // An address of its own: the search box's instance (which has the others merged) is not reused.
                const pagefind = await import(`/pagefind/${piece.path}pagefind.js?alone`);
                await pagefind.options({ basePath: `/pagefind/${piece.path}`, baseUrl: "/" });
                const search = await pagefind.search(query, { filters: filters || {} });
                const data = await Promise.all(search.results.map((result) => result.data()));
                found[piece.path] = data.map((result) => new URL(result.url, location.href).pathname);
            }
            return found;
        }""",
        [pieces, query, filters],
    )


def test_the_index_of_the_sample_is_in_four_pieces_one_of_which_holds_french(pieces_site):
    _, pieces = pieces_site
    assert [piece["path"] for piece in pieces] == ["", "piece-2/", "piece-3/", "piece-4/"]
    assert [piece["path"] for piece in pieces if "fr" in piece["languages"]] == [
        ["", "piece-2/", "piece-3/", "piece-4/"][piece_of(FRENCH_HALVORSEN.lstrip("/") + "index.html", 4)]
    ]


def test_one_search_finds_the_posts_of_every_piece(pieces_site, page):
    base_url, pieces = pieces_site
    page.goto(f"{base_url}/search/")
    found = searched_in_the_box(page, "Larkspur")
    by_piece = searched_in_each_piece(page, pieces, "Larkspur")
    assert len([piece for piece, results in by_piece.items() if results]) >= 2  # results from several pieces
    assert found == sorted(url for results in by_piece.values() for url in results)
    assert ENGLISH_HALVORSEN in found and FRENCH_HALVORSEN not in found
    assert page.failed_responses == []


def test_a_filter_narrows_the_results_of_every_piece(pieces_site, page):
    base_url, pieces = pieces_site
    page.goto(f"{base_url}/search/")
    years = page.locator("input.pagefind-ui__filter-checkbox[name='year']")
    everything = searched_in_the_box(page, "Larkspur")
    offered = sorted(years.evaluate_all("boxes => boxes.map(box => box.value)"))
    assert {"2024", "2025", "2026"} <= set(offered)  # the years of every piece, in one list
    found = searched_in_the_box(page, "Larkspur", year="2025")
    by_piece = searched_in_each_piece(page, pieces, "Larkspur", {"year": "2025"})
    assert found == sorted(url for results in by_piece.values() for url in results)
    assert found and set(found) < set(everything) and all("/2025/" in url for url in found)
    assert page.failed_responses == []


def test_the_french_search_page_searches_only_the_french_index_of_the_piece_that_has_one(pieces_site, page):
    base_url, _ = pieces_site
    page.goto(f"{base_url}/fr/search/")
    assert searched_in_the_box(page, "Halvorsen") == [FRENCH_HALVORSEN]
    assert searched_in_the_box(page, "hydroélectricité") == [FRENCH_HALVORSEN]
    assert page.failed_responses == []


def test_a_search_over_pieces_fetches_the_search_engine_once_and_each_pieces_metadata_once(pieces_site, page):
    # What merging pieces costs a reader: Pagefind's WebAssembly comes from the primary bundle alone (a merged
    # index is opened without it), and each piece that holds the language adds its entry and metadata.
    base_url, pieces = pieces_site
    fetched: list[str] = []
    page.context.on("request", lambda request: fetched.append(urlparse(request.url).path))
    page.goto(f"{base_url}/search/")
    searched_in_the_box(page, "Larkspur")
    holding = sorted(f"/pagefind/{piece['path']}" for piece in pieces if "en" in piece["languages"])
    assert [path for path in fetched if "/wasm." in path] == ["/pagefind/wasm.en.pagefind"]
    metadata = [path for path in fetched if path.endswith(".pf_meta")]
    assert sorted(path.rsplit("/", 1)[0] + "/" for path in metadata) == holding
    assert page.failed_responses == []
