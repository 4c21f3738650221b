"""The subscribe page as a reader uses it, in Chromium: who they are, then email alerts and a feed for them."""

from __future__ import annotations

import feedparser
import pytest
from playwright.sync_api import expect

from browser.harness import describe_violations, run_axe

JOURNEYS = {  # who the reader says they are -> the section, the list it joins, the feed it copies
    "an investor or analyst": ("investors", "investor-alerts", "investors"),
    "a journalist": ("media", "press-alerts", "media"),
    "a regulator": ("regulators", "regulatory-alerts", "regulators"),
    "a neighbour of our sites": ("communities", "community-alerts", "communities"),
    "interested in everything": ("all-news", "newsroom-alerts", "all"),
}


@pytest.mark.parametrize("who", JOURNEYS)
def test_a_reader_says_who_they_are_and_gets_their_alerts_and_their_feed(public_site, page, chromium, who):
    section_id, mailing_list, feed_key = JOURNEYS[who]
    chromium.grant_permissions(["clipboard-read", "clipboard-write"], origin=public_site.base_url)
    page.goto(public_site.url("subscribe/"))
    page.get_by_role("navigation", name="I'm…").get_by_role("link", name=who, exact=True).click()
    expect(page).to_have_url(public_site.url(f"subscribe/#{section_id}"))
    section = page.locator(f"#{section_id}")
    expect(section).to_be_in_viewport()

    join = section.get_by_role("link", name="Sign up by email")
    expect(join).to_have_attribute("href", f"mailto:{mailing_list}-join@lists.larkspur-energy.example?subject=join")

    address = section.get_by_label("Paste this address into your feed reader")
    feed_url = public_site.url(f"feeds/{feed_key}.rss.xml")
    expect(address).to_have_value(feed_url)
    copy = section.get_by_role("button", name="Copy")
    expect(copy).to_be_visible()  # shown only when JavaScript runs
    copy.click()
    expect(section.get_by_role("status")).to_have_text("Copied: paste it into your feed reader.")
    assert page.evaluate("() => navigator.clipboard.readText()") == feed_url

    other_formats = section.get_by_text("Other formats", exact=False)
    atom = section.locator('a[type="application/atom+xml"]').first
    expect(atom).to_be_hidden()  # behind the disclosure until asked for
    other_formats.click()
    expect(atom).to_be_visible()
    feed = feedparser.parse(page.request.get(atom.get_attribute("href")).body())
    assert not feed.bozo, feed.bozo_exception
    assert page.failed_responses == []


def test_without_javascript_the_address_is_there_to_select_and_no_dead_button_shows(public_site, chromium):
    tab = chromium.new_page()
    try:
        tab.route("**/*.js", lambda route: route.abort())  # as if scripts were off or blocked
        tab.goto(public_site.url("subscribe/"))
        section = tab.locator("#media")
        expect(section.get_by_label("Paste this address into your feed reader")).to_have_value(
            public_site.url("feeds/media.rss.xml")
        )
        expect(section.locator("button.copy-button")).to_be_hidden()
        section.get_by_text("Other formats", exact=False).click()  # <details> needs no script
        expect(section.locator('a[type="application/feed+json"]').first).to_be_visible()
    finally:
        tab.close()


def test_the_subscribe_page_with_every_disclosure_open_has_no_serious_accessibility_problem(public_site, page):
    page.goto(public_site.url("subscribe/"))
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], describe_violations(serious)
