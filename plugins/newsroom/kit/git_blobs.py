"""The bytes of git's stored file versions (blobs), by their ids, from one `git cat-file --batch` process.

Every caller asks by a full object id, never by `<commit>:<path>`: git's answer then holds only ids, types and
sizes, whatever a path holds (a space, a newline), so each answer is read by one rule. The process is started when
the first version is asked for (most builds ask for none), and each request is answered in full before the next is
written, so neither side ever waits on a full pipe, however many versions are read.

What git answers is either a version, or that it has no blob of that id (None). Anything else (no git, a process
that died, an answer that is not git's protocol) is GitBlobsUnreadable, and every later request is too: after one
answer read wrongly, the next would be read from the middle of a version.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path
from types import TracebackType

from newsroom.kit.errors import NewsroomError
from newsroom.kit.git import git_command

# A full object id (SHA-1 or SHA-256): the only kind of request, so no request can hold a path or a newline.
OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class GitBlobsUnreadable(NewsroomError):
    """git could not be asked, or answered something that is not `git cat-file --batch`'s protocol."""


class GitBlobs:
    """Blobs by id, from one `git cat-file --batch` in `folder` (any folder of the repository)."""

    def __init__(self, folder: Path):
        self._folder = folder
        self._process: subprocess.Popen | None = None
        self._broken: str | None = None  # why the process cannot be read any more

    def read(self, blob: str) -> bytes | None:
        """The bytes of the blob `blob` (a full id); None when the repository has no blob of that id."""
        if self._broken is not None:
            raise GitBlobsUnreadable(self._broken)
        if not OBJECT_ID.fullmatch(blob):
            return None  # not an id git could hold
        try:
            return self._answer(blob)
        except (OSError, ValueError) as error:
            self._broken = f"`git cat-file --batch` could not be read: {error}"
            raise GitBlobsUnreadable(self._broken) from None

    def _answer(self, blob: str) -> bytes | None:
        if self._process is None:
            self._process = subprocess.Popen(
                git_command("cat-file", "--batch"),
                cwd=self._folder,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        self._process.stdin.write(f"{blob}\n".encode("ascii"))
        self._process.stdin.flush()
        header = self._process.stdout.readline()  # "<id> <type> <size>\n", or "<id> missing\n"
        fields = header.split(b" ")
        if header.endswith(b"\n") and fields[0] == blob.encode("ascii"):
            if fields[1:] == [b"missing\n"]:
                return None
            if len(fields) == 3 and fields[2][:-1].isdigit():
                size = int(fields[2])
                data = self._process.stdout.read(size + 1)  # the bytes, then a newline
                if len(data) == size + 1 and data.endswith(b"\n"):
                    return data[:-1] if fields[1] == b"blob" else None  # a folder or commit holds no file's text
        raise ValueError(f"answered {header[:80]!r} for {blob}")

    def close(self) -> None:
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(OSError):  # a process that died: its pipe is gone already
                    stream.close()
            self._process.wait()
            self._process = None

    def __enter__(self) -> GitBlobs:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()
