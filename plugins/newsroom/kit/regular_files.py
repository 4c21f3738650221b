"""Reading a file under content/ the only way the build reads one: never through a symbolic link, never a FIFO
or device, whatever the file became since content/ was walked.

The walk (checks/sources.py) looks at each file without following links, but a file can be deleted, or swapped
for a link or a FIFO, between that look and any later reading (an editor's save, a `git checkout` while the site
builds). So every reading of a post's or page's text opens it here: each folder on the way and the file itself
without following a link (O_NOFOLLOW), the file without waiting for a writer (O_NONBLOCK: a FIFO opens at once),
and only a regular file is read (fstat on what was opened, not on the name). Anything else is an OSError, which
callers turn into one line naming the file (`why_unreadable` words it).
"""

from __future__ import annotations

import errno
import os
import stat

from newsroom.kit.errors import NewsroomError

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class NotRegular(NewsroomError, OSError):
    """What was opened is not a regular file (a FIFO, socket or device): an OSError, as its callers catch."""


def read_content_file(root: str | os.PathLike, relative: str) -> bytes:
    """The bytes of the regular file at `relative` (a path with "/" separators) under the folder `root`; OSError
    when it is not there, or a link, or not a regular file, or anywhere on the way is a link."""
    *folders, name = relative.split("/")
    handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # content/ itself may be a link
    try:
        for folder in folders:
            inner = os.open(folder, _FOLDER, dir_fd=handle)
            os.close(handle)
            handle = inner
        opened = os.open(name, _FILE, dir_fd=handle)
    finally:
        os.close(handle)
    with os.fdopen(opened, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise NotRegular(errno.EINVAL, "it is not a regular file (a FIFO, socket or device)")
        return file.read()


def read_content_text(root: str | os.PathLike, relative: str) -> str:
    """The file's text as `open(path, encoding="utf-8").read()` gives it (newlines as "\\n"), read as
    read_content_file reads it; UnicodeDecodeError when it is not UTF-8."""
    return read_content_file(root, relative).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def why_unreadable(error: OSError) -> str:
    """`error`, from read_content_file, in words for the person running the build."""
    if isinstance(error, NotRegular):
        return error.strerror
    if error.errno == errno.ELOOP:
        return "it, or a folder on the way to it, is a symbolic link"
    if error.errno == errno.ENOENT:
        return "it is not there any more (deleted or moved)"
    if error.errno == errno.ENOTDIR:
        return "a folder on the way to it is a symbolic link now, or no folder at all"
    return error.strerror or str(error)
