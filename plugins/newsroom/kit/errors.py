"""The one base of every error the newsroom raises on purpose, so each command line catches one type.

Its message is for the person running the command: one line per problem, naming the file or setting, the bad
value and the fix, never a secret. `exit_code` is what a task exits with: 2 for a mistake in the settings or
the command (nothing was tried), 1 for anything that went wrong while doing the work.
"""

from __future__ import annotations


def clipped(text: str, width: int = 60) -> str:
    """A value as a one-line message shows it: whole, or its first `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


class NewsroomError(Exception):
    """Something the person running the newsroom must fix or know; never a bug (that would be a traceback)."""

    exit_code = 1

    def lines(self) -> list[str]:
        """One line per problem, as the command line prints them."""
        return str(self).splitlines() or [type(self).__name__]


class UsageError(NewsroomError):
    """The command was called wrong (an option's value, two options that exclude each other): nothing was tried."""

    exit_code = 2
