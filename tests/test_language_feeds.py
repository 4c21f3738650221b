"""Feeds in the newsroom's other languages: titled in the language, every item's own words in it too, and the
revision history of a post in its language."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from conftest import kessler_in_english_and_french, text_of

MATERIAL = {
    "Id": "2026-06-01-kessler",
    "Material": "yes",
    "Audience": "investors, media",
    "Contact": "investor-relations",
    "Category": "Press releases",
}
CORRECTION = "2026-06-02 10:00 UTC"
FRENCH_POST = "fr/press-releases/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html"
ENGLISH_POST = "press-releases/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"
# What the feeds' own wording says in English: none of it may be in a French item.
ENGLISH_CHROME = ("Correction,", "Regulatory / material news", "About Larkspur", "Vice President", "builds and")
SITE = "Larkspur Energy Newsroom"


@pytest.fixture
def bilingual(site):
    corrections = (
        f"{CORRECTION} | The capacity is 240 MW, not 204 MW.",
        f"{CORRECTION} | La puissance est de 240 MW, et non de 204 MW.",
    )
    kessler_in_english_and_french(site, MATERIAL, corrections)
    return site


def atom(output, path: str) -> etree._Element:
    return etree.fromstring((output / path).read_bytes())  # raises on a feed that is not well-formed


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_french_feeds_are_titled_in_french_and_say_their_language_in_every_format(bilingual):
    output = bilingual.build()
    feed = atom(output, "feeds/fr/investors.atom.xml")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.findtext("a:title", namespaces=ATOM) == f"{SITE} : nouvelles pour investisseurs"
    assert feed.findtext("a:subtitle", namespaces=ATOM).startswith(f"Nouvelles pour investisseurs, de {SITE}. Actionn")
    rss = etree.fromstring((output / "feeds/fr/investors/press-releases.rss.xml").read_bytes())
    assert rss.findtext("channel/language") == "fr"
    assert rss.findtext("channel/title") == f"{SITE} : nouvelles pour investisseurs — Communiqués de presse"
    everything = json.loads(text_of(output, "feeds/fr/all.json"))
    assert everything["language"] == "fr" and everything["title"] == f"{SITE} : toutes les nouvelles"
    assert "pour investisseurs, médias, autorités de réglementation et collectivités." in everything["description"]
    category = atom(output, "feeds/fr/category/press-releases.atom.xml")
    assert category.findtext("a:title", namespaces=ATOM) == f"{SITE} : Communiqués de presse"
    # The default language's feeds keep their English words.
    english = atom(output, "feeds/investors.atom.xml")
    assert english.findtext("a:title", namespaces=ATOM) == f"{SITE}: news for investors"
    assert json.loads(text_of(output, "feeds/all.json"))["title"] == f"{SITE}: all news"


def test_every_feed_of_a_two_language_build_is_well_formed_and_in_its_language(bilingual):
    output = bilingual.build()
    feeds = sorted((output / "feeds").rglob("*.xml")) + sorted((output / "feeds").rglob("*.json"))
    assert len(feeds) > 100
    for path in feeds:
        french = "feeds/fr/" in path.as_posix()
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            language, title = data["language"], data["title"]
        else:
            root = etree.fromstring(path.read_bytes())
            language = root.findtext("channel/language") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
            title = root.findtext("channel/title") or root.findtext("a:title", namespaces=ATOM)
        assert language == ("fr" if french else "en"), path
        # French puts a space before a colon: "Larkspur Energy Newsroom : nouvelles pour médias".
        assert (f"{SITE} : " in title) == french and title.startswith(SITE), (path, title)


def test_the_french_opml_bundle_is_titled_and_foldered_in_french(bilingual):
    output = bilingual.build()
    opml = etree.fromstring((output / "feeds/fr/newsroom.opml").read_bytes())
    assert opml.findtext("head/title") == f"Fils d’actualité de {SITE}"
    folders = [outline.get("text") for outline in opml.findall("body/outline") if outline.get("xmlUrl") is None]
    assert folders == ["Investisseurs", "Médias", "Autorités de réglementation", "Collectivités", "Par catégorie"]
    english = etree.fromstring((output / "feeds/newsroom.opml").read_bytes())
    assert english.findtext("head/title") == f"{SITE} feeds"
    assert [o.get("text") for o in english.findall("body/outline") if o.get("xmlUrl") is None][-1] == "By category"


def test_a_french_posts_feed_item_has_no_english_chrome_words(bilingual):
    output = bilingual.build()
    french = text_of(output, "feeds/fr/investors.atom.xml")
    for words in ("Information réglementée / importante", "Rectificatif, 2 juin 2026, 10:00 TU :", "La puissance"):
        assert words in french, words
    assert "À propos de Larkspur Energy" in french and "construit et exploite des centrales" in french
    assert "Vice-président, relations avec les investisseurs" in french
    assert 'label="Communiqués de presse"' in french
    leaks = [words for words in ENGLISH_CHROME if words in french]
    assert leaks == []
    english = text_of(output, "feeds/investors.atom.xml")
    assert all(words in english for words in ENGLISH_CHROME), [w for w in ENGLISH_CHROME if w not in english]


def test_a_withdrawn_french_post_says_so_in_french(bilingual):
    withdrawn = f"{CORRECTION} | Published in error."
    bilingual.post("kessler", **MATERIAL, Withdrawn=withdrawn)
    bilingual.post(
        "kessler-fr",
        Title="Larkspur met en service le parc éolien de Kessler Ridge",
        Lang="fr",
        **MATERIAL,
        Withdrawn=f"{CORRECTION} | Publié par erreur.",
    )
    output = bilingual.build()
    french = text_of(output, "feeds/fr/investors.rss.xml")
    assert "Retiré, 2 juin 2026, 10:00 TU :" in french and "Cette publication a été retirée" in french
    assert "Withdrawn" not in french and "has been withdrawn" not in french


def test_the_revision_history_of_a_french_post_is_in_french(bilingual):
    output = bilingual.build()
    history = re.search(r'<ol class="history__list">(.*?)</ol>', text_of(output, FRENCH_POST), re.S)[1]
    entries = re.findall(r": ([^<]*)</li>", history)
    assert entries == ["Rectificatif : La puissance est de 240 MW, et non de 204 MW.", "Publié"], history
    english = re.search(r'<ol class="history__list">(.*?)</ol>', text_of(output, ENGLISH_POST), re.S)[1]
    assert "Correction: The capacity is 240 MW, not 204 MW." in english and "Published</li>" in english
