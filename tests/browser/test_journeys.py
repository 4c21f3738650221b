"""What readers do on the sample newsroom, in Chromium: follow the news to a feed, find a press contact, read on a
320px phone, and get around with the keyboard alone."""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import urldefrag

import feedparser
import pytest
from playwright.sync_api import expect

from browser.harness import ROOT, page_url
from browser.pages import RICH_ARTICLE, TEMPLATE_PAGES

ARTIFACTS = ROOT / "artifacts"


def test_reader_goes_from_home_to_an_audience_an_article_the_subscribe_page_and_its_feed(public_site, page):
    page.goto(public_site.url())
    expect(page.locator("h1")).to_have_text("Larkspur Energy Newsroom")

    page.get_by_role("navigation", name="News for").get_by_role("link", name="Investors").click()
    expect(page).to_have_url(public_site.url("investors/"))
    expect(page.locator("h1")).to_have_text("Investors")

    first = page.locator(".card__title a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    published = page.locator("time.dt-published").get_attribute("datetime")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", published)  # a time with its zone
    expect(page.locator(".article__facts")).to_contain_text("Investors")
    for link in page.locator('head link[rel="alternate"]').all():  # autodiscovery points at real feeds
        assert page.request.get(link.get_attribute("href")).ok

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Subscribe").click()
    expect(page).to_have_url(public_site.url("subscribe/"))
    page.locator("#investors").get_by_text("Other formats", exact=False).click()
    feed_link = page.locator('#investors a[type="application/atom+xml"]').first
    expect(feed_link).to_be_visible()
    response = page.request.get(feed_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith(("application/", "text/xml"))
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title and title in [entry.title for entry in feed.entries]
    assert page.failed_responses == []


def test_media_contacts_page_gives_each_public_contact_a_phone_and_an_email(public_site, page):
    page.goto(public_site.url())
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Media contacts").click()
    expect(page).to_have_url(public_site.url("media-contacts/"))
    cards = page.locator("main .contact")
    assert cards.count() >= 3
    for card in cards.all():
        expect(card.locator(".contact__name")).not_to_be_empty()
        assert re.fullmatch(r"tel:\+\d{6,}", card.locator('a[href^="tel:"]').get_attribute("href"))
        assert re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", card.locator('a[href^="mailto:"]').get_attribute("href"))
    expect(page.locator("main")).to_contain_text("Dana Okafor")
    expect(page.locator("main")).not_to_contain_text("Sam Whitfield")  # internal communications: employees only
    downloads = page.locator("main a[download]").all()
    assert downloads
    for download in downloads:
        assert page.request.get(download.get_attribute("href")).ok
    assert page.failed_responses == []


class _References(HTMLParser):
    """Every address a page refers to (links, images, stylesheets, scripts) and every id it defines."""

    def __init__(self):
        super().__init__()
        self.urls, self.ids = set(), set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and tag in ("a", "link", "img", "script", "source"):
                self.urls.add(attributes[name])


def _parse(body: bytes) -> _References:
    references = _References()
    references.feed(body.decode("utf-8"))
    return references


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_link_image_and_anchor_on_every_page_resolves(request, edition):
    site = request.getfixturevalue(f"{edition}_site")
    pages = {site.url(page_url(relative)): _parse((site.output / relative).read_bytes()) for relative in site.pages}
    broken, fetched = [], {}
    for source, references in pages.items():
        for url in sorted(references.urls):
            target, fragment = urldefrag(url)
            if not target.startswith(site.base_url):
                assert not target.startswith(("/", "http://127.0.0.1", "http://localhost")), (source, url)
                continue  # mailto:, tel:, the company's own website and social profiles
            if target not in fetched:
                try:
                    with urllib.request.urlopen(target, timeout=10) as response:
                        fetched[target] = response.read() if fragment else b""
                except HTTPError as error:
                    fetched[target] = error
            answer = fetched[target]
            if isinstance(answer, HTTPError):
                broken.append(f"{source} -> {url}: {answer.code}")
            elif fragment:
                ids = pages[target].ids if target in pages else _parse(answer or b"").ids
                if fragment not in ids:
                    broken.append(f"{source} -> {url}: no element with id {fragment!r}")
    assert len(fetched) > 50
    assert not broken, "\n".join(broken)


def test_at_320px_wide_the_navigation_fits_and_works(public_site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(public_site.url())
    links = page.locator(".site-nav a, .audience-nav a, a.brand").all()
    assert len(links) >= 9
    for link in links:
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (link.inner_text(), box)
        assert box["width"] >= 24 and box["height"] >= 24, (link.inner_text(), box)
    page.locator(".audience-nav").get_by_role("link", name="Media").click()
    expect(page).to_have_url(public_site.url("media/"))
    page.locator(".site-nav").get_by_role("link", name="Media contacts").click()
    expect(page).to_have_url(public_site.url("media-contacts/"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


# The focused element and how it shows focus, with the colour behind it (the first opaque ancestor background).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let background = 'rgb(255, 255, 255)';
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color !== 'transparent' && !color.endsWith(', 0)')) { background = color; break; }
  }
  return {index: el.dataset.kbIndex || null, tag: el.tagName, text: (el.innerText || '').trim().slice(0, 40),
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, boxShadow: style.boxShadow, background};
}"""


def _rgb(css: str) -> tuple[float, float, float] | None:
    match = re.search(r"rgba?\((\d+), (\d+), (\d+)", css)
    return tuple(int(part) for part in match.groups()) if match else None


def contrast(first: tuple, second: tuple) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus_is_visible(state: dict) -> bool:
    """An outline or a ring at least 2px wide whose colour stands out 3:1 from the background (WCAG 1.4.11)."""
    background = _rgb(state["background"])
    colours = []
    if state["outlineStyle"] != "none" and state["outlineWidth"] >= 2:
        colours.append(_rgb(state["outlineColor"]))
    if state["boxShadow"] != "none":
        colours.append(_rgb(state["boxShadow"]))
    return any(colour and contrast(colour, background) >= 3 for colour in colours)


@pytest.mark.parametrize("relative", ["index.html", RICH_ARTICLE, TEMPLATE_PAGES["subscribe"]])
def test_tab_reaches_every_link_and_shows_where_focus_is(public_site, page, relative):
    page.goto(public_site.url(page_url(relative)))
    links = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]')]
             .filter(el => el.getClientRects().length > 0 || el.classList.contains('skip-link'))
             .filter(el => !el.closest('details:not([open]) > :not(summary)'))  // folded away until opened
             .map((el, i) => { el.dataset.kbIndex = String(i); return String(i); })"""
    )
    reached, invisible = [], []
    for _ in range(len(links) + 3):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["index"] is None or state["index"] in reached:
            break  # back to the browser's own UI, or round again
        reached.append(state["index"])
        if not focus_is_visible(state):
            invisible.append(state)
    assert sorted(reached, key=int) == links, f"Tab never reached: {sorted(set(links) - set(reached), key=int)}"
    assert reached == sorted(reached, key=int), "focus order differs from the reading order"
    assert not invisible, f"focus not visible on: {invisible[:5]}"


def test_print_stylesheet_prints_the_story_without_the_navigation(public_site, page):
    page.goto(public_site.url(page_url(RICH_ARTICLE)))
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".audience-nav")).to_be_hidden()
    expect(page.locator(".prose")).to_be_visible()
    expect(page.locator(".corrections")).to_be_visible()
    expect(page.locator(".article-contacts")).to_be_visible()
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "print" / "article.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
