"""Every other language's edition of the listings (/fr/, /fr/press-releases/, /fr/archive/2026/, /fr/search/ …),
written by running the generators that write pages again, with the language's versions of the posts.

The generators that write pages through Pelican's writer (WRITER_GENERATORS) decide which listings exist; an
edition is each of them run once more over the edition's posts, through a writer that puts every listing under
the language's prefix and leaves out the pages of a single post or page (those have their own language versions).
A listing added later, by Pelican or the newsroom, gets its editions from the same run.

An edition lists every post once: its version in the edition's language or, when it has none (a post published
in one language first, or dated before the language's `since`), the post in its own language.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import ExitStack

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, TemplatePagesGenerator
from pelican.paginator import Paginator

from newsroom.model.language_editions import audience_listings, version_in
from newsroom.model.languages import Language
from newsroom.site.audience_pages import AudiencePagesGenerator
from newsroom.site.disclosure_pages import DisclosurePagesGenerator
from newsroom.site.period_archives import period_archives
from newsroom.site.post_lists import posts_by_group
from newsroom.site.translations import Alternate

# Generators whose output is pages written through Pelican's writer's write_file, and nothing else. The second
# render process runs these (parallel_render.py) and each language's edition is these run again: a generator
# that writes pages must be here, or the parallel build stops, naming it.
WRITER_GENERATORS = (
    ArticlesGenerator,
    PagesGenerator,
    TemplatePagesGenerator,
    AudiencePagesGenerator,
    DisclosurePagesGenerator,
)
# Where the build keeps, for each listing file, its editions in every language (lower case: not a setting).
LISTING_EDITIONS = "newsroom_listing_editions"
# Sent for a post's or page's own page, which an edition never writes: nothing may hear of it twice.
CONTENT_SIGNALS = (
    signals.article_generator_write_article,
    signals.page_generator_write_page,
    signals.article_writer_finalized,
    signals.page_writer_finalized,
)


class LanguageEditionsGenerator(Generator):
    """Writes each other language's edition of every listing (a site in one language: none)."""

    def generate_context(self):
        # Each other language with its generators: plan_editions fills this in once every generator has its context.
        self.editions: list[tuple[Language, list]] = []

    def generate_output(self, writer):
        for language, generators in self.editions:
            edition_writer = EditionWriter(writer, language)
            for generator in generators:
                write_pages(generator, edition_writer)


def editions(generators: Iterable, settings: Mapping) -> list[tuple[Language, list]]:
    """Each language but the default one, with the page-writing generators as that language's edition sees them."""
    languages = settings["NEWSROOM"].languages
    if not languages.several:
        return []
    writing = [generator for generator in generators if isinstance(generator, WRITER_GENERATORS)]
    articles = next(generator for generator in writing if isinstance(generator, ArticlesGenerator))
    found = []
    for language in languages.all[1:]:
        context = edition_context(articles, language, settings)
        found.append((language, [in_edition(generator, context) for generator in writing]))
    return found


def edition_context(articles: ArticlesGenerator, language: Language, settings: Mapping) -> dict:
    """The shared context as `language`'s edition sees it: in every list of listed posts (`articles`, `dates`,
    `material_articles`, and any list a later listing adds), each post replaced by its version in the language;
    the groupings (categories, tags, period archives, audiences) made again from those versions, as Pelican and
    the newsroom make them (period_archives.py, as for the default language)."""
    context = articles.context
    chosen = {id(post): version_in(post, language) for post in articles.articles}

    def swap(value):
        if isinstance(value, list) and value and id(value[0]) in chosen:
            return [chosen.get(id(post), post) for post in value]
        return value

    edition = {key: swap(value) for key, value in context.items()}
    listed = edition["articles"]
    categories, tags, authors = defaultdict(list), defaultdict(list), defaultdict(list)
    for post in listed:
        categories[post.category].append(post)
        for tag in getattr(post, "tags", ()):
            tags[tag].append(post)
        for author in getattr(post, "authors", ()):
            authors[author].append(post)
    edition["categories"] = posts_by_group(sorted(categories.items(), reverse=settings["REVERSE_CATEGORY_ORDER"]))
    # As Pelican's context has them (post_lists.py: `in` without a walk).
    edition["tags"], edition["authors"] = posts_by_group(tags), posts_by_group(sorted(authors.items()))
    edition["period_archives"] = period_archives(edition["dates"], listed, settings)
    if "audience_articles" in context:
        edition["audience_articles"] = audience_listings([a for a, _ in context["audience_articles"]], listed)
    catalogs = context.get("newsroom_language_feeds") or {}
    edition["newsroom_feeds"] = catalogs.get(language.code, context.get("newsroom_feeds"))
    edition["page_language"] = language
    return edition


def in_edition(generator, context: dict):
    """A copy of `generator` that reads the edition's context (and the article generator's own lists from it)."""
    shadow = copy.copy(generator)
    shadow.context = context
    if isinstance(shadow, ArticlesGenerator):
        for name in ("articles", "dates", "categories", "authors", "period_archives"):
            setattr(shadow, name, context[name])
        shadow.tags = dict(context["tags"])
        shadow.translations = shadow.hidden_articles = shadow.hidden_translations = []
        shadow.drafts = shadow.drafts_translations = []
    return shadow


def write_pages(generator, writer) -> None:
    """Run a generator's page writing; Pelican's article generator also writes feeds, which are not pages (the
    newsroom writes each language's feeds itself), so only its pages."""
    with ExitStack() as muted:
        for signal in CONTENT_SIGNALS:
            muted.enter_context(signal.muted())
        if isinstance(generator, ArticlesGenerator):
            generator.generate_pages(writer)
        else:
            generator.generate_output(writer)


def is_content_page(kwargs: Mapping) -> bool:
    """A post's or page's own page: it has its language versions, so no edition writes it again."""
    return kwargs.get("article") is not None or kwargs.get("page") is not None


class EditionWriter:
    """Pelican's writer as one language's edition uses it: each listing under the language's prefix."""

    def __init__(self, writer, language: Language):
        self._writer, self._prefix = writer, f"{language.prefix}/"

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):  # fmt: skip
        if not name or is_content_page(kwargs):
            return
        if kwargs.get("page_name"):
            kwargs["page_name"] = self._prefix + kwargs["page_name"]
        self._writer.write_file(
            self._prefix + name,
            template,
            context,
            relative_urls=relative_urls,
            paginated=paginated,
            template_name=template_name,
            override_output=override_output,
            url=self._prefix + url if url else url,
            **kwargs,
        )


class PlanningWriter:
    """Records the files a generator would write, every page of a paginated listing included; renders nothing."""

    def __init__(self, settings: Mapping, prefix: str = ""):
        self.settings, self.prefix, self.files = settings, prefix, []

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):  # fmt: skip
        if not name or is_content_page(kwargs):
            return
        if paginated is None:  # as Pelican's writer decides what to paginate
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        per_page = self.settings["PAGINATED_TEMPLATES"].get(template_name, False)
        if not paginated or per_page is False:
            self.files.append(name)
            return
        posts = next(iter(paginated.values()))
        paginator = Paginator(name, url, posts, self.settings, per_page or self.settings["DEFAULT_PAGINATION"])
        self.files.extend(paginator.page(number).save_as for number in range(1, paginator.num_pages + 1))


def plan_editions(generators) -> None:
    """all_generators_finalized: which listing files each language writes, so that each listing page (of any
    language) can link to its editions in every language before any of them is written."""
    settings = generators[0].settings
    languages = settings["NEWSROOM"].languages
    if not languages.several:
        return
    writing = [generator for generator in generators if isinstance(generator, WRITER_GENERATORS)]
    other_languages = editions(generators, settings)
    for generator in generators:
        if isinstance(generator, LanguageEditionsGenerator):
            generator.editions = other_languages
    planned = [(languages.default, writing), *other_languages]
    by_listing: dict[str, list[tuple[Language, str]]] = defaultdict(list)
    for language, edition in planned:
        planner = PlanningWriter(settings)
        for generator in edition:
            write_pages(generator, planner)
        prefix = f"{language.prefix}/" if language.prefix else ""
        for name in dict.fromkeys(planner.files):
            by_listing[name].append((language, prefix + name))
    plan = {}
    for versions in by_listing.values():
        if len(versions) > 1:
            for _, name in versions:
                plan[name] = versions
    for _, edition in planned:  # the shared context, and each edition's copy of it
        for generator in edition:
            generator.context[LISTING_EDITIONS] = plan


def listing_alternates(context: Mapping) -> tuple[Alternate, ...]:
    """The editions of the listing page being written, this one included, in the order of NEWSROOM_LANGUAGES;
    () when it has none (a site in one language, or a listing only one language has)."""
    written = context.get("output_file")
    versions = context.get(LISTING_EDITIONS, {}).get(written, ())
    return tuple(Alternate(language, _url_of(name), name == written) for language, name in versions)


def _url_of(save_as: str) -> str:
    return save_as.removesuffix("index.html")
