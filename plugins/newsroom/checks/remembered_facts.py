"""What each post's file says about it, remembered between builds: a CI rebuild classifies only what changed.

Every build works out, for every post, what follows from its file alone: its id, audiences, date, address, output
file and links (classification.describe_file), a third of what reading the posts' headers costs. All of that is a
function of the file's path and text, the code and the settings, so it is kept in Pelican's content cache folder,
whose name is a fingerprint of the code and of every setting that is not about where or when to write
(content_cache.py); the one such setting the facts depend on, SITEURL (with the newsroom's other base addresses
it says which of a body's links point into the site: editions.site_addresses), is part of each entry's key. What
depends on the clock, whether a post is shown yet (its visibility: embargoes, `now`), is never kept: every build
works it out again (classification.as_of).

Each post's facts are kept as a plain row of values (a pickle of the dataclasses would cost as much to load as the
work it saves). The file is a pickle, as Pelican's own cache beside it is: whoever can write one can write the
other. A file that cannot be read, or a row that is not what this code writes, is ignored: it only costs the time
of working the facts out again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from newsroom.kit.content_cache import kept_file, load_kept, save_kept
from newsroom.kit.utf8 import utf8
from newsroom.model.classification import PostFacts
from newsroom.model.editions import site_addresses

FILE_NAME = "post-facts.pickle"
FIELDS = tuple(field.name for field in fields(PostFacts))


class RememberedFacts:
    """Each post's clock-free facts, by a digest of its path, its text and the site's addresses."""

    def __init__(self, path: Path | None, siteurl: str = ""):
        self.path = path
        self._siteurl = siteurl
        self._known: dict = load_kept(path, "every post is classified again") if path else {}
        self._now: dict[str, tuple] = {}  # this build's posts: what the next build may reuse

    @classmethod
    def for_build(cls, settings: Mapping) -> RememberedFacts:
        """Remembered in the content cache folder when the build uses Pelican's content cache, else not at all."""
        return cls(kept_file(settings, FILE_NAME), "\n".join(site_addresses(settings)))

    def facts(self, content_relative: str, text: str, describe: Callable[[], PostFacts]) -> PostFacts:
        """The post's clock-free facts (visibility None), remembered or worked out now by `describe`."""
        key = self._key(content_relative, text)
        facts = _facts_of(self._known.get(key), content_relative)
        if facts is None:
            facts = describe()
        self._now[key] = tuple(getattr(facts, name) for name in FIELDS)
        return facts

    def save(self) -> None:
        """Keep this build's posts (only these: a file since changed or removed is forgotten). A cache that
        cannot be written is one warning: the next build works the facts out again."""
        save_kept(self.path, self._now, "the posts' facts")

    def _key(self, content_relative: str, text: str) -> str:
        digest = hashlib.sha256()
        for part in (content_relative, self._siteurl, text):
            digest.update(utf8(part))
            digest.update(b"\0")
        return digest.hexdigest()


# What each field of a kept row may hold (anything else: the row was not written by this code).
_STRING, _MAYBE_STRING, _TIME = (str,), (str, type(None)), (datetime, type(None))
_KINDS = {
    "path": _STRING,
    "id": _STRING,
    "audiences": (tuple,),
    "published": _TIME,
    "visibility": (type(None),),  # never kept: the clock decides it on every build
    "url": _MAYBE_STRING,
    "public_url": _MAYBE_STRING,
    "addresses": (tuple,),
    "file": _MAYBE_STRING,
    "withdrawn": _TIME,
    "links": (tuple,),
}


def _facts_of(row, content_relative: str) -> PostFacts | None:
    """The facts a kept row holds for this file, or None when it is not a row this code writes for it."""
    if not (isinstance(row, tuple) and len(row) == len(FIELDS) and row[0] == content_relative):
        return None
    if not all(isinstance(value, _KINDS.get(name, ())) for name, value in zip(FIELDS, row, strict=True)):
        return None
    return PostFacts(*row)
