"""Material news and disclosure channels: the rules `invoke check` enforces, the regulatory news page, the
generated disclosure channels page, and syndication reaching every disclosure channel at once."""

from __future__ import annotations

import json
import re

import pytest

from conftest import text_of
from newsroom.model.material import MaterialRules, disclosure_feeds
from newsroom.model.settings import load_newsroom
from newsroom.site.build import BuildFailed
from newsroom.syndication import command
from newsroom.syndication.ledger import Ledger

MATERIAL = {
    "Title": "Larkspur agrees to buy Halvorsen Hydro",
    "Audience": "investors, media",
    "Category": "Press releases",
    "Contact": "investor-relations",
    "Material": "yes",
    "Date": "2026-11-20 16:05 America/New_York",
}
DISCLOSURE_PAGE = "Title: Disclosure channels\nSlug: disclosure\nSummary: Where we disclose.\nTemplate: disclosure\n\nWe disclose here.\n"


def material_post(site, name="deal", **fields):
    return site.post(name, **{**MATERIAL, **fields})


# --- the rules for material posts ------------------------------------------------------------------------


def test_a_material_post_that_meets_the_rules_passes(site):
    material_post(site)
    assert site.check() == []


@pytest.mark.parametrize(
    "fields, expected",
    [
        (
            {"Audience": "media"},
            "content/posts/deal.md:7: material: a material post must be for investors (expected 'Audience:' to include investors)",
        ),
        (
            {"Category": "News"},
            "content/posts/deal.md:7: material: a material post cannot be in 'News' (expected one of: 'Press releases', 'Regulatory filings')",
        ),
        (
            {"Contact": None},
            "material: a material post needs a contact block (expected e.g. 'Contact: investor-relations')",
        ),
        (
            {"Syndicate": "no"},
            "syndicate: a material post goes to every disclosure channel at once (expected no 'Syndicate: no' line)",
        ),
        ({"Material": "maybe"}, "material: 'maybe' is not yes or no (expected 'Material: yes' for material news)"),
        ({"Date": "2026-11-20 16:05"}, "date: '2026-11-20 16:05' has no time zone"),
    ],
)
def test_material_post_rules_reject_each_breach_with_one_line(site, fields, expected):
    material_post(site, **fields)
    problems = site.check()
    assert len(problems) == 1 and expected in problems[0], problems


def test_material_rules_come_from_the_configuration(site):
    material_post(site, Category="News", Contact=None)
    assert len(site.check()) == 2
    relaxed = {"audiences": ["investors"], "categories": [], "require_contact": False}
    assert site.check(NEWSROOM_MATERIAL_RULES=relaxed) == []
    stricter = {"audiences": ["investors", "regulators"], "categories": ["news"], "require_contact": False}
    assert [problem[problem.index("content/") :] for problem in site.check(NEWSROOM_MATERIAL_RULES=stricter)] == [
        "content/posts/deal.md:6: material: a material post must be for investors, regulators "
        "(expected 'Audience:' to include regulators)"
    ]


def test_material_rules_settings_are_validated_naming_key_and_value(site):
    material_post(site)
    problems = site.check(
        NEWSROOM_MATERIAL_RULES={"audiences": ["employees"], "categories": ["blog"], "require_contact": "yes", "x": 1}
    )
    assert problems == [
        "settings: NEWSROOM_MATERIAL_RULES: unknown key 'x' (expected one of: audiences, categories, "
        "require_contact, require_syndication)",
        "settings: NEWSROOM_MATERIAL_RULES.audiences: 'employees' is not a public audience (expected some of: "
        "communities, investors, media, regulators; material news is public by definition)",
        "settings: NEWSROOM_MATERIAL_RULES.categories: unknown category slug 'blog' (expected some of: events, "
        "insights, news, policy-notices, press-releases, regulatory-filings, or [] for any)",
        "settings: NEWSROOM_MATERIAL_RULES.require_contact: 'yes' must be True or False",
    ]


# --- the regulatory / material news page -----------------------------------------------------------------


def test_material_news_page_lists_only_public_material_posts_newest_first_with_zones(site):
    material_post(site, "older", Title="First material", Date="2025-02-03 08:00 Europe/London")
    material_post(site, "newer", Title="Second material", Date="2026-10-29 16:05 America/New_York")
    material_post(site, "embargoed", Title="EMBARGOMARKER deal", Date="2026-12-03 16:05 America/New_York")
    site.post("ordinary", Title="Ordinary news", Audience="investors")
    out = site.build()
    html = text_of(out, "material-news/index.html")
    rows = re.findall(r'<td class="material-list__time">(.*?)</td>\s*<td><a href="([^"]+)">([^<]+)</a>', html)
    assert [(title, when) for when, _, title in rows] == [
        (
            "Second material",
            '<time datetime="2026-10-29T16:05:00-04:00">29 October 2026, 16:05 EDT</time> <span class="utc">(20:05 UTC)</span>',
        ),
        (
            "First material",
            '<time datetime="2025-02-03T08:00:00+00:00">3 February 2025, 08:00 GMT</time>',  # at UTC: said once
        ),
    ]
    assert "Ordinary news" not in html and "EMBARGOMARKER" not in html
    # reachable from every page's footer and from the investors' page
    assert 'href="https://newsroom.larkspur-energy.example/material-news/">Regulatory / material news</a>' in text_of(
        out, "index.html"
    )
    disclosures_box = '<h2 class="side-box__title">Disclosures</h2>\n      <p><a href="https://newsroom.larkspur-energy.example/material-news/">'
    assert disclosures_box in text_of(out, "investors/index.html")
    assert "Disclosures</h2>" not in text_of(out, "communities/index.html")


def test_material_flag_reaches_the_manifest_and_the_article(site):
    material_post(site)
    site.post("ordinary", Title="Ordinary news")
    out = site.build()
    manifest = json.loads((out / ".newsroom/manifest.json").read_text())
    assert {p["id"]: p["material"] for p in manifest["posts"]} == {"posts/deal": True, "posts/ordinary": False}
    assert "Regulatory / material news</a>" in text_of(
        out, "press-releases/2026/larkspur-agrees-to-buy-halvorsen-hydro/index.html"
    )


def test_disclosure_feeds_name_every_format_of_the_investor_feeds_that_carry_a_post(site):
    newsroom = load_newsroom(site.settings())
    feeds = disclosure_feeds(
        ("investors", "media"),
        "Press releases",
        MaterialRules(),
        "Newsroom",
        newsroom.public_audiences,
        newsroom.categories,
    )
    assert feeds == (
        "feeds/investors.rss.xml",
        "feeds/investors.atom.xml",
        "feeds/investors.json",
        "feeds/investors/press-releases.rss.xml",
        "feeds/investors/press-releases.atom.xml",
        "feeds/investors/press-releases.json",
    )


# --- the disclosure channels page ------------------------------------------------------------------------


def outbox(name, tmp_path, **extra):
    return {"name": name, "type": "outbox", "audiences": ["media"], "folder": str(tmp_path / "outbox"), **extra}


def channels_on_page(html: str) -> list[tuple[str, str, str]]:
    items = re.findall(
        r'data-channel="([^"]+)">\s*<p class="disclosure-channels__label">([^<]+)</p>\s*<p><a href="([^"]+)"', html
    )
    return [(name, label, url) for name, label, url in items]


def test_disclosure_channels_page_follows_the_configuration(site, tmp_path):
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.post("a")
    first = [
        outbox(
            "mastodon-ir",
            tmp_path,
            disclosure=True,
            label="Mastodon",
            account="@larkspur@mastodon.example",
            account_url="https://mastodon.example/@larkspur",
        ),
        outbox("quiet", tmp_path, label="Not for disclosure", account_url="https://quiet.example/"),
    ]
    html = text_of(site.build(SYNDICATION_CHANNELS=first), "disclosure/index.html")
    assert channels_on_page(html) == [
        ("newsroom", "This newsroom", "https://newsroom.larkspur-energy.example/"),
        ("mastodon-ir", "Mastodon", "https://mastodon.example/@larkspur"),
    ]
    assert '<a href="https://mastodon.example/@larkspur">@larkspur@mastodon.example</a>' in html
    assert 'href="https://newsroom.larkspur-energy.example/feeds/investors.atom.xml"' in html
    assert "Not for disclosure" not in html

    second = [
        outbox("mastodon-ir", tmp_path, disclosure=True, label="Mastodon", account_url="https://social.example/@lrks"),
        outbox("email-ir", tmp_path, disclosure=True, account_url="mailto:ir-alerts@larkspur.example"),
    ]
    html = text_of(site.build(SYNDICATION_CHANNELS=second), "disclosure/index.html")
    assert channels_on_page(html) == [
        ("newsroom", "This newsroom", "https://newsroom.larkspur-energy.example/"),
        ("mastodon-ir", "Mastodon", "https://social.example/@lrks"),
        ("email-ir", "Outbox", "mailto:ir-alerts@larkspur.example"),
    ]
    assert ">ir-alerts@larkspur.example</a>" in html

    # The feeds listed are those of the audiences the material rules name.
    rules = {"audiences": ["investors", "regulators"]}
    html = text_of(site.build(SYNDICATION_CHANNELS=[], NEWSROOM_MATERIAL_RULES=rules), "disclosure/index.html")
    assert [name for name, _, _ in channels_on_page(html)] == ["newsroom"]
    assert "feeds/regulators.rss.xml" in html
    assert "We do not currently use social media accounts or email lists as disclosure channels." in html


def test_local_build_without_syndication_settings_still_has_the_disclosure_page(site):
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.post("a")
    html = text_of(site.build("pelicanconf.py"), "disclosure/index.html")
    assert 'href="http://localhost:8000/feeds/investors.rss.xml"' in html
    assert [name for name, _, _ in channels_on_page(html)] == ["newsroom"]


def test_a_disclosure_channel_without_a_public_address_stops_the_build(site, tmp_path):
    site.post("a")
    with pytest.raises(BuildFailed) as failure:
        site.build(SYNDICATION_CHANNELS=[outbox("ir", tmp_path, disclosure=True)])
    assert "SYNDICATION_CHANNELS[0].account_url: None is not a public address" in str(failure.value)


# --- syndication: one event, every disclosure channel ----------------------------------------------------


def syndication_site(site, tmp_path, channels, cap=1):
    """A built site with three ordinary posts and one material post, and an empty ledger that knows `channels`."""
    for day in (1, 2, 3):
        site.post(f"ordinary-{day}", Title=f"Ordinary {day}", Date=f"2026-11-0{day} 09:00 UTC")
    material_post(site)
    overrides = {"SYNDICATION_CHANNELS": channels, "SYNDICATION_CAP": cap, "SYNDICATION_LEDGER": "ledger.jsonl"}
    site.build(**overrides)
    Ledger.open(tmp_path / "ledger.jsonl").know({channel["name"] for channel in channels})
    return site.settings(**overrides)


def run_syndicate(settings) -> tuple[int, str]:
    lines: list[str] = []
    code = command.syndicate(settings, environ={}, out=lines.append)
    return code, "\n".join(lines)


def test_material_post_reaches_every_disclosure_channel_in_one_run_ahead_of_the_cap(site, tmp_path):
    channels = [
        outbox("social", tmp_path, audiences=["media", "investors"]),
        # serves communities only, but a disclosure channel carries all material news
        outbox("ir-alerts", tmp_path, audiences=["communities"], disclosure=True, account_url="https://a.example/"),
    ]
    code, printed = run_syndicate(syndication_site(site, tmp_path, channels, cap=1))

    assert code == 0, printed
    ledger = Ledger.open(tmp_path / "ledger.jsonl")
    assert ledger.get("posts/deal", "social").state == "done"
    assert ledger.get("posts/deal", "ir-alerts").state == "done"
    # the cap of 1 still holds for ordinary news: the oldest went, the others wait
    assert [ledger.get(f"posts/ordinary-{day}", "social") is not None for day in (1, 2, 3)] == [True, False, False]
    assert "deferred   posts/ordinary-2: over this run's cap of 1 posts" in printed
    assert "  posts/deal: all 7 reached" in printed
    assert re.search(r"reached  ir-alerts: posted now: file://\S+ir-alerts--posts--deal--", printed)
    assert "reached  feed feeds/investors/press-releases.atom.xml: in the deployed build" in printed

    # A later run has nothing more to say about it: it reached everywhere already.
    code, printed = run_syndicate(site.settings(**_overrides(channels)))
    assert code == 0 and "posts/deal" not in printed


def _overrides(channels):
    return {"SYNDICATION_CHANNELS": channels, "SYNDICATION_CAP": 1, "SYNDICATION_LEDGER": "ledger.jsonl"}


def test_run_exits_non_zero_naming_each_disclosure_channel_not_reached(site, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the outbox folder should be")
    channels = [
        outbox("ir-alerts", tmp_path, disclosure=True, account_url="https://a.example/"),
        outbox("ir-blocked", tmp_path, folder=str(blocked), disclosure=True, account_url="https://b.example/"),
        {
            "name": "ir-email",
            "type": "email",
            "audiences": ["investors"],
            "host": "127.0.0.1",
            "security": "none",
            "sender": "ir@larkspur.example",
            "to": "alerts@larkspur.example",
            "credentials": {"username": "IR_SMTP_USER", "password": "IR_SMTP_PASSWORD"},
            "disclosure": True,
            "account_url": "https://c.example/",
        },
    ]
    code, printed = run_syndicate(syndication_site(site, tmp_path, channels))

    assert code == 1
    assert "  posts/deal: NOT REACHED: ir-blocked, ir-email" in printed
    assert "MISSING  ir-blocked: refused: cannot write to the outbox folder" in printed
    assert (
        "MISSING  ir-email: channel cannot run: channel 'ir-email': environment variable IR_SMTP_USER is not set"
        in printed
    )
    assert printed.splitlines()[-1] == (
        "syndicate: material news did not reach every disclosure channel: "
        "posts/deal on ir-blocked; posts/deal on ir-email"
    )
    assert Ledger.open(tmp_path / "ledger.jsonl").get("posts/deal", "ir-alerts").state == "done"


def test_missing_investor_feed_in_the_deployed_build_is_reported_as_not_reached(site, tmp_path):
    channels = [outbox("ir-alerts", tmp_path, disclosure=True, account_url="https://a.example/")]
    settings = syndication_site(site, tmp_path, channels)
    (tmp_path / "output/feeds/investors.json").unlink()
    code, printed = run_syndicate(settings)
    assert code == 1
    assert "MISSING  feed feeds/investors.json:" in printed
    assert printed.splitlines()[-1].endswith("posts/deal on feed feeds/investors.json")
