"""Header values are text a reviewer sees as it will be published: no character that shows as nothing, or that
reorders or breaks the text around it.

A pull request is the review. A title holding U+202E (RIGHT-TO-LEFT OVERRIDE) reads one way in the diff and another
on every channel it is announced on; U+2028 (LINE SEPARATOR) or a control character may show as a line break
where there is none; a zero-width space makes `draft` a different word that looks the same. So a header value may
hold any printable character and the spaces of every script (a French title's no-break spaces), and, of the
invisible characters, only those that writing needs: the zero-width joiner and non-joiner (emoji sequences,
Persian, Indic scripts) and the marks that set the direction of the text next to them (Hebrew, Arabic). A code
point this Python's Unicode tables do not know yet (a new emoji) is let through: refusing it would make the same
post valid on one machine and not on another; but not a noncharacter (U+FFFE), which no version ever assigns.
"""

from __future__ import annotations

import unicodedata

# Invisible characters that writing needs: ZWNJ, ZWJ, LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK, ARABIC LETTER MARK.
NEEDED_FORMAT_CHARACTERS = frozenset("\u200c\u200d\u200e\u200f\u061c")
_LET_THROUGH = frozenset({"Zs", "Cn"})  # spaces of every width; code points not yet assigned in these tables


# U+FFFD, what a conversion leaves where it lost a character: the text no longer says what its author wrote.
REPLACEMENT = "\ufffd"


def hidden_character(text: str) -> tuple[int, str] | None:
    """The first character of `text` a reader would not see as written (its index and the character), or None."""
    if text.isprintable():  # nearly every value: no control, format, separator or unusual space at all
        return (text.index(REPLACEMENT), REPLACEMENT) if REPLACEMENT in text else None
    for index, character in enumerate(text):
        if character == REPLACEMENT or (
            not character.isprintable()
            and character not in NEEDED_FORMAT_CHARACTERS
            and (unicodedata.category(character) not in _LET_THROUGH or _noncharacter(character))
        ):
            return index, character
    return None


def _noncharacter(character: str) -> bool:
    """U+FFFE, U+FFFF (and their like in every plane), U+FDD0 to U+FDEF: never assigned, in any version of Unicode,
    and not allowed in XML (a feed holding one does not parse)."""
    code = ord(character)
    return code & 0xFFFE == 0xFFFE or 0xFDD0 <= code <= 0xFDEF


def describe(character: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`: how a message names a character nobody can see (or, for U+FFFD, the
    mark of one that was lost)."""
    if character == REPLACEMENT:
        return "U+FFFD (REPLACEMENT CHARACTER, left where a conversion lost a character: retype it)"
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name})" if name else "")
