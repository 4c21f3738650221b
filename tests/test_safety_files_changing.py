"""A file under content/ that changes while the site builds (an editor's save, a `git checkout` during `invoke
livereload` or `preview`) is refused in one line naming it: the build publishes the texts the content checks
checked and no other, and no post they passed drops out of the site unsaid."""

from __future__ import annotations

import pytest

from conftest import WITHHELD_KINDS, files_containing
from newsroom.site import plugin
from newsroom.site.reader import NewsroomMarkdownReader
from refusals import lines_naming, refused_build


def after_the_checks(monkeypatch, act) -> None:
    """Run `act` once the content checks have passed, before Pelican reads any post or page."""
    checked = plugin.check_content

    def then_act(*args, **kwargs):
        result = checked(*args, **kwargs)
        act()
        return result

    monkeypatch.setattr(plugin, "check_content", then_act)


def some_posts(site) -> None:
    for number in range(3):
        site.post(f"plain-{number}", f"Post number {number}.", Title=f"Plain post {number}")


def test_a_post_made_employees_only_after_the_checks_stops_the_build_in_one_line(site, monkeypatch):
    # The checks classified the text they read as public; the one Pelican would read is employees-only. Published,
    # it would go out under the public verdict (7 files, the public feeds among them).
    some_posts(site)
    site.post("results", "The quarterly results are good.", Title="Quarterly results")
    rewritten = {"Title": "Quarterly results", "Audience": "employees"}
    after_the_checks(monkeypatch, lambda: site.post("results", "INTERNALMARKER the acquisition.", **rewritten))
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert message == lines_naming(message, "posts/results.md", "file")[0], message  # the one line, no other
    assert "changed during the build, after the content checks" in message and "build again" in message
    assert files_containing(site.root / "output", "INTERNALMARKER") == []


def test_a_page_changed_after_the_checks_stops_the_build_too(site, monkeypatch):
    some_posts(site)
    page = site.file("pages/about.md", "Title: About us\n\nWho we are.\n")
    after_the_checks(monkeypatch, lambda: page.write_text("Title: About us\n\nUNCHECKEDMARKER\n", encoding="utf-8"))
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert lines_naming(message, "pages/about.md", "file"), message
    assert files_containing(site.root / "output", "UNCHECKEDMARKER") == []


def test_a_post_added_after_the_checks_is_refused_never_read_unchecked(site, monkeypatch):
    some_posts(site)
    after_the_checks(monkeypatch, lambda: site.post("late", "LATEMARKER not checked.", Title="Late post"))
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert "added during the build, after the content checks" in lines_naming(message, "posts/late.md", "file")[0]
    assert files_containing(site.root / "output", "LATEMARKER") == []


def test_a_post_deleted_after_the_checks_stops_the_build_never_drops_out_silently(site, monkeypatch):
    # The checks passed it as published and compared it with the register of what has been public; a site built
    # without it would remove it from the public record while reporting success.
    some_posts(site)
    gone = site.post("vanishing", "A published post.", Title="Vanishing post")
    after_the_checks(monkeypatch, gone.unlink)
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert "deleted or moved during the build" in lines_naming(message, "posts/vanishing.md", "file")[0], message


def test_withheld_posts_read_and_left_out_are_not_taken_for_deleted_ones(site):
    # Pelican reads drafts, hidden, embargoed and employees-only posts, and the edition drops them: they were
    # read, so the build goes on.
    some_posts(site)
    for marker, fields in WITHHELD_KINDS.items():
        site.post(marker.lower(), f"{marker} text.", Title=f"{marker} post", **fields)
    output = site.build(NEWSROOM_PARALLEL_RENDER=False)
    assert all(files_containing(output, marker) == [] for marker in WITHHELD_KINDS)


def test_posts_served_from_pelicans_content_cache_count_as_read(site, monkeypatch):
    # With CACHE_CONTENT on, Pelican serves a file whose sha256 is the one cached without calling the reader: its
    # text is then the one the checks read, and the build goes on.
    some_posts(site)
    site.build(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    read = []
    reading = NewsroomMarkdownReader.read
    monkeypatch.setattr(NewsroomMarkdownReader, "read", lambda reader, path: read.append(path) or reading(reader, path))
    output = site.build(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    assert read == [] and len(list(output.glob("*/*/plain-post-*/index.html"))) == 3


@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "two-processes"])
def test_an_unchanged_site_builds_whatever_the_processes(site, parallel):
    some_posts(site)
    site.file("pages/about.md", "Title: About us\n\nWho we are.\n")
    output = site.build(NEWSROOM_PARALLEL_RENDER=parallel)
    assert (output / "index.html").is_file()
