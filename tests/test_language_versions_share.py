"""The language versions of a post are one release: each shares the reference version's date, status,
materiality, audiences, category, syndication, corrections (both ways) and withdrawal, and the reference is the
default language's version or, without one, the first version in the order of NEWSROOM_LANGUAGES. Each test is a
way two versions differed and the checks said nothing: a body withdrawn in one language and public in another,
a correction only French readers got, a material release in other feeds or on other channels in each language,
and Pelican's `Translation:` taking the English version off the English listings."""

from __future__ import annotations

import pytest
from test_languages import LANGUAGES, MATERIAL, RELEASE, french, problems

from conftest import ROOT
from newsroom.site.build import load_settings

THREE = [*LANGUAGES, {"code": "de", "name": "Deutsch"}]


@pytest.fixture
def bilingual(site):
    site.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": False, "channel_fallback": False}
    return site


def with_german_texts(site) -> None:
    """Three languages: the project's texts with a German translation of each (the French one: enough here)."""
    project = load_settings(ROOT / "publishconf.py")

    def with_de(entry: dict) -> dict:
        translations = dict(entry.get("translations", {}))
        return {**entry, "translations": {**translations, "de": translations["fr"]} if "fr" in translations else {}}

    for key in ("NEWSROOM_AUDIENCES", "NEWSROOM_CATEGORIES", "NEWSROOM_CONTACTS", "NEWSROOM_PRESS_KIT"):
        site.overrides[key] = [with_de(entry) for entry in project[key]]
    site.overrides["NEWSROOM_COMPANY"] = with_de(project["NEWSROOM_COMPANY"])
    site.overrides["NEWSROOM_LANGUAGES"] = THREE
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}


def test_a_correction_only_the_translation_has_is_named_on_it(bilingual):
    bilingual.post("kessler", **MATERIAL)
    french(bilingual, **MATERIAL, Correction="2026-06-02 10:00 UTC | La capacité est de 204 MW, et non 240 MW.")
    (line,) = problems(bilingual)
    assert line.startswith("posts/kessler-fr.md:")
    assert ": correction: has a correction of '2026-06-02 10:00 UTC' that " in line and "/kessler.md lacks" in line


def test_a_withdrawal_at_another_time_is_named(bilingual):
    bilingual.post("kessler", **MATERIAL, Withdrawn="2026-06-03 10:00 UTC | Published in error.")
    french(bilingual, **MATERIAL, Withdrawn="2026-09-03 10:00 UTC | Publié par erreur.")
    (line,) = problems(bilingual)
    assert (
        line.startswith("posts/kessler-fr.md:") and ": withdrawn: '2026-09-03 10:00 UTC | Publié par erreur.'" in line
    )
    assert "(expected the same withdrawal time" in line


def test_the_same_withdrawal_written_in_another_zone_passes(bilingual):
    bilingual.post("kessler", **MATERIAL, Withdrawn="2026-06-03 10:00 UTC | Published in error.")
    french(bilingual, **MATERIAL, Withdrawn="2026-06-03 12:00 Europe/Paris | Publié par erreur.")
    assert problems(bilingual) == []


@pytest.mark.parametrize(
    "field, english, other",
    [("Category", "Press releases", "Regulatory filings"), ("Syndicate", None, "no")],
)
def test_a_material_release_in_other_feeds_or_on_other_channels_in_each_language_is_named(
    bilingual, field, english, other
):
    bilingual.overrides["NEWSROOM_MATERIAL_RULES"] = {"require_syndication": False}
    bilingual.post("kessler", **{**MATERIAL, field: english})
    french(bilingual, **{**MATERIAL, field: other})
    (line,) = problems(bilingual)
    assert line.startswith("posts/kessler-fr.md:") and f": {field.lower()}: '{other}' differs from" in line


def test_without_a_default_version_the_first_language_is_the_reference(site):
    """A post in French and German only (one language first): the French version withdrawn, the German one not;
    the German body stayed on its page, in its feeds and its search index, linked from the French notice."""
    with_german_texts(site)
    site.post("kessler", **RELEASE)
    shared = {"Id": "2026-06-02-usine", "Date": "2026-06-02 10:00 UTC"}
    withdrawn = "2026-06-03 10:00 UTC | Publié par erreur."
    site.post("usine-fr", "Texte.", Title="Usine", Lang="fr", Withdrawn=withdrawn, **shared)
    site.post("usine-de", "Text.", Title="Werk", Lang="de", **shared)
    (line,) = problems(site)
    assert line.startswith("posts/usine-de.md:1: withdrawn: is not withdrawn but ") and "usine-fr.md is" in line


def test_pelicans_translation_field_is_refused(bilingual):
    """`Translation: true` on the English version made Pelican take the French one for the original: the English
    home page, material news and investors' pages listed the French version alone."""
    bilingual.post("kessler", **MATERIAL, Translation="true")
    french(bilingual, **MATERIAL)
    (line,) = problems(bilingual)
    assert line.startswith("posts/kessler.md:") and ": translation: unknown field 'Translation'" in line
