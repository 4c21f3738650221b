"""A Pelican generator that writes each other language's search page (fr/search/): Pagefind's search box loads
the index of its page's <html lang>, so each language needs a page of its own to search its posts."""

from __future__ import annotations

from pelican.generators import Generator

SEARCH_PAGE = "search/index.html"


class LanguagePagesGenerator(Generator):
    """Writes `search.html` under the prefix of every language but the default one (a site in one language: none)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        languages = self.settings["NEWSROOM"].languages
        if not languages.several:
            return
        template = self.get_template("search")
        feeds = self.context.get("newsroom_language_feeds", {})
        for language in languages.all[1:]:
            save_as = f"{language.prefix}/{SEARCH_PAGE}"
            writer.write_file(
                save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                template_name="search",
                url=save_as.removesuffix("index.html"),
                page_name=save_as.removesuffix("/index.html"),
                page_language=language,
                newsroom_feeds=feeds.get(language.code, self.context.get("newsroom_feeds")),
            )
