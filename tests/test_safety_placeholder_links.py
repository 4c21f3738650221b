"""Addresses the sanitiser reads otherwise than what finally uses them.

Pelican's intrasite links (`{static}`, `{filename}`, `{attach}`, `{category}`, `{tag}`, `{author}`, `{index}`,
also written `|tag|`) are replaced at write time, after the sanitiser: Pelican puts the site's address of what the
placeholder names in place of the path written after it, and keeps the rest as written. A scheme or a host
after the placeholder therefore survived into the page and every feed: a tracking image from another site, a
`javascript:` link. An iframe's address with a backslash is read by urlsplit as one host and by every browser as
another. Each must be refused by the checks on its line, and removed by the sanitiser (the second line of
defence, for HTML that reached the reader past the checks)."""

from __future__ import annotations

import lxml.html
import pytest
from test_safety_html import rendered

from newsroom.model.sanitize import clean_html
from refusals import body_lines_naming, problems

EMBED_HOST = "www.youtube-nocookie.com"
ADDRESSES = ("href", "src", "srcset")

# name -> a body whose placeholder link leads off the site once Pelican has replaced the placeholder
HOSTILE = {
    "index-image": "![Revenue chart]({index}https://tracker.example/p.gif)",
    "tag-image-scheme-relative": '<img alt="Revenue chart" src="{tag}//tracker.example/p.gif">',
    "static-image": "![Revenue chart]({static}https://tracker.example/p.gif)",
    "author-image-backslashes": '<img alt="Chart" src="{author}\\\\tracker.example\\p.gif">',
    "index-javascript": "[Read the full report]({index}javascript:void#%0Aalert(document.domain))",
    "author-javascript-pipes": '<a href="|author|javascript:x#%0Aalert(document.cookie)">full report</a>',
    "category-javascript-tab": '<a href="{category}java&#9;script:alert(1)">the category</a>',
    "filename-other-host": "[the results]({filename}//tracker.example/results.md)",
    "index-image-in-srcset": '<img alt="x" src="/images/q3.png" srcset="{index}https://tracker.example/p.gif 2x">',
}
# Placeholder links that name a place on this site, which the build and the sanitiser leave as they are.
OWN = {
    "static": "![Revenue chart]({static}/images/q3.png)",
    "static-query-fragment": "[the chart]({static}/images/q3.png?v=2#top)",
    "tag": "[every annual report]({tag}annual-report)",
    "index": "[the newsroom]({index})",
    "pipes": "[the chart](|static|/images/q3.png)",
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    from conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("placeholders"))
    (site.content / "images").mkdir(parents=True)
    (site.content / "images/q3.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for name, body in {**HOSTILE, **OWN}.items():
        site.post(name, body, Title=f"Update {name}")
    return problems(site)


@pytest.mark.parametrize("name", HOSTILE)
def test_the_check_names_each_placeholder_link_that_leads_off_the_site(checked, name):
    named = body_lines_naming(checked, name, HOSTILE[name])
    assert any("link is followed by a path on this site" in line for line in named), named


def test_placeholder_links_to_the_site_pass(checked):
    assert [line for name in OWN for line in checked if f"/{name}.md" in line] == []


@pytest.mark.parametrize("name", HOSTILE)
def test_the_sanitiser_leaves_no_placeholder_link_that_leads_off_the_site(name):
    for written in (HOSTILE[name], rendered(HOSTILE[name])):
        kept = lxml.html.fragment_fromstring(clean_html(written) or "<p></p>", create_parent="div")
        addresses = [value for element in kept.iter() for key, value in element.attrib.items() if key in ADDRESSES]
        assert [value for value in addresses if "{" in value or "|" in value] == [], (written, addresses)


def test_the_sanitiser_keeps_placeholder_links_to_the_site():
    for body in OWN.values():
        html = rendered(body)
        assert clean_html(html) == html


@pytest.mark.parametrize(
    "src",
    [
        f"https://evil.example\\@{EMBED_HOST}/embed/x",  # a browser: host evil.example, path /@www.youtube…
        f"https:\\\\evil.example/{EMBED_HOST}/embed/x",
        f"https://{EMBED_HOST}\\.evil.example/embed/x",
    ],
)
def test_an_embed_whose_host_a_browser_reads_otherwise_is_refused_and_removed(site, src):
    body = f'<iframe src="{src}" title="Kessler Ridge video"></iframe>'
    site.post("kessler", body)
    named = body_lines_naming(problems(site, NEWSROOM_EMBED_HOSTS=[EMBED_HOST]), "kessler", "<iframe")
    assert any(f"embeds are allowed only from https:// on {EMBED_HOST}" in line for line in named), named
    assert "<iframe" not in clean_html(body, (EMBED_HOST,))


def test_an_embed_from_the_embed_host_is_kept():
    body = f'<iframe src="HTTPS://{EMBED_HOST}/embed/x" title="Kessler Ridge video"></iframe>'
    assert f'src="HTTPS://{EMBED_HOST}/embed/x"' in clean_html(body, (EMBED_HOST,))
