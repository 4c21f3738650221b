"""Per-language editions of what a reader subscribes to: audience pages, feeds and the OPML bundle.

The default language keeps every address it has on a site in one language (feeds/investors.rss.xml,
investors/); another language's edition lives under its prefix (feeds/fr/investors.rss.xml, fr/investors/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from newsroom.model.audiences import Audience
from newsroom.model.feed_catalogue import FEEDS_DIR, OPML_PATH, Feed, FeedCatalog, newest_first, plan_feeds, titled
from newsroom.model.languages import Language, Languages
from newsroom.model.wording import DEFAULT_WORDING, Wording


def versions_by_language(posts: Iterable, languages: Languages) -> dict[str, list]:
    """The posts (every language version the edition shows) grouped by language, in NEWSROOM_LANGUAGES order."""
    grouped: dict[str, list] = {language.code: [] for language in languages.all}
    for post in newest_first(posts):
        grouped[post.language.code].append(post)
    return grouped


def audience_listings(audiences: Sequence[Audience], posts: Sequence) -> list[tuple[Audience, list]]:
    """Each audience with its posts among `posts`, in the order given."""
    return [(audience, [post for post in posts if audience in post.audiences]) for audience in audiences]


def language_catalogs(
    catalog: FeedCatalog, languages: Languages, site_name: str, wording_of: Callable[[str], Wording]
) -> dict[str, FeedCatalog]:
    """The default language's catalog as it is, and for each other language the same feeds under its prefix,
    titled in that language (`wording_of(code)`), each mirroring that language's audience page where there is
    one."""
    catalogs = {languages.default.code: catalog}
    for language in languages.all[1:]:
        feeds = titled([_in_language(feed, language) for feed in catalog.feeds], site_name, wording_of(language.code))
        opml = f"{FEEDS_DIR}/{language.prefix}/{OPML_PATH.removeprefix(FEEDS_DIR + '/')}"
        catalogs[language.code] = replace(catalog, feeds=feeds, opml_path=opml, key_prefix=f"{language.prefix}/")
    return catalogs


def feed_files(newsroom) -> tuple[str, ...]:
    """Every feed file a build of `newsroom` (a model.settings.Newsroom) writes, in every format and language,
    from the same plan the feeds generator writes them by: what a deploy announces to the WebSub hub."""
    catalog = FeedCatalog(plan_feeds("", newsroom.audiences_in_edition(), newsroom.categories), base_url="")
    catalogs = language_catalogs(catalog, newsroom.languages, "", lambda code: DEFAULT_WORDING)  # paths only
    return tuple(feed.path(fmt) for each in catalogs.values() for feed in each.feeds for fmt in each.formats)


def _in_language(feed: Feed, language: Language) -> Feed:
    page = f"{language.prefix}/{feed.page}" if feed.audience else feed.page
    return replace(feed, key=f"{language.prefix}/{feed.key}", page=page)


def in_language_edition(paths: Iterable[str], language: Language | None) -> tuple[str, ...]:
    """Feed files of the default language's edition (feeds/investors.rss.xml) as `language`'s edition has them
    (feeds/fr/investors.rss.xml); as they are for the default language (no prefix) or none."""
    if language is None or not language.prefix:
        return tuple(paths)
    return tuple(f"{FEEDS_DIR}/{language.prefix}/{path.removeprefix(FEEDS_DIR + '/')}" for path in paths)


def version_in(post, language: Language):
    """The post's version in `language` or, when it has none, the post itself in its own language: a language's
    edition of a listing lists every post once (never dropped, never twice)."""
    versions = (post, *getattr(post, "translations", ()))
    return next((version for version in versions if version.language == language), post)
