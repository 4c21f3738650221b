"""A Pelican generator that writes one landing page per audience: who it is for, its posts, its feeds."""

from __future__ import annotations

from pelican.generators import Generator

from newsroom.model.audiences import AUDIENCE_SAVE_AS, AUDIENCE_URL


class AudiencePagesGenerator(Generator):
    """Writes `audience.html` for each audience this edition shows, paginated like category pages."""

    def generate_context(self):
        pass  # the article generator groups posts by audience (plugin.group_by_audience)

    def generate_output(self, writer):
        template = self.get_template("audience")
        for audience, articles in self.context["audience_articles"]:
            self._write(writer, template, audience, articles)
        # Each other language's audience pages (fr/investors/) are its edition of these (listing_editions.py).

    def _write(self, writer, template, audience, articles):
        url = AUDIENCE_URL.format(slug=audience.slug)
        writer.write_file(
            AUDIENCE_SAVE_AS.format(slug=audience.slug),
            template,
            self.context,
            paginated={"articles": articles, "dates": articles},
            template_name="audience",
            url=url,
            relative_urls=self.settings["RELATIVE_URLS"],
            audience=audience,
            articles=articles,
            dates=articles,
            page_name=url.rstrip("/"),
        )
