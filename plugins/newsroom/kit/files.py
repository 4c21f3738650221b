"""Writing a file atomically and durably: a reader, or the next run after a crash, sees the old file or the new
one, never a part of either.

The bytes go to a temporary file beside the target, which is flushed to disk (fsync) and renamed over the
target; then the folder is fsynced, so the rename itself survives a power cut. A failure before the rename
removes the temporary file and leaves the target as it was.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (creating its folder); on any failure the old file is left intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per call: two threads or processes writing the same file never share a temporary file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        # 0o666 and O_EXCL as a plain open() would: the umask decides the mode, and nothing is overwritten.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_text_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in UTF-8; on any failure the old file is left intact."""
    write_bytes_atomically(path, text.encode("utf-8"))


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
