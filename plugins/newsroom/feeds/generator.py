"""A Pelican generator that writes the newsroom's feeds, in every format, and their OPML bundle."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pelican.generators import Generator

from newsroom.feeds.formats import RENDERERS, Entries, FeedDocument
from newsroom.feeds.items import FeedItem, feed_item
from newsroom.feeds.opml import render_opml
from newsroom.kit.errors import NewsroomError
from newsroom.model.audiences import AUDIENCE_URL
from newsroom.model.feed_catalogue import (
    FeedCatalog,
    feed_tag,
    newest_first,
    plan_feeds,
    select_posts,
    site_base_url,
)
from newsroom.model.language_editions import language_catalogs
from newsroom.model.wording import FEEDS_OF, Wording, wording

logger = logging.getLogger(__name__)


class FeedNotWritten(NewsroomError):
    """A feed file could not be written (a full or read-only disk, something else in its place)."""


class FeedsGenerator(Generator):
    """Plans the feeds before any template renders (pages link them); writes them before the pages, which they do
    not read (site/parallel_render.py: the first process writes them while the second renders)."""

    def generate_context(self):
        newsroom = self.settings["NEWSROOM"]
        feeds = plan_feeds(
            self.settings["SITENAME"],
            newsroom.audiences_in_edition(),
            newsroom.categories,
            AUDIENCE_URL,
            self.settings["CATEGORY_URL"],
            # Pelican writes a category's page only when this edition has posts in it (the articles generator
            # ran first): an empty category's feed must not link to a page that does not exist.
            {category.slug for category, _ in self.context.get("categories", ())},
        )
        self.catalog = FeedCatalog(feeds, site_base_url(self.settings))
        self.context["newsroom_feeds"] = self.catalog
        # One edition of every feed per language; a newsroom in one language has only the catalog above.
        self.catalogs = {self.settings["DEFAULT_LANG"]: self.catalog}
        if newsroom.languages.several:
            wording_of = partial(wording, self.settings)
            self.catalogs = language_catalogs(self.catalog, newsroom.languages, self.settings["SITENAME"], wording_of)
            self.context["newsroom_language_feeds"] = self.catalogs

    def generate_output(self, writer):
        # Runs after every generate_context, so {static} links in post bodies resolve.
        newsroom = self.settings["NEWSROOM"]
        # Only what this edition shows: plugin.select_articles filtered them before any listing was built.
        posts = {self.settings["DEFAULT_LANG"]: self.context["articles"]}
        if newsroom.languages.several:
            posts = self.context["newsroom_versions"]
        items: dict[str, FeedItem] = {}  # one FeedItem per post, however many feeds carry it
        for language, catalog in self.catalogs.items():
            words = wording(self.settings, language)
            self._write_catalog(catalog, newest_first(posts[language]), language, items, words)
            title = words.say(FEEDS_OF, site=self.settings["SITENAME"])
            self._write(catalog.opml_path, render_opml(catalog, title, newsroom.company.name, words))
        count = sum(len(catalog.feeds) for catalog in self.catalogs.values())
        logger.info("Newsroom: wrote %d feeds in %d formats", count, len(self.catalog.formats))

    def _write_catalog(self, catalog: FeedCatalog, articles: list, language: str, items: dict, words: Wording) -> None:
        """Every feed of one language's catalog, in every format, from that language's posts (newest first),
        in that language's words."""
        newsroom = self.settings["NEWSROOM"]
        selected = {feed.key: select_posts(feed, articles, newsroom.feeds.max_items) for feed in catalog.feeds}
        content_root = Path(self.settings["PATH"])
        for chosen_posts in selected.values():
            for article in chosen_posts:
                if article.post_id not in items:
                    items[article.post_id] = feed_item(article, newsroom, catalog.base_url, content_root, words)
        empty_updated = _authority_date(newsroom.feeds.id_authority)
        entries = Entries()
        for feed in catalog.feeds:
            chosen = tuple(items[article.post_id] for article in selected[feed.key])
            updated = max((item.last_changed for item in chosen), default=empty_updated)
            for fmt in catalog.formats:
                document = FeedDocument(
                    id=feed_tag(newsroom.feeds.id_authority, feed),
                    title=feed.title,
                    description=feed.description,
                    page_url=f"{catalog.base_url}/{feed.page}",
                    self_url=catalog.url(feed, fmt),
                    media_type=fmt.media_type,
                    hub=newsroom.feeds.hub,
                    updated=updated,
                    language=language,
                    publisher=newsroom.company.name,
                    publisher_url=newsroom.company.url,
                    items=chosen,
                    rights=f"© {newsroom.company.legal_name}",
                    icon=f"{catalog.base_url}/{newsroom.company.logo}" if newsroom.company.logo else "",
                    image=f"{catalog.base_url}/{newsroom.feeds.image}" if newsroom.feeds.image else "",
                )
                self._write(feed.path(fmt), RENDERERS[fmt.name](document, entries))

    def _write(self, relative: str, data: bytes) -> None:
        path = Path(self.output_path) / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as error:
            raise FeedNotWritten(
                f"{relative}: could not be written in {self.output_path} ({error.strerror or error}; expected a "
                "writable output folder with room to spare and nothing else at the feeds' paths)"
            ) from None


def _authority_date(authority: str) -> datetime:
    """An empty feed still needs an `updated` time. A fixed one (the date in the id authority: 'example.com,2026'
    -> 2026-01-01) leaves its bytes unchanged until it gets a post, so no deploy re-announces an empty feed."""
    parts = [int(part) for part in authority.rpartition(",")[2].split("-")]
    return datetime(*parts, *[1] * (3 - len(parts)), tzinfo=UTC)
