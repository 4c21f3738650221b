"""The OPML 2.0 file that bundles the newsroom's feeds for one-click import into a feed reader."""

from __future__ import annotations

from lxml import etree

from newsroom.model.feed_catalogue import FeedCatalog, FeedFormat
from newsroom.model.wording import BY_CATEGORY, DEFAULT_WORDING, Wording

# One subscription per feed: importing all three formats of each would show every post three times.
OPML_FORMAT = "rss"
OPML_VERSION = {"rss": "RSS2", "atom": "Atom", "json": "JSONFeed"}


def render_opml(catalog: FeedCatalog, title: str, owner: str, words: Wording = DEFAULT_WORDING) -> bytes:
    """Everything first, then one folder per audience, then the feeds by category; folders named in `words`'
    language, as the catalog's feeds are titled."""
    fmt = next(f for f in catalog.formats if f.name == OPML_FORMAT)
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "ownerName").text = owner
    body = etree.SubElement(root, "body")
    _outline(body, catalog, catalog.everything, fmt)
    audiences = [feed.audience for feed in catalog.feeds if feed.audience and not feed.category]
    for audience in audiences:
        folder = etree.SubElement(body, "outline", text=words.text(audience, "name"))  # a folder: text only
        for feed in catalog.of_audience(audience.slug):
            _outline(folder, catalog, feed, fmt)
    folder = etree.SubElement(body, "outline", text=words.say(BY_CATEGORY))
    for feed in catalog.by_category():
        _outline(folder, catalog, feed, fmt)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def _outline(parent, catalog: FeedCatalog, feed, fmt: FeedFormat) -> None:
    etree.SubElement(
        parent,
        "outline",
        type="rss",  # OPML's word for any subscribable feed, whatever its format
        text=feed.title,
        title=feed.title,
        description=feed.description,
        xmlUrl=catalog.url(feed, fmt),
        htmlUrl=f"{catalog.base_url}/{feed.page}",
        version=OPML_VERSION[fmt.name],
    )
