"""The content cache that makes CI rebuilds fast: keyed by content hash, byte-identical to a cold build, and never
a reason for a post to be shown or withheld wrongly."""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from conftest import files_containing
from newsroom.kit.content_cache import cache_fingerprint
from newsroom.model.rendering import MarkdownRenderer
from newsroom.site.build import BuildFailed
from newsroom.site.reader import NewsroomMarkdownReader

NOW = "2026-11-26 12:00 UTC"


@pytest.fixture
def reads(monkeypatch, site) -> list[str]:
    """The source files Markdown actually converts, in the checks or in Pelican's reader (a file served from the
    cache is converted by neither)."""
    seen: list[str] = []
    taken, checks_convert = NewsroomMarkdownReader._take_converted, MarkdownRenderer.convert

    def read(self, relative, digest):  # the reader converts what it cannot take from the checks
        return taken(self, relative, digest) or seen.append(relative.rsplit("/", 1)[-1])

    def convert(self, text):
        seen.extend(path.name for path in site.content.rglob("*.md") if path.read_text(encoding="utf-8") == text)
        return checks_convert(self, text)

    monkeypatch.setattr(NewsroomMarkdownReader, "_take_converted", read)
    monkeypatch.setattr(MarkdownRenderer, "convert", convert)
    return seen


def fresh_checkout(content: Path) -> None:
    """What a CI checkout does to the files: same bytes, every modification time new."""
    later = os.stat(content).st_mtime + 3600
    for path in content.rglob("*"):
        os.utime(path, (later, later))


def differing_files(first: Path, second: Path) -> list[str]:
    names = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    common = sorted(names & others)
    return sorted(names ^ others) + [n for n in common if not filecmp.cmp(first / n, second / n, shallow=False)]


def cold_build(site, name: str, **overrides) -> Path:
    """A build with no cache at all, for comparison."""
    return site.build(OUTPUT_PATH=str(site.root / name), CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False, **overrides)


def three_posts(site) -> None:
    site.post("one", Title="First post", Date="2026-01-05 09:00 America/New_York")
    site.post("two", Title="Second post", Date="2026-02-05 09:00 Europe/London", Tags="wind, solar")
    site.post("three", Title="Third post", Date="2026-03-05 09:00 UTC", Audience="investors")


def test_a_rebuild_from_a_fresh_checkout_reads_only_the_changed_post_and_matches_a_cold_build(site, reads):
    three_posts(site)
    site.build(NEWSROOM_NOW=NOW)
    assert sorted(reads) == ["one.md", "three.md", "two.md"]
    assert list((site.root / "cache").glob("content-*/ArticlesGenerator-Readers"))  # the cache was written

    fresh_checkout(site.content)
    site.post("two", "An edited body.", Title="Second post", Date="2026-02-05 09:00 Europe/London", Tags="wind, solar")
    reads.clear()
    cached = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "cached"))
    assert reads == ["two.md"]
    assert "An edited body." in (cached / "news/2026/second-post/index.html").read_text(encoding="utf-8")
    assert differing_files(cached, cold_build(site, "cold", NEWSROOM_NOW=NOW)) == []


def test_a_post_changed_without_a_new_modification_time_is_read_again(site, reads):
    path = site.post("one", "Original wording.", Title="First post")
    site.build(NEWSROOM_NOW=NOW)
    stamp = path.stat()
    site.post("one", "Corrected wording.", Title="First post")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # an mtime cache would serve the old text
    reads.clear()
    out = site.build(NEWSROOM_NOW=NOW)
    assert reads == ["one.md"]
    assert "Corrected wording." in (out / "news/2026/first-post/index.html").read_text(encoding="utf-8")


def test_a_cached_embargoed_post_appears_when_its_embargo_lifts(site, reads):
    site.post("deal", Title="Acquisition EMBARGOMARKER", Date="2026-12-03 16:05 America/New_York")
    before = site.build(NEWSROOM_NOW="2026-12-03 21:04 UTC")
    assert files_containing(before, "EMBARGOMARKER") == []
    fresh_checkout(site.content)
    reads.clear()
    after = site.build(NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert reads == []  # served from the cache, yet shown: the embargo is decided on every build
    assert "news/2026/acquisition-embargomarker/index.html" in files_containing(after, "EMBARGOMARKER")
    cold = cold_build(site, "cold", NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert differing_files(after, cold) == []


@pytest.mark.parametrize(
    "withheld",
    [{"Status": "draft"}, {"Status": "hidden"}, {"Audience": "employees"}, {"Date": "2027-01-04 09:00 UTC"}],
    ids=["draft", "hidden", "internal", "embargoed"],
)
def test_a_cached_public_post_that_becomes_withheld_disappears(site, withheld):
    site.post("news", Title="Public for now WITHHELDMARKER")
    site.post("other", Title="Another post")
    public = site.build(NEWSROOM_NOW=NOW)
    assert files_containing(public, "WITHHELDMARKER")
    fresh_checkout(site.content)
    site.post("news", Title="Public for now WITHHELDMARKER", **withheld)
    rebuilt = site.build(NEWSROOM_NOW=NOW)
    assert files_containing(rebuilt, "WITHHELDMARKER") == []
    assert differing_files(rebuilt, cold_build(site, "cold", NEWSROOM_NOW=NOW)) == []


def test_the_cache_folder_changes_with_reading_settings_but_not_with_output_or_clock(site):
    base = site.settings(NEWSROOM_NOW=NOW)
    assert cache_fingerprint(base) == cache_fingerprint(
        site.settings(NEWSROOM_NOW="2030-01-01 00:00 UTC", OUTPUT_PATH=str(site.root / "elsewhere"))
    )
    markdown = {**base["MARKDOWN"], "output_format": "xhtml"}
    assert cache_fingerprint(base) != cache_fingerprint(site.settings(NEWSROOM_NOW=NOW, MARKDOWN=markdown))
    categories = [{**base["NEWSROOM_CATEGORIES"][0], "name": "Releases"}, *base["NEWSROOM_CATEGORIES"][1:]]
    assert cache_fingerprint(base) != cache_fingerprint(site.settings(NEWSROOM_CATEGORIES=categories))


def test_a_cache_written_with_other_settings_is_not_used(site, reads):
    site.post("one", Title="First post")
    site.build(NEWSROOM_NOW=NOW)
    reads.clear()
    site.build(NEWSROOM_NOW=NOW, SLUG_REGEX_SUBSTITUTIONS=[(r"[^\w\s-]", ""), (r"[-\s]+", "_")])
    assert reads == ["one.md"]
    assert len(list((site.root / "cache").glob("content-*"))) == 2


def test_an_empty_cache_file_left_by_a_failed_save_does_not_break_the_next_build(site, reads):
    site.post("one", Title="First post")
    site.build(NEWSROOM_NOW=NOW)
    (cache_file,) = (site.root / "cache").glob("content-*/ArticlesGenerator-Readers")
    cache_file.write_bytes(b"")
    reads.clear()
    out = site.build(NEWSROOM_NOW=NOW)
    assert reads == ["one.md"] and (out / "news/2026/first-post/index.html").is_file()
    assert cache_file.stat().st_size > 0  # saved again


def test_caching_whole_articles_is_refused(site):
    site.post("one")
    with pytest.raises(BuildFailed, match="CONTENT_CACHING_LAYER: 'generator' would cache whole articles"):
        site.build(NEWSROOM_NOW=NOW, CONTENT_CACHING_LAYER="generator")
    shutil.rmtree(site.root / "cache", ignore_errors=True)


def slug_separator(separator: str) -> dict:
    """A reading setting (and so a cache folder of its own) per separator."""
    return {"SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"[-\s]+", separator)]}


def test_each_edition_keeps_only_its_two_latest_cache_folders(site, reads):
    site.post("one", Title="First post")
    cache = site.root / "cache"
    left_by_old_code = cache / "content-0123456789abcdef"  # a folder written before folders were marked
    left_by_old_code.mkdir(parents=True)
    (left_by_old_code / "ArticlesGenerator-Readers").write_bytes(b"old")
    site.build(NEWSROOM_NOW=NOW, NEWSROOM_EDITION="internal")  # another edition's folder: never this one's to remove
    internal = set(cache.glob("content-*")) - {left_by_old_code}
    folders = []
    for separator in ("_", "+", "~"):
        site.build(NEWSROOM_NOW=NOW, **slug_separator(separator))
        folders.append(next(iter(set(cache.glob("content-*")) - internal - set(folders) - {left_by_old_code})))
    assert not left_by_old_code.exists()
    assert set(cache.glob("content-*")) == internal | set(folders[1:])  # the first of the three is gone
    reads.clear()
    site.build(NEWSROOM_NOW=NOW, **slug_separator("+"))  # a kept folder: nothing read again
    assert reads == []
    site.build(NEWSROOM_NOW=NOW, **slug_separator("_"))  # a removed folder costs reading again, nothing else
    assert reads == ["one.md"]
    assert set(cache.glob("content-*")) == internal | {folders[0], folders[1]}  # "~" was the oldest by then
