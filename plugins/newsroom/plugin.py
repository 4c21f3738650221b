"""The thin edge between Pelican and the newsroom: signal receivers only, each delegating to plain code."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import chain

from pelican import signals

from .audience_pages import AUDIENCE_URL, AudiencePagesGenerator
from .audiences import is_internal_only
from .feeds_generator import FeedsGenerator
from .manifest import ManifestGenerator
from .post import LeadImage, content_path, corrections_from, default_post_id, last_updated
from .reader import NewsroomMarkdownReader
from .settings import SettingsError, load_newsroom
from .sources import MARKDOWN_EXTENSIONS, check_content
from .syndicated_copies import syndicated_copies
from .templating import FILTERS, GLOBALS
from .visibility import shown_in, visibility_of

logger = logging.getLogger(__name__)


class NewsroomError(Exception):
    """Stops the build: the settings or the content break the newsroom's rules. One line per problem."""


def validate(pelican):
    """Validate NEWSROOM_* settings and check all content before Pelican reads a single post."""
    settings = pelican.settings
    try:
        newsroom = load_newsroom(settings)
    except SettingsError as error:
        raise NewsroomError("settings are invalid:\n" + str(error)) from None
    settings["NEWSROOM"] = newsroom
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_GLOBALS"] = {**GLOBALS, **settings.get("JINJA_GLOBALS", {})}
    problems = check_content(settings, newsroom)
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        raise NewsroomError(f"{len(problems)} content problem(s); nothing was built:\n{lines}")


def use_newsroom_reader(readers):
    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension.lstrip(".")] = NewsroomMarkdownReader


def select_articles(generator):
    """Describe every post, then keep only what this edition may show (before any listing is built)."""
    newsroom = generator.settings["NEWSROOM"]
    now = newsroom.now or datetime.now(UTC)
    everything = list(
        chain(
            generator.articles,
            generator.translations,
            generator.hidden_articles,
            generator.hidden_translations,
            generator.drafts,
            generator.drafts_translations,
        )
    )
    copies = syndicated_copies(generator.settings)
    for article in everything:
        describe(article, newsroom, now)
        article.syndicated_copies = copies.get(article.post_id, [])

    def shown(articles):
        return [article for article in articles if shown_in(newsroom.edition, article.visibility)]

    def previewed(articles):
        return list(articles) if newsroom.preview_drafts else []

    generator.articles = shown(generator.articles)
    generator.translations = shown(generator.translations)
    generator.hidden_articles = previewed(generator.hidden_articles)
    generator.hidden_translations = previewed(generator.hidden_translations)
    generator.drafts = previewed(generator.drafts)
    generator.drafts_translations = previewed(generator.drafts_translations)

    kept = {
        id(article)
        for article in chain(
            generator.articles,
            generator.translations,
            generator.hidden_articles,
            generator.hidden_translations,
            generator.drafts,
            generator.drafts_translations,
        )
    }
    withheld = [article for article in everything if id(article) not in kept]
    # The content checks refuse links from shown posts to withheld ones; this makes sure that no link
    # could resolve to a withheld post's URL even if one slipped through.
    for article in withheld:
        generator.context["generated_content"].pop(article.get_relative_source_path(), None)
    generator.context["newsroom_withheld_files"] = set().union(*(files_of(a) for a in withheld))
    generator.context["newsroom_shown_files"] = set().union(*(files_of(a) for a in everything if id(a) in kept))
    if withheld:
        logger.info(
            "Newsroom (%s edition): withheld %d post(s) that this edition must not show",
            newsroom.edition,
            len(withheld),
        )


def describe(article, newsroom, now):
    """Attach the newsroom's view of a post to Pelican's Article: audiences, visibility, image, corrections."""
    metadata = article.metadata
    source = article.get_relative_source_path()
    slugs = tuple(metadata.get("audience") or newsroom.default_audiences)
    by_slug = newsroom.audience_by_slug
    article.post_id = metadata.get("id") or default_post_id(source)
    article.audiences = tuple(by_slug[slug] for slug in slugs if slug in by_slug)
    article.visibility = visibility_of(
        getattr(article, "status", "published"), is_internal_only(slugs, by_slug), article.date, now
    )
    article.newsroom_category = newsroom.category_named(article.category.name)
    article.corrections = corrections_from(metadata.get("correction", ()))
    article.updated = last_updated(article.date, metadata.get("modified"), article.corrections)
    image = metadata.get("image")
    article.lead_image = (
        LeadImage(content_path(image, source), metadata.get("image-alt", ""), metadata.get("image-credit", ""))
        if image
        else None
    )
    contact_keys = metadata.get("contact")
    article.contacts = (
        tuple(c for c in newsroom.contacts if c.key in contact_keys) if contact_keys else newsroom.contacts_for(slugs)
    )


def files_of(article) -> set[str]:
    """The static files a post brings with it: its lead image and everything it links with {static}/{attach}."""
    files = set(article.get_static_links())
    if article.lead_image:
        files.add(article.lead_image.path)
    return files


def group_by_audience(generator):
    """Give templates each audience this edition shows with its listed posts, newest first."""
    newsroom = generator.settings["NEWSROOM"]
    grouped = [
        (audience, [article for article in generator.articles if audience in article.audiences])
        for audience in newsroom.audiences_in_edition()
    ]
    generator.context["audience_articles"] = grouped
    generator.context["AUDIENCE_URL"] = AUDIENCE_URL
    # Lead images outside STATIC_PATHS still need copying, just as {static} links do.
    generator.context["static_links"] |= {a.lead_image.path for a in generator.articles if a.lead_image}


def withhold_attachments(generator):
    """Never copy a file that only withheld (draft, hidden, internal, embargoed) posts refer to."""
    pages = chain(generator.context.get("pages", ()), generator.context.get("hidden_pages", ()))
    shown = generator.context.get("newsroom_shown_files", set()).union(*(p.get_static_links() for p in pages))
    withheld = generator.context.get("newsroom_withheld_files", set()) - shown
    if not withheld:
        return
    generator.staticfiles = [f for f in generator.staticfiles if f.get_relative_source_path() not in withheld]
    generator.context["staticfiles"] = generator.staticfiles
    for path in withheld:
        generator.context.get("static_content", {}).pop(path, None)


def add_generators(pelican):
    return [AudiencePagesGenerator, FeedsGenerator]


def add_manifest_writer(pelican):
    return ManifestGenerator


def register():
    signals.initialized.connect(validate)
    signals.readers_init.connect(use_newsroom_reader)
    signals.article_generator_pretaxonomy.connect(select_articles)
    signals.article_generator_finalized.connect(group_by_audience)
    signals.get_generators.connect(add_generators)
    signals.static_generator_finalized.connect(withhold_attachments)
    signals.get_generators.connect(add_manifest_writer)
