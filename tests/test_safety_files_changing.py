"""A file under content/ that changes while the site builds (an editor's save, a `git checkout` during `invoke
livereload` or `preview`) is refused in one line naming it: the build publishes the texts the content checks
checked and no other, no post they passed drops out of the site unsaid, and a post is only ever read as the
regular file the walk of content/ saw (never through a link, never waiting on a FIFO)."""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from pathlib import Path

import pytest

from conftest import WITHHELD_KINDS, files_containing
from newsroom.checks import content_check
from newsroom.site import plugin
from newsroom.site.reader import NewsroomMarkdownReader
from refusals import lines_naming, problems, refused_build


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


# --- A file swapped or deleted after the walk of content/: read only as the regular file the walk saw ---------


def after_the_walk(monkeypatch, act) -> None:
    """Run `act` once the checks have walked content/ (and vetted each file without following links), before
    they read any post."""
    walked = content_check.walk_content

    def then_act(settings):
        result = walked(settings)
        act()
        return result

    monkeypatch.setattr(content_check, "walk_content", then_act)


def not_waiting_on(fifo: Path, action):
    """`action()`'s outcome (its result, or the exception it raised); if it is still waiting on `fifo` after a
    minute, the FIFO is opened for writing and closed, which ends the wait, and the test fails."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = action()
        except BaseException as error:  # handed to the test as it is
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail(f"reading content/ waited on the FIFO {fifo.name} (a FIFO never opened for writing: for ever)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_a_post_deleted_after_the_walk_is_one_line_from_invoke_check(site, monkeypatch):
    some_posts(site)
    after_the_walk(monkeypatch, (site.content / "posts" / "plain-0.md").unlink)
    (line,) = lines_naming(problems(site), "posts/plain-0.md", "file")
    assert "could not be read: it is not there any more" in line, line


def test_a_post_deleted_after_the_walk_stops_a_build_converting_in_two_processes(site, monkeypatch):
    # Enough posts for the Markdown helper (parallel_convert.WORTH_A_HELPER), which reads each file itself: it
    # leaves the deleted one alone, and the checks name it when they come to it.
    for number in range(70):
        site.post(f"plain-{number:03d}", f"Post number {number}.", Title=f"Plain post {number}")
    after_the_walk(monkeypatch, (site.content / "posts" / "plain-000.md").unlink)
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=True)
    assert "could not be read" in lines_naming(message, "posts/plain-000.md", "file")[0], message


def test_a_post_swapped_for_a_link_after_the_walk_is_not_read_through_it(site, monkeypatch, tmp_path):
    some_posts(site)
    post = site.post("swapped", "An ordinary post.", Title="Swapped post")
    outside = tmp_path / "elsewhere" / "notes.md"
    outside.parent.mkdir()
    outside.write_text(post.read_text().replace("An ordinary post.", "OUTSIDEMARKER from outside content/"))

    def swap():
        post.unlink()
        post.symlink_to(outside)

    after_the_walk(monkeypatch, swap)
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert "symbolic link" in lines_naming(message, "posts/swapped.md", "file")[0], message
    assert files_containing(site.root / "output", "OUTSIDEMARKER") == []


def test_a_folder_swapped_for_a_link_after_the_walk_is_not_read_through_it(site, monkeypatch, tmp_path):
    # O_NOFOLLOW guards the file's own name; every folder on the way to it is opened without following too.
    some_posts(site)
    site.file("posts/2026/inner.md", site.post("inner").read_text())
    (site.content / "posts" / "inner.md").unlink()
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site.content / "posts" / "2026", elsewhere)

    def swap():
        shutil.rmtree(site.content / "posts" / "2026")
        (site.content / "posts" / "2026").symlink_to(elsewhere, target_is_directory=True)

    after_the_walk(monkeypatch, swap)
    (line,) = lines_naming(problems(site), "posts/2026/inner.md", "file")
    assert "symbolic link" in line, line


def fifo_in_place_of(path: Path) -> None:
    """The post at `path` swapped for a FIFO, which an open waits on until something writes to it."""
    path.unlink()
    os.mkfifo(path)


def test_a_post_swapped_for_a_fifo_after_the_walk_is_one_line_not_a_wait_for_ever(site, monkeypatch):
    some_posts(site)
    fifo = site.content / "posts" / "plain-1.md"
    after_the_walk(monkeypatch, partial(fifo_in_place_of, fifo))
    (line,) = lines_naming(not_waiting_on(fifo, lambda: problems(site)), "posts/plain-1.md", "file")
    assert "not a regular file" in line, line


def test_a_post_swapped_for_a_fifo_after_the_checks_stops_the_build_in_one_line(site, monkeypatch):
    # Pelican's content cache stamps each file by its sha256 before the reader reads it: that reading too opens
    # the file only as a regular file.
    some_posts(site)
    fifo = site.content / "posts" / "plain-1.md"
    after_the_checks(monkeypatch, partial(fifo_in_place_of, fifo))
    build = partial(refused_build, site, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, NEWSROOM_PARALLEL_RENDER=False)
    message = not_waiting_on(fifo, build)
    assert "not a regular file" in lines_naming(message, "posts/plain-1.md", "file")[0], message


def test_a_post_swapped_for_a_link_to_its_own_text_after_the_checks_is_still_refused(site, monkeypatch, tmp_path):
    # The same text, so the checks' verdict would hold; but the build reads nothing through a link.
    some_posts(site)
    post = site.content / "posts" / "plain-2.md"
    copy = tmp_path / "copy.md"

    def swap():
        shutil.copy(post, copy)
        post.unlink()
        post.symlink_to(copy)

    after_the_checks(monkeypatch, swap)
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=False)
    assert "symbolic link" in lines_naming(message, "posts/plain-2.md", "file")[0], message
