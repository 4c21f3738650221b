"""A Pelican generator for investors: the regulatory / material news page, and the disclosure channels' data."""

from __future__ import annotations

from pelican.generators import Generator

from newsroom.model.disclosure import alerts_disclosed, disclosure_channels
from newsroom.model.feed_catalogue import site_base_url
from newsroom.model.material import MATERIAL_NEWS_SAVE_AS, MATERIAL_NEWS_URL
from newsroom.site.validated import SYNDICATION


class DisclosurePagesGenerator(Generator):
    """Gives every template the material posts and disclosure channels; writes `material-news/`."""

    def generate_context(self):
        # Runs after the articles generator: `articles` holds exactly what this edition shows.
        material = [article for article in self.context["articles"] if article.material]
        material.sort(key=lambda article: (article.date.timestamp(), article.post_id), reverse=True)
        self.context["material_articles"] = material
        self.context["MATERIAL_NEWS_URL"] = MATERIAL_NEWS_URL
        channels = self.settings[SYNDICATION].channels
        self.context["newsroom_disclosure_channels"] = disclosure_channels(channels)
        self.context["newsroom_alerts_disclosed"] = (
            alerts_disclosed(channels) and self.settings["NEWSROOM"].alerts.enabled
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
