"""The thin edge between Pelican and the newsroom: signal receivers only, each delegating to plain code."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache
from itertools import chain
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.utils import order_content

from newsroom.checks.checked_texts import CHECKED_TEXTS, CheckedTexts, checked_texts, keep_checked_texts
from newsroom.checks.clean_bodies import CleanBodies
from newsroom.checks.content_check import check_content
from newsroom.checks.remembered_facts import RememberedFacts
from newsroom.checks.sources import shown_path
from newsroom.editor.page import EditorGenerator
from newsroom.feeds.generator import FeedsGenerator
from newsroom.kit.catalogues import catalogues, theme_translations_dir
from newsroom.kit.content_cache import (
    ContentCacheError,
    kept_file,
    stamp_as_the_build_reads,
    use_fingerprinted_cache,
)
from newsroom.kit.errors import NewsroomError
from newsroom.kit.paths import relative_posix
from newsroom.kit.settings import SettingsProblems
from newsroom.model.audiences import AUDIENCE_URL, is_internal_only
from newsroom.model.classification import POST_FACTS, header_date, header_visibility
from newsroom.model.content_files import MARKDOWN_EXTENSIONS, static_source_problem
from newsroom.model.file_verdicts import FILE_NAME as VERDICTS_FILE
from newsroom.model.file_verdicts import VERDICTS
from newsroom.model.frontmatter import Document, parse_document
from newsroom.model.language_editions import audience_listings, versions_by_language
from newsroom.model.material import is_material
from newsroom.model.ownership import (
    OUTPUT_OWNERS,
    page_owner,
    settings_file_owners,
    static_file_owners,
    write_owners,
)
from newsroom.model.post import (
    LeadImage,
    content_path,
    corrections_from,
    default_post_id,
    last_updated,
    withdrawal_from,
)
from newsroom.model.rendering import MarkdownRenderer, forget_rendered, keep_for_reader
from newsroom.model.visibility import page_visibility, shown_in, shown_with_versions, visibility_of
from newsroom.model.wording import wording
from newsroom.site.addresses import install as remember_addresses_once_fixed
from newsroom.site.addresses import keep as keep_addresses
from newsroom.site.addresses import remember as remember_addresses
from newsroom.site.audience_pages import AudiencePagesGenerator
from newsroom.site.collector import keep_out_of_collections
from newsroom.site.disclosure_pages import GLOBALS as DISCLOSURE_GLOBALS
from newsroom.site.disclosure_pages import DisclosurePagesGenerator
from newsroom.site.history import (
    FileVersions,
    first_shown,
    last_change,
    public_history,
    reader_history,
    revision_history,
)
from newsroom.site.kept_pages import kept_pages
from newsroom.site.kept_pages import start as start_kept_pages
from newsroom.site.language_links import GLOBALS as LANGUAGE_GLOBALS
from newsroom.site.listing_editions import LanguageEditionsGenerator, plan_editions
from newsroom.site.manifest import ManifestGenerator
from newsroom.site.page_links import GLOBALS as PAGE_GLOBALS
from newsroom.site.page_links import PAGE_LINKS, page_links
from newsroom.site.page_reads import build_ended
from newsroom.site.page_reads import install as hold_post_attributes
from newsroom.site.parallel_render import (
    finish_render,
    parallel_writer,
    remember_generators,
    two_processes,
    write_independent_first,
)
from newsroom.site.period_archives import use_period_archives
from newsroom.site.post_cards import GLOBALS as CARD_GLOBALS
from newsroom.site.post_lists import freeze_post_lists
from newsroom.site.read_ahead import ReadAhead, finish_reading_ahead
from newsroom.site.reader import NewsroomMarkdownReader
from newsroom.site.shared_partials import SHARED_PARTIALS, SharedPartials
from newsroom.site.site_frame import GLOBALS as FRAME_GLOBALS
from newsroom.site.static_copies import write_published_copies
from newsroom.site.syndicated_copies import syndicated_copies
from newsroom.site.template_environment import template_environment
from newsroom.site.templating import FILTERS, GLOBALS
from newsroom.site.text_store import open_store
from newsroom.site.theme_strings import FILTERS as THEME_FILTERS
from newsroom.site.theme_strings import GLOBALS as THEME_GLOBALS
from newsroom.site.translations import (
    ARTICLE_LISTS,
    content_id,
    every_page,
    group_by_id,
    group_pages_by_id,
    in_one_order,
    pelicans_url,
    place_by_language,
)
from newsroom.site.validated import SYNDICATION, validate_settings

logger = logging.getLogger(__name__)


# Where validate leaves the content checks for check_then_read_ahead to run, and where the generator of posts waits
# for them (lower-case: not settings).
CONTENT_CHECKS = "newsroom_content_checks"
POSTS_GENERATOR = "newsroom_posts_generator"


class BuildStopped(NewsroomError):
    """Stops the build: the settings or the content break the newsroom's rules. One line per problem."""


class SettingsStopped(BuildStopped):
    """Stops the build before any content is read: the settings are wrong (a task exits with 2 for it)."""

    exit_code = 2


def validate(pelican):
    """Validate the settings, and make ready the content checks: they run once Pelican has made its generators of
    posts and pages (check_then_read_ahead), before either reads a single file."""
    settings = pelican.settings
    try:
        newsroom = validate_settings(settings)
        settings["JINJA_ENVIRONMENT"] = template_environment(settings.get("JINJA_ENVIRONMENT", {}))
    except SettingsProblems as error:
        raise SettingsStopped("settings are invalid:\n" + str(error)) from None
    # The theme's date filters follow the page's language (theme_strings wraps templating's, which stay the
    # default language's); a site's own JINJA_FILTERS still win.
    # A post's language versions are grouped by their Id (translations.versions_by_id, after the checks made
    # every Id unique per language): Pelican's own grouping by slug finds nothing more, in time that grows with
    # the square of the posts (0.2 s at 7,000).
    settings["ARTICLE_TRANSLATION_ID"] = None
    settings["JINJA_FILTERS"] = {**FILTERS, **THEME_FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_GLOBALS"] = {
        **GLOBALS,
        **THEME_GLOBALS,
        **LANGUAGE_GLOBALS,
        **PAGE_GLOBALS,
        **DISCLOSURE_GLOBALS,
        **CARD_GLOBALS,
        **FRAME_GLOBALS,
        **settings.get("JINJA_GLOBALS", {}),
    }
    catalogues(theme_translations_dir(settings))  # a broken catalogue stops the build before anything renders
    renderer, clean = (
        MarkdownRenderer(settings, newsroom.embed_hosts, newsroom.image_hosts),
        CleanBodies.for_build(settings),
    )
    remembered = RememberedFacts.for_build(settings)
    checked = CheckedTexts(shown_path(Path(settings["PATH"])))
    VERDICTS.keep_in(kept_file(settings, VERDICTS_FILE))  # what each image and download is (file_verdicts.py)

    def run_checks(post_checked):
        problems, facts = check_content(
            settings,
            newsroom,
            renderer,
            clean,
            two_processes=two_processes(newsroom),
            remembered=remembered,
            checked=checked,
            post_checked=post_checked,
        )
        # True whatever else is wrong: the next build converts and classifies only what changed.
        clean.save()
        remembered.save()
        return problems, facts

    settings[CONTENT_CHECKS] = run_checks
    # What the checks leave the build, in settings now: Pelican copies them into every generator's context when
    # its run begins. The one classification of every post (the checks fill it in; the build uses it rather than
    # working any of it out again).
    settings[POST_FACTS] = {}
    # Why each output file is there, filled in as the build writes (shared by every generator's context).
    settings[OUTPUT_OWNERS] = {}
    # Each post's card, the header and the footer, rendered once per language and edition however many pages
    # print them (shared likewise).
    settings[SHARED_PARTIALS] = SharedPartials()
    keep_for_reader(settings, renderer)  # the reader takes each post's HTML from the checks' conversion
    keep_checked_texts(settings, checked)  # and publishes no other text than the one checked (checked_texts.py)


def remember_posts_generator(generator):
    """article_generator_init: the generator that reads the posts, for the checks to read ahead with once every
    plugin has set it up (check_then_read_ahead); the first, should a plugin add another."""
    if CONTENT_CHECKS in generator.settings:  # not checked yet: Pelican's own, made before any other
        generator.settings.setdefault(POSTS_GENERATOR, generator)


def check_then_read_ahead(pages_generator):
    """page_generator_init: check all content, Pelican's generator of posts reading each post as soon as it is
    checked (read_ahead.py); stop the build on any problem, before anything is written. Pelican makes the
    generator of pages right after that of posts, so every plugin's article_generator_init has run, and neither
    generator has read a file yet."""
    settings = pages_generator.settings
    generator, run_checks = settings.pop(POSTS_GENERATOR, None), settings.pop(CONTENT_CHECKS, None)
    if run_checks is None:
        return  # a second generator of pages (a plugin's): the content was checked, and its reader vouches still
    generator.context.pop(CONTENT_CHECKS, None)  # Pelican's copy of the settings: the checks run once
    facts_by_path = settings[POST_FACTS]
    read_ahead = ReadAhead(generator)

    def post_checked(relative, facts):
        facts_by_path[relative] = facts  # the address the post keeps (keep_checked_addresses)
        read_ahead.post_checked(relative)

    problems, facts = run_checks(post_checked)
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        raise BuildStopped(f"{len(problems)} content problem(s); nothing was built:\n{lines}")
    facts_by_path.update(facts)
    read_ahead.install()
    keep_out_of_collections()  # what the checks found is kept to the end of the build (collector.py)


def every_checked_file_read(generators):
    """Every generator has read its files: each file the checks checked must be among them (one deleted or moved
    meanwhile stops the build, never silently drops out of the site); what the reader did not take of the checks'
    conversions is not needed any more."""
    settings = generators[0].settings
    forget_rendered(settings)
    checked_texts(settings).refuse_unread()


def mark_read(content):
    """content_object_init: Pelican made a post or page of this file, whether the reader read it or Pelican's
    content cache served it (checked_texts.py)."""
    if content.source_path is not None and CHECKED_TEXTS in content.settings:
        checked_texts(content.settings).mark_read(relative_posix(content.source_path, content.settings["PATH"]))


def fingerprint_cache(pelican):
    """Keep Pelican's content cache where only identical code and settings can use it (see content_cache)."""
    try:
        use_fingerprinted_cache(pelican.settings)
    except ContentCacheError as error:
        raise SettingsStopped(f"settings are invalid:\n{error}") from None


def use_newsroom_reader(readers):
    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension.lstrip(".")] = NewsroomMarkdownReader


def every_article(generator) -> list:
    """The six lists Pelican's article generator sorts posts into: shown, hidden and draft, each with its
    translations."""
    return list(
        chain(
            generator.articles,
            generator.translations,
            generator.hidden_articles,
            generator.hidden_translations,
            generator.drafts,
            generator.drafts_translations,
        )
    )


def keep_checked_addresses(content):
    """content_object_init: a post's address and file are the ones the checks worked out and vetted (unique, in
    its language's folder, not a withheld post's: classification.describe_file), from the moment Pelican makes the
    post; Pelican's own working out of them from ARTICLE_URL is used only where the checks could not say (a
    pattern with placeholders they do not model). One source for the address every page, feed and link uses, and
    three fewer formattings of it per post."""
    settings = content.settings
    if not isinstance(content, Article) or content.source_path is None or POST_FACTS not in settings:
        return  # not a post the checks read (one made in code, or by a build the plugin did not check)
    facts = settings[POST_FACTS].get(relative_posix(content.source_path, settings["PATH"]))
    if facts is not None and facts.url is not None and facts.file is not None:
        keep_addresses(content, facts.url, facts.file)


def select_articles(generator):
    """Describe every post, then keep only what this edition may show (before any listing is built)."""
    newsroom = generator.settings["NEWSROOM"]
    now = newsroom.now or datetime.now(UTC)
    everything = every_article(generator)
    copies = syndicated_copies(generator.settings, generator.settings[SYNDICATION], newsroom.edition)
    histories = revision_history(Path(generator.settings["PATH"]))  # one git process for every post
    paths = {id(article): relative_source(article, generator.path) for article in everything}
    contacts: dict[tuple, tuple] = {}  # per combination of contacts named and audiences, worked out once
    facts_by_path = generator.settings.get(POST_FACTS, {})
    for article in everything:
        facts = facts_by_path.get(paths[id(article)])
        if facts is None:
            raise BuildStopped(
                f"{paths[id(article)]}: Pelican read this post but the content checks did not see it "
                "(expected every post under ARTICLE_PATHS: check ARTICLE_EXCLUDES and IGNORE_FILES)"
            )
        describe(article, newsroom, now, paths[id(article)], contacts, facts)
        if newsroom.languages.several:
            place_by_language((article,), newsroom.languages)
        remember_addresses(article)  # fixed from here on (addresses.py), if the checks could not say them
        # The checks' address is the one kept; Pelican's reading of the same post must agree with it, or the
        # settings make Pelican see another post than the checks did (a DEFAULT_METADATA status, a slug made
        # from the file name): worked out once here, where it used to be worked out three times.
        if facts.url is not None and facts.url != (worked_out := pelicans_url(article)):
            raise BuildStopped(
                f"{paths[id(article)]}: Pelican gives this post the address {worked_out!r}, the checks expected "
                f"{facts.url!r} (expected ARTICLE_URL placeholders the newsroom knows: slug, category, date, lang, "
                "and no DEFAULT_METADATA or SLUGIFY_SOURCE that changes them)"
            )
        article.syndicated_copies = copies.get(article.post_id, [])

    # The language versions of a post are one release: shown together or not at all (the checks refuse versions
    # whose Date, Status or Audience differ; this keeps the rule whatever reaches the build).
    versions = defaultdict(list)
    for article in everything:
        versions[article.shared_id].append(article.visibility)

    def shown(articles):
        return [article for article in articles if shown_with_versions(newsroom.edition, versions[article.shared_id])]

    def previewed(articles):
        return list(articles) if newsroom.preview_drafts else []

    # Pelican's order, with posts of the same moment in one order whatever the process (translations.in_one_order).
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for (listed, translated), kept in zip(ARTICLE_LISTS, (shown, previewed, previewed), strict=True):
        setattr(generator, listed, order_content(in_one_order(kept(getattr(generator, listed))), order_by))
        setattr(generator, translated, in_one_order(kept(getattr(generator, translated))))
    if newsroom.languages.several:
        group_by_id(generator)

    kept = {id(article) for article in every_article(generator)}
    withheld = [article for article in everything if id(article) not in kept]
    # The content checks refuse links from shown posts to withheld ones; this makes sure that no link
    # could resolve to a withheld post's URL even if one slipped through.
    for article in withheld:
        generator.context["generated_content"].pop(paths[id(article)], None)
    generator.context["newsroom_withheld_files"] = set().union(*(files_of(a) for a in withheld))
    attach_history(generator, histories, everything, kept, paths, now)
    if withheld:
        logger.info(
            "Newsroom (%s edition): withheld %d post(s) that this edition must not show",
            newsroom.edition,
            len(withheld),
        )


def select_pages(generator):
    """page_generator_finalized: keep only the pages this edition may show. A draft or hidden page is written in
    no language, and neither is any version of it; a local preview (NEWSROOM_PREVIEW_DRAFTS) writes them, unlisted,
    for their authors, as it does posts."""
    newsroom = generator.settings["NEWSROOM"]
    pages = every_page(generator)
    versions = defaultdict(list)
    for page in pages:
        page.visibility = page_visibility(getattr(page, "status", "published"))
        versions[content_id(page)].append(page.visibility)

    def shown(listed):
        return [page for page in listed if shown_with_versions(newsroom.edition, versions[content_id(page)])]

    generator.pages, generator.translations = shown(generator.pages), shown(generator.translations)
    for name in ("hidden_pages", "hidden_translations", "draft_pages", "draft_translations"):
        setattr(generator, name, list(getattr(generator, name)) if newsroom.preview_drafts else [])
    for name in ("pages", "hidden_pages", "draft_pages"):
        generator.context[name] = getattr(generator, name)  # Pelican put the lists it made there
    kept = {id(page) for page in every_page(generator)}
    for page in pages:
        if id(page) not in kept:  # no {filename} link resolves to a page this edition withholds
            generator.context["generated_content"].pop(page.get_relative_source_path(), None)


def attach_history(generator, histories, everything, kept, paths, now: datetime) -> None:
    """Give each post the revision history a reader sees (history.reader_history): the commits since this
    edition first showed it, each naming its subject only if everything it changed is published here, now and
    as that commit left it; and its "Updated" date: the newest change in that history."""
    settings = generator.settings
    newsroom = settings["NEWSROOM"]
    content_root = Path(settings["PATH"])
    shown_posts = {paths[id(a)] for a in everything if id(a) in kept}
    all_posts = set(paths.values())
    withheld_files = generator.context["newsroom_withheld_files"]
    facts_by_path = settings.get(POST_FACTS, {})
    versions = FileVersions(content_root)  # the files as earlier commits left them, read when first asked
    releases = defaultdict(list)  # a post's id -> the paths of its language versions, one release
    for article in everything:
        releases[article.shared_id].append(paths[id(article)])

    def revisions_of(path: str) -> tuple:
        return tuple(r for r in histories.get(path, ()) if path not in r.moved_only)

    @cache  # one reading per version of a file, however many posts' histories ask
    def version_header(blob: str) -> Document | None:
        text = versions.text(blob)
        return parse_document(text) if text is not None else None

    def shown_at(path: str, revision, moment: datetime) -> bool:
        """Whether the post's file as `revision` left it was shown in this edition at `moment` (while that
        version was the file's): the build's own rule, applied to that version's header at that moment, so that
        a version dated for an embargo it never reached was never shown, whenever the site is built."""
        blob = revision.blob(path)
        header = version_header(blob) if blob is not None else None
        visibility = header_visibility(header, newsroom, moment) if header is not None else None
        return visibility is not None and shown_in(newsroom.edition, visibility)

    def date_of(path: str, revision) -> datetime | None:
        blob = revision.blob(path)
        header = version_header(blob) if blob is not None else None
        return header_date(header) if header is not None else None

    @cache
    def release_shown_since(shared_id: str) -> datetime | None:
        """When this edition first showed the release: the first moment at which every language version in
        the repository then was shown, as every version is shown together or not at all (history.first_shown)."""
        versions = {path: revisions for path in releases[shared_id] if (revisions := revisions_of(path))}
        return first_shown(versions, shown_at, date_of, now) if versions else None

    @cache  # asked only when a commit touched something that is not a post
    def files_shown_posts_use() -> frozenset[str]:
        used = set(settings_file_owners(settings))
        for article in everything:
            if id(article) in kept:
                facts = facts_by_path.get(paths[id(article)])
                used |= files_of(article) | {target for target, _ in (facts.links if facts else ())}
        return frozenset(used - withheld_files)

    def publishable(path: str, revision) -> bool:
        if path in all_posts:
            # A subject written while the post was a draft or for employees only may name what was withheld.
            return path in shown_posts and shown_at(path, revision, revision.when)
        # An image or download this edition copies because a post it shows uses it (or the settings list it);
        # anything else (a file nothing public uses yet, a deleted file, a page) may not be named.
        return path in files_shown_posts_use() and (content_root / path).is_file()

    verdicts: dict = {}
    default = settings["DEFAULT_LANG"]
    words = {code: wording(settings, code) for code in newsroom.languages.codes}
    with versions:
        for article in everything:
            revisions = revisions_of(paths[id(article)])
            # Only a commit after both the Date and the post's first commit can be listed (first_shown is never
            # earlier): a post without one needs none of its versions read, as most posts of an archive.
            oldest = min((r.when for r in revisions), key=datetime.timestamp, default=None)
            edited = oldest is not None and any(r.when > max(article.date, oldest) for r in revisions)
            shown_since = release_shown_since(article.shared_id) if edited else None
            start = max(article.date, shown_since) if shown_since else None
            # Judged only where they may be listed: a commit that touched 5,000 posts reads none of their versions
            # for a post published after it.
            later = tuple(r for r in revisions if start is not None and r.when > start)
            language = getattr(article, "language", None)  # a newsroom in several languages places every post
            article.history = reader_history(
                article.date,
                shown_since,
                public_history(later, publishable, verdicts, all_posts.__contains__),
                article.corrections,
                article.withdrawal,
                article.metadata.get("modified"),
                words[language.code if language else default],
            )
            article.updated = last_change(article.history)  # "Updated" is the newest change the history lists


def relative_source(article, content_root: str) -> str:
    """The post's path under content/, as Pelican's get_relative_source_path gives it (kit/paths.py: a prefix cut,
    not the relpath Pelican calls, which was a tenth of the plugin's own time at 5,000 posts)."""
    return relative_posix(article.source_path, content_root)


def describe(article, newsroom, now, source: str | None = None, contacts_memo: dict | None = None, facts=None):
    """Attach the newsroom's view of a post to Pelican's Article: audiences, visibility, image, corrections,
    withdrawal, materiality. `facts` is the checks' classification of the post, when there is one."""
    metadata = article.metadata
    source = source or article.get_relative_source_path()
    slugs = tuple(metadata.get("audience") or newsroom.default_audiences)
    by_slug = newsroom.audience_by_slug
    article.audiences = tuple(by_slug[slug] for slug in slugs if slug in by_slug)
    article.shared_id = metadata.get("id") or default_post_id(source)  # the same in every language version
    if facts is not None and facts.visibility is not None:
        article.post_id, article.visibility = facts.id, facts.visibility
    else:
        article.post_id = metadata.get("id") or default_post_id(source)
        article.visibility = visibility_of(
            getattr(article, "status", "published"), is_internal_only(slugs, by_slug), article.date, now
        )
    article.newsroom_category = newsroom.category_named(article.category.name)
    article.corrections = corrections_from(metadata.get("correction", ()))
    article.withdrawal = withdrawal_from(metadata.get("withdrawn"))
    article.material = is_material(metadata.get("material"))
    article.updated = last_updated(article.date, metadata.get("modified"), article.corrections, article.withdrawal)
    image = metadata.get("image")
    article.lead_image = (
        LeadImage(content_path(image, source), metadata.get("image-alt", ""), metadata.get("image-credit", ""))
        if image
        else None
    )
    if article.withdrawal:
        withdraw(article)
    contact_keys = tuple(metadata.get("contact") or ())
    memo = {} if contacts_memo is None else contacts_memo
    if (contact_keys, slugs) not in memo:
        memo[contact_keys, slugs] = newsroom.post_contacts(contact_keys, slugs)
    article.contacts = memo[contact_keys, slugs]


def withdraw(article) -> None:
    """A withdrawn post keeps its address and says only that it was withdrawn, when and why: its text, summary
    and lead image leave every page, card, feed item, social tag and search index, and the files only it
    referred to are no longer copied (nothing public refers to them any more)."""
    notice = f"This post was withdrawn: {article.withdrawal.reason}"
    article.metadata["summary"] = notice
    article._summary = notice
    article._content = ""
    article.lead_image = None


def files_of(article) -> set[str]:
    """The static files a post brings with it: its lead image and everything it links with {static}/{attach}."""
    files = set(article.get_static_links())
    if article.lead_image:
        files.add(article.lead_image.path)
    return files


def group_by_audience(generator):
    """Give templates each audience this edition shows with its listed posts, newest first (each post once: the
    default language's version, or the post in its own language; other languages: listing_editions.py)."""
    newsroom = generator.settings["NEWSROOM"]
    if newsroom.languages.several:
        # Every language version this edition shows, by language: each language's feeds carry its own.
        versions = versions_by_language(chain(generator.articles, generator.translations), newsroom.languages)
        generator.context["newsroom_versions"] = versions
    grouped = audience_listings(newsroom.audiences_in_edition(), generator.articles)
    generator.context["audience_articles"] = grouped
    generator.context["AUDIENCE_URL"] = AUDIENCE_URL
    # Lead images outside STATIC_PATHS still need copying, just as {static} links do.
    generator.context["static_links"] |= {a.lead_image.path for a in generator.articles if a.lead_image}


# Where Pelican's article and page generators keep what they read.
CONTENT_LISTS = (
    *("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations"),
    *("pages", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations"),
)


def remember_every_address(generator):
    """Once the metadata is final, keep each post's and page's addresses, which Pelican would otherwise work out
    from the settings on every access (addresses.py)."""
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, ()):
            remember_addresses(content)


def add_site_navigation(generator):
    """What every page's header and footer list, worked out once per build instead of once per page (Pelican
    computes a page's URL from its settings on every access; 7,000 pages x 5 footer links added up)."""
    context = generator.context
    present = {category.slug for category, _ in context.get("categories", ())}
    context["newsroom_nav_categories"] = [c for c in generator.settings["NEWSROOM"].categories if c.slug in present]
    context[PAGE_LINKS] = page_links(context.get("pages", ()), generator.settings["NEWSROOM"].languages)


def publish_only_referenced_files(generator):
    """The allowlist for images and downloads: a static file is written only if something this edition
    publishes refers to it (a post's or page's body, a lead image, the company logo, the press kit). Whatever
    only a withheld or withdrawn post refers to, however it refers to it, is therefore never copied."""
    context = generator.context
    owners = static_file_owners(context, generator.settings)
    kept = [f for f in generator.staticfiles if f.save_as in owners]
    # And only a file the checks read and allowed: Pelican copies whatever a link names, wherever it lies.
    content_root = os.path.realpath(generator.path)
    for static in kept:
        relative = os.path.relpath(os.path.realpath(static.source_path), content_root).replace(os.sep, "/")
        problem = static_source_problem(relative, generator.settings)
        if problem:
            raise BuildStopped(f"{relative}: {owners[static.save_as]}, but it {problem}")
    generator.staticfiles = kept
    context["staticfiles"] = kept
    static_content = context.get("static_content", {})
    for path in [path for path, f in static_content.items() if f.save_as not in owners]:
        static_content.pop(path)
    context[OUTPUT_OWNERS].update({f.save_as: owners[f.save_as] for f in kept})


def record_written(path, context):
    """Remember which published item each page Pelican writes belongs to (see ownership.py). One file has one
    owner: Pelican lets a page or post whose address it was told to override (every version under a language's
    prefix) take a listing's file, and silently drops the listing, so a second claim stops the build here."""
    owners = context.get(OUTPUT_OWNERS)
    if owners is not None:
        relative = relative_posix(path, context["OUTPUT_PATH"])
        owner = page_owner(context)
        first = owners.setdefault(relative, owner)
        if first != owner:
            raise BuildStopped(
                f"{relative}: written for {first} and again for {owner} (expected one file per address: give "
                "the page or post another Slug:, one that is not the address of a listing or of another page)"
            )


def write_ownership(pelican):
    """Account for every file of the build (`.newsroom/owners.json`); a file nothing accounts for stops it.
    Pages rendered in a second process (parallel_render.py) are on disk first."""
    settings = pelican.settings
    finish_render(settings)  # RenderFailed is a NewsroomError: its line and exit code stop the build as they are
    unowned = write_owners(Path(settings["OUTPUT_PATH"]), settings, settings[OUTPUT_OWNERS])
    if unowned and not settings.get("DELETE_OUTPUT_DIRECTORY"):
        # A local build writes over the last one: what it no longer writes (a renamed post's old page) is still
        # there. Nothing is deployed from such a build; `invoke publish` builds clean, and verify names them.
        logger.warning("%d file(s) in %s are left from an earlier build", len(unowned), settings["OUTPUT_PATH"])
    elif unowned:
        raise BuildStopped(
            "files were written that nothing this edition publishes accounts for:\n"
            + "\n".join(
                f"{path}: no owner (expected a published post or page, a listing, a feed or a theme asset)"
                for path in unowned
            )
        )


def order_static_files(generators):
    """all_generators_finalized: the static files in the context in the order of their paths. Pelican lists them
    from a set, so their order changed from one build to the next (with the hash seed), and so did every context
    that holds them: a page kept between builds (kept_pages.py) compares the context, and never matched."""
    context = generators[0].context
    for name in ("static_content", "generated_content"):
        found = context.get(name)
        if isinstance(found, dict):
            ordered = sorted(found.items())
            found.clear()
            found.update(ordered)
    if isinstance(context.get("staticfiles"), list):
        context["staticfiles"].sort(key=lambda static: static.source_path)


def start_keeping_pages(generators):
    """With the content cache on: what every page may see, encoded before any page is written (kept_pages.py)."""
    start_kept_pages(generators[0].settings, generators)


def save_kept_pages(pelican):
    """The pages this build wrote, kept for the next (after write_ownership: both render processes are done), and
    what it found each image and download to be."""
    kept = kept_pages(pelican.settings)
    if kept is not None:
        kept.save()
    VERDICTS.save()


def add_generators(pelican):
    return [
        AudiencePagesGenerator,
        FeedsGenerator,
        DisclosurePagesGenerator,
        EditorGenerator,
        LanguageEditionsGenerator,
    ]


def context_complete(generators):
    keep_out_of_collections()  # the posts and the site's context are kept to the end of the build (collector.py)


def add_manifest_writer(pelican):
    return ManifestGenerator


def hold_texts_on_disk(pelican):
    open_store()  # each body and card waits in a file until it is asked for (text_store.py)


def let_go_of_the_build(pelican):
    build_ended()  # nothing of this build is held by the process once it ends (page_reads.py)


def register():
    hold_post_attributes()  # bodies held in the text store, reads recorded (page_reads.py)
    remember_addresses_once_fixed()  # addresses.py
    signals.initialized.connect(validate)
    signals.initialized.connect(hold_texts_on_disk)
    signals.initialized.connect(fingerprint_cache)
    signals.readers_init.connect(use_newsroom_reader)
    signals.article_generator_init.connect(stamp_as_the_build_reads)  # the cache's stamps read posts safely too
    signals.article_generator_init.connect(remember_posts_generator)
    signals.page_generator_init.connect(check_then_read_ahead)  # first: the checks before anything else of pages
    signals.page_generator_init.connect(stamp_as_the_build_reads)
    signals.content_object_init.connect(keep_checked_addresses)
    signals.content_object_init.connect(mark_read)
    signals.article_generator_pretaxonomy.connect(finish_reading_ahead)  # first: Pelican's loop is over
    signals.article_generator_pretaxonomy.connect(select_articles)
    signals.article_generator_pretaxonomy.connect(use_period_archives)
    signals.article_generator_finalized.connect(group_by_audience)
    signals.article_generator_finalized.connect(remember_every_address)
    signals.article_generator_finalized.connect(freeze_post_lists)
    signals.page_generator_finalized.connect(select_pages)  # first: what is withheld has no versions to link
    signals.page_generator_finalized.connect(group_pages_by_id)  # before remember_every_address: it places versions
    signals.page_generator_finalized.connect(remember_every_address)
    signals.page_generator_finalized.connect(add_site_navigation)
    signals.get_generators.connect(add_generators)
    signals.all_generators_finalized.connect(every_checked_file_read)  # first: before anything is written
    signals.all_generators_finalized.connect(write_independent_first)  # before the writer forks with the list
    signals.all_generators_finalized.connect(remember_generators)
    signals.all_generators_finalized.connect(plan_editions)
    signals.all_generators_finalized.connect(order_static_files)
    signals.all_generators_finalized.connect(start_keeping_pages)  # after plan_editions: the editions' contexts
    signals.all_generators_finalized.connect(context_complete)  # last: all the context is made by now
    signals.get_writer.connect(parallel_writer)
    signals.static_generator_init.connect(write_published_copies)  # images without their metadata
    signals.static_generator_finalized.connect(publish_only_referenced_files)
    signals.content_written.connect(record_written)
    signals.finalized.connect(write_ownership)  # waits for the second render process first
    signals.finalized.connect(save_kept_pages)
    signals.finalized.connect(let_go_of_the_build)
    signals.get_generators.connect(add_manifest_writer)
