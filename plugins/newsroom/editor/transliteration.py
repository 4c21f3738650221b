"""The editor's copy of Unidecode's transliteration, so a new post's Id is the one `invoke new` gives.

`invoke new` makes a post's slug with Pelican's slugify, which spells every character in ASCII with Unidecode
(Αποτελέσματα → apotelesmata, Æ → AE, ß → ss). The browser editor cannot run Python, so it reads the same table
from editor/admin/transliteration.js, written from Unidecode by this module: one source, copied, never retyped.
The table stops at FURTHEST_CHARACTER (Latin, Greek, Cyrillic, the other alphabetic scripts, punctuation and
symbols); a title with a character beyond it (Chinese, Japanese, Korean syllables, emoji) gives the editor no Id,
and the form asks for a Slug instead. After upgrading Unidecode, write the file again:

    .venv/bin/python -m newsroom.editor.transliteration
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from unidecode import unidecode

TABLE_FILE = Path(__file__).resolve().parents[3] / "editor" / "admin" / "transliteration.js"
# Past U+2FFF come the CJK blocks: tens of thousands of entries (600 kB) for a page that only names a new post.
FURTHEST_CHARACTER = 0x2FFF
BLOCK = 0x100  # one line of the file per block of 256 characters, so an upgrade's diff shows what moved
_SURROGATES = range(0xD800, 0xE000)


def transliteration_table() -> dict[str, str]:
    """Each non-ASCII character up to FURTHEST_CHARACTER that Unidecode spells with something, and its spelling."""
    table = {}
    for code in range(0x80, FURTHEST_CHARACTER + 1):
        if code not in _SURROGATES and (spelled := unidecode(chr(code))):
            table[chr(code)] = spelled
    return table


def transliteration_js() -> str:
    """editor/admin/transliteration.js's text: window.NewsroomTransliteration in the page, a module in Node."""
    table = transliteration_table()
    lines = []
    for start in range(0x80, FURTHEST_CHARACTER + 1, BLOCK):
        block = {char: spelled for char, spelled in table.items() if start <= ord(char) < start + BLOCK}
        if block:
            lines.append("    " + json.dumps(block, ensure_ascii=True, separators=(",", ":"))[1:-1] + ",")
    return (
        f"/* Generated from Unidecode {version('unidecode')} by plugins/newsroom/editor/transliteration.py: do not "
        "edit.\n * How Pelican's slugify spells each character in ASCII (header-format.js's slugify), "
        f"up to U+{FURTHEST_CHARACTER:04X}.\n */\n"
        "(function (root, table) {\n"
        '  if (typeof module === "object" && module.exports) module.exports = table;\n'
        "  else root.NewsroomTransliteration = table;\n"
        '})(typeof self !== "undefined" ? self : this, {\n'
        f"  furthest: 0x{FURTHEST_CHARACTER:04X},\n"
        "  spelling: {\n" + "\n".join(lines) + "\n  },\n});\n"
    )


if __name__ == "__main__":
    TABLE_FILE.write_text(transliteration_js(), encoding="ascii")
    print(f"Wrote {TABLE_FILE}")
