"""Pages rendered in two processes (parallel_render.py): the very files one process writes, search index and
ownership records included; a second process that fails, or walks through other pages, fails the build in one
line; a build stopped half-way leaves no second process behind. The feeds and the manifest are written by the
first process while the second renders pages; a feed that cannot be written stops the build in one line. (Markdown
converted in two processes: test_parallel_convert.py.)"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from pelican import signals
from pelican.generators import Generator
from test_build_cache import differing_files, fresh_checkout
from test_search import fragments
from test_search_index_build import cold, many_posts, post_fields, production_build

from newsroom.feeds.generator import FeedsGenerator
from newsroom.kit.content_cache import cache_fingerprint
from newsroom.model.feed_catalogue import FEEDS_DIR
from newsroom.site.build import BuildFailed
from newsroom.site.manifest import ManifestGenerator
from newsroom.site.plugin import SettingsStopped
from newsroom.site.templating import FILTERS
from newsroom.syndication.published import MANIFEST_PATH


def recording_filter(log: Path, fail_in=None, share_with: int | None = None):
    """The theme's time_element filter, noting which process rendered with it (and failing where asked to).

    `share_with`: the first process's id. The first process then waits in its first render until the second has
    rendered a page too: the second writes the feeds before it reaches the pages, and the first could otherwise
    render all of a small site's pages alone, which is right but shows nothing."""

    def time_element(moment):
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        wait_for_the_second(log, share_with)
        if fail_in is not None and fail_in():
            raise ValueError("a template failed here")
        return FILTERS["time_element"](moment)

    return {"time_element": time_element}


def wait_for_the_second(log: Path, first: int | None) -> None:
    """In the first render process: wait until `log` shows that the second process rendered a page."""
    if first is None or os.getpid() != first:
        return
    deadline = time.monotonic() + 60
    while rendering_processes(log) <= {first} and time.monotonic() < deadline:
        time.sleep(0.01)


def rendering_processes(log: Path) -> set[int]:
    return {int(line.split()[0]) for line in log.read_text(encoding="utf-8").splitlines()}


def noting_written(log: Path, output: Path, relatives: tuple[str, ...], share_with: int | None = None):
    """The theme's time_element filter, noting which process rendered with it and whether `relatives` (files
    under `output`) were all on disk then (`share_with`: as in recording_filter)."""

    def time_element(moment):
        written = all((output / relative).exists() for relative in relatives)
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{os.getpid()} {written}\n")
        wait_for_the_second(log, share_with)
        return FILTERS["time_element"](moment)

    return {"time_element": time_element}


def child_processes() -> set[int]:
    """This process's children that still exist (a zombie, exited but not reaped, included)."""
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # it ended while we looked
            if int(stat.rpartition(")")[2].split()[1]) == os.getpid():
                children.add(int(entry.name))
    return children


@pytest.fixture
def posts(site):
    many_posts(site, 40)
    site.file("pages/about.md", "Title: About us\n\nWho we are.\n")
    return site


def test_pages_rendered_in_two_processes_are_the_files_one_process_writes_search_index_included(posts, tmp_path):
    two_log, one_log = tmp_path / "two.log", tmp_path / "one.log"
    two = cold(
        posts, "two", NEWSROOM_PARALLEL_RENDER=True, JINJA_FILTERS=recording_filter(two_log, share_with=os.getpid())
    )
    one = cold(posts, "one", NEWSROOM_PARALLEL_RENDER=False, JINJA_FILTERS=recording_filter(one_log))

    assert rendering_processes(one_log) == {os.getpid()}
    assert len(rendering_processes(two_log)) == 2 and os.getpid() in rendering_processes(two_log)
    assert differing_files(two, one) == []
    assert (two / MANIFEST_PATH).is_file() and len(list((two / FEEDS_DIR).rglob("*.xml"))) > 10  # compared too
    # Every post in the index: Pagefind read each page the second process wrote once it was on disk.
    titles = sorted(fragment["meta"]["title"] for fragment in fragments(two))
    assert titles == sorted(f"Post number {number}" for number in range(40))
    assert (two / ".newsroom/owners.json").read_bytes() == (one / ".newsroom/owners.json").read_bytes()


def test_a_cached_rebuild_in_two_processes_equals_a_cold_build_in_one(posts):
    production_build(posts, "first", NEWSROOM_PARALLEL_RENDER=True)
    fresh_checkout(posts.content)
    posts.post("post-7", "An edited body about wind.", **post_fields(7))
    cached = production_build(posts, "cached", NEWSROOM_PARALLEL_RENDER=True)
    assert differing_files(cached, cold(posts, "cold", NEWSROOM_PARALLEL_RENDER=False)) == []
    assert any("An edited body" in fragment["content"] for fragment in fragments(cached))


def test_a_second_process_that_fails_fails_the_build_in_one_line(posts, tmp_path):
    log, parent = tmp_path / "pids.log", os.getpid()

    def in_the_second_process():
        # The first waits for the second's first render, or on a loaded machine it could render every page alone.
        deadline = time.monotonic() + 30
        while os.getpid() == parent and not rendering_processes(log) - {parent} and time.monotonic() < deadline:
            time.sleep(0.01)
        return os.getpid() != parent

    failing = recording_filter(log, fail_in=in_the_second_process)
    with pytest.raises(BuildFailed) as failure:
        cold(posts, "out", NEWSROOM_PARALLEL_RENDER=True, JINJA_FILTERS=failing)
    assert str(failure.value) == ("rendering pages in a second process failed: a template failed here"), (
        "one line, naming what failed"
    )


def test_a_build_stopped_half_way_leaves_no_second_process(posts, tmp_path):
    log, parent = tmp_path / "pids.log", os.getpid()

    def once_the_second_process_rendered():
        deadline = time.monotonic() + 30
        while os.getpid() == parent and time.monotonic() < deadline:
            if rendering_processes(log) - {parent}:
                return True
            time.sleep(0.01)
        return False

    with pytest.raises(ValueError, match="a template failed here"):
        cold(
            posts,
            "out",
            NEWSROOM_PARALLEL_RENDER=True,
            # The second waits for the first's render, or it could take all pages while the first writes the feeds.
            JINJA_FILTERS=recording_filter(log, once_the_second_process_rendered, share_with=parent),
        )
    # A template error is Pelican's to report (its traceback names the template); what matters here is after it.
    (second,) = rendering_processes(log) - {parent}
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)  # stopped and reaped: not even a zombie is left


def two_process_failure(posts, signal, receiver) -> str:
    """What a build in two processes fails with while `receiver` hears Pelican's `signal`."""
    with signal.connected_to(receiver), pytest.raises(BuildFailed) as failure:
        cold(posts, "out", NEWSROOM_PARALLEL_RENDER=True)
    return str(failure.value)


@pytest.mark.parametrize("two_processes", [True, False])
def test_the_feeds_and_the_manifest_are_written_by_the_second_process_before_it_renders_a_page(
    posts, tmp_path, monkeypatch, two_processes
):
    log, writers, output = tmp_path / "pages.log", tmp_path / "writers.log", posts.root / "out"
    written_first = (f"{FEEDS_DIR}/all.atom.xml", f"{FEEDS_DIR}/all.json", f"{FEEDS_DIR}/newsroom.opml", MANIFEST_PATH)
    for generator in (FeedsGenerator, ManifestGenerator):  # which process runs each (a fork inherits this)
        monkeypatch.setattr(generator, "generate_output", noting_the_process(generator.generate_output, writers))
    filters = noting_written(log, output, written_first, share_with=os.getpid() if two_processes else None)
    cold(posts, "out", NEWSROOM_PARALLEL_RENDER=two_processes, JINJA_FILTERS=filters)

    notes = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    [writer] = set(writers.read_text(encoding="utf-8").split())  # both generators, in one process
    assert (int(writer) != os.getpid()) is two_processes
    # The process that writes them renders its pages after them; in two, the first renders meanwhile (it holds
    # the build's records, and peaks highest: it is spared the feeds' memory).
    assert {written for pid, written in notes if pid == writer} == {"True"}
    assert len({pid for pid, _ in notes}) == (2 if two_processes else 1)


def noting_the_process(generate_output, log: Path):
    def noted(self, writer):
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        return generate_output(self, writer)

    return noted


def test_a_feed_that_cannot_be_written_stops_the_build_in_one_line_and_leaves_no_second_process(posts):
    output = posts.root / "out"

    def block_the_feeds_folder(generators):  # after Pelican emptied the output folder, before anything is written
        output.mkdir(exist_ok=True)
        (output / FEEDS_DIR).write_text("a file where the feeds folder goes", encoding="utf-8")

    before = child_processes()
    message = two_process_failure(posts, signals.all_generators_finalized, block_the_feeds_folder)
    assert message.startswith(f"{FEEDS_DIR}/") and "could not be written" in message, message
    assert "\n" not in message
    assert child_processes() - before == set()  # the second process was stopped and reaped


def test_a_refusal_in_the_second_process_is_given_in_its_own_line_and_with_its_own_exit_code(posts, monkeypatch):
    refusal = "feeds/all.atom.xml: refused here (expected this test's refusal)"

    def refuse(self, writer):
        raise SettingsStopped(refusal)  # a refusal that exits with 2, where a plain failure exits with 1

    monkeypatch.setattr(FeedsGenerator, "generate_output", refuse)  # the second process inherits it
    with pytest.raises(BuildFailed) as failure:
        cold(posts, "out", NEWSROOM_PARALLEL_RENDER=True)
    assert (str(failure.value), failure.value.exit_code) == (refusal, SettingsStopped.exit_code)


def test_a_second_process_killed_after_writing_the_feeds_fails_the_build_in_one_line(posts, monkeypatch):
    first, write_manifest = os.getpid(), ManifestGenerator.generate_output

    def killed_after(self, writer):  # as the system's out-of-memory killer would, with the pages still to render
        write_manifest(self, writer)
        if os.getpid() != first:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(ManifestGenerator, "generate_output", killed_after)
    before = child_processes()
    with pytest.raises(BuildFailed) as failure:
        cold(posts, "out", NEWSROOM_PARALLEL_RENDER=True)
    assert str(failure.value) == "rendering pages in a second process failed: it stopped without saying why"
    assert child_processes() - before == set()


class StrayPageGenerator(Generator):
    """Writes a page through Pelican's writer without being one of the generators both processes run."""

    def generate_output(self, writer):
        writer.write_file("stray.html", self.get_template("page"), self.context, page=self.context["pages"][0])


def test_a_generator_outside_the_page_generators_writing_through_the_writer_fails_the_build(posts):
    def add_stray(pelican):
        return StrayPageGenerator

    message = two_process_failure(posts, signals.get_generators, add_stray)
    assert "the two render processes went through different pages" in message
    assert "NEWSROOM_PARALLEL_RENDER = False" in message


@pytest.mark.parametrize("value", ["yes", 1, "auto"])
def test_a_parallel_render_setting_that_is_not_true_or_false_is_refused(posts, value):
    with pytest.raises(BuildFailed) as failure:
        cold(posts, "out", NEWSROOM_PARALLEL_RENDER=value)
    assert f"NEWSROOM_PARALLEL_RENDER: {value!r} is not valid (expected True or False" in str(failure.value)
    assert not (posts.root / "out" / "index.html").exists()


def test_rendering_in_one_process_or_two_uses_the_same_content_cache(site):
    one, two = site.settings(NEWSROOM_PARALLEL_RENDER=False), site.settings(NEWSROOM_PARALLEL_RENDER=True)
    assert cache_fingerprint(one) == cache_fingerprint(two) == cache_fingerprint(site.settings())
