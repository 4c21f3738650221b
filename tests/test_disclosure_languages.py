"""The disclosure channels page in each language lists exactly the channels that carry that language's material
news (a channel's `language`, the fallback rule, a language's `since`), and says where the others' news goes."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from lxml import html as lxml_html
from test_disclosure import DISCLOSURE_PAGE, channels_on_page, outbox

from conftest import ENGLISH_AND_FRENCH, text_of
from newsroom.model.settings import load_newsroom
from newsroom.publishing import pipeline
from newsroom.publishing.due import LastPublish

DISCLOSURE_PAGE_FR = (
    "Title: Canaux de communication\nId: pages/disclosure\nLang: fr\nSlug: canaux-de-communication\n"
    "Summary: Où nous communiquons.\nTemplate: disclosure\n\nNous communiquons ici.\n"
)
ENGLISH_PAGE, FRENCH_PAGE = "disclosure/index.html", "fr/canaux-de-communication/index.html"


def two_language_site(site):
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.file("pages/disclosure-fr.md", DISCLOSURE_PAGE_FR)
    site.post("a")
    return site


def mastodon(tmp_path, **extra):
    account = {"account_url": "https://mastodon.example/@larkspur", "label": "Mastodon"}
    return outbox("mastodon-ir", tmp_path, disclosure=True, **account, **extra)


def linkedin_fr(tmp_path, **extra):
    account = {"account_url": "https://linkedin.example/larkspur-fr", "label": "LinkedIn"}
    return outbox("linkedin-fr", tmp_path, disclosure=True, language="fr", **account, **extra)


def alerts(tmp_path, name="ir-list", **extra):
    return outbox(name, tmp_path, disclosure=True, alerts=True, **extra)


def listed(html: str) -> list[str]:
    """The channels a page lists, by their data-channel (the newsroom and feeds left out)."""
    return [name for name, _, _ in channels_on_page(html) if name != "newsroom"] + (
        ["email-alerts"] if 'data-channel="email-alerts"' in html else []
    )


def elsewhere(html: str) -> list[tuple[str, str | None, str | None]]:
    """The other languages the page names, each with its link and hreflang (None when not linked)."""
    found = lxml_html.fromstring(html).find(".//p[@class='disclosure-channels__elsewhere']")
    if found is None:
        return []
    return [(item.text, item.get("href"), item.get("hreflang")) for item in found.iter("a", "span")]


def test_each_language_lists_only_the_channels_that_carry_its_versions(site, tmp_path):
    two_language_site(site)
    channels = [
        mastodon(tmp_path),
        linkedin_fr(tmp_path),
        alerts(tmp_path),
        alerts(tmp_path, name="fr-list", language="fr"),
    ]
    out = site.build(SYNDICATION_CHANNELS=channels)
    english, french = text_of(out, ENGLISH_PAGE), text_of(out, FRENCH_PAGE)

    assert listed(english) == ["mastodon-ir", "email-alerts"]
    assert listed(french) == ["linkedin-fr", "email-alerts"]
    assert "linkedin.example" not in english
    assert "mastodon.example" not in french
    assert elsewhere(english) == [
        ("Français", "https://newsroom.larkspur-energy.example/fr/canaux-de-communication/", "fr")
    ]
    assert elsewhere(french) == [("English", "https://newsroom.larkspur-energy.example/disclosure/", "en")]
    # Each language's investor feeds, as before.
    assert 'href="https://newsroom.larkspur-energy.example/feeds/fr/investors.atom.xml"' in french
    assert "feeds/fr/" not in english
    assert "<li>RSS 2.0 : <a" in french and "<li>RSS 2.0: <a" in english  # each language's punctuation


def test_a_language_with_no_channel_of_its_own_says_so_and_points_to_the_others(site, tmp_path):
    two_language_site(site)
    out = site.build(SYNDICATION_CHANNELS=[mastodon(tmp_path), alerts(tmp_path)])
    english, french = text_of(out, ENGLISH_PAGE), text_of(out, FRENCH_PAGE)

    assert listed(english) == ["mastodon-ir", "email-alerts"]
    assert elsewhere(english) == []
    # The English channels carry only the English versions: the French page never claims them.
    assert listed(french) == []
    assert "Alertes par courriel" not in french
    assert (
        "Nous n’utilisons actuellement ni comptes de réseaux sociaux ni listes de diffusion pour communiquer nos "
        "nouvelles dans cette langue." in french
    )
    assert elsewhere(french) == [("English", "https://newsroom.larkspur-energy.example/disclosure/", "en")]
    # The newsroom and the French investor feeds still carry the French versions.
    assert 'href="https://newsroom.larkspur-energy.example/feeds/fr/investors.rss.xml"' in french


def test_the_fallback_never_puts_the_default_languages_channels_on_another_languages_page(site, tmp_path):
    two_language_site(site)
    rules = {"one_language_first": True, "channel_fallback": True}
    out = site.build(SYNDICATION_CHANNELS=[mastodon(tmp_path)], NEWSROOM_TRANSLATION_RULES=rules)
    # The fallback sends the English version to a French channel, never the French version to an English one.
    assert listed(text_of(out, FRENCH_PAGE)) == []


def test_a_channel_in_a_language_news_need_not_exist_in_yet_carries_the_default_version_under_the_fallback(
    site, tmp_path
):
    two_language_site(site)
    rules = {"one_language_first": True, "channel_fallback": True}
    later = [ENGLISH_AND_FRENCH[0], {**ENGLISH_AND_FRENCH[1], "since": "2027-01-01 00:00 UTC"}]
    channels = [mastodon(tmp_path), linkedin_fr(tmp_path)]
    out = site.build(SYNDICATION_CHANNELS=channels, NEWSROOM_TRANSLATION_RULES=rules, NEWSROOM_LANGUAGES=later)
    # Until French is required (NEWSROOM_NOW is 2026-11-26), material news may have no French version: the French
    # channel then carries the English one, so the English page lists it.
    assert listed(text_of(out, ENGLISH_PAGE)) == ["mastodon-ir", "linkedin-fr"]
    assert listed(text_of(out, FRENCH_PAGE)) == ["linkedin-fr"]

    # Without the fallback, or once French is required, it carries French versions only.
    out = site.build(SYNDICATION_CHANNELS=channels, NEWSROOM_LANGUAGES=later)
    assert listed(text_of(out, ENGLISH_PAGE)) == ["mastodon-ir"]
    required = [ENGLISH_AND_FRENCH[0], {**ENGLISH_AND_FRENCH[1], "since": "2026-11-01 00:00 UTC"}]
    out = site.build(SYNDICATION_CHANNELS=channels, NEWSROOM_TRANSLATION_RULES=rules, NEWSROOM_LANGUAGES=required)
    assert listed(text_of(out, ENGLISH_PAGE)) == ["mastodon-ir"]


def test_a_site_in_one_language_lists_every_channel(site, tmp_path):
    """Its channels all post in its one language, named (DEFAULT_LANG) or not; another is refused with the
    settings (test_languages_syndication.py)."""
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.post("a")
    linkedin = outbox("linkedin", tmp_path, disclosure=True, language="en", account_url="https://linkedin.example/l")
    html = text_of(site.build(SYNDICATION_CHANNELS=[mastodon(tmp_path), linkedin]), ENGLISH_PAGE)
    assert listed(html) == ["mastodon-ir", "linkedin"]
    assert elsewhere(html) == []


FRENCH_FROM = "2026-12-01 00:00 UTC"
FALLBACK_RULES = {"one_language_first": True, "channel_fallback": True}


def test_a_language_becoming_required_makes_the_scheduled_publish_due(site, tmp_path):
    """From its `since` on, a language's disclosure page lists other channels (the French ones no longer carry the
    English material news by the fallback): the site changes with the clock alone, so the scheduled publish is
    due then, as at an embargo, though nothing was committed."""
    two_language_site(site)
    languages = [ENGLISH_AND_FRENCH[0], {**ENGLISH_AND_FRENCH[1], "since": FRENCH_FROM}]
    channels = [mastodon(tmp_path), linkedin_fr(tmp_path)]
    extra = {
        "SYNDICATION_CHANNELS": channels,
        "NEWSROOM_TRANSLATION_RULES": FALLBACK_RULES,
        "NEWSROOM_LANGUAGES": languages,
    }

    # The site the last publish deployed (26 November) and the one a build after `since` makes differ.
    before = listed(text_of(site.build(NEWSROOM_NOW="2026-11-26 12:00 UTC", **extra), ENGLISH_PAGE))
    after = listed(text_of(site.build(NEWSROOM_NOW="2026-12-01 00:05 UTC", **extra), ENGLISH_PAGE))
    assert before == ["mastodon-ir", "linkedin-fr"] and after == ["mastodon-ir"]

    # One commit, published on 26 November; the scheduled run at 00:05 on 1 December.
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "c", "GIT_AUTHOR_EMAIL": "c@x",
           "GIT_COMMITTER_NAME": "c", "GIT_COMMITTER_EMAIL": "c@x"}  # fmt: skip
    for args in (["init", "-q"], ["add", "content"], ["commit", "-qm", "Newsroom"]):
        subprocess.run(["git", *args], cwd=site.root, env=env, check=True, capture_output=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=site.root, capture_output=True, text=True).stdout.strip()
    record = site.root / "publishing" / "last-publish.json"
    record.parent.mkdir()
    last = LastPublish(head, datetime(2026, 11, 26, 12, 0, tzinfo=UTC), "")
    record.write_text(json.dumps(last.as_json()))

    settings = site.settings(NEWSROOM_NOW="2026-12-01 00:05 UTC", **extra)
    settings["SYNDICATION_LEDGER"] = "syndication/ledger.jsonl"  # none yet: the same (empty) ledger as then
    newsroom = load_newsroom(settings)
    run = SimpleNamespace(
        editions={"public": settings},
        newsrooms={"public": newsroom},
        config=SimpleNamespace(last_publish=record, project=Path(site.root)),
        store=SimpleNamespace(files=[record]),
        environ={},
        now=newsroom.now,
    )
    decision, _ = pipeline._due(run)
    assert decision.due, f"the deployed disclosure page is out of date, but the scheduled run says: {decision.reason}"
