"""Pelican reads each post as soon as the content checks have checked it (site/read_ahead.py), not after them all:
each post is read once, what Pelican's loop takes is the post read then, a file touched since is read again (and
vouched for again), and nothing read ahead of a check that fails is ever written."""

from __future__ import annotations

import os

import pytest
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.readers import Readers

from conftest import files_containing
from newsroom.site import plugin
from refusals import lines_naming, refused_build


def reads_recorded(monkeypatch) -> list[tuple[str, bool]]:
    """Each reading of a post or page by Pelican (its reader, or its content cache): its file name and whether the
    checks were running."""
    reads: list[tuple[str, bool]] = []
    checking = []
    checks, reading = plugin.check_content, Readers.read_file

    def check_content(*args, **kwargs):
        checking.append(True)
        try:
            return checks(*args, **kwargs)
        finally:
            checking.clear()

    def read_file(readers, base_path, path, *args, **kwargs):
        reads.append((os.path.basename(path), bool(checking)))
        return reading(readers, base_path, path, *args, **kwargs)

    monkeypatch.setattr(plugin, "check_content", check_content)
    monkeypatch.setattr(Readers, "read_file", read_file)
    return reads


@pytest.mark.parametrize("posts", [3, 70], ids=["one-process", "markdown-helper"])  # 70: parallel_convert's helper
def test_each_post_is_read_once_while_the_checks_run(site, monkeypatch, posts):
    for number in range(posts):
        site.post(f"plain-{number:03d}", f"Post number {number}.", Title=f"Plain post {number}")
    site.file("pages/about.md", "Title: About us\n\nWho we are.\n")
    reads = reads_recorded(monkeypatch)
    output = site.build()
    post_reads = [read for read in reads if read[0].startswith("plain-")]
    assert sorted(name for name, _ in post_reads) == [f"plain-{number:03d}.md" for number in range(posts)]
    assert all(during_checks for _, during_checks in post_reads), post_reads
    assert ("about.md", False) in reads  # pages: read by Pelican after the checks, as ever
    assert len(list(output.glob("news/*/plain-*/index.html"))) == posts


def test_a_post_rewritten_with_its_own_text_after_it_was_read_ahead_is_read_again(site, monkeypatch):
    # The same text in a new file (an editor saving without a change, a checkout): not the file read ahead, so
    # Pelican reads it again; it is the text the checks checked, so the build goes on.
    site.post("steady", "The same words.", Title="Steady post")
    path = site.content / "posts" / "steady.md"
    text = path.read_bytes()
    checks = plugin.check_content

    def then_rewrite(*args, **kwargs):
        result = checks(*args, **kwargs)
        replacement = path.with_name("steady.md.new")
        replacement.write_bytes(text)
        os.replace(replacement, path)
        return result

    monkeypatch.setattr(plugin, "check_content", then_rewrite)
    reads = reads_recorded(monkeypatch)
    output = site.build()
    assert [read for read in reads if read[0] == "steady.md"] == [("steady.md", True), ("steady.md", False)], reads
    assert files_containing(output, "The same words.")


def test_posts_read_ahead_of_a_check_that_fails_are_never_written(site):
    # The first post passes its own check and is read; the check between posts (the same Id twice) then fails.
    site.post("first", "FIRSTMARKER text.", Title="First post", Id="shared-id")
    site.post("second", "SECONDMARKER text.", Title="Second post", Id="shared-id")
    message = refused_build(site)
    assert lines_naming(message, "posts/second.md", "id") or lines_naming(message, "posts/first.md", "id"), message
    output = site.root / "output"
    assert not output.exists() or files_containing(output, "FIRSTMARKER") == []


def test_a_post_rewritten_in_place_with_its_old_times_after_it_was_read_ahead_is_still_refused(site, monkeypatch):
    # Written in place (same file, same size) and its modification time set back: the system's change time still
    # tells it from the file read ahead, so Pelican reads it again and the reader refuses the unchecked text.
    site.post("quiet", "Public words here.", Title="Quiet post")
    path = site.content / "posts" / "quiet.md"
    checks = plugin.check_content

    def then_rewrite_quietly(*args, **kwargs):
        result = checks(*args, **kwargs)
        before = path.stat()
        with open(path, "r+b") as file:
            text = file.read()
            file.seek(0)
            file.write(text.replace(b"Public words", b"HIDDENWORDS!"))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
        return result

    monkeypatch.setattr(plugin, "check_content", then_rewrite_quietly)
    message = refused_build(site)
    assert "changed during the build, after the content checks" in lines_naming(message, "posts/quiet.md", "file")[0]
    assert files_containing(site.root / "output", "HIDDENWORDS") == []


def test_a_second_generator_of_posts_does_not_run_the_checks_again(site, monkeypatch):
    # A plugin's generator made from Pelican's ArticlesGenerator sends article_generator_init too: the checks have
    # run for the build by then, once, and its reading of posts is vouched for by the reader as any other.
    class PluginsPosts(ArticlesGenerator):
        def generate_context(self):
            pass

        def generate_output(self, writer):
            pass

    def more_generators(pelican):
        return PluginsPosts

    site.post("only", "The one post.", Title="Only post")
    runs = []
    checks = plugin.check_content
    monkeypatch.setattr(plugin, "check_content", lambda *args, **kwargs: runs.append(1) or checks(*args, **kwargs))
    signals.get_generators.connect(more_generators)
    try:
        output = site.build()
    finally:
        signals.get_generators.disconnect(more_generators)
    assert runs == [1] and files_containing(output, "The one post.")


def test_every_plugins_article_generator_init_runs_before_any_post_is_read(site):
    # Another plugin may set up the generator of posts at article_generator_init (its readers, its own state) for
    # what it does as each post is read: the posts are read ahead only once Pelican has made the generator of
    # pages, after every article_generator_init receiver.
    site.post("only", "The one post.", Title="Only post")
    site.build()  # the newsroom's receivers are connected first, as when it is the first of the PLUGINS
    order = []

    def set_up(generator):
        order.append("set up")

    def reading(generator, metadata):
        order.append("read")

    signals.article_generator_init.connect(set_up)
    signals.article_generator_context.connect(reading)
    try:
        site.build()
    finally:
        signals.article_generator_init.disconnect(set_up)
        signals.article_generator_context.disconnect(reading)
    assert order == ["set up", "read"], order
