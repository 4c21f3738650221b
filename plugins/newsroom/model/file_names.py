"""When two file names are one file: on macOS, Windows and some hosts, case and the encoding of accented letters
(é, or e followed by a combining accent) do not tell names apart. A source tree or a site that holds both would
publish either, one in place of the other, depending on where it is checked out or served."""

from __future__ import annotations

import unicodedata


def as_one_name(relative: str) -> str:
    """The form under which such a file system stores `relative`: two paths are one file there when these agree."""
    return unicodedata.normalize("NFC", relative).casefold()
