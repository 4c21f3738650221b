"""The two-language benchmark corpus is a newsroom the checks accept: every French version is the same release as
its original (same Id, Date, Status, Material, corrections), every material post has one, and the English posts
are the same with or without their French versions, so the two builds the benchmark compares differ only by French.
A French version that drifted from its original must fail the checks, or the benchmark would time a broken site."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from conftest import ROOT
from newsroom.model.dates import parse_timestamp
from newsroom.site.build import load_settings

POSTS = 120


@pytest.fixture
def corpus(monkeypatch):
    """benchmarks/corpus.py, imported as benchmarks/build.py imports it (the folder on the path)."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import corpus

    return corpus


def whole_archive_in_french() -> list[dict]:
    """The production languages without French's `since`, as the two-language benchmark builds them: the checks
    then require a French version of every material post, whatever its date."""
    languages = load_settings(ROOT / "publishconf.py")["NEWSROOM_LANGUAGES"]
    return [{key: value for key, value in language.items() if key != "since"} for language in languages]


def field(path, name: str) -> str:
    found = re.search(rf"^{name}: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return found[1] if found else ""


def check_bilingual(site, corpus) -> list[str]:
    content = corpus.write_corpus(site.root, posts=POSTS, bilingual=corpus.Bilingual())
    assert content == site.content
    return [line.replace(f"{content}/", "") for line in site.check(NEWSROOM_LANGUAGES=whole_archive_in_french())]


def french_versions(content, corpus) -> list:
    return sorted((content / "posts").rglob(f"*{corpus.FRENCH_SUFFIX}"))


def test_the_two_language_corpus_passes_every_check_and_translates_every_material_post(site, corpus):
    assert check_bilingual(site, corpus) == []
    french = french_versions(site.content, corpus)
    originals = [path.with_name(path.name.replace(corpus.FRENCH_SUFFIX, ".md")) for path in french]
    assert all(original.exists() for original in originals)
    for version, original in zip(french, originals, strict=True):
        assert field(version, "Lang") == "fr"
        for name in ("Id", "Date", "Status", "Material", "Audience", "Category"):
            assert field(version, name) == field(original, name), (version, name)
        assert field(version, "Title") != field(original, "Title")
    material = [path for path in (site.content / "posts").rglob("*.md") if field(path, "Material") == "yes"]
    english_material = [path for path in material if corpus.FRENCH_SUFFIX not in path.name]
    assert english_material, "the corpus has material news"
    assert len(material) == 2 * len(english_material)  # each one has its French version
    share = (len(french) - len(english_material)) / (POSTS - len(english_material))
    assert 0.25 < share < 0.55, share  # about 40% of the rest
    assert any(field(path, "Correction") for path in french)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("date", r"date: '.*' differs from '.*' in "),
        ("correction", r"correction: lacks the correction of"),
        ("material", r"id: the 'fr' \(Français\) version of 'bench-\d+' is missing"),
    ],
)
def test_a_french_version_that_is_not_its_originals_release_fails_the_checks(site, corpus, damage, expected):
    assert check_bilingual(site, corpus) == []
    french = french_versions(site.content, corpus)
    if damage == "material":
        next(path for path in french if field(path, "Material") == "yes").unlink()
    else:
        victim = next(path for path in french if damage == "date" or field(path, "Correction"))
        text = victim.read_text(encoding="utf-8")
        if damage == "date":
            text = text.replace(f"Date: {field(victim, 'Date')}", "Date: 2016-11-02 09:00 UTC")
        else:
            text = re.sub(r"^Correction: .*\n", "", text, flags=re.MULTILINE)
        victim.write_text(text, encoding="utf-8")
    problems = site.check(NEWSROOM_LANGUAGES=whole_archive_in_french())
    assert any(re.search(expected, line) for line in problems), problems


def test_the_english_posts_are_the_same_with_and_without_their_french_versions(tmp_path, corpus):
    both = corpus.write_corpus(tmp_path / "both", posts=POSTS, bilingual=corpus.Bilingual())
    alone = corpus.write_corpus(tmp_path / "alone", posts=POSTS, bilingual=corpus.Bilingual(with_french=False))
    one_language = corpus.write_corpus(tmp_path / "one", posts=POSTS)

    def english(content):
        paths = [p for p in (content / "posts").rglob("*.md") if corpus.FRENCH_SUFFIX not in p.name]
        return {p.relative_to(content): p.read_text(encoding="utf-8") for p in paths}

    assert english(both) == english(alone)
    assert french_versions(alone, corpus) == []
    # The one-language corpus of the same seed: the same posts, less the material news marks.
    unmarked = {
        path: text.replace("Material: yes\nContact: investor-relations\n", "") for path, text in english(both).items()
    }
    assert unmarked == english(one_language)


def test_the_vanilla_dialect_has_the_same_french_versions(tmp_path, corpus):
    newsroom = corpus.write_corpus(tmp_path / "newsroom", posts=40, bilingual=corpus.Bilingual())
    vanilla = corpus.write_corpus(tmp_path / "vanilla", posts=40, dialect="vanilla", bilingual=corpus.Bilingual())
    pairs = list(zip(french_versions(newsroom, corpus), french_versions(vanilla, corpus), strict=True))
    assert pairs
    for ours, theirs in pairs:
        assert ours.relative_to(newsroom) == theirs.relative_to(vanilla)
        assert field(theirs, "Lang") == "fr" and field(theirs, "Id") == field(ours, "Id")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", field(theirs, "Date"))


def test_hugo_gets_each_french_version_beside_its_original_as_hugo_names_translations(tmp_path, corpus):
    newsroom = corpus.write_corpus(tmp_path / "newsroom", posts=40, bilingual=corpus.Bilingual())
    hugo = corpus.write_corpus(tmp_path / "hugo", posts=40, dialect="hugo", bilingual=corpus.Bilingual())
    theirs = sorted((hugo / "content" / "posts").rglob("*.fr.md"))
    ours = french_versions(newsroom, corpus)
    assert [p.relative_to(hugo / "content").as_posix() for p in theirs] == [
        p.relative_to(newsroom).as_posix().replace(corpus.FRENCH_SUFFIX, ".fr.md") for p in ours
    ]
    for version in theirs:
        assert version.with_name(version.name.replace(".fr.md", ".md")).exists()
        title = re.search(r'^title: "(.*)"$', version.read_text(encoding="utf-8"), re.MULTILINE)[1]
        assert title.startswith("Larkspur ") and " de " in title
    assert (hugo / "languages.toml").exists()  # the multilingual configuration benchmarks/build.py passes Hugo


def test_a_share_that_is_not_a_share_is_refused(corpus):
    with pytest.raises(ValueError, match=r"translated_share 1\.5 is not a share \(expected 0 to 1\)"):
        corpus.Bilingual(translated_share=1.5)


@pytest.mark.parametrize(
    "wall, zone",
    [
        ("2021-11-07 01:22", "America/New_York"),  # the clocks go back: it happens twice
        ("2022-03-13 02:36", "America/New_York"),  # the clocks go forward: it never happens
        ("2022-03-27 01:23", "Europe/London"),
        ("2026-12-03 16:05", "America/Chicago"),
    ],
)
def test_each_dialect_names_one_instant_the_newsroom_reads_even_where_the_clocks_change(corpus, wall, zone):
    moment = datetime.strptime(wall, "%Y-%m-%d %H:%M")
    newsroom, vanilla = corpus._timestamp(moment, zone, "newsroom"), corpus._timestamp(moment, zone, "vanilla")
    assert parse_timestamp(newsroom) == datetime.fromisoformat(vanilla)
