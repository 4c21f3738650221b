"""The subscribe page as a reader uses it, in Chromium: who they are, then email alerts and a feed for them."""

from __future__ import annotations

import shutil

import feedparser
import pytest
from playwright.sync_api import expect

from browser.harness import ROOT, LoopbackServer, build_sample_site, describe_violations, run_axe

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


# Each hosted alert service with the address its "everything" form posts to. The services are never reached: the
# test answers for them inside the browser, so it needs no network.
LISTMONK_UUID = "4f6b0f0a-5a43-4b1b-9e2f-2c6e1b9d7a10"
MAILCHIMP = "https://larkspur.us21.list-manage.com/subscribe/post?u=4f3a9b2c1d&id=7e6d5c4b3a"
HOSTED_SERVICES = {
    "listmonk": (
        {"provider": "listmonk", "url": "https://listmonk.larkspur.example", "lists": {"all": LISTMONK_UUID}},
        "https://listmonk.larkspur.example/subscription/form",
    ),
    "mailchimp": ({"provider": "mailchimp", "lists": {"all": MAILCHIMP}}, MAILCHIMP),
    "buttondown": (
        {"provider": "buttondown", "lists": {"all": "larkspur"}},
        "https://buttondown.com/api/emails/embed-subscribe/larkspur",
    ),
}


@pytest.fixture(scope="module", params=list(HOSTED_SERVICES))
def hosted_alerts_site(request, browser_tools, tmp_path_factory):
    alerts, action = HOSTED_SERVICES[request.param]
    server = LoopbackServer()
    try:
        output = build_sample_site(
            tmp_path_factory.mktemp(f"site-{request.param}"),
            "public",
            server.base_url,
            extra={"NEWSROOM_ALERTS": alerts},
        )
        server.serve(output)
        yield server, action
    finally:
        server.close()


def test_the_sign_up_form_of_a_hosted_alert_service_reaches_the_service(hosted_alerts_site, chromium):
    """The form posts to the service's own host: the page's Content-Security-Policy must let it, or the browser
    refuses to send it and "Sign up" silently does nothing."""
    site, action = hosted_alerts_site
    origin = "/".join(action.split("/")[:3])
    posted, refused = [], []
    tab = chromium.new_page()
    try:
        tab.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

        def service(route):
            posted.append((route.request.method, route.request.url, route.request.post_data or ""))
            route.fulfill(status=200, content_type="text/html", body="<p>Check your inbox.</p>")

        tab.route(f"{origin}/**", service)
        tab.goto(site.url("subscribe/"))
        form = tab.locator("#all-news form")
        assert form.get_attribute("action") == action
        form.get_by_label("Your email address").fill("reader@example.org")
        form.get_by_role("button", name="Sign up").click(no_wait_after=True)
        for _ in range(50):  # until the service answers or the browser says why it will not send
            if posted or refused:
                break
            tab.wait_for_timeout(100)
    finally:
        tab.close()
    assert refused == [], refused
    assert [(method, url) for method, url, _ in posted] == [("POST", action)]
    assert "reader%40example.org" in posted[0][2]


# A heading in the subscribe page's own text whose id is the "everything" feed field's (Markdown's toc extension
# makes a heading's id from its words).
HEADING_LIKE_A_FIELD = "\n\n## All feed URL\n\nThe address of the feed of everything we publish is below.\n"
# Records what copy.js hands the clipboard (injected by the browser driver, not the page: the page's CSP holds).
RECORD_COPIES = """
Object.defineProperty(navigator, "clipboard", {value: {writeText: async (text) => { window.__copied = String(text); }}});
"""


@pytest.fixture(scope="module")
def site_with_a_heading_like_a_field(browser_tools, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("site-subscribe-heading")
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    subscribe = content / "pages" / "subscribe.md"
    subscribe.write_text(subscribe.read_text(encoding="utf-8").rstrip("\n") + HEADING_LIKE_A_FIELD, encoding="utf-8")
    server = LoopbackServer()
    try:
        server.serve(build_sample_site(workdir, "public", server.base_url, extra={"PATH": str(content)}))
        yield server
    finally:
        server.close()


def test_the_copy_button_copies_the_feed_address_whatever_the_page_text_says(
    site_with_a_heading_like_a_field, chromium
):
    """copy.js copies the field beside its button, not the first element anywhere with its id: the page's own text
    can give a heading that id."""
    tab = chromium.new_page()
    try:
        tab.add_init_script(RECORD_COPIES)
        tab.goto(site_with_a_heading_like_a_field.url("subscribe/"))
        section = tab.locator("#all-news")
        address = section.locator("input.feed-address__url").input_value()
        section.get_by_role("button", name="Copy").click()
        tab.wait_for_function("() => window.__copied !== undefined")
        copied = tab.evaluate("() => window.__copied")
        heading = tab.locator("h2#all-feed-url").count()
    finally:
        tab.close()
    assert heading == 1, "the page's text has no heading with the field's id: the test shows nothing"
    assert address.endswith(".xml"), address
    assert copied == address, f"the Copy button copied {copied!r}, not the feed address {address!r}"
