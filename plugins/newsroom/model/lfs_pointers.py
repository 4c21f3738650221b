"""A Git LFS pointer is not the file it stands for: a checkout made without Git LFS holds the pointer instead.

A file committed through Git LFS is stored in the repository as a few lines of text ("version
https://git-lfs.github.com/spec/v1", the file's sha256 and its size); the file itself is fetched only where Git LFS
is installed and asked for it (GitHub's actions/checkout does so only with `lfs: true`). Published as it is, a
pointer named `.csv` or `.ics` gives readers three lines of text for the data, and a post that is a pointer has no
header. Every file the site would publish or read as content is therefore refused when its bytes are a pointer,
with the fix, before any other rule reads it.
"""

from __future__ import annotations

# The first line of every pointer (the Git LFS specification: "the first key is always `version`").
POINTER_START = b"version https://git-lfs.github.com/spec/v1"
POINTER_PROBLEM = (
    "is a Git LFS pointer, not the file itself: this checkout was made without Git LFS (expected the file: run "
    "`git lfs pull`; in a workflow, install git-lfs and give actions/checkout `lfs: true`)"
)


def pointer_problem(start: bytes) -> str | None:
    """POINTER_PROBLEM when a file's first bytes (at least len(POINTER_START) of them, or all it has) are a Git
    LFS pointer's; else None."""
    return POINTER_PROBLEM if start.startswith(POINTER_START) else None
