"""The newsroom's feeds: which exist, what each carries, ids that never change, valid and safe output."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from conftest import ROOT, WITHHELD_KINDS, files_containing, text_of
from newsroom.feeds.html import feed_html
from newsroom.kit.settings import SettingsProblems
from newsroom.model.feed_catalogue import FORMATS
from newsroom.model.settings import load_newsroom
from newsroom.site.build import BuildFailed, load_settings

SITE = "https://newsroom.larkspur-energy.example"
PUBLIC_AUDIENCES = ["investors", "media", "regulators", "communities"]
CATEGORIES = ["press-releases", "news", "insights", "events", "policy-notices", "regulatory-filings"]
ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:larkspur-energy.example,2026:"
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


def public_feed_keys() -> list[str]:
    keys = ["all", *PUBLIC_AUDIENCES, *(f"category/{c}" for c in CATEGORIES)]
    return keys + [f"{a}/{c}" for a in PUBLIC_AUDIENCES for c in CATEGORIES]


def feed_files(out: Path) -> list[Path]:
    return sorted(path for path in (out / "feeds").rglob("*") if path.is_file())


def parsed(out: Path, relative: str):
    feed = feedparser.parse((out / relative).read_bytes())
    assert not feed.bozo, (relative, feed.get("bozo_exception"))
    return feed


def titles(out: Path, key: str) -> list[str]:
    return [entry.title for entry in parsed(out, f"feeds/{key}.atom.xml").entries]


def atom_ids(out: Path, key: str) -> list[str]:
    return [entry.id for entry in parsed(out, f"feeds/{key}.atom.xml").entries]


def json_feed(out: Path, key: str) -> dict:
    return json.loads(text_of(out, f"feeds/{key}.json"))


@pytest.fixture
def newsroom_site(site):
    """Posts for several audiences and categories, a lead image, a correction and a cross-link."""
    feeds = {
        "max_items": 50,
        "hub": "https://pubsubhubbub.appspot.com/",
        "id_authority": "larkspur-energy.example,2026",
    }
    site.overrides["NEWSROOM_FEEDS"] = feeds  # a newsroom that chose a hub (the sample names none)
    site.file("images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect width='4' height='4'/></svg>\n")
    site.post(
        "results",
        Title="Q3 results",
        Id="2026-10-29-q3-results",
        Audience="investors, media",
        Category="Press releases",
        Date="2026-10-29 16:05 America/New_York",
        Correction="2026-10-30 09:00 America/New_York | The dividend is $0.24, not $0.42.",
        Tags="earnings, quarterly results",
        Image="{static}/images/chart.svg",
        Image_Alt="Revenue by quarter",
    )
    site.post(
        "filing",
        Title="Form 10-Q filed",
        Audience="investors, regulators",
        Category="Regulatory filings",
        Date="2026-10-30 16:30 America/New_York",
        body="See the [results release]({filename}results.md) and the [archive](/archive/).",
    )
    site.post("wind", Title="Wind farm opens", Audience="media, communities", Date="2026-06-01 10:00 UTC")
    return site


def test_every_public_feed_is_written_in_every_format_even_when_empty(newsroom_site):
    out = newsroom_site.build()
    expected = {f"feeds/{key}{fmt.suffix}" for key in public_feed_keys() for fmt in FORMATS} | {"feeds/newsroom.opml"}
    assert {path.relative_to(out).as_posix() for path in feed_files(out)} == expected
    for path in feed_files(out):
        relative = path.relative_to(out).as_posix()
        if path.suffix == ".xml":
            parsed(out, relative)
        elif path.suffix == ".json":  # feedparser 6.0 does not read JSON Feed
            feed = json.loads(path.read_text(encoding="utf-8"))
            assert feed["version"] == "https://jsonfeed.org/version/1.1" and isinstance(feed["items"], list)
            assert feed["feed_url"] == f"{SITE}/{relative}"
    assert titles(out, "regulators/events") == []  # empty, but there and valid


def test_rss_carries_the_required_channel_and_item_elements(newsroom_site):
    out = newsroom_site.build()
    channel = etree.parse(out / "feeds/investors.rss.xml").getroot().find("channel")
    assert channel.findtext("title") == "Larkspur Energy Newsroom: news for investors"
    assert channel.findtext("link") == f"{SITE}/investors/"
    assert "investors" in channel.findtext("description")
    links = {link.get("rel"): link.get("href") for link in channel.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE}/feeds/investors.rss.xml", "hub": "https://pubsubhubbub.appspot.com/"}
    assert RFC_822.match(channel.findtext("lastBuildDate"))
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Form 10-Q filed", "Q3 results"]
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith(f"{TAG}post/")
        assert RFC_822.match(item.findtext("pubDate"))
        assert item.findtext("link").startswith(f"{SITE}/")
        assert item.findtext("description")  # the summary
        assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")  # the full post
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Larkspur Energy"
    assert parsedate_to_datetime(items[1].findtext("pubDate")).isoformat() == "2026-10-29T16:05:00-04:00"
    assert [c.text for c in items[1].findall("category")] == ["Press releases", "earnings", "quarterly results"]


def test_atom_carries_the_required_feed_and_entry_elements(newsroom_site):
    out = newsroom_site.build()
    feed = etree.parse(out / "feeds/investors/press-releases.atom.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == f"{TAG}feed/investors/press-releases"
    assert feed.findtext(f"{ATOM}title") == "Larkspur Energy Newsroom: news for investors — Press releases"
    assert feed.findtext(f"{ATOM}updated") == "2026-10-30T09:00:00-04:00"  # the correction, not "now"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Larkspur Energy"
    rels = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert rels["self"] == f"{SITE}/feeds/investors/press-releases.atom.xml"
    assert rels["hub"] == "https://pubsubhubbub.appspot.com/"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"{TAG}post/2026-10-29-q3-results"
    assert entry.findtext(f"{ATOM}title") == "Q3 results"
    assert entry.findtext(f"{ATOM}published") == "2026-10-29T16:05:00-04:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-10-30T09:00:00-04:00"
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == f"{SITE}/press-releases/2026/q3-results/"
    assert links["enclosure"].get("href") == f"{SITE}/images/chart.svg"
    assert entry.find(f"{ATOM}content").get("type") == "html"


def test_every_feed_has_its_own_id(newsroom_site):
    out = newsroom_site.build()
    ids = [parsed(out, f"feeds/{key}.atom.xml").feed.id for key in public_feed_keys()]
    assert len(set(ids)) == len(ids) == 35


def test_json_feed_carries_the_required_fields(newsroom_site):
    out = newsroom_site.build()
    feed = json_feed(out, "investors")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Larkspur Energy Newsroom: news for investors"
    assert feed["feed_url"] == f"{SITE}/feeds/investors.json"
    assert feed["home_page_url"] == f"{SITE}/investors/"
    assert feed["hubs"] == [{"type": "WebSub", "url": "https://pubsubhubbub.appspot.com/"}]
    results = feed["items"][1]
    assert results["id"] == f"{TAG}post/2026-10-29-q3-results"
    assert results["content_html"] and results["summary"]
    assert results["image"] == f"{SITE}/images/chart.svg"
    assert results["date_published"] == "2026-10-29T16:05:00-04:00"
    assert results["date_modified"] == "2026-10-30T09:00:00-04:00"
    assert results["tags"] == ["Press releases", "earnings", "quarterly results"]
    assert results["authors"] == [{"name": "Larkspur Energy"}]


def test_each_feed_carries_exactly_its_audience_and_category(newsroom_site):
    out = newsroom_site.build()
    assert titles(out, "all") == ["Form 10-Q filed", "Q3 results", "Wind farm opens"]
    assert titles(out, "investors") == ["Form 10-Q filed", "Q3 results"]
    assert titles(out, "media") == ["Q3 results", "Wind farm opens"]
    assert titles(out, "communities") == ["Wind farm opens"]
    assert titles(out, "investors/press-releases") == ["Q3 results"]
    assert titles(out, "investors/regulatory-filings") == ["Form 10-Q filed"]
    assert titles(out, "media/regulatory-filings") == []
    assert titles(out, "category/news") == ["Wind farm opens"]
    assert titles(out, "category/press-releases") == ["Q3 results"]


def test_feeds_are_newest_first_and_hold_at_most_max_items(site):
    for day in (3, 1, 4, 2):
        site.post(f"day-{day}", Title=f"Day {day}", Date=f"2026-06-0{day} 10:00 UTC")
    feeds = {"max_items": 2, "hub": "", "id_authority": "larkspur-energy.example,2026"}
    out = site.build(NEWSROOM_FEEDS=feeds)
    assert titles(out, "media") == ["Day 4", "Day 3"]
    assert [item["title"] for item in json_feed(out, "all")["items"]] == ["Day 4", "Day 3"]
    assert len(parsed(out, "feeds/all.rss.xml").entries) == 2
    assert "hubs" not in json_feed(out, "all")  # no hub configured, no hub advertised


def test_ids_survive_a_change_of_title_slug_and_date(site):
    site.post("results", Title="Q3 results", Id="2026-10-29-q3-results", Date="2026-10-29 16:05 UTC")
    site.post("no-id", Title="Wind farm opens", Date="2026-06-01 10:00 UTC")  # id from its file path
    before = site.build()
    ids_before = {key: atom_ids(before, key) for key in ("all", "media", "media/news")}
    guids_before = [entry.id for entry in parsed(before, "feeds/all.rss.xml").entries]
    json_before = [item["id"] for item in json_feed(before, "all")["items"]]

    site.post(
        "results", Title="Q3 results (restated)", Id="2026-10-29-q3-results", Slug="q3", Date="2026-10-29 16:10 UTC"
    )
    site.post("no-id", Title="Kessler Ridge wind farm opens", Date="2026-06-01 09:00 UTC")
    after = site.build()

    assert titles(after, "all") == ["Q3 results (restated)", "Kessler Ridge wind farm opens"]
    assert {key: atom_ids(after, key) for key in ids_before} == ids_before
    assert [entry.id for entry in parsed(after, "feeds/all.rss.xml").entries] == guids_before
    assert [item["id"] for item in json_feed(after, "all")["items"]] == json_before
    assert json_before == [f"{TAG}post/2026-10-29-q3-results", f"{TAG}post/posts/no-id"]


def test_an_updated_post_keeps_its_id_and_gets_a_new_updated_time(site):
    site.post("results", Title="Q3 results", Id="q3", Date="2026-10-29 16:05 UTC")
    first = parsed(site.build(), "feeds/all.atom.xml").entries[0]
    site.post("results", Title="Q3 results", Id="q3", Date="2026-10-29 16:05 UTC", Modified="2026-11-02 08:00 UTC")
    out = site.build()
    second = parsed(out, "feeds/all.atom.xml").entries[0]
    assert second.id == first.id
    assert (first.updated, second.updated) == ("2026-10-29T16:05:00+00:00", "2026-11-02T08:00:00+00:00")
    assert second.published == first.published
    assert parsed(out, "feeds/all.atom.xml").feed.updated == "2026-11-02T08:00:00+00:00"


def test_two_builds_of_the_same_content_write_identical_feeds(newsroom_site):
    out = newsroom_site.build()
    first = {path: path.read_bytes() for path in feed_files(out)}
    out = newsroom_site.build(NEWSROOM_NOW="2026-11-27 08:00 UTC")  # a later build of the same content
    assert {path: path.read_bytes() for path in feed_files(out)} == first


def test_empty_feeds_have_a_fixed_date_so_new_posts_elsewhere_leave_them_unchanged(newsroom_site):
    out = newsroom_site.build()
    empty = (out / "feeds/regulators/events.atom.xml").read_bytes()
    assert parsed(out, "feeds/regulators/events.atom.xml").feed.updated == "2026-01-01T00:00:00+00:00"
    newsroom_site.post("later", Title="Later news", Audience="media", Date="2026-11-20 10:00 UTC")
    assert (newsroom_site.build() / "feeds/regulators/events.atom.xml").read_bytes() == empty


def urls_in(fragment: str) -> list[str]:
    """Every URL in an HTML fragment, each srcset candidate on its own."""
    urls = []
    for element in html.fragment_fromstring(fragment, create_parent="div").iter():
        urls += [element.get(name) for name in ("href", "src") if element.get(name) is not None]
        urls += [candidate.split()[0] for candidate in element.get("srcset", "").split(",") if candidate.strip()]
    return urls


def test_every_url_in_item_content_is_absolute_and_a_valid_uri(site):
    site.file("images/plant.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    site.post("other", Title="Other post", Date="2026-05-01 10:00 UTC")
    site.post(
        "links",
        Title="Links",
        body=(
            "[relative](details/) [root](/about/) [post]({filename}other.md) [anchor](#facts) "
            "[Umlaut](https://bücher.example/straße?q=ä) [space](/a b/)\n\n"
            "![Plant]({static}/images/plant.svg) <img src='images/x.png' srcset='x.png 1x, /y.png 2x' alt='x'>"
        ),
    )
    out = site.build()
    content = json_feed(out, "all")["items"][0]["content_html"]
    found = [url for url in urls_in(content) if not url.startswith("mailto:")]  # not the contact's address
    assert len(found) == 10
    assert all(url.startswith("http") and url.isascii() and " " not in url for url in found), found
    page = f"{SITE}/news/2026/links/"
    assert f"{page}details/" in found and f"{SITE}/about/" in found and f"{page}#facts" in found
    assert f"{SITE}/news/2026/other-post/" in found and f"{SITE}/images/plant.svg" in found
    assert "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4" in found and f"{SITE}/a%20b/" in found
    assert f"{page}images/x.png" in found and f"{page}x.png" in found and f"{SITE}/y.png" in found
    assert f'srcset="{page}x.png 1x, {SITE}/y.png 2x"' in content
    atom_content = parsed(out, "feeds/all.atom.xml").entries[0].content[0].value
    assert all(url.startswith(("http", "mailto:")) for url in urls_in(atom_content))


def test_local_builds_point_feeds_at_the_local_server(site):
    site.post("a", Title="Local post", body="[About](/about/)")
    out = site.build("pelicanconf.py")
    feed = parsed(out, "feeds/all.atom.xml")
    assert feed.feed.links[0].href == "http://localhost:8000/feeds/all.atom.xml"
    assert feed.entries[0].link == "http://localhost:8000/news/2026/local-post/"
    assert 'href="http://localhost:8000/about/"' in feed.entries[0].content[0].value
    assert 'href="http://localhost:8000/feeds/all.rss.xml"' in text_of(out, "index.html")


def test_scripts_never_reach_a_feed_even_past_the_content_checks():
    # The content checks refuse posts with scripts; the feed sanitizer is the second line of defence.
    html = (
        'Text <b>bold</b> <span onclick="alert(\'x\')" onmouseover="steal()">hover</span>'
        "<script>alert('SCRIPTMARKER')</script>"
        '<a href="javascript:alert(1)">click</a> <a href="JaVaScRiPt:alert(1)">x</a> '
        '<img src="x.png" onerror="alert(2)" alt="x"> <iframe src="https://evil.example/"></iframe>'
    )
    cleaned = feed_html(html, "https://news.example/2026/post/").lower()
    assert "<b>bold</b>" in cleaned and ">hover</span>" in cleaned
    assert '<img src="https://news.example/2026/post/x.png" alt="x">' in cleaned
    for forbidden in ("scriptmarker", "<script", "onclick", "onerror", "onmouseover", "javascript:", "iframe", "evil"):
        assert forbidden not in cleaned, forbidden


def test_titles_summaries_and_bodies_cannot_break_or_script_a_feed(site):
    title = "AT&T deal: <1% \"dilution\" & 'more' 🚀 صفقة جديدة"
    summary = "Costs fell <5% & margins rose ✨ — نمو قوي."
    site.post(
        "odd",
        Title=title,
        Summary=summary,
        body=(
            'Text <b>bold</b> <span class="note">hover</span>\n\n'
            '<img src="x.png" alt="x"> <iframe src="https://evil.example/" title="embed"></iframe>'
        ),
    )
    # The page may embed from a configured host (sandboxed); a feed reader's page never gets the embed.
    out = site.build(NEWSROOM_EMBED_HOSTS=["evil.example"])
    page = next(out.glob("news/2026/*/index.html")).relative_to(out).as_posix()
    assert '<iframe src="https://evil.example/" title="embed" sandbox="' in text_of(out, page)
    for relative in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        entry = parsed(out, relative).entries[0]
        assert entry.title == title
        assert unescape(entry.summary) == summary  # sent as HTML, escaped
    item = json_feed(out, "all")["items"][0]
    assert (item["title"], item["summary"]) == (title, summary)
    assert "<b>bold</b>" in item["content_html"] and ">hover</span>" in item["content_html"]
    for path in feed_files(out):
        text = path.read_text(encoding="utf-8").lower()
        for forbidden in ("iframe", "evil.example", "style="):
            assert forbidden not in text, (path.name, forbidden)


def test_a_date_without_a_zone_stops_the_build_before_any_feed_is_written(site):
    site.post("naive", Title="Naive date", Date="2026-06-01 10:00")
    with pytest.raises(BuildFailed, match="has no time zone"):
        site.build()
    assert not (site.root / "output" / "feeds").exists()


def test_lead_image_is_attached_with_its_size_and_type(newsroom_site):
    out = newsroom_site.build()
    size = (newsroom_site.content / "images/chart.svg").stat().st_size
    item = etree.parse(out / "feeds/investors/press-releases.rss.xml").getroot().find("channel/item")
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {"url": f"{SITE}/images/chart.svg", "length": str(size), "type": "image/svg+xml"}
    entry = parsed(out, "feeds/investors/press-releases.atom.xml").entries[0]
    assert entry.enclosures[0].href == f"{SITE}/images/chart.svg"
    assert entry.enclosures[0].length == str(size)


def test_press_releases_carry_corrections_and_boilerplate(newsroom_site):
    out = newsroom_site.build()
    content = json_feed(out, "category/press-releases")["items"][0]["content_html"]
    assert content.index("The dividend is $0.24, not $0.42.") < content.index("The body of the post.")
    assert "About Larkspur Energy" in content


@pytest.mark.parametrize("marker, fields", WITHHELD_KINDS.items())
def test_withheld_posts_reach_no_public_feed_or_opml(site, marker, fields):
    site.post("public", Title="An ordinary public post")
    site.post(f"{marker.lower()}", Title=f"Secret {marker}", Summary=f"{marker}.", Id=marker, body=marker, **fields)
    out = site.build()
    assert files_containing(out / "feeds", marker) == []
    assert titles(out, "all") == ["An ordinary public post"]


def test_internal_feeds_exist_only_in_the_internal_edition(site):
    site.post("memo", Title="Travel policy INTERNALMARKER", Audience="employees", Category="Policy notices")
    site.post("public", Title="Public news")
    public = site.build()
    assert not list((public / "feeds").glob("employees*"))
    assert "employees" not in text_of(public, "feeds/newsroom.opml").lower()

    internal = site.build(edition="internal")
    assert titles(internal, "employees") == ["Travel policy INTERNALMARKER"]
    assert titles(internal, "employees/policy-notices") == ["Travel policy INTERNALMARKER"]
    assert "Travel policy INTERNALMARKER" in titles(internal, "all")
    assert "feeds/employees.rss.xml" in text_of(internal, "feeds/newsroom.opml")


def test_pages_advertise_their_feeds_for_autodiscovery(newsroom_site):
    out = newsroom_site.build()

    def advertised(relative):
        return re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', text_of(out, relative))

    everything = [(fmt.media_type, f"{SITE}/feeds/all{fmt.suffix}") for fmt in FORMATS]
    assert advertised("index.html") == everything
    # An article: everything, then the feed of each of its own audiences (investors, media), never others'.
    assert advertised("press-releases/2026/q3-results/index.html") == everything + [
        (fmt.media_type, f"{SITE}/feeds/{audience}{fmt.suffix}")
        for audience in ("investors", "media")
        for fmt in FORMATS
    ]
    assert advertised("investors/index.html") == everything + [
        (fmt.media_type, f"{SITE}/feeds/investors{fmt.suffix}") for fmt in FORMATS
    ]
    assert advertised("press-releases/index.html") == everything + [
        (fmt.media_type, f"{SITE}/feeds/category/press-releases{fmt.suffix}") for fmt in FORMATS
    ]


def test_subscribe_page_lists_every_public_feed_and_links_the_opml(newsroom_site):
    newsroom_site.file(
        "pages/subscribe.md", "Title: Subscribe\nSlug: subscribe\nTemplate: subscribe\n\nHow to subscribe.\n"
    )
    out = newsroom_site.build()
    page = text_of(out, "subscribe/index.html")
    for key in public_feed_keys():
        for fmt in FORMATS:
            assert f'href="{SITE}/feeds/{key}{fmt.suffix}" type="{fmt.media_type}"' in page, key
    for audience in PUBLIC_AUDIENCES:
        assert f'id="{audience}"' in page
    assert f'href="{SITE}/feeds/newsroom.opml"' in page
    assert "employees" not in page.lower()

    opml = etree.parse(out / "feeds/newsroom.opml").getroot()
    assert opml.get("version") == "2.0" and opml.findtext("head/title")
    subscriptions = [outline for outline in opml.iter("outline") if outline.get("xmlUrl")]
    assert sorted(o.get("xmlUrl") for o in subscriptions) == sorted(
        f"{SITE}/feeds/{k}.rss.xml" for k in public_feed_keys()
    )
    assert all(o.get("type") == "rss" and o.get("text") and o.get("htmlUrl") for o in subscriptions)
    assert [o.get("text") for o in opml.find("body")] == [
        "Larkspur Energy Newsroom: all news",
        "Investors",
        "Media",
        "Regulators",
        "Communities",
        "By category",
    ]


def test_feed_settings_are_checked_with_every_problem_named():
    settings = load_settings(
        Path(__file__).resolve().parent.parent / "pelicanconf.py",
        {
            "NEWSROOM_FEEDS": {"max_items": 0, "hub": "ftp://hub.example", "id_authority": "Larkspur", "limit": 5},
            "NEWSROOM_AUDIENCES": [{"slug": "all", "name": "All", "description": "Everyone."}],
            "FEED_ALL_ATOM": "feeds/all.atom.xml",  # Pelican's own feed would overwrite the newsroom's
        },
    )
    with pytest.raises(SettingsProblems) as error:
        load_newsroom(settings)
    problems = "\n".join(error.value.problems)
    assert "NEWSROOM_FEEDS: unknown key 'limit'" in problems
    assert "NEWSROOM_FEEDS.max_items: 0 must be a positive whole number" in problems
    assert "NEWSROOM_FEEDS.hub: 'ftp://hub.example'" in problems
    assert "NEWSROOM_FEEDS.id_authority: 'Larkspur' is not a tag URI authority" in problems
    assert "NEWSROOM_AUDIENCES: slug 'all' is reserved" in problems
    assert "FEED_ALL_ATOM: 'feeds/all.atom.xml' must be None" in problems


# --- what a reader needs from an item and a feed, beyond the text -------------------------------------------

MATERIAL_WITH_IMAGE = {
    "Title": "Larkspur agrees to acquire Northwind",
    "Id": "northwind",
    "Audience": "investors, media",
    "Category": "Press releases",
    "Material": "yes",
    "Contact": "investor-relations",
    "Image": "{static}/images/chart.svg",
    "Image_Alt": "Bar chart of quarterly revenue",
    "Image_Credit": "Chart: Larkspur Energy",
}


def test_items_carry_the_material_label_the_image_text_and_credit_and_whom_to_contact(site):
    site.file("images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>Chart</title></svg>")
    site.post("deal", **MATERIAL_WITH_IMAGE)
    out = site.build()
    contents = {
        "rss": parsed(out, "feeds/investors.rss.xml").entries[0].content[0].value,
        "atom": parsed(out, "feeds/investors.atom.xml").entries[0].content[0].value,
        "json": json_feed(out, "investors")["items"][0]["content_html"],
    }
    for name, content in contents.items():
        fragment = html.fragment_fromstring(content, create_parent="div")
        assert fragment.findtext(".//p/strong") == "Regulatory / material news", name  # first, before the body
        image = fragment.find(".//figure/img")
        assert image.get("src") == f"{SITE}/images/chart.svg", name
        assert image.get("alt") == "Bar chart of quarterly revenue", name
        assert fragment.findtext(".//figure/figcaption") == "Chart: Larkspur Energy", name
        text = fragment.text_content()
        assert "Marcus Lindqvist, Vice President, Investor Relations" in text, name
        assert "ir@larkspur-energy.example" in text and "+1 207 555 0178" in text, name


def test_feeds_name_their_logo_and_rights_and_atom_entries_link_the_article_before_the_image(site):
    site.file("images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>Chart</title></svg>")
    shutil.copy(ROOT / "content/images/larkspur-logo-feed.png", site.content / "images/larkspur-logo-feed.png")
    site.post("deal", **MATERIAL_WITH_IMAGE)
    out = site.build(NEWSROOM_FEEDS={**load_settings(ROOT / "pelicanconf.py")["NEWSROOM_FEEDS"]})
    channel = etree.parse(out / "feeds/investors.rss.xml").getroot().find("channel")
    assert channel.findtext("copyright") == "© Larkspur Energy, Inc."
    image = channel.find("image")
    assert image.findtext("url") == f"{SITE}/images/larkspur-logo-feed.png"  # PNG: RSS 2.0 takes no SVG
    assert (image.findtext("title"), image.findtext("link")) == (channel.findtext("title"), channel.findtext("link"))

    atom = etree.parse(out / "feeds/investors.atom.xml").getroot()
    assert atom.findtext(f"{ATOM}rights") == "© Larkspur Energy, Inc."
    assert atom.findtext(f"{ATOM}icon") == f"{SITE}/images/larkspur-logo.svg"
    assert atom.findtext(f"{ATOM}logo") == f"{SITE}/images/larkspur-logo-feed.png"
    # Readers that take the last <link> as the article's address must not open the image instead.
    links = [link.get("rel") for link in atom.find(f"{ATOM}entry").findall(f"{ATOM}link")]
    assert links == ["alternate", "enclosure"]

    feed = json_feed(out, "investors")
    assert (feed["icon"], feed["favicon"]) == (
        f"{SITE}/images/larkspur-logo-feed.png",
        f"{SITE}/images/larkspur-logo.svg",
    )


@pytest.mark.parametrize(
    "image, problem",
    [
        ("images/logo.svg", "'images/logo.svg' must be a GIF, JPEG or PNG file's path in the content folder"),
        ("images/missing.png", "'images/missing.png' is not a file in the content folder"),
    ],
)
def test_a_feed_image_that_rss_cannot_carry_or_that_is_missing_stops_the_build(site, image, problem):
    site.post("a")
    feeds = {"max_items": 50, "hub": "", "id_authority": "larkspur-energy.example,2026", "image": image}
    with pytest.raises(BuildFailed) as failure:
        site.build(NEWSROOM_FEEDS=feeds)
    assert f"NEWSROOM_FEEDS.image: {problem}" in str(failure.value)


def test_a_category_without_public_posts_has_a_feed_that_links_to_a_page_that_exists(site):
    site.post("news", Category="News")
    site.post("memo", Category="Policy notices", Audience="employees", Title="Internal memo")
    out = site.build()
    assert not (out / "policy-notices").exists()  # Pelican writes no page for an empty category
    channel = etree.parse(out / "feeds/category/policy-notices.rss.xml").getroot().find("channel")
    assert channel.findtext("link") == f"{SITE}/"
    atom = etree.parse(out / "feeds/category/policy-notices.atom.xml").getroot()
    assert atom.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/"
    assert json_feed(out, "category/policy-notices")["home_page_url"] == f"{SITE}/"
    outlines = {o.get("xmlUrl"): o.get("htmlUrl") for o in etree.parse(out / "feeds/newsroom.opml").iter("outline")}
    assert outlines[f"{SITE}/feeds/category/policy-notices.rss.xml"] == f"{SITE}/"
    assert outlines[f"{SITE}/feeds/category/news.rss.xml"] == f"{SITE}/news/"  # a category with posts: its page


# --- times every format can write ---------------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
RFC822_ZONE = re.compile(r" (?:[+-](?:\d\d)(?:00|30)|GMT|UT)$")  # the offsets feed validators take


@pytest.mark.parametrize(
    "date, written",
    [
        ("1960-06-01 10:00 Africa/Monrovia", "1960-06-01T10:44:30+00:00"),  # local mean time: -00:44:30
        ("2026-06-01 10:00 Asia/Kathmandu", "2026-06-01T04:15:00+00:00"),  # +05:45
        ("2026-06-01 10:00 America/New_York", "2026-06-01T10:00:00-04:00"),  # a whole hour: its own zone
        ("2026-06-01 10:00 Asia/Kolkata", "2026-06-01T10:00:00+05:30"),  # a half hour: its own zone
    ],
)
def test_a_post_time_is_written_as_every_feed_format_can_write_it(site, date, written):
    """A zone whose offset has seconds (local mean time, before standard time) made the W3C validator's errors in
    every Atom, RSS and JSON feed; a quarter-hour one (Nepal's) a warning in RSS. Such a time is written in UTC,
    the same instant."""
    site.post("kessler", Date=date)
    output = site.build()
    atom = etree.parse(str(output / "feeds/all.atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    published = atom.findtext("a:entry/a:published", namespaces=ns)
    assert published == written and RFC3339.match(published)
    rss = etree.parse(str(output / "feeds/all.rss.xml")).findtext("channel/item/pubDate")
    assert RFC822_ZONE.search(rss) and parsedate_to_datetime(rss) == datetime.fromisoformat(written)
    item = json.loads((output / "feeds/all.json").read_text(encoding="utf-8"))["items"][0]
    assert item["date_published"] == written


@pytest.mark.parametrize(
    "written, uri",
    [
        ("https://newsroom.example/images/50%.png", "https://newsroom.example/images/50%25.png"),  # a file's name
        ("https://example.com/100%/x", "https://example.com/100%25/x"),
        ("https://x.example/a%20b", "https://x.example/a%20b"),  # an escape is kept
        ("https://x.example/é?q=1%&r=%41", "https://x.example/%C3%A9?q=1%25&r=%41"),
        ("https://user:pä@bücher.example/", "https://user:p%C3%A4@xn--bcher-kva.example/"),
    ],
)
def test_a_feed_writes_every_address_as_a_uri(written, uri):
    """A "%" that starts no escape stayed bare (an image named `50%.png`, a body link), and a user name with
    non-ASCII letters kept them: neither is a URI (RFC 3986), which is what a feed's links, enclosures and
    JSON Feed's `image` must be."""
    from newsroom.feeds.html import to_uri

    assert to_uri(written) == uri
