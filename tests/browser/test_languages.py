"""The newsroom in two languages in a real browser: the language switcher of a post in English and French, and
search in each language (Pagefind's index per <html lang>). The sample newsroom, built after the Halvorsen Hydro
embargo lifted, so that both versions of the material release are public."""

from __future__ import annotations

import pytest

from browser.harness import LoopbackServer, build_sample_site

AFTER_THE_EMBARGO = "2026-12-05 12:00 UTC"
ENGLISH_TITLE = "Larkspur Energy to acquire Halvorsen Hydro, adding 410 megawatts of hydropower"
FRENCH_TITLE = "Larkspur Energy acquerra Halvorsen Hydro et ajoutera 410 mégawatts d'hydroélectricité à son parc"
ENGLISH_PAGE = "press-releases/2026/larkspur-energy-to-acquire-halvorsen-hydro-adding-410-megawatts-of-hydropower/"
FRENCH_PAGE = "fr/press-releases/2026/acquisition-halvorsen-hydro/"


@pytest.fixture(scope="module")
def released_site(tmp_path_factory):
    server = LoopbackServer()
    try:
        output = build_sample_site(tmp_path_factory.mktemp("released"), "public", server.base_url, AFTER_THE_EMBARGO)
        server.serve(output)
        yield server.base_url
    finally:
        server.close()


def test_the_language_switcher_leads_to_the_other_version_and_back(released_site, page):
    page.goto(f"{released_site}/{ENGLISH_PAGE}")
    assert page.locator("html").get_attribute("lang") == "en"
    switcher = page.get_by_role("navigation", name="English: other languages")
    assert switcher.get_by_role("link", name="English").get_attribute("aria-current") == "page"

    switcher.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/{FRENCH_PAGE}"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == FRENCH_TITLE
    back = page.get_by_role("navigation", name="Français: autres langues")  # the theme's words in the page's language
    assert back.get_by_role("link", name="Français").get_attribute("aria-current") == "page"

    back.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/{ENGLISH_PAGE}"
    assert page.locator("h1").inner_text() == ENGLISH_TITLE
    assert page.failed_responses == []


@pytest.mark.parametrize(
    "search_page, query, found, not_found",
    [
        ("search/", "Halvorsen", ENGLISH_TITLE, FRENCH_TITLE),
        ("fr/search/", "Halvorsen", FRENCH_TITLE, ENGLISH_TITLE),
        ("fr/search/", "hydroélectricité", FRENCH_TITLE, ENGLISH_TITLE),
    ],
)
def test_each_language_searches_its_own_posts(released_site, page, search_page, query, found, not_found):
    page.goto(f"{released_site}/{search_page}")
    page.wait_for_selector("#search-input")
    page.fill("#search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link")
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert found in titles and not_found not in titles, titles
    assert page.failed_responses == []


ENGLISH_ONLY_TITLE = "Larkspur Energy reports third-quarter 2026 results"  # before the French edition began


def test_the_home_pages_switcher_leads_to_the_french_edition_which_lists_each_post_once(released_site, page):
    page.goto(f"{released_site}/")
    switcher = page.get_by_role("navigation", name="English: other languages")
    assert switcher.get_by_role("link", name="English").get_attribute("aria-current") == "page"

    switcher.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name=FRENCH_TITLE, exact=True).count() == 1
    assert page.get_by_role("link", name=ENGLISH_TITLE, exact=True).count() == 0
    # A post with no French version is listed once, in English, and says so to screen readers.
    english_only = page.get_by_role("link", name=ENGLISH_ONLY_TITLE, exact=True)
    assert english_only.count() == 1 and english_only.get_attribute("lang") == "en"

    # The French edition's navigation leads to French listings, each with its switcher back to English.
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Archives").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/fr/archive/"
    back = page.get_by_role("navigation", name="Français: autres langues")
    back.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/archive/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.failed_responses == []


def test_the_french_navigation_leads_to_the_french_subscribe_page_and_its_french_feeds(released_site, page):
    page.goto(f"{released_site}/fr/")
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="S’abonner").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/fr/abonnement/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Tout ce que nous publions").count() == 1
    everything = page.locator("#all-feed-url")
    assert everything.input_value() == f"{released_site}/feeds/fr/all.rss.xml"
    # The way back: the switcher leads to the English original, in English.
    page.get_by_role("navigation", name="Français: autres langues").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{released_site}/subscribe/"
    assert page.get_by_role("heading", name="Everything we publish").count() == 1
    assert page.failed_responses == []
