"""Which feeds the newsroom publishes, where each one lives, who it is for and which posts it carries."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Protocol, TypeVar
from urllib.parse import quote

from newsroom.model.audiences import Audience
from newsroom.model.categories import Category
from newsroom.model.feed_titles import feed_texts
from newsroom.model.wording import DEFAULT_WORDING, Wording

FEEDS_DIR = "feeds"
OPML_PATH = f"{FEEDS_DIR}/newsroom.opml"
# Names taken by the feed of everything (feeds/all.*) and the per-category feeds (feeds/category/*):
# an audience with one of these slugs would share their URLs.
RESERVED_AUDIENCE_SLUGS = ("all", "category")

# Characters a tag URI's specific part may carry as they are (RFC 4151 / RFC 3986 pchar, plus "/").
_TAG_SAFE = "/-._~!$&'()*+,;=:@"


@dataclass(frozen=True)
class FeedSettings:
    """NEWSROOM_FEEDS, validated: how many items a feed carries, its WebSub hub, and the id authority."""

    max_items: int
    hub: str  # the WebSub hub every feed names; "" for none
    id_authority: str  # RFC 4151 tagging entity, e.g. "larkspur-energy.example,2026"; never changes
    image: str = ""  # a GIF, JPEG or PNG logo in the content folder, at most 144 px wide: RSS <image>, Atom <logo>


@dataclass(frozen=True)
class FeedFormat:
    """One way of writing a feed: RSS 2.0, Atom 1.0 or JSON Feed 1.1."""

    name: str
    suffix: str  # how the file name ends
    media_type: str
    label: str


FORMATS = (
    FeedFormat("rss", ".rss.xml", "application/rss+xml", "RSS 2.0"),
    FeedFormat("atom", ".atom.xml", "application/atom+xml", "Atom 1.0"),
    FeedFormat("json", ".json", "application/feed+json", "JSON Feed 1.1"),
)


class Post(Protocol):
    """What choosing a feed's posts needs to know (a Pelican Article has it once the plugin described it)."""

    post_id: str
    audiences: tuple[Audience, ...]
    newsroom_category: Category | None
    date: datetime


P = TypeVar("P", bound=Post)


@dataclass(frozen=True)
class Feed:
    """One feed, written in every format: all posts, or one audience's, one category's, or both."""

    key: str  # its place under feeds/: "all", "investors", "investors/press-releases", "category/news"
    title: str
    description: str
    page: str  # the site page it mirrors, relative to the site root ("" for the home page)
    audience: Audience | None = None
    category: Category | None = None

    def path(self, fmt: FeedFormat) -> str:
        return f"{FEEDS_DIR}/{self.key}{fmt.suffix}"

    def carries(self, post: Post) -> bool:
        # By identity: posts hold the very Audience and Category objects of the settings (and dataclass
        # equality, field by field, is the slow part of choosing the posts of 35 feeds among thousands).
        in_audience = self.audience is None or any(a is self.audience for a in post.audiences)
        in_category = self.category is None or post.newsroom_category is self.category
        return in_audience and in_category


def plan_feeds(
    site_name: str,
    audiences: Sequence[Audience],
    categories: Sequence[Category],
    audience_url: str = "{slug}/",
    category_url: str = "{slug}/",
    categories_shown: Collection[str] | None = None,
    words: Wording = DEFAULT_WORDING,
) -> tuple[Feed, ...]:
    """Every feed a build writes: all posts, each audience, each audience × category, each category.

    Every combination exists even while it is empty, so its URL can be subscribed to before the first post.
    A category feed mirrors its category's page, or the home page while the edition has no page for it
    (`categories_shown` names the categories it has posts in; None: all). Titles are in `words`' language.
    """
    feeds = [Feed("all", "", "", "")]
    for audience in audiences:
        page = audience_url.format(slug=audience.slug)
        feeds.append(Feed(audience.slug, "", "", page, audience=audience))
        feeds.extend(
            Feed(f"{audience.slug}/{category.slug}", "", "", page, audience=audience, category=category)
            for category in categories
        )
    feeds.extend(
        Feed(
            f"category/{category.slug}",
            "",
            "",
            category_url.format(slug=category.slug)
            if categories_shown is None or category.slug in categories_shown
            else "",
            category=category,
        )
        for category in categories
    )
    return titled(feeds, site_name, words)


def titled(feeds: Sequence[Feed], site_name: str, words: Wording) -> tuple[Feed, ...]:
    """The feeds with their titles and descriptions in `words`' language (model/feed_titles.py)."""
    everyone = [feed.audience for feed in feeds if feed.audience and not feed.category]
    return tuple(
        replace(feed, title=title, description=description)
        for feed in feeds
        for title, description in [feed_texts(site_name, words, feed.audience, feed.category, everyone)]
    )


def site_base_url(settings: Mapping) -> str:
    """The absolute base of every feed URL: SITEURL, or the local server (http://localhost:<PORT>) when
    SITEURL is empty, as in local builds with relative URLs; feeds cannot carry relative URLs."""
    return (settings.get("SITEURL") or f"http://localhost:{settings.get('PORT', 8000)}").rstrip("/")


def newest_first(posts: Iterable[P]) -> list[P]:
    """Posts by publication time, newest first; ties broken by post id, so every build orders them alike."""
    # Keyed by timestamp: comparing datetimes in different zones would ask each zone its offset every time.
    return sorted(posts, key=lambda post: (post.date.timestamp(), post.post_id), reverse=True)


def select_posts(feed: Feed, posts: Iterable[P], limit: int) -> list[P]:
    """The first `limit` of `posts` (give them newest_first) that the feed carries."""
    # Lazily: a busy feed stops looking once it has `limit` posts, however long the archive.
    return list(islice(filter(feed.carries, posts), limit))


def post_tag(authority: str, post_id: str) -> str:
    """The post's id in every feed: `tag:<authority>:post/<post id>` (RFC 4151). Never changes with the post."""
    return f"tag:{authority}:post/{quote(post_id, safe=_TAG_SAFE)}"


def feed_tag(authority: str, feed: Feed) -> str:
    """The feed's own id, distinct for every feed: `tag:<authority>:feed/<key>`."""
    return f"tag:{authority}:feed/{quote(feed.key, safe=_TAG_SAFE)}"


@dataclass(frozen=True)
class FeedCatalog:
    """The feeds this edition writes, as the templates look them up (autodiscovery, the subscribe page)."""

    feeds: tuple[Feed, ...]
    base_url: str  # absolute: feed URLs are copied into readers, so they never depend on the page
    formats: tuple[FeedFormat, ...] = FORMATS
    opml_path: str = OPML_PATH
    key_prefix: str = ""  # "fr/" for a language's edition (language_editions.py): find() takes the plain key

    def url(self, feed: Feed, fmt: FeedFormat) -> str:
        return f"{self.base_url}/{feed.path(fmt)}"

    @property
    def opml_url(self) -> str:
        return f"{self.base_url}/{self.opml_path}"

    @property
    def everything(self) -> Feed:
        return self.feeds[0]

    def of_audience(self, slug: str) -> tuple[Feed, ...]:
        """The audience's feed followed by its feed for each category."""
        return tuple(f for f in self.feeds if f.audience and f.audience.slug == slug)

    def by_category(self) -> tuple[Feed, ...]:
        """The feed of each category, across audiences."""
        return tuple(f for f in self.feeds if f.category and not f.audience)

    def find(self, key: str) -> Feed | None:
        return next((feed for feed in self.feeds if feed.key == self.key_prefix + key), None)
