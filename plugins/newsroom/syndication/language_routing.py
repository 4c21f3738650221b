"""Which language version of a post each channel carries (its own language's, or the default's as a fallback),
and the words each version is said with.

A channel may name a `language`; one that does not speaks the newsroom's default language. Each version is a
post of its own in the ledger (its key is `Id@lang` outside the default language), so a French channel and an
English one each record the version they carried, and a version is never sent twice to one channel; nor is a
post, in another version, to a channel that carried it by falling back (planning.py). Whichever
channel carries it, a version is said in its own language (syndication/post_words.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from newsroom.model.languages import Languages
from newsroom.model.settings import Newsroom
from newsroom.model.wording import Wording, wording
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.post_words import PostWords
from newsroom.syndication.published import PublishedPost


@dataclass(frozen=True)
class LanguageRouting:
    """The languages each post exists in, and the rule for a channel in a language a post lacks."""

    default: str = ""  # "" on a site in one language: every channel carries every post
    fallback: bool = False  # NEWSROOM_TRANSLATION_RULES channel_fallback
    versions: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (shared id, language) published

    def carries(self, post: PublishedPost, config: ChannelConfig) -> bool:
        shared_id = post.shared_id or post.id
        return self.carries_version(post.language, config, lambda wanted: (shared_id, wanted) in self.versions)

    def carries_version(self, language: str, config: ChannelConfig, exists_in: Callable[[str], bool]) -> bool:
        """Does the channel carry a post's `language` version, the post existing in the languages `exists_in`
        says? The one rule for the posts of a run and for what the disclosure channels page promises."""
        if not self.default:
            return True
        wanted = config.language or self.default
        language = language or self.default
        if language == wanted:
            return True
        return self.fallback and language == self.default and not exists_in(wanted)


EVERY_POST = LanguageRouting()


def language_routing(languages: Languages, posts: Iterable[PublishedPost]) -> LanguageRouting:
    """The routing for a run over `posts` (every edition's), or EVERY_POST for a newsroom in one language."""
    if not languages.several:
        return EVERY_POST
    default = languages.default.code
    versions = frozenset((post.shared_id or post.id, post.language or default) for post in posts)
    return LanguageRouting(default, languages.channel_fallback, versions)


def in_their_languages(
    posts: Iterable[PublishedPost], newsroom: Newsroom, settings: Mapping
) -> tuple[PublishedPost, ...]:
    """The posts a run read from a manifest, each with the words of its version's language. A newsroom in one
    language keeps the default words every post is made with."""
    if not newsroom.languages.several:
        return tuple(posts)
    categories = {category.name: category for category in newsroom.categories}
    catalogue: dict[str, Wording] = {}  # by language: one lookup of the catalogue per run

    def words_for(post: PublishedPost) -> PostWords:
        language = newsroom.languages.find(post.language) or newsroom.languages.default
        words = catalogue.setdefault(language.code, wording(settings, language.code))
        category = categories.get(post.category)
        return PostWords(words.text(category, "name") if category else post.category, words)

    return tuple(replace(post, words=words_for(post)) for post in posts)


def carries_material_news(languages: Languages, now: datetime, config: ChannelConfig, language: str) -> bool:
    """Does the channel carry the `language` version of material news released at `now`? Such news exists in
    every language whose `since` it is not before (checks/translations.py requires it), perhaps in others: a
    fallback to the default language's version is promised only where a version may be missing."""
    routing = language_routing(languages, ())

    def surely_exists_in(code: str) -> bool:
        found = languages.find(code)
        return found is not None and found.required_at(now)

    return routing.carries_version(language, config, surely_exists_in)
