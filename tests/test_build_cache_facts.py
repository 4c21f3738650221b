"""Each post's clock-free facts kept in the content cache (remembered_facts.py): a rebuild classifies only what
changed, is byte-identical to a cold build, decides visibility on every build, and a damaged or foreign cache
only costs the time of classifying again."""

from __future__ import annotations

import pickle
from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest
from test_build_cache import cold_build, differing_files, fresh_checkout, three_posts

from conftest import files_containing
from newsroom.checks import remembered_facts, sources
from newsroom.checks.remembered_facts import FIELDS, FILE_NAME, RememberedFacts
from newsroom.model.classification import PostFacts
from newsroom.model.visibility import Visibility

NOW = "2026-11-26 12:00 UTC"


@pytest.fixture
def described(monkeypatch) -> list[str]:
    """The posts whose facts were worked out from their file (not taken from the cache)."""
    seen: list[str] = []
    original = sources.describe_file

    def describe_file(doc, content_relative, *rest):
        seen.append(content_relative)
        return original(doc, content_relative, *rest)

    monkeypatch.setattr(sources, "describe_file", describe_file)
    return seen


def facts_file(site):
    (path,) = (site.root / "cache").glob(f"content-*/{FILE_NAME}")
    return path


def test_a_rebuild_classifies_only_the_changed_post_and_matches_a_cold_build(site, described):
    three_posts(site)
    site.build(NEWSROOM_NOW=NOW)
    assert sorted(described) == ["posts/one.md", "posts/three.md", "posts/two.md"]
    fresh_checkout(site.content)
    site.post("two", Title="Second post, renamed", Date="2026-02-05 09:00 Europe/London", Tags="wind, solar")
    described.clear()
    cached = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "cached"))
    assert described == ["posts/two.md"]
    assert (cached / "news/2026/second-post-renamed/index.html").is_file()
    assert not (cached / "news/2026/second-post/index.html").exists()
    assert differing_files(cached, cold_build(site, "cold", NEWSROOM_NOW=NOW)) == []


def test_the_clock_is_never_taken_from_the_cache(site, described):
    site.post("deal", Title="Acquisition EMBARGOMARKER", Date="2026-12-03 16:05 America/New_York")
    site.build(NEWSROOM_NOW="2026-12-03 21:04 UTC")
    assert all(row[FIELDS.index("visibility")] is None for row in pickle.loads(facts_file(site).read_bytes()).values())
    described.clear()
    after = site.build(NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert described == []  # the same facts, and yet shown: the embargo has lifted
    assert "news/2026/acquisition-embargomarker/index.html" in files_containing(after, "EMBARGOMARKER")


def test_a_damaged_facts_file_only_costs_the_time_of_classifying_again(site, described, caplog):
    three_posts(site)
    site.build(NEWSROOM_NOW=NOW)
    path = facts_file(site)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # a save cut short
    described.clear()
    rebuilt = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "rebuilt"))
    assert sorted(described) == ["posts/one.md", "posts/three.md", "posts/two.md"]
    assert f"ignored the unreadable {path}" in caplog.text
    assert differing_files(rebuilt, cold_build(site, "cold", NEWSROOM_NOW=NOW)) == []
    described.clear()
    site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "again"))
    assert described == []  # the build wrote a sound file again


def foreign(row: tuple) -> list[tuple]:
    """Rows this code never writes for the file they are filed under: each must be ignored."""
    field = {name: index for index, name in enumerate(FIELDS)}

    def changed(name, value):
        return tuple(value if index == field[name] else old for index, old in enumerate(row))

    return [
        changed("visibility", Visibility.PUBLIC),  # the clock's decision, kept
        changed("path", "posts/other.md"),  # another file's facts
        changed("audiences", "investors"),  # not a tuple
        changed("url", 42),
        row[:-1],  # a row of an older shape
        (*row, "extra"),
        "not a row",
    ]


@pytest.mark.parametrize("case", range(len(foreign(tuple(range(len(FIELDS)))))))
def test_a_foreign_entry_in_the_facts_file_is_ignored(site, described, case):
    site.post("news", Title="A public post", Date="2026-03-05 09:00 UTC")
    site.post("deal", Title="Embargoed DEALMARKER", Date="2027-01-04 09:00 UTC")
    site.build(NEWSROOM_NOW=NOW)
    path = facts_file(site)
    known = pickle.loads(path.read_bytes())
    for key, row in known.items():
        known[key] = foreign(row)[case]
    path.write_bytes(pickle.dumps(known))
    described.clear()
    rebuilt = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "rebuilt"))
    assert sorted(described) == ["posts/deal.md", "posts/news.md"]
    assert files_containing(rebuilt, "DEALMARKER") == []
    assert differing_files(rebuilt, cold_build(site, "cold", NEWSROOM_NOW=NOW)) == []


def test_every_field_of_the_facts_has_a_kind_a_kept_row_is_checked_against():
    assert set(remembered_facts._KINDS) == {field.name for field in fields(PostFacts)}


def test_facts_are_kept_apart_by_path_text_and_site_address(tmp_path):
    facts = PostFacts(
        "posts/a.md", "a", (), datetime(2026, 1, 1, tzinfo=UTC), None, "a/", "a/", ("a/",), "a/index.html", None, ()
    )
    first = RememberedFacts(tmp_path / FILE_NAME, "https://one.example")
    assert first.facts("posts/a.md", "text", lambda: facts) == facts
    first.save()

    def never():
        raise AssertionError("worked out again")

    def again():
        return replace(facts, id="again")

    assert RememberedFacts(tmp_path / FILE_NAME, "https://one.example").facts("posts/a.md", "text", never) == facts
    assert RememberedFacts(tmp_path / FILE_NAME, "https://two.example").facts("posts/a.md", "text", again).id == "again"
    assert (
        RememberedFacts(tmp_path / FILE_NAME, "https://one.example").facts("posts/a.md", "text!", again).id == "again"
    )
    assert RememberedFacts(tmp_path / FILE_NAME, "https://one.example").facts("posts/b.md", "text", again).id == "again"


def test_a_cache_folder_that_cannot_be_written_is_one_warning(tmp_path, caplog):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    remembered = RememberedFacts(blocked / FILE_NAME)
    facts = PostFacts("posts/a.md", "a", (), None, None, None, None, (), None, None, ())
    remembered.facts("posts/a.md", "text", lambda: facts)
    remembered.save()
    assert "could not keep the posts' facts" in caplog.text
