"""Text printed for a person, in a terminal or a CI log: every line shown as it is written, and every command to
paste safe to paste.

A value printed on a line (a post's id, a platform's answer, a ledger's hand-edited reason) can hold what a
terminal or a log viewer acts on instead of showing: a line feed or carriage return starts a line of its own (a
forged "posted" line), an escape sequence erases or recolours the line, a right-to-left override shows "failed" as
"deliaf". Such a character is printed as its Python escape (`\\n`, `\\x1b`, `\\u202e`), so a line says what it holds.
Spaces of every script, and the joiners emoji sequences and some scripts need, are shown as themselves.

A command printed for a person to copy into a shell is made of words each quoted for the shell (shlex.quote): a
value holding `$(...)`, a `;` or a quote stays one argument, never code that runs.
"""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Callable

# Shown as themselves: the zero-width non-joiner and joiner (emoji sequences, Persian, Indic scripts) only reorder
# nothing; every other invisible or format character (bidi marks, overrides and isolates among them) is escaped.
_JOINERS = frozenset("\u200c\u200d")


def printable(text: str) -> str:
    """`text` as one line of a log shows it: each character a terminal would act on rather than show, escaped."""
    if text.isprintable():  # nearly every line
        return text
    return "".join(
        character
        if character.isprintable() or character in _JOINERS or unicodedata.category(character) == "Zs"
        else character.encode("unicode_escape").decode("ascii")
        for character in text
    )


def printable_lines(out: Callable[[str], None]) -> Callable[[str], None]:
    """`out`, printing each line of what it is given as `printable` shows it (its line breaks kept)."""
    return lambda text: out("\n".join(printable(line) for line in text.split("\n")))


def shell_command(*words: str) -> str:
    """A command line for a person to paste: each word quoted for the shell, and the whole shown as `printable`."""
    return printable(" ".join(shlex.quote(word) for word in words))
