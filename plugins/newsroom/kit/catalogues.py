"""The theme's gettext catalogues, compiled in memory: the one source of the newsroom's words in each language.

The catalogues' source is committed (`<theme>/translations/<lang>/LC_MESSAGES/messages.po`) and compiled here,
once per process: no compiled .mo file is ever kept. The templates (site/theme_strings.py) and the words the
plugin writes itself (feed titles, feed items, the revision history: model/wording.py) read the same catalogue.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from newsroom.kit.errors import NewsroomError

CATALOGUE = Path("LC_MESSAGES", "messages.po")


class CatalogueError(NewsroomError):
    """A theme catalogue cannot be read: one line naming the file, what is wrong and the fix."""


def theme_translations_dir(settings: Mapping) -> str:
    return str(Path(settings["THEME"], "translations"))


@lru_cache(maxsize=16)
def catalogues(translations_dir: str) -> dict[str, gettext.GNUTranslations]:
    """Every language's compiled catalogue under `translations_dir`, by language folder name ('fr', 'fr_CA')."""
    found = {}
    for po_file in sorted(Path(translations_dir).glob(f"*/{CATALOGUE.as_posix()}")):
        try:
            with po_file.open("rb") as source:
                catalogue = read_po(source, abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError) as error:
            raise CatalogueError(
                f"{po_file}: not a readable gettext catalogue ({error}); "
                "fix it, or make it again with pybabel (docs/languages.md)"
            ) from None
        for problem in _unsafe_translations(catalogue):
            raise CatalogueError(f"{po_file}: {problem}")
        compiled = BytesIO()
        write_mo(compiled, catalogue)  # fuzzy entries are left out: an unchecked translation shows English
        compiled.seek(0)
        found[po_file.parents[1].name] = gettext.GNUTranslations(compiled)
    return found


# What a translation must carry over from its source exactly: Jinja's i18n marks a translation safe HTML, and
# formats it with the template's named placeholders.
_MARKUP = re.compile(r"<[^>]*>")
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _unsafe_translations(catalogue) -> list[str]:
    """Each translation that adds or drops markup or placeholders its source has: the allowlist for a msgstr is
    its own msgid's tags and placeholders, so a catalogue can change words and nothing else."""
    problems = []
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        for translation in message.string if isinstance(message.string, tuple) else (message.string,):
            if not translation:
                continue
            for what, pattern in (("markup", _MARKUP), ("placeholders", _PLACEHOLDER)):
                if sorted(pattern.findall(translation)) not in [sorted(pattern.findall(s)) for s in sources]:
                    problems.append(
                        f"msgstr for {sources[0]!r}: its {what} {sorted(set(pattern.findall(translation)))} differ "
                        f"from the msgid's (expected exactly {sorted(set(pattern.findall(sources[0])))}: a "
                        "translation changes words only)"
                    )
    return problems


def translations_for(translations_dir: str, code: str) -> gettext.NullTranslations:
    """The catalogue of `code` ('fr-CA' reads fr_CA, then fr); none: the template's own words."""
    by_folder = catalogues(translations_dir)
    region_form = code.replace("-", "_")
    for folder in (region_form, region_form.split("_")[0]):
        if folder in by_folder:
            return by_folder[folder]
    return gettext.NullTranslations()
