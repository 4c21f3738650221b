"""The text of every post and page the content checks checked: the one record of what the build may publish.

The checks judge a file by its text: its header says who may see it (Audience, Status, Date) and its body what
is published. A file can change after they read it and before Pelican does (an editor saving, a `git checkout`
while `invoke livereload` or `preview` runs): the site would then publish a text nobody checked under the
verdict given to another (an employees-only text as public). So the checks record each text they checked
(`add`, by its text_digest), and the build holds to that record:
- the reader takes a file only when its text is the one the checks checked (`vouch`): a changed file, or one the
  checks never saw (added meanwhile), stops the build in one line, and its text is never converted;
- once Pelican has read everything, a file the checks checked but Pelican never read (deleted meanwhile) stops the
  build too (`refuse_unread`): a post the checks passed as published never silently drops out of the site.
Pelican's content cache serves a file without calling the reader only while the file's sha256 is the one cached,
so a post it serves is marked read (`mark_read`, from the post itself) and not vouched for again. A post the build
reads ahead, as the checks pass it (site/read_ahead.py), is vouched for then, but marked read only once Pelican's
loop takes it (`reading_ahead`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, MutableMapping

from newsroom.checks.rules import Problem, Source
from newsroom.kit.errors import NewsroomError
from newsroom.model.rendering import text_digest

CHECKED_TEXTS = "newsroom_checked_texts"  # where the checks leave the record for the build (lower-case: not a setting)

BUILD_AGAIN = "expected it unchanged while the site builds; build again"


class ChangedDuringBuild(NewsroomError):
    """A file under content/ is not as the content checks read it: one line per file, naming it."""


class CheckedTexts:
    """The digest of each file's text as the checks checked it, by its path under content/, and which of those
    files Pelican has read since. `shown_root`: content/ as messages show it (sources.shown_path)."""

    def __init__(self, shown_root: str = "."):
        self.shown_root = shown_root
        self._digests: dict[str, bytes] = {}
        self._read: set[str] = set()
        self._marking = True

    def add(self, source: Source) -> None:
        """The checks have read `source` and check this text of it."""
        self._digests[source.content_relative] = text_digest(source.text)

    def vouch(self, relative: str, text: str | None) -> bytes:
        """The digest of `text`, the text the checks checked of the file at `relative`; raises ChangedDuringBuild
        when it is not that text (None: a text that is not even UTF-8 any more)."""
        checked = self._digests.get(relative)
        if checked is None:
            raise ChangedDuringBuild(
                self.line(
                    relative,
                    "added during the build, after the content checks, or outside what they read (expected every "
                    "post under ARTICLE_PATHS and page under PAGE_PATHS, unchanged while the site builds; build "
                    "again)",
                )
            )
        if text is None or checked != text_digest(text):
            raise ChangedDuringBuild(
                self.line(relative, f"changed during the build, after the content checks ({BUILD_AGAIN})")
            )
        return checked

    def mark_read(self, relative: str) -> None:
        """Pelican has made a post or page of the file at `relative` (read now, or served from its cache)."""
        if self._marking:
            self._read.add(relative)

    @contextlib.contextmanager
    def reading_ahead(self) -> Iterator[None]:
        """A post made meanwhile is not marked read: the build has read it ahead of Pelican's loop, which may not
        take it (its file deleted since); the one that takes it marks it."""
        self._marking = False
        try:
            yield
        finally:
            self._marking = True

    def refuse_unread(self) -> None:
        """Raises ChangedDuringBuild, one line per file, for every file checked that Pelican never read."""
        unread = sorted(set(self._digests) - self._read)
        if unread:
            raise ChangedDuringBuild(
                "\n".join(
                    self.line(relative, f"deleted or moved during the build, after the content checks ({BUILD_AGAIN})")
                    for relative in unread
                )
            )

    def line(self, relative: str, message: str) -> str:
        shown = f"{self.shown_root}/{relative}" if self.shown_root != "." else relative
        return str(Problem(shown, 1, "file", message))


def keep_checked_texts(settings: MutableMapping, checked: CheckedTexts) -> None:
    settings[CHECKED_TEXTS] = checked


def checked_texts(settings: MutableMapping) -> CheckedTexts:
    """The checks' record for this build; an empty one when none was kept, so that nothing is taken as checked."""
    return settings.setdefault(CHECKED_TEXTS, CheckedTexts())
