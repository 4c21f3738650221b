"""Archive search in a real browser: Debian's Chromium, driven by Playwright, on the sample site served on 127.0.0.1.

The fixtures here (a served sample site, a Chromium context) are this module's own, kept apart from the general
browser-test infrastructure in tests/browser/ (issue 8) on purpose; they can be merged into it later.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT
from newsroom.build import build, load_settings
from newsroom.search import index_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
Q3_RESULTS = "Larkspur Energy reports third-quarter 2026 results"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output to the test results
        pass


@pytest.fixture(scope="module")
def served_sample(tmp_path_factory):
    """The sample newsroom built as `invoke preview` builds it, indexed, and served on a free loopback port."""
    output = tmp_path_factory.mktemp("search-site") / "output"
    output.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(output)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings = load_settings(
        ROOT / "publishconf.py",
        {"OUTPUT_PATH": str(output), "SITEURL": base, "NEWSROOM_NOW": "2026-11-26 12:00 UTC"},
    )
    build(settings)
    index_site(output)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A Chromium context with a fresh profile. Fails (never skips) when Debian's Chromium is missing."""
    if not CHROMIUM.is_file():
        pytest.fail("Debian's Chromium is missing: run `bash tests/browser/install.sh` as root", pytrace=False)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield context
        finally:
            context.close()


def pagefind_search(page, query: str | None, filters: dict | None = None) -> list[dict]:
    """Search with Pagefind's own JavaScript API, as the search page loads it; returns each result's data."""
    return page.evaluate(
        """async ([query, filters]) => {
            const pagefind = await import("/pagefind/pagefind.js");
            const search = await pagefind.search(query, { filters: filters || {} });
            return Promise.all(search.results.map((result) => result.data()));
        }""",
        [query, filters],
    )


def test_keyboard_user_searches_the_archive_and_opens_a_result(served_sample, browser):
    page = browser.new_page()
    page.goto(f"{served_sample}/search/")
    page.wait_for_selector("#search-input")
    for _ in range(40):  # Tab from the top of the page to the search box, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-input":
            break
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.get_by_role("textbox", name="Search the archive").evaluate("e => e === document.activeElement")

    page.keyboard.type("dividend")
    page.wait_for_selector(".pagefind-ui__result-link")
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert Q3_RESULTS in titles

    for _ in range(60):  # on through the filters to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pagefind-ui__result-link')"):
            break
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == first
    page.close()


def test_internal_hidden_draft_and_embargoed_posts_are_not_findable(served_sample, browser):
    page = browser.new_page()
    page.goto(f"{served_sample}/search/")
    assert [r["meta"]["title"] for r in pagefind_search(page, "dividend")].count(Q3_RESULTS) == 1
    for secret in ("Halvorsen", "enrolment", "Travel and expenses", "Corvane", "Northfield Community College"):
        # Pagefind also matches parts of words ("Northfield" finds "North"): no result may contain the secret.
        found = [r["url"] for r in pagefind_search(page, secret) if secret.lower() in r["content"].lower()]
        assert found == [], secret
    assert pagefind_search(page, "Halvorsen") == []
    page.close()


def test_search_filters_by_audience_category_and_year(served_sample, browser):
    page = browser.new_page()
    page.goto(f"{served_sample}/search/")
    filters = page.evaluate("""async () => (await import("/pagefind/pagefind.js")).filters()""")
    assert set(filters) == {"audience", "category", "year"}
    assert "Employees" not in filters["audience"]
    assert {"2024", "2025", "2026"} <= set(filters["year"])

    results = pagefind_search(page, "results", {"audience": "Investors", "category": "Press releases", "year": "2026"})
    titles = {result["meta"]["title"] for result in results}
    assert Q3_RESULTS in titles
    assert all(result["filters"]["year"] == ["2026"] for result in results)
    assert all("Investors" in result["filters"]["audience"] for result in results)

    # The same filters are offered in the search box, as ordinary checkboxes.
    page.wait_for_selector("#search-input")
    page.fill("#search-input", "results")
    page.wait_for_selector(".pagefind-ui__filter-checkbox", state="attached")
    assert page.locator("input.pagefind-ui__filter-checkbox").count() >= len(filters["audience"])
    page.close()


def test_search_page_without_javascript_leads_through_the_archive(served_sample, browser):
    page = browser.new_page()
    # JavaScript off for this tab (Chromium's own switch), as for a reader who has it disabled.
    browser.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(f"{served_sample}/search/")
    assert not page.locator("#search-box").is_visible()
    assert page.locator("noscript").count() == 1
    page.get_by_role("link", name="2025", exact=True).click()
    page.wait_for_load_state()
    assert page.url == f"{served_sample}/archive/2025/"
    assert page.locator("h1").inner_text() == "2025"
    page.close()
