"""A written file's path under the folder it was written to, as the build asks it of every page it writes."""

from __future__ import annotations

import os


def relative_posix(path: str | os.PathLike, folder: str | os.PathLike) -> str:
    """`os.path.relpath(os.path.abspath(path), folder)` with "/" separators, for the page paths Pelican's writer
    reports: once both are made absolute (a cheap normalisation), a path under `folder` is the rest of it.
    relpath compares them part by part, which twice per page was a tenth of a second at 5,000 posts."""
    whole, root = os.path.abspath(path), os.path.join(os.path.abspath(folder), "")
    under = whole.startswith(root) and len(whole) > len(root)  # the folder itself ("/" in "/") is "."
    relative = whole[len(root) :] if under else os.path.relpath(whole, folder)
    return relative.replace(os.sep, "/")
