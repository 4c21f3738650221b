"""The theme's own words and dates in the page's language: French chrome on French pages, English untouched."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from jinja2.ext import GETTEXT_FUNCTIONS, babel_extract

from conftest import ROOT, kessler_in_english_and_french, text_of
from newsroom.kit.catalogues import translations_for
from newsroom.model.local_dates import local_time
from newsroom.site.build import BuildFailed

CORRECTION = "2026-06-02 10:00 UTC"
ENGLISH_PAGE = "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"
FRENCH_PAGE = "fr/news/2026/larkspur-met-en-service-le-parc-eolien-de-kessler-ridge/index.html"


@pytest.fixture
def bilingual(site):
    corrections = (
        f"{CORRECTION} | The capacity is 240 MW, not 204 MW.",
        f"{CORRECTION} | La puissance est de 240 MW, et non de 204 MW.",
    )
    kessler_in_english_and_french(site, {"Id": "2026-06-01-kessler", "Material": None}, corrections)
    return site


def theme_copy(tmp_path: Path, french_po: str | None) -> Path:
    """The project's theme with its French catalogue replaced by `french_po` (None: no catalogue at all)."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("translations"))
    if french_po is not None:
        catalogue = theme / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
        catalogue.parent.mkdir(parents=True)
        catalogue.write_text(french_po, encoding="utf-8")
    return theme


def facts(page: str) -> list[str]:
    """The page's fact labels ('Published', 'For') in order."""
    return re.findall(r"<dt>(.*?)</dt>", page)


def test_a_french_post_shows_the_themes_words_and_its_dates_in_french(bilingual):
    output = bilingual.build()
    page = text_of(output, FRENCH_PAGE)
    assert facts(page) == ["Publié", "Mis à jour", "Pour", "Historique"]
    assert ">Rectificatif</h2>" in page and "Historique des révisions (1 modification)" in page
    assert "Salle de presse" in page and ">Archives</a>" in page and ">S’abonner</a>" in page
    assert 'aria-label="Français: autres langues"' in page
    assert "Chaque heure est indiquée avec son fuseau horaire." in page
    # The post's own zone, its French date and time; the machine-readable instant is the same in every language.
    assert '<time class="dt-published" datetime="2026-06-01T10:00:00-04:00">1 juin 2026, 10:00 EDT</time>' in page
    assert "2 juin 2026, 10:00 TU</time>" in page  # the correction's time, in the zone it was written in
    english = text_of(output, ENGLISH_PAGE)
    assert facts(english) == ["Published", "Updated", "For", "History"]
    assert ">Correction</h2>" in english and "1 June 2026, 10:00 EDT" in english
    assert "Publié" not in english and "juin" not in english


def test_the_catalogue_changes_only_the_other_languages_pages_byte_for_byte(bilingual, tmp_path):
    translated = bilingual.build(OUTPUT_PATH=str(tmp_path / "translated"))
    untranslated = bilingual.build(OUTPUT_PATH=str(tmp_path / "untranslated"), THEME=str(theme_copy(tmp_path, None)))
    pages = sorted(path.relative_to(translated) for path in translated.rglob("*.html"))
    changed = [page for page in pages if (translated / page).read_bytes() != (untranslated / page).read_bytes()]
    assert changed and all(page.parts[0] == "fr" for page in changed), changed
    assert Path(FRENCH_PAGE) in changed


FUZZY_AND_PARTIAL = """msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "For"
msgstr "Pour"

#, fuzzy
msgid "Archive"
msgstr "Archivé (à vérifier)"
"""


def test_a_string_the_catalogue_lacks_or_has_not_checked_falls_back_to_english(bilingual, tmp_path):
    output = bilingual.build(THEME=str(theme_copy(tmp_path, FUZZY_AND_PARTIAL)))
    page = text_of(output, FRENCH_PAGE)
    assert facts(page) == [
        "Published",
        "Updated",
        "Pour",
        "History",
    ]  # "Published" is missing: English, and the build goes on
    assert ">Archive</a>" in page and "à vérifier" not in page  # a fuzzy translation is not shown
    assert ">Correction</h2>" in page


def test_a_broken_catalogue_stops_the_build_with_one_line_naming_the_file(bilingual, tmp_path):
    theme = theme_copy(tmp_path, 'msgid "For"\nmsgstr "Pour\nthis is not a catalogue\n')
    with pytest.raises(BuildFailed) as stopped:
        bilingual.build(THEME=str(theme))
    message = str(stopped.value)
    assert len(message.splitlines()) == 1, message
    assert f"{theme}/translations/fr/LC_MESSAGES/messages.po: not a readable gettext catalogue" in message
    assert message.endswith("fix it, or make it again with pybabel (docs/languages.md)")


def test_a_regional_language_reads_its_own_catalogue_then_the_languages(tmp_path):
    theme = theme_copy(tmp_path, FUZZY_AND_PARTIAL)
    translations = str(theme / "translations")
    assert translations_for(translations, "fr-CA").gettext("For") == "Pour"
    assert translations_for(translations, "de").gettext("For") == "For"


def test_dates_follow_the_locale_and_always_name_the_zone():
    moment = datetime(2026, 12, 3, 16, 5, tzinfo=ZoneInfo("America/New_York"))
    assert local_time(moment, "fr-CA") == "3 décembre 2026, 16 h 05 HNE"
    assert local_time(moment, "fr") == "3 décembre 2026, 16:05 EST"
    paris = datetime(2026, 7, 3, 16, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert local_time(paris, "de") == "3. Juli 2026, 16:05 MESZ"  # the locale's own abbreviation
    assert local_time(moment, "not a language") == "3 December 2026, 16:05 EST"


def template_strings() -> set[str]:
    """Every string the theme's templates and the plugin's own words (model/wording.py) mark for translation
    (what `pybabel extract -F babel.cfg` finds)."""
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
    found = set()
    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        with template.open("rb") as source:
            for _line, _function, message, _comments in babel_extract(source, GETTEXT_FUNCTIONS, [], options):
                found.add(message if isinstance(message, str) else message[0])
    with (ROOT / "plugins" / "newsroom" / "model" / "wording.py").open("rb") as source:
        found.update(message for _line, _function, message, _comments in extract_python(source, ["N_"], [], {}))
    return found


def catalogue_ids(path: Path) -> dict[str, object]:
    with path.open("rb") as source:
        catalogue = read_po(source)
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalogue if m.id}


def test_the_committed_catalogues_have_every_string_the_templates_mark():
    marked = template_strings()
    translations = ROOT / "theme" / "translations"
    assert set(catalogue_ids(translations / "messages.pot")) == marked, "run pybabel extract (docs/languages.md)"
    french = catalogue_ids(translations / "fr" / "LC_MESSAGES" / "messages.po")
    untranslated = sorted(key for key in marked if not french.get(key) or not all(french[key]))
    assert untranslated == [], "translate these in the French catalogue (docs/languages.md)"


HOSTILE = """msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "For"
msgstr "Pour<img src=x onerror=alert(1)>"
"""

RENAMED_PLACEHOLDER = """msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "%(num)s correction"
msgid_plural "%(num)s corrections"
msgstr[0] "%(nombre)s correction"
msgstr[1] "%(nombre)s corrections"
"""


@pytest.mark.parametrize(
    ("catalogue", "what"),
    [(HOSTILE, "markup"), (RENAMED_PLACEHOLDER, "placeholders")],
)
def test_a_translation_cannot_add_markup_or_change_placeholders(bilingual, tmp_path, catalogue, what):
    """A translator's catalogue is text: the templates mark translations safe (Jinja's i18n does), so a msgstr
    with markup its msgid lacks would reach every French page as HTML, and a renamed placeholder would stop the
    render with a traceback. Either stops the build, in one line naming the file and the message."""
    theme = theme_copy(tmp_path, catalogue)
    with pytest.raises(BuildFailed) as stopped:
        bilingual.build(THEME=str(theme))
    message = str(stopped.value)
    assert len(message.splitlines()) == 1, message
    assert f"{theme}/translations/fr/LC_MESSAGES/messages.po" in message and what in message
