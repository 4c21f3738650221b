"""When two file names are one file: on macOS, Windows and some hosts, case and the encoding of accented letters
(é, or e followed by a combining accent) do not tell names apart. A source tree or a site that holds both would
publish either, one in place of the other, depending on where it is checked out or served."""

from __future__ import annotations

import unicodedata

# A slug is the name of a folder in the site (a post's, a topic's, an author's): file systems refuse a name longer
# than 255 bytes, and a slug also goes into longer names (`<slug>-fr.html`, the search index's records).
LONGEST_SLUG = 200  # bytes, as UTF-8


def as_one_name(relative: str) -> str:
    """The form under which such a file system stores `relative`: two paths are one file there when these agree."""
    return unicodedata.normalize("NFC", relative).casefold()


def slug_too_long(slug: str) -> str | None:
    """Why `slug` cannot name a folder, or None when it can: "is 300 bytes long, … (expected at most 200 bytes",
    its parenthesis left open for the message to say what to write instead."""
    size = len(slug.encode("utf-8"))
    if size <= LONGEST_SLUG:
        return None
    return f"is {size} bytes long, longer than a file name may be (expected at most {LONGEST_SLUG} bytes"
