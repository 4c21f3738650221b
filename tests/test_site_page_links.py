"""Every link a French page prints to one of the site's own pages (media contacts, subscribe, disclosure
channels, about) leads to that page's French version where it has one: the theme never writes a site page's
address itself, it asks `site_page(...)` (site/page_links.py), which knows the page's language.

A real build of a tiny site in English and French whose French pages all have slugs of their own, so that an
address written into a template (/media-contacts/) would lead French readers to the English page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import kessler_in_english_and_french

# (file, header): each site page in English, then in French under a slug of its own.
PAGES = {
    "media-contacts": ("Media contacts", "contacts", "Contacts médias", "contacts-medias"),
    "subscribe": ("Subscribe", "subscribe", "S'abonner", "abonnement"),
    "disclosure": ("Disclosure channels", "disclosure", "Canaux de communication", "canaux-de-communication"),
    "about": ("About Larkspur", None, "À propos de Larkspur", "a-propos"),
}
# A link's address, fragment left out; a link that says its target's language (hreflang: the language switcher)
# leads to another language on purpose and is left out too.
LINK = re.compile(r"<a\b[^>]*>")
HREF = re.compile(r'\bhref="([^"#]*)')


def addresses(html: str) -> list[str]:
    return [HREF.search(tag)[1] for tag in LINK.findall(html) if HREF.search(tag) and "hreflang=" not in tag]


@pytest.fixture
def built(site) -> Path:
    kessler_in_english_and_french(site, {"Id": "2026-06-01-kessler", "Audience": "media, investors"})
    for slug, (title, template, french_title, french_slug) in PAGES.items():
        header = f"Template: {template}\n" if template else ""
        site.file(f"pages/{slug}.md", f"Title: {title}\nSlug: {slug}\nId: pages/{slug}\n{header}\nThe page.\n")
        site.file(
            f"pages/{slug}-fr.md",
            f"Title: {french_title}\nSlug: {french_slug}\nId: pages/{slug}\nLang: fr\n{header}\nLa page.\n",
        )
    return site.build()


def test_every_link_from_a_french_page_to_a_site_page_leads_to_its_french_version(site, built):
    siteurl = site.settings()["SITEURL"]
    english = {f"{siteurl}/{slug}/": f"{siteurl}/fr/{french_slug}/" for slug, (*_, french_slug) in PAGES.items()}
    french_pages = sorted((built / "fr").rglob("*.html"))
    assert len(french_pages) > 10, french_pages  # the French editions of the listings, posts and pages
    linked = set()
    for page in french_pages:
        hrefs = addresses(page.read_text(encoding="utf-8"))
        wrong = sorted({href for href in hrefs if href in english})
        assert not wrong, f"{page.relative_to(built)} links the English page(s) {wrong}"
        linked.update(href for href in hrefs if href in english.values())
    assert linked == set(english.values())  # each French version is linked from somewhere


def test_the_french_home_page_sends_journalists_to_the_french_media_contacts_page(site, built):
    home = (built / "fr" / "index.html").read_text(encoding="utf-8")
    contacts = f'{site.settings()["SITEURL"]}/fr/contacts-medias/"'
    link = re.search(r'<a href="([^"]*)"[^>]*>Contacts médias et dossier de presse</a>', home)
    assert link and f'{link[1]}"' == contacts, link
