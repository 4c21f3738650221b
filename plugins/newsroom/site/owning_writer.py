"""Pelican's writer, with its refusal to write one file twice never skipped: one file, one owner.

Pelican refuses a second write of a file (FileOverwriteFailedError), but its generators catch that refusal for a
tag, category or author whose slug is empty, whose page (`tags//index.html`) is the list's (`tags/index.html`), and
skip the page with a note at info level: a page silently missing, or in two render processes a build stopped for
the wrong reason. The checks refuse such a name (checks/listing_slugs.py); whatever else reaches the writer, a
second write of one file stops the build here, as a second claim on it stops it once written (plugin.py,
record_written). Pelican names the file with its path made absolute, so `tags//index.html`, `tags/./index.html`
and `tags/index.html` are one file to it, as they are to the disk.
"""

from __future__ import annotations

from pelican.writers import FileOverwriteFailedError, Writer

from newsroom.kit.errors import NewsroomError
from newsroom.kit.paths import relative_posix


class FileWrittenTwice(NewsroomError):
    """Two pages of one build were to be written to one file."""


class OwningWriter(Writer):
    def _open_w(self, filename, encoding, override=False):
        try:
            return super()._open_w(filename, encoding, override)
        except FileOverwriteFailedError:
            raise FileWrittenTwice(
                f"{relative_posix(filename, self.output_path)}: written a second time by the build (expected one "
                "file per address: a tag or author whose name makes an empty slug, or a page whose address is "
                "another's, takes its file; `invoke check` names them)"
            ) from None
