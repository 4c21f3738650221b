"""Writing one feed as RSS 2.0, Atom 1.0 (both with feedgen) or JSON Feed 1.1: same facts, three formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from newsroom.feeds.items import FeedItem

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
RSS_IMAGE_TYPES = (".png", ".gif", ".jpg", ".jpeg")


@dataclass(frozen=True)
class FeedDocument:
    """Everything one feed file says, whatever its format."""

    id: str
    title: str
    description: str
    page_url: str  # the site page the feed mirrors
    self_url: str  # where this very file is published
    media_type: str
    hub: str  # WebSub hub, or ""
    updated: datetime  # the newest item's time, never "now": the same content gives the same bytes
    language: str
    publisher: str
    publisher_url: str
    items: tuple[FeedItem, ...]
    rights: str = ""  # e.g. "© Larkspur Energy, Inc.": RSS <copyright>, Atom <rights>
    icon: str = ""  # absolute URL of the company's logo: Atom <icon>, JSON Feed icon and favicon
    image: str = ""  # absolute URL of a GIF, JPEG or PNG logo (NEWSROOM_FEEDS["image"]): RSS <image>, Atom <logo>


class _HubLink(BaseExtension):
    """feedgen writes only the rel="self" atom:link into RSS; WebSub subscribers also need rel="hub"."""

    hub = ""

    def extend_rss(self, feed):
        if self.hub:
            channel = feed.find("channel")
            self_link = channel.find(f"{{{ATOM_NS}}}link[@rel='self']")
            self_link.addnext(etree.Element(f"{{{ATOM_NS}}}link", href=self.hub, rel="hub"))
        return feed


class _Logo(BaseExtension):
    """The company's logo: Atom <logo> whatever its format; RSS <image> only for GIF, JPEG or PNG, the only
    formats RSS 2.0 allows (feedgen ties the two together, so neither goes through it)."""

    url = title = link = ""

    def extend_atom(self, feed):
        if self.url:
            etree.SubElement(feed, "logo").text = self.url
        return feed

    def extend_rss(self, feed):
        if self.url.lower().endswith(RSS_IMAGE_TYPES):
            image = etree.SubElement(feed.find("channel"), "image")
            for name in ("url", "title", "link"):
                etree.SubElement(image, name).text = getattr(self, name)
        return feed


class _AtomEntryLinks(BaseEntryExtension):
    """feedgen 1.0.0 writes Atom entry links without their rel, type and length (it reads them back from the
    new, empty element), so an enclosure would become a second rel="alternate" link. Put them back."""

    links: tuple[dict, ...] = ()

    def extend_atom(self, entry):
        for element, link in zip(entry.findall("link"), self.links, strict=True):
            for name in ("rel", "type", "length"):
                if link.get(name):
                    element.set(name, link[name])
        return entry


class Entries:
    """Each post's feedgen entry and JSON Feed item, built once per build and shared by every feed carrying it
    (a post is in ~6 feeds × 3 formats). feedgen allows this: `add_entry(entry)` reuses an entry whose
    extensions are already registered (re-registering raises, and feedgen ignores that)."""

    def __init__(self) -> None:
        self._entries: dict[str, FeedEntry] = {}
        self._json: dict[str, dict] = {}

    def feedgen(self, item: FeedItem) -> FeedEntry:
        if item.id not in self._entries:
            self._entries[item.id] = _feedgen_entry(item)
        return self._entries[item.id]

    def json(self, item: FeedItem) -> dict:
        if item.id not in self._json:
            self._json[item.id] = _json_item(item)
        return self._json[item.id]


def _feedgen_entry(item: FeedItem) -> FeedEntry:
    entry = FeedEntry()
    # The same extensions as every feed registers, so the entry renders in RSS and Atom alike.
    entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
    entry.register_extension("atom_links", _AtomEntryLinks, atom=True, rss=False)
    entry.id(item.id)  # also the RSS guid, with isPermaLink="false"
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type="text/html")
    entry.published(item.published)
    entry.updated(item.last_changed)
    # RSS <description> is HTML, so plain text goes in escaped ("<5%" would be read as a tag); Atom says so.
    entry.summary(escape(item.summary, quote=False), type="html")
    entry.content(item.content_html, type="html")  # escaped text; type="CDATA" would make Atom invalid
    entry.author(name=item.author)
    entry.dc.dc_creator(item.author)
    entry.category([{"term": t.term, "label": t.label, "scheme": t.scheme} for t in item.terms])
    if item.image:
        entry.enclosure(item.image.url, str(item.image.length), item.image.media_type)
    entry.atom_links.links = tuple(entry.link())
    return entry


def _feedgen(document: FeedDocument, entries: Entries) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(document.id)
    feed.title(document.title)
    feed.description(document.description)
    feed.author(name=document.publisher, uri=document.publisher_url)
    feed.language(document.language)
    if document.rights:
        feed.rights(document.rights)  # also RSS <copyright>
    if document.icon:
        feed.icon(document.icon)
    feed.register_extension("logo", _Logo, atom=True, rss=True)
    feed.logo.url, feed.logo.title, feed.logo.link = document.image or document.icon, document.title, document.page_url
    feed.updated(document.updated)  # also RSS lastBuildDate; feedgen would otherwise stamp "now"
    feed.link(href=document.self_url, rel="self", type=document.media_type)
    if document.hub:
        feed.link(href=document.hub, rel="hub")
    # Added last on purpose: feedgen makes the last link added the RSS channel <link>.
    feed.link(href=document.page_url, rel="alternate", type="text/html")
    feed.register_extension("websub", _HubLink, atom=False, rss=True)
    feed.websub.hub = document.hub
    feed.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an email; dc:creator takes a name
    feed.register_extension("atom_links", BaseExtension, _AtomEntryLinks, atom=True, rss=False)
    for item in document.items:
        feed.add_entry(entries.feedgen(item), order="append")  # feedgen prepends by default: reversed order
    return feed


def render_rss(document: FeedDocument, entries: Entries | None = None) -> bytes:
    # Not pretty-printed: feeds are read by programs, and indenting every item costs a third of writing them.
    return _feedgen(document, entries or Entries()).rss_str(pretty=False)


def render_atom(document: FeedDocument, entries: Entries | None = None) -> bytes:
    return _feedgen(document, entries or Entries()).atom_str(pretty=False)


def render_json(document: FeedDocument, entries: Entries | None = None) -> bytes:
    entries = entries or Entries()
    feed = {
        "version": JSON_FEED_VERSION,
        "title": document.title,
        "home_page_url": document.page_url,
        "feed_url": document.self_url,
        "description": document.description,
        "language": document.language,
        "authors": [{"name": document.publisher, "url": document.publisher_url}],
        **({"icon": document.image or document.icon} if document.image or document.icon else {}),
        **({"favicon": document.icon} if document.icon else {}),
        **({"hubs": [{"type": "WebSub", "url": document.hub}]} if document.hub else {}),
        "items": [entries.json(item) for item in document.items],
    }
    # No indent: json.dumps then runs in C (indented, it is pure Python and the slowest part of the feeds).
    return (json.dumps(feed, ensure_ascii=False) + "\n").encode("utf-8")


def _json_item(item: FeedItem) -> dict:
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
        **({"image": item.image.url} if item.image else {}),
        "date_published": item.published.isoformat(),
        **({"date_modified": item.updated.isoformat()} if item.updated else {}),
        "authors": [{"name": item.author}],
        "tags": [term.label for term in item.terms],
    }


RENDERERS: dict[str, Callable[[FeedDocument, Entries], bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json,
}
