"""The state a publish carries to the next one (the syndication ledger, WebSub and deploy state), and where
it is kept: on this machine ("local"), or committed to a git branch ("git", for CI's fresh checkouts)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from newsroom.kit.errors import NewsroomError


class StateError(NewsroomError):
    """The state could not be restored or saved; the message says what happened and what to do."""


class StateStore(Protocol):
    files: Sequence[Path]

    def restore(self) -> list[str]:
        """Bring the latest saved state files into the working tree; lines saying what was done."""
        ...

    def save(self, message: str) -> str:
        """Make the current state files durable; one line saying what was saved. Raises StateError."""
        ...


class LocalStore:
    """The files stay where they are: right for a machine that keeps its checkout between runs."""

    def __init__(self, files: Sequence[Path]):
        self.files = tuple(files)

    def restore(self) -> list[str]:
        return [f"state kept on this machine: {', '.join(_shown(f) for f in self.files)}"]

    def save(self, message: str) -> str:
        return "state kept on this machine (NEWSROOM_PUBLISH state store 'local'; nothing committed)"


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()
