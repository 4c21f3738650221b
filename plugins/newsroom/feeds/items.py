"""A post as every feed format sees it: a plain FeedItem made once from Pelican's Article."""

from __future__ import annotations

import mimetypes
import posixpath
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom.feeds.html import feed_html, to_uri
from newsroom.model import wording as phrases
from newsroom.model.feed_catalogue import post_tag
from newsroom.model.post import LeadImage
from newsroom.model.publishable_files import file_verdict
from newsroom.model.settings import Newsroom
from newsroom.model.wording import DEFAULT_WORDING, Wording

if TYPE_CHECKING:
    from pelican.contents import Article

# Characters XML 1.0 cannot carry at all; one of them in a title would make lxml refuse the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Term:
    """A category or tag: `term` identifies it, `label` is shown, `scheme` names the taxonomy (a URL)."""

    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Enclosure:
    """The lead image as feeds attach it: absolute URL, real size in bytes and media type."""

    url: str
    length: int
    media_type: str
    alt: str
    credit: str = ""


@dataclass(frozen=True)
class FeedItem:
    """Everything a feed says about one post, with absolute URLs and sanitized HTML."""

    id: str  # tag URI from the immutable post id: never the title, slug, URL or date
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime | None
    author: str
    terms: tuple[Term, ...]
    image: Enclosure | None

    @property
    def last_changed(self) -> datetime:
        return self.updated or self.published


def feed_time(moment: datetime) -> datetime:
    """`moment` as every feed format can write it: in its own zone when that zone is a whole half hour from UTC,
    else in UTC (the same instant). A zone's local mean time before standard time has seconds in its offset
    (Monrovia's -00:44:30), which RFC 3339 and RFC 822 cannot write (the W3C validator: an error); RFC 822's
    offsets are taken by feed validators in whole half hours only (Kathmandu's +05:45: a warning)."""
    offset = moment.utcoffset()
    if offset is None or offset.total_seconds() % 1800:
        return moment.astimezone(UTC)
    return moment


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def feed_item(
    article: Article, newsroom: Newsroom, base_url: str, content_root: Path, words: Wording = DEFAULT_WORDING
) -> FeedItem:
    """Describe a Pelican Article (already described by the plugin) for the feeds, in `words`' language (the
    post's): the notes it adds to the body and its category's name."""
    page_url = to_uri(f"{base_url}/{article.url}") or f"{base_url}/"
    body = article.get_content(base_url)  # resolves {filename} and {static} links against the absolute base
    image = None if article.withdrawal else _enclosure(article.lead_image, base_url, content_root)
    # A term's scheme names its taxonomy: the site's page listing every category, or every tag.
    categories, tags = (
        f"{base_url}/{_folder(article.settings[name])}" for name in ("CATEGORIES_SAVE_AS", "TAGS_SAVE_AS")
    )
    terms = (
        Term(article.category.slug, words.text(article.newsroom_category or article.category, "name"), categories),
        *(Term(tag.slug, tag.name, tags) for tag in getattr(article, "tags", ())),
    )
    author = getattr(article, "author", None)
    return FeedItem(
        id=post_tag(newsroom.feeds.id_authority, article.post_id),
        url=page_url,
        title=xml_text(article.title),
        summary=xml_text(article.summary),
        content_html=xml_text(feed_html(_with_notes(body, article, newsroom, image, words), page_url)),
        published=feed_time(article.date),
        updated=feed_time(article.updated) if article.updated else None,
        author=xml_text(author.name if author else newsroom.company.name),
        terms=terms,
        image=image,
    )


def _folder(save_as: str) -> str:
    """'categories/index.html' -> 'categories/'."""
    folder = posixpath.dirname(save_as)
    return f"{folder}/" if folder else ""


def _with_notes(body: str, article: Article, newsroom: Newsroom, image: Enclosure | None, words: Wording) -> str:
    """The body as the post page frames it: the material-news label and corrections first (readers must see
    them), the lead image with its text alternative and credit, the body, the boilerplate, then whom to contact.
    A withdrawn post's item keeps its id and says only that it was withdrawn, when and why."""
    if article.withdrawal:
        withdrawal = article.withdrawal
        note = words.say(phrases.WITHDRAWN_AT, time=words.time(withdrawal.when))
        return (
            f"<p><strong>{escape(note)}</strong> {escape(withdrawal.reason)}</p>"
            f"<p>{escape(words.say(phrases.WITHDRAWN_NOTICE))}</p>"
        )
    label = f"<p><strong>{escape(words.say(phrases.MATERIAL_NEWS))}</strong></p>" if article.material else ""
    corrections = "".join(
        f"<p><strong>{escape(words.say(phrases.CORRECTION_AT, time=words.time(c.when)))}</strong> {escape(c.text)}</p>"
        for c in article.corrections
    )
    figure = ""
    if image:
        credit = f"<figcaption>{escape(image.credit)}</figcaption>" if image.credit else ""
        figure = f'<figure><img src="{escape(image.url)}" alt="{escape(image.alt)}">{credit}</figure>'
    boilerplate = ""
    if article.newsroom_category and article.newsroom_category.boilerplate:
        company = newsroom.company
        about = words.say(phrases.ABOUT_COMPANY, company=company.name)
        boilerplate = f"<h2>{escape(about)}</h2><p>{escape(words.text(company, 'boilerplate'))}</p>"
    return label + corrections + figure + body + boilerplate + _contacts(getattr(article, "contacts", ()), words)


def _contacts(contacts, words: Wording) -> str:
    """Whom to ask about the post, as its page lists them; the phone number as text, which every reader keeps
    (some readers' sanitizers empty a tel: link)."""
    if not contacts:
        return ""
    cards = "".join(
        f"<p>{escape(c.name)}, {escape(words.text(c, 'role'))}<br>"
        f'<a href="mailto:{escape(c.email)}">{escape(c.email)}</a><br>'
        f"{escape(c.phone)}</p>"
        for c in contacts
    )
    heading = words.say_count(phrases.CONTACTS, len(contacts))
    return f"<h2>{escape(heading)}</h2>{cards}"


def _enclosure(image: LeadImage | None, base_url: str, content_root: Path) -> Enclosure | None:
    if image is None:
        return None
    try:  # the length of the file the site serves: the image without its metadata (published_images.py)
        verdict = file_verdict(content_root / image.path)
    except OSError:
        return None  # the content checks report a missing image; a feed cannot attach it
    if verdict.problems:
        return None  # nor one the site cannot publish
    length = verdict.published_size
    url = to_uri(f"{base_url}/{image.path}")
    media_type = mimetypes.guess_type(image.path)[0] or "application/octet-stream"
    return Enclosure(url, length, media_type, image.alt, image.credit) if url else None
