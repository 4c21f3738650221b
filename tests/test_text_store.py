"""A build's long texts (each post's body and card) wait in an unlinked file of the build's own, not in its heap
(site/text_store.py): given back exactly as written, private, gone with the build, kept in memory when the disk
refuses them, and written by each process to its own file."""

from __future__ import annotations

import gc
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from pelican import signals

from newsroom.site.post_cards import CARD_TEMPLATE
from newsroom.site.shared_partials import SHARED_PARTIALS
from newsroom.site.text_store import OnDisk, TextStore, close_store, held_text, hold, open_store

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ("<p>“Kessler” — 240 MW</p>", "<p>风电场 🌬️</p>", "<p>lone \udc80 surrogate</p>", "", "<p>plain</p>")
WORDS = "Kessler Ridge adds 240 MW of wind to the grid, and its crews worked through the “winter”. "


@pytest.fixture
def building():
    open_store()
    yield
    close_store()


def test_texts_held_during_a_build_come_back_exactly_as_written(building):
    held = [hold(text) for text in TEXTS]
    assert all(type(value) is OnDisk for value in held)
    assert [held_text(value) for value in held] == list(TEXTS)
    assert [held_text(value) for value in reversed(held)] == list(reversed(TEXTS))  # in any order, any number of times


def test_what_a_build_holds_is_not_in_the_process_heap(building):
    texts = [WORDS * 100 + str(n) for n in range(200)]  # 1.8 MB of text, two bytes a character as strings
    total = sum(len(text.encode()) for text in texts)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        held = []
        for text in texts:
            held.append(hold(text))
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del texts
    assert grown < total / 20, f"holding {total} bytes of text grew the heap by {grown}"
    assert held_text(held[17]) == WORDS * 100 + "17"


def test_outside_a_build_a_text_is_held_in_memory_as_utf8():
    close_store()
    assert hold("plain ascii") == "plain ascii"
    for text in TEXTS[:3]:
        assert hold(text) == text.encode("utf-8", "surrogatepass")
        assert held_text(hold(text)) == text
    assert held_text(None) is None


def test_the_store_is_a_file_no_one_else_can_open_and_nothing_is_left_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR again
    open_store()
    try:
        held = hold("<p>An embargoed result: revenue “up 12%”.</p>")
        descriptor = held.store._fd
        where = os.readlink(f"/proc/self/fd/{descriptor}")
        assert where.startswith(str(tmp_path)) and where.endswith("(deleted)"), where  # in TMPDIR, with no name
        assert os.fstat(descriptor).st_nlink == 0
        assert stat.S_IMODE(os.fstat(descriptor).st_mode) & 0o077 == 0  # readable by this user alone
        assert list(tmp_path.iterdir()) == []  # nothing to find while the build runs, nothing left after it
        assert held_text(held) == "<p>An embargoed result: revenue “up 12%”.</p>"
    finally:
        close_store()


def test_a_forked_process_reads_what_it_inherited_and_writes_to_a_file_of_its_own(building):
    before = hold("<p>Held before the fork: “first”.</p>")
    store = before.store
    end = store._end
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the second render process does this (parallel_render.py)
        os.close(reader)
        code = 1
        try:
            after = hold("<p>Held by the second process: “second”.</p>")
            ok = (
                held_text(before) == "<p>Held before the fork: “first”.</p>"
                and type(after) is OnDisk
                and after.store is not store
                and held_text(after) == "<p>Held by the second process: “second”.</p>"
            )
            os.write(writer, b"ok" if ok else b"wrong")
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    answer = os.read(reader, 16)
    os.close(reader)
    _, status = os.waitpid(child, 0)
    assert status == 0 and answer == b"ok"
    assert store._end == end  # the parent's file was not written by the child
    assert held_text(before) == "<p>Held before the fork: “first”.</p>"


def test_a_disk_that_refuses_a_text_leaves_it_in_memory_and_nothing_is_lost(tmp_path):
    # A real limit on the file's size (RLIMIT_FSIZE): the first text fits, the second is written in part (a short
    # write), the third is refused (EFBIG), as a full disk would.
    script = textwrap.dedent(
        """
        import resource, signal, sys
        sys.path.insert(0, sys.argv[1])
        from newsroom.site.text_store import OnDisk, held_text, hold, open_store
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        open_store()
        texts = ["“first” " * 60, "“second” " * 60, "“third” " * 60]
        held = [hold(text) for text in texts]
        print([type(value).__name__ for value in held])
        assert [held_text(value) for value in held] == texts
        print("round trip")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "plugins")],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['OnDisk', 'bytes', 'bytes']", "round trip"]


def test_no_temporary_folder_to_write_to_leaves_the_texts_in_memory(tmp_path, monkeypatch):
    # tempfile's folder is a file: opening the store fails in the operating system (ENOTDIR), as for a folder
    # the build may not write to. The build goes on, its texts in memory.
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    open_store()
    try:
        held = hold("<p>“Kessler” — 240 MW</p>")
        assert held == "<p>“Kessler” — 240 MW</p>".encode() and held_text(held) == "<p>“Kessler” — 240 MW</p>"
    finally:
        close_store()


def test_a_build_holds_every_body_and_card_in_its_store(site):
    site.post("results", Title="Third-quarter results", body="Revenue rose “sharply”, to 1,904 million.")
    site.post("wind", Title="Kessler Ridge online", body="240 MW of wind 🌬️.", Tags="wind")
    held = {}

    def look(generator, writer=None):
        for article in generator.articles:
            held[article.slug] = (article.__dict__["_content"], article.content)
        held["cards"] = generator.context[SHARED_PARTIALS].made_from(CARD_TEMPLATE)

    signals.article_writer_finalized.connect(look)
    try:
        output = site.build(NEWSROOM_PARALLEL_RENDER=False)
    finally:
        signals.article_writer_finalized.disconnect(look)
    value, text = held["third-quarter-results"]
    assert type(value) is OnDisk and "Revenue rose “sharply”" in text
    assert type(held["kessler-ridge-online"][0]) is OnDisk
    assert held["cards"] and all(type(card) is OnDisk for card in held["cards"])
    page = (output / "news/2026/third-quarter-results/index.html").read_text(encoding="utf-8")
    assert "Revenue rose “sharply”, to 1,904 million." in page
    assert hold("after the build") == "after the build"  # the build closed its store


def test_building_again_and_again_keeps_no_earlier_builds_posts_or_store_files(site):
    # `invoke livereload` builds in one process for hours: Pelican's memo of get_summary (the class's) kept every
    # post of every build, and with them each build's store file, open until the process ended.
    site.post("results", Title="Third-quarter results", body="Revenue rose “sharply”.")
    for n in range(3):
        site.build(OUTPUT_PATH=str(site.root / f"out-{n}"), NEWSROOM_PARALLEL_RENDER=False)
    gc.collect()
    stores = [thing for thing in gc.get_objects() if isinstance(thing, TextStore)]
    assert len(stores) <= 1, f"{len(stores)} text stores alive after three builds"
