"""A Pelican generator for investors: the regulatory / material news page, and the disclosure channels' data."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from jinja2 import pass_context
from pelican.generators import Generator

from newsroom.model.disclosure import DisclosureListing, disclosure_listings
from newsroom.model.feed_catalogue import site_base_url
from newsroom.model.material import MATERIAL_NEWS_SAVE_AS, MATERIAL_NEWS_URL
from newsroom.site.translations import page_language
from newsroom.site.validated import SYNDICATION
from newsroom.syndication.language_routing import carries_material_news

# Where the build keeps each language's listing of disclosure channels (lower case: not a setting).
DISCLOSURE_LISTINGS = "newsroom_disclosure_listings"


class DisclosurePagesGenerator(Generator):
    """Gives every template the material posts and disclosure channels; writes `material-news/`."""

    def generate_context(self):
        # Runs after the articles generator: `articles` holds exactly what this edition shows.
        material = [article for article in self.context["articles"] if article.material]
        material.sort(key=lambda article: (article.date.timestamp(), article.post_id), reverse=True)
        self.context["material_articles"] = material
        self.context["MATERIAL_NEWS_URL"] = MATERIAL_NEWS_URL
        newsroom = self.settings["NEWSROOM"]
        # The page says where material news released from now on goes: the build's moment decides which
        # languages such news must exist in (a language's `since`).
        self.context[DISCLOSURE_LISTINGS] = disclosure_listings(
            self.settings[SYNDICATION].channels,
            newsroom.languages.codes,
            partial(carries_material_news, newsroom.languages, newsroom.now or datetime.now(UTC)),
            newsroom.alerts.enabled,
        )
        self.context["newsroom_site_url"] = site_base_url(self.settings) + "/"

    def generate_output(self, writer):
        writer.write_file(
            MATERIAL_NEWS_SAVE_AS,
            self.get_template("material_news"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=MATERIAL_NEWS_URL,
            page_name=MATERIAL_NEWS_URL.rstrip("/"),
        )


@pass_context
def disclosure_here(context) -> DisclosureListing:
    """The disclosure channels that carry material news in the language of the page being written."""
    language = page_language(context) or context["NEWSROOM"].languages.default
    return context[DISCLOSURE_LISTINGS][language.code]


GLOBALS = {"disclosure_here": disclosure_here}
