"""Pelican's reading of each post, done the moment the content checks have checked it rather than after them all.

Pelican reads the posts (its reader, their metadata, the Article it makes of each) after every check is done, on
one core: 2–3 s at 5,000 posts in two languages, while the second core, which converted the checks' Markdown
(checks/parallel_convert.py), has nothing left to do. Reading a post needs only what its own check leaves: its text
vouched for (checks/checked_texts.py), its conversion (model/rendering.py) and its classification (the address it
keeps). So the build has Pelican read each post as soon as the checks are through with it, in the checks' process,
and the Markdown helper converts more of the posts meanwhile: the reading is shared between the cores.

What is read ahead is Pelican's own reading of the file, with the arguments and signals its ArticlesGenerator
gives it, kept aside until Pelican's loop comes to the file: the generator's get_cached_data, which that loop asks
before it reads a file, hands it over (`take`). Only then does the post count as read in the checks' record, so a
post read ahead whose file Pelican's walk no longer finds (deleted since) is refused as ever. A file whose identity
changed since it was read ahead (written, replaced, swapped for a link or a FIFO: its lstat differs) is not handed
over: Pelican reads it again, and the reader refuses any text but the one checked. (Where the file system's times
are too coarse to tell a rewrite from the file read, what is handed over is still the post made of the checked
text: the identity decides only whether the build notices the change.) Anything unusual in reading
ahead (a refusal, a post Pelican would skip, an error) leaves the file to Pelican's own reading, which says what is
wrong exactly as it would have. Nothing is written before every check has passed, so a post read ahead of a check
that then fails is never used.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pelican import signals
from pelican.contents import Article, SkipStub

from newsroom.checks.checked_texts import checked_texts

# os.lstat's fields that tell a file from a rewrite or a replacement of it. The change time is the system's own:
# no tool sets it back, as `touch -d` sets the modification time.
_IDENTITY = ("st_dev", "st_ino", "st_mode", "st_size", "st_mtime_ns", "st_ctime_ns")
_ON_GENERATOR = "_newsroom_read_ahead"  # the generator's ReadAhead while its loop may take from it


class ReadAhead:
    """The posts of one ArticlesGenerator read as the checks pass them (`post_checked`), until its loop takes
    them (`take`, installed as the generator's get_cached_data by `install`)."""

    def __init__(self, generator):
        self.generator = generator
        # Pelican's name of the file (under the generator's folder) -> its identity, its name in the checks' record
        # (posix, under content/) and the post read.
        self._kept: dict[str, tuple[tuple, str, Article]] = {}
        self._pelicans: Callable | None = None

    def install(self) -> None:
        """From now on the generator's loop takes what was read ahead before reading a file itself."""
        self._pelicans = self.generator.get_cached_data
        self.generator.get_cached_data = self.take
        setattr(self.generator, _ON_GENERATOR, self)

    def post_checked(self, relative: str) -> None:
        """The checks are through with the post at `relative` (posix, under content/): Pelican reads it now."""
        generator = self.generator
        filename = os.path.normpath(relative)  # as Pelican's walk names it: under the generator's folder
        identity = _identity(os.path.join(generator.path, filename))  # before the reading: any change after shows
        if identity is None:
            return
        record = checked_texts(generator.settings)
        try:
            with record.reading_ahead():  # read, but not taken: it counts as read only once taken
                article = generator.readers.read_file(
                    base_path=generator.path,
                    path=filename,
                    content_class=Article,
                    context=generator.context,
                    preread_signal=signals.article_generator_preread,
                    preread_sender=generator,
                    context_signal=signals.article_generator_context,
                    context_sender=generator,
                )
                if isinstance(article, SkipStub) or not article.is_valid():
                    return
        except Exception:
            return  # Pelican's own reading of the file says what is wrong with it (its checks log, and may raise)
        self._kept[filename] = (identity, relative, article)

    def take(self, filename: str, default=None):
        """get_cached_data: the post read ahead, if its file is the one read; else what Pelican's own cache has."""
        identity, relative, article = self._kept.pop(filename, (None, None, None))
        if identity is not None and identity == _identity(os.path.join(self.generator.path, filename)):
            checked_texts(self.generator.settings).mark_read(relative)
            return article
        return self._pelicans(filename, default)

    def finish(self) -> None:
        """The generator's loop is over: what it did not take is let go (a file deleted since, or not a post)."""
        self._kept.clear()
        vars(self.generator).pop("get_cached_data", None)  # Pelican's own again
        vars(self.generator).pop(_ON_GENERATOR, None)


def finish_reading_ahead(generator) -> None:
    """article_generator_pretaxonomy: the generator's loop is over (ReadAhead.finish), if it read ahead."""
    read_ahead = getattr(generator, _ON_GENERATOR, None)
    if read_ahead is not None:
        read_ahead.finish()


def _identity(path: str) -> tuple | None:
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return tuple(getattr(stat, field) for field in _IDENTITY)
