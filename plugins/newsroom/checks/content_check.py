"""One run of the content checks: every file the build would read, each post read, converted and checked in turn,
then the checks between posts and pages, and the classification of every post for the build.

The checks never hold every post's text at once: they read each post as they come to it, check it whole (header
and body), and keep only its header and classification for the checks between posts that follow (duplicate slugs
and ids, language versions, links to withheld posts, addresses, the archive register). Its Markdown is converted
by then, a few posts ahead, in this process or in a forked helper (parallel_convert.py). Every conversion goes on
to the build's reader (`renderer`), which then converts nothing again; a text the sanitiser leaves as it is is
remembered (`clean`), so the next build need not convert it for the checks at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from newsroom.checks.address_collisions import check_address_collisions
from newsroom.checks.archive import archive_problems
from newsroom.checks.checked_texts import CheckedTexts
from newsroom.checks.clean_bodies import CleanBodies
from newsroom.checks.language_folders import check_page_folders, check_post_folders
from newsroom.checks.listing_slugs import check_listing_slugs
from newsroom.checks.page_translations import check_page_translations
from newsroom.checks.parallel_convert import ConvertingAhead
from newsroom.checks.remembered_facts import RememberedFacts
from newsroom.checks.rules import Problem, Source, check_links_to_withheld, check_pages, check_posts
from newsroom.checks.sources import (
    classified_pages,
    classify_posts,
    read_source,
    shown_path,
    slugifier,
    walk_content,
)
from newsroom.checks.translations import check_translations
from newsroom.model.classification import PostFacts
from newsroom.model.frontmatter import Document
from newsroom.model.rendering import MarkdownRenderer, text_digest
from newsroom.model.sanitize import Removed, hidden_in_published, removed_constructs
from newsroom.model.settings import Newsroom


def check_content(
    settings: Mapping,
    newsroom: Newsroom,
    renderer: MarkdownRenderer | None = None,
    clean: CleanBodies | None = None,
    *,
    two_processes: bool = False,
    remembered: RememberedFacts | None = None,
    checked: CheckedTexts | None = None,
    post_checked: Callable[[str, PostFacts], None] | None = None,
) -> tuple[list[Problem], dict[str, PostFacts]]:
    """Every content problem in every file the build would read, as of the newsroom's clock, and the
    classification of every post (by its path under content/) for the build to use. The `renderer` keeps the
    Markdown conversions the checks make, for the build's reader; `clean` knows the texts an earlier build
    found nothing to remove from (clean_bodies.py), `remembered` what it found in each post's file
    (remembered_facts.py). `checked` records the text of every file checked, for the build to publish those texts
    and no other (checked_texts.py). `two_processes`: the Markdown is converted in two (parallel_convert.py).
    `post_checked` is told of each post (its path under content/ and its classification) as soon as it is checked
    whole, before the checks between posts: the build reads it then (site/read_ahead.py)."""
    check = ContentCheck(settings, newsroom, renderer, clean, remembered, checked, post_checked)
    return check.run(two_processes)


class ContentCheck:
    """What one run of the checks holds while it goes through the site."""

    def __init__(
        self,
        settings: Mapping,
        newsroom: Newsroom,
        renderer: MarkdownRenderer | None,
        clean: CleanBodies | None,
        remembered: RememberedFacts | None,
        checked: CheckedTexts | None = None,
        post_checked: Callable[[str, PostFacts], None] | None = None,
    ):
        self.settings, self.newsroom, self.remembered = settings, newsroom, remembered
        self.post_checked = post_checked
        hosts = (newsroom.embed_hosts, newsroom.image_hosts)
        self.renderer = renderer or MarkdownRenderer(settings, *hosts, remember=False)
        self.clean = clean or CleanBodies(None)
        self.now = newsroom.now or datetime.now(UTC)  # one clock for the classification and every check
        self.shown_root = shown_path(Path(settings["PATH"]))
        self.checked = checked or CheckedTexts(self.shown_root)
        self.slug_of = slugifier(settings)  # one for the whole run: each title's slug is worked out once
        self.problems: list[Problem] = []
        self.posts: list[tuple[Source, Document, PostFacts]] = []  # each post once checked: its header, no text

    def run(self, two_processes: bool) -> tuple[list[Problem], dict[str, PostFacts]]:
        settings, newsroom = self.settings, self.newsroom
        post_files, page_files, self.problems = walk_content(settings)
        pages = []
        for relative in page_files:
            read = self._read(relative)
            (pages if isinstance(read, Source) else self.problems).append(read)
        converted = post_files + page_files  # without a second process, converted here, a few ahead of the checks
        with ConvertingAhead(self.renderer, converted, self._text_to_convert, helper=two_processes) as ahead:
            checked = self._checked_one_by_one(post_files, ahead)
            self.problems += check_posts(checked, newsroom, settings, self.slug_of, self.removed_from, self.now)
            ahead.finish()
        posts = self.posts
        self.problems += check_listing_slugs(posts, settings)
        self.problems += check_translations(posts, newsroom)
        self.problems += check_pages(pages, newsroom, settings, self.removed_from)
        for relative in list(self.renderer.ready):  # what the helper converted that no check asked for
            self._settle(relative)
        classified = classified_pages(pages, settings, newsroom)
        self.problems += check_links_to_withheld(posts, classified, newsroom)
        self.problems += check_address_collisions(posts, classified, newsroom, settings)
        self.problems += check_page_folders(classified, newsroom, settings, self.slug_of)
        self.problems += check_post_folders(posts, newsroom)
        self.problems += check_page_translations(pages, newsroom)
        # Published posts are never silently removed: compare with the register of what has been public.
        facts = [facts for _, _, facts in posts]
        self.problems += archive_problems(facts, newsroom, settings, self.now, shown_path)
        return sorted(self.problems), {post.path: post for post in facts}

    def removed_from(self, source: Source) -> list[Removed]:
        """What the sanitiser would remove from `source`'s body, and what it would publish that nobody sees (the
        checks name each construct); the whole text, when Markdown cannot convert it (rendering.py: nothing of it
        could be published)."""
        digest = text_digest(source.text)  # once for the list of clean texts: known, then added
        if self.clean.known_clean(digest):
            return []
        rendered = self.renderer.render(source.content_relative, source.text)
        if rendered.failure is not None:
            return [Removed("the text", rendered.failure.reason, rendered.failure.line)]
        if rendered.sanitiser_removed_nothing:  # nearly every post: no need to read its HTML again
            found = []
        else:
            hosts = {"image_hosts": self.newsroom.image_hosts}
            found = removed_constructs(rendered.html, self.newsroom.embed_hosts, cleaned=rendered.clean, **hosts)
            # The body as published: a reference the sanitiser decoded to a character nobody sees is named too
            # (only here: HTML it leaves as it is decoded no reference, and holds no character the file does not).
            found += hidden_in_published(source.text, rendered.clean)
        if not found:
            self.clean.add(digest)
        return found

    def _checked_one_by_one(
        self, post_files: list[str], ahead: ConvertingAhead
    ) -> Iterator[tuple[Source, Document, PostFacts]]:
        """Each post with its header, body and classification, for check_posts to check whole; then only its
        header and classification are kept, for the checks between posts."""
        sources = self._one_at_a_time(post_files, ahead)
        classified = classify_posts(sources, self.settings, self.newsroom, self.now, self.remembered, self.slug_of)
        for source, doc, facts in classified:
            yield source, doc, facts
            self.posts.append((source.without_text(), doc.without_body(), facts))
            if self.post_checked is not None:
                # Its conversion goes to the reader first, whether or not the checks asked for it: the reading
                # that follows takes it rather than converting the text again.
                self._settle(source.content_relative)
                self.post_checked(source.content_relative, facts)

    def _one_at_a_time(self, post_files: list[str], ahead: ConvertingAhead) -> Iterator[Source]:
        """Each post's text, read as the checks come to it, its conversion made by then (`ahead`): the checks hold
        one post's text at a time."""
        for index, relative in enumerate(post_files):
            ahead.ready_for(index)
            read = self._read(relative)
            if isinstance(read, Problem):
                self.problems.append(read)
                continue
            yield read
            self._settle(relative)  # checked: what they did not ask for is the reader's

    def _read(self, relative: str) -> Source | Problem:
        """The checks' one reading of a post or page: the text they check is the text the build may publish."""
        read = read_source(self.settings, relative, self.shown_root)
        if isinstance(read, Source):
            self.checked.add(read)
        return read

    def _settle(self, relative: str) -> None:
        """A conversion the checks did not ask for (its body has nothing they read) goes to the reader; if the
        sanitiser removed nothing, the next build need not convert that text for the checks again."""
        unasked = self.renderer.settle(relative)
        if unasked is not None and unasked.sanitiser_removed_nothing:
            self.clean.add(unasked.digest)

    def _worth_converting(self, text: str) -> bool:
        """Whether the checks need `text` converted: not when an earlier build found nothing to remove from it."""
        return not self.clean.known_clean(text_digest(text))

    def _text_to_convert(self, relative: str) -> str | None:
        """For parallel_convert.py, in either process: the text to convert, None when there is nothing to
        convert."""
        read = read_source(self.settings, relative, self.shown_root)
        return read.text if isinstance(read, Source) and self._worth_converting(read.text) else None
