"""Archive search in a real browser: Debian's Chromium, driven by Playwright, on the sample site (built by
`invoke preview`, which also builds the Pagefind index) served on 127.0.0.1."""

from __future__ import annotations

Q3_RESULTS = "Larkspur Energy reports third-quarter 2026 results"


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


def test_keyboard_user_searches_the_archive_and_opens_a_result(public_site, chromium):
    page = chromium.new_page()
    page.goto(f"{public_site.base_url}/search/")
    page.wait_for_selector("#search-input")
    for _ in range(40):  # Tab from the top of the page to the search box, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-input":
            break
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.get_by_role("textbox", name="Words to look for").evaluate("e => e === document.activeElement")

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


def test_internal_hidden_draft_and_embargoed_posts_are_not_findable(public_site, chromium):
    page = chromium.new_page()
    page.goto(f"{public_site.base_url}/search/")
    assert [r["meta"]["title"] for r in pagefind_search(page, "dividend")].count(Q3_RESULTS) == 1
    for secret in ("Halvorsen", "enrolment", "Travel and expenses", "Corvane", "Northfield Community College"):
        # Pagefind also matches parts of words ("Northfield" finds "North"): no result may contain the secret.
        found = [r["url"] for r in pagefind_search(page, secret) if secret.lower() in r["content"].lower()]
        assert found == [], secret
    assert pagefind_search(page, "Halvorsen") == []
    page.close()


def test_search_filters_by_audience_category_and_year(public_site, chromium):
    page = chromium.new_page()
    page.goto(f"{public_site.base_url}/search/")
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


def test_search_page_without_javascript_leads_through_the_archive(public_site, chromium):
    page = chromium.new_page()
    # JavaScript off for this tab (Chromium's own switch), as for a reader who has it disabled.
    chromium.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(f"{public_site.base_url}/search/")
    assert not page.locator("#search-box").is_visible()
    assert page.locator("noscript").count() == 1
    page.get_by_role("link", name="2025", exact=True).click()
    page.wait_for_load_state()
    assert page.url == f"{public_site.base_url}/archive/2025/"
    assert page.locator("h1").inner_text() == "2025"
    page.close()


def test_a_search_address_with_q_fills_the_box_shows_the_results_and_typing_updates_the_address(public_site, chromium):
    page = chromium.new_page()
    page.goto(f"{public_site.base_url}/search/?q=dividend")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.get_by_role("textbox", name="Words to look for").input_value() == "dividend"
    assert Q3_RESULTS in page.locator(".pagefind-ui__result-link").all_inner_texts()
    box = page.get_by_role("textbox", name="Words to look for")
    box.fill("Kessler")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'Kessler'")
    # The results read at the body's size, not Pagefind's smaller default.
    sizes = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.pagefind-ui__result-excerpt')).fontSize,
                  getComputedStyle(document.body).fontSize]"""
    )
    assert float(sizes[0].rstrip("px")) >= 0.9 * float(sizes[1].rstrip("px")), sizes
    page.close()


def test_result_snippets_come_from_prose_never_from_a_tables_cells(public_site, chromium):
    page = chromium.new_page()
    page.goto(f"{public_site.base_url}/search/")
    # "EBITDA" is in the Q3 release's prose and in both its tables (results, guidance).
    q3 = [r for r in pagefind_search(page, "EBITDA") if r["meta"]["title"] == Q3_RESULTS]
    assert len(q3) == 1
    assert "EBITDA" in q3[0]["excerpt"] and "Adjusted EBITDA of $842 million" in q3[0]["content"]
    for cells in ("1,904", "+13.6%", "$3.15 – $3.25 billion", "Previous guidance"):  # table cells only
        assert cells not in q3[0]["content"] and cells not in q3[0]["excerpt"], cells
    page.close()
