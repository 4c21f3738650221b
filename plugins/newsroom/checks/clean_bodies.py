"""What the checks learnt about each post's HTML, remembered between builds: a CI rebuild converts only what changed.

The checks convert every post from Markdown to learn what the sanitiser would remove from it; for nearly every
post that is nothing. The sha256 of each file whose HTML the sanitiser leaves unchanged is kept in Pelican's content
cache folder, whose name is a fingerprint of the code and settings (content_cache.py; nh3's version included), so
the same text gives the same verdict without converting it again. Only a verdict of "nothing removed" is kept: a
file with something to report is converted and reported on every build.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from newsroom.kit.content_cache import kept_file
from newsroom.kit.files import write_text_atomically

FILE_NAME = "clean-bodies.json"

logger = logging.getLogger(__name__)


class CleanBodies:
    """The digests of the texts known to give HTML the sanitiser leaves as it is."""

    def __init__(self, path: Path | None):
        self.path = path
        self._known: frozenset[str] = frozenset(self._load()) if path else frozenset()
        self._now: set[str] = set()  # this build's clean texts: what the next build may skip

    @classmethod
    def for_build(cls, settings: Mapping) -> CleanBodies:
        """Remembered in the content cache folder when the build uses Pelican's content cache, else not at all."""
        return cls(kept_file(settings, FILE_NAME))

    def known_clean(self, digest: bytes) -> bool:
        """Whether the text of `digest` (rendering.text_digest) is known clean; if so, remembered as still clean."""
        if digest.hex() in self._known:
            self._now.add(digest.hex())
            return True
        return False

    def add(self, digest: bytes) -> None:
        """The text of `digest` gave HTML the sanitiser left as it was."""
        self._now.add(digest.hex())

    def save(self) -> None:
        """Keep this build's verdicts (only these: a file since changed or removed is forgotten)."""
        if self.path is None:
            return
        write_text_atomically(self.path, json.dumps(sorted(self._now)))

    def _load(self) -> list[str]:
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            logger.warning("Newsroom: ignored the unreadable %s (%s); every post is checked again", self.path, error)
            return []
        return [digest for digest in known if isinstance(digest, str)] if isinstance(known, list) else []
