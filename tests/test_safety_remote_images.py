"""An image from another site in a post is a tracking pixel: every reader's browser, and every feed reader,
fetches it and tells that site who reads the post and when. A post shows the site's own images (content/images,
linked with {static}) and, where the settings name them, https images from NEWSROOM_IMAGE_HOSTS; anything else
is named by the checks, removed by the sanitiser, and refused by every page's Content-Security-Policy."""

from __future__ import annotations

import html
import re

import lxml.html
import pytest
from test_safety_html import rendered

from newsroom.model.sanitize import clean_html, content_security_policy
from refusals import body_lines_naming, problems

MEDIA_HOST = "media.larkspur-energy.example"
FETCHING = ("src", "srcset")  # the attributes whose addresses a browser fetches as the page loads

# name -> a body that has a reader's browser fetch an image from tracker.example, however it is spelt
TRACKERS = {
    "html-https": '<img src="https://tracker.example/p.gif?u=1" alt="x">',
    "html-http": '<img src="http://tracker.example/p.gif" alt="x">',
    "markdown": "![Chart](https://tracker.example/chart.png)",
    "markdown-reference": "![Chart][c]\n\n[c]: https://tracker.example/chart.png",
    "scheme-relative": '<img src="//tracker.example/p.gif" alt="x">',
    "three-slashes": '<img src="///tracker.example/p.gif" alt="x">',
    "backslashes": '<img src="\\\\tracker.example\\p.gif" alt="x">',
    "slash-backslash": '<img src="/\\tracker.example/p.gif" alt="x">',
    "upper-case": '<img src="HTTPS://TRACKER.EXAMPLE/P.GIF" alt="x">',
    "entities": '<img src="&#104;ttps://tracker.example/p.gif" alt="x">',
    "tab-in-scheme": '<img src="ht&#9;tps://tracker.example/p.gif" alt="x">',
    "user-name-of-the-media-host": f'<img src="https://{MEDIA_HOST}@tracker.example/p.gif" alt="x">',
    "media-host-as-a-prefix": f'<img src="https://{MEDIA_HOST}.tracker.example/p.gif" alt="x">',
    "media-host-over-http": '<img src="http://media.larkspur-energy.example/p.gif" alt="x">',
    "srcset-candidate": '<img src="/images/q3.png" srcset="/images/q3.png 1x, https://tracker.example/p.gif 2x" alt="x">',
    "picture-source": (
        '<picture><source srcset="https://tracker.example/p.webp"><img src="/images/q3.png" alt="x"></picture>'
    ),
}
OWN = {
    "static": "![Chart]({static}/images/q3.png)",
    "site-path": '<img src="/images/q3.png" alt="x">',
    "media-host": f'<img src="https://{MEDIA_HOST}/q3.png" srcset="https://{MEDIA_HOST}/q3@2x.png 2x" alt="x">',
}


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    """One site with a post per tracker and one with the site's own images, checked and then built without them."""
    from conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("trackers"))
    (site.content / "images").mkdir(parents=True)
    (site.content / "images/q3.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for name, body in TRACKERS.items():
        site.post(name, f"{body}\n\nTRACKEDPOST{name.replace('-', '')}", Title=f"Update {name}")
    for name, body in OWN.items():
        site.post(name, body, Title=f"Own image {name}")
    return site, problems(site, NEWSROOM_IMAGE_HOSTS=[MEDIA_HOST])


@pytest.mark.parametrize("name", TRACKERS)
def test_the_check_names_each_image_from_another_site_on_its_line(tracked, name):
    _, found = tracked
    named = body_lines_naming(found, name, TRACKERS[name])
    assert any("tells that site who reads the page" in line for line in named), named


def test_the_sites_own_images_and_the_media_hosts_pass(tracked):
    _, found = tracked
    assert [line for name in OWN for line in found if f"/{name}.md" in line] == []


@pytest.mark.parametrize("name", TRACKERS)
def test_the_sanitiser_leaves_no_image_from_another_site(name):
    """The second line of defence, for HTML that reached the reader past the checks: as written, and as the
    project's Markdown renders it."""
    for written in (TRACKERS[name], rendered(TRACKERS[name])):
        cleaned = clean_html(written, (), (MEDIA_HOST,))
        kept = lxml.html.fragment_fromstring(cleaned or "<p></p>", create_parent="div")
        fetched = [value for element in kept.iter() for key, value in element.attrib.items() if key in FETCHING]
        assert [value for value in fetched if "tracker" in value.lower()] == [], (written, fetched)


def test_the_sanitiser_keeps_the_sites_own_images_and_the_media_hosts():
    for body in OWN.values():
        html = rendered(body)
        assert clean_html(html, (), (MEDIA_HOST,)) == html


def test_every_page_allows_images_only_from_the_site_and_the_media_hosts(site):
    site.post("one", Title="Kessler Ridge opens")
    output = site.build(NEWSROOM_IMAGE_HOSTS=[MEDIA_HOST])
    page = (output / "index.html").read_text(encoding="utf-8")
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert f"img-src 'self' data: https://{MEDIA_HOST};" in policy, policy
    assert "img-src 'self' data:;" in content_security_policy(), content_security_policy()
