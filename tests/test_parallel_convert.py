"""Markdown converted in two processes while the checks go through the posts (parallel_convert.py): what one
process converts, each text once, whichever process takes it; the checks convert files themselves while the
helper is busy, rather than wait; a helper that fails, is killed or is stopped loses no conversion and leaves no
process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from multiprocessing.connection import Connection

import pytest
from test_parallel_render import child_processes

from newsroom.checks.parallel_convert import WORTH_A_HELPER, ConvertingAhead, SharedCounter
from newsroom.model.rendering import MarkdownRenderer


def converting_ahead(renderer: MarkdownRenderer, texts: list[tuple[str, str]]) -> ConvertingAhead:
    """The helper, given files (path, text) to read as the checks' helper reads content/."""
    return ConvertingAhead(renderer, [path for path, _ in texts], dict(texts).get)


def helper_waits_until(converting: ConvertingAhead, taken: int) -> None:
    """Wait until the helper alone (the checks have come to no file yet) has taken `taken` of the texts."""
    deadline = time.monotonic() + 30
    while converting.taken < taken and time.monotonic() < deadline:
        time.sleep(0.01)
    assert converting.taken >= taken, "the helper never converted"


def checks_go_through(converting: ConvertingAhead, count: int) -> None:
    """As the checks do: come to each file in turn."""
    for index in range(count):
        converting.ready_for(index)


class CountingRenderer(MarkdownRenderer):
    """Counts the conversions made in this process (the helper's are its own)."""

    conversions = 0

    def convert(self, text):
        self.conversions += 1
        return super().convert(text)


class SlowInTheHelper(CountingRenderer):
    """Each conversion made in another process than the one that created it takes a twentieth of a second."""

    def __init__(self, settings):
        super().__init__(settings)
        self.parent = os.getpid()

    def convert(self, text):
        if os.getpid() != self.parent:
            time.sleep(0.05)
        return super().convert(text)


class FailingInTheHelper(MarkdownRenderer):
    """Fails every conversion made in another process than the one that created it, after its first."""

    def __init__(self, settings):
        super().__init__(settings)
        self.parent, self.converted_here = os.getpid(), 0

    def convert(self, text):
        self.converted_here += 1
        if os.getpid() != self.parent and self.converted_here > 1:
            raise ValueError("the helper failed here")
        return super().convert(text)


def posts(count: int, body: str = "Body *{n}*.") -> list[tuple[str, str]]:
    return [(f"posts/post-{n:03}.md", f"Title: Post {n}\n\n" + body.format(n=n) + "\n") for n in range(count)]


def test_markdown_converted_in_two_processes_is_what_one_process_converts(site):
    settings = site.settings()
    texts = [
        (
            f"posts/post-{n}.md",
            f"Title: Post {n}\nDate: 2026-01-0{1 + n % 9} 09:00 UTC\n\n## Part {n}\n\n"
            f"| Year | MW |\n|---|---|\n| 2026 | {n} |\n\nText[^{n}] with *emphasis*.\n\n[^{n}]: A note {n}.\n",
        )
        for n in range(WORTH_A_HELPER + 6)
    ]
    ahead, alone = MarkdownRenderer(settings), MarkdownRenderer(settings)
    with converting_ahead(ahead, texts) as converting:
        helper_waits_until(converting, taken=len(texts) // 2)
        checks_go_through(converting, len(texts))
        assert converting.finish() >= len(texts) // 2
    for path, text in texts:
        assert ahead.render(path, text) == alone.render(path, text)
    assert ahead.rendered == alone.rendered  # HTML and header metadata, file by file


@pytest.mark.parametrize("remember", [True, False])
def test_each_text_is_converted_once_whichever_process_converts_it(site, remember):
    texts = posts(WORTH_A_HELPER * 3)
    renderer = CountingRenderer(site.settings(), remember=remember)
    with converting_ahead(renderer, texts) as converting:
        checks_go_through(converting, len(texts))  # which process takes which text is the machine's timing
        assert sorted(renderer.ready) == [path for path, _ in texts]  # every one ready when the checks came to it
        helped = converting.finish()
    for path, text in texts:  # as the checks then ask for every text
        renderer.render(path, text)
    assert renderer.conversions == len(texts) - helped


def test_the_checks_convert_files_themselves_while_the_helper_is_busy_rather_than_wait(site):
    """Both processes take files from one counter, and the checks never wait for the helper: with a helper that
    takes a twentieth of a second a file, the checks convert most files themselves as they come to them, and a file
    the helper still has in hand when every file is taken is converted here too."""
    texts = posts(WORTH_A_HELPER * 2)
    renderer = SlowInTheHelper(site.settings())
    started = time.monotonic()
    with converting_ahead(renderer, texts) as converting:
        checks_go_through(converting, len(texts))
        took = time.monotonic() - started
        helped = converting.finish()
    assert sorted(renderer.ready) == [path for path, _ in texts]
    assert renderer.conversions == len(texts) - helped  # each file's conversion taken once: here or the helper's
    assert renderer.conversions > len(texts) // 2, f"the checks waited for the helper: it converted {helped}"
    assert took < 0.05 * len(texts) / 2, f"{took:.1f} s: the checks waited for the helper's files"


def test_a_helper_that_fails_half_way_loses_no_conversion(site):
    texts = posts(WORTH_A_HELPER + 2)
    failing, alone = FailingInTheHelper(site.settings()), MarkdownRenderer(site.settings())
    with converting_ahead(failing, texts) as converting:
        helper_waits_until(converting, taken=2)  # it took a few texts, and failed on the second
        checks_go_through(converting, len(texts))
        assert converting.finish() == 0
    for path, text in texts:  # what the helper took and never sent was converted here
        assert path in failing.ready
        assert failing.render(path, text) == alone.render(path, text)


def test_a_build_stopped_while_the_helper_converts_leaves_no_helper(site):
    texts = posts(WORTH_A_HELPER * 4, body="Long body. " * 2000)
    before = child_processes()
    with pytest.raises(ValueError, match="a check failed"), converting_ahead(MarkdownRenderer(site.settings()), texts):
        assert child_processes() - before, "the helper was started"
        raise ValueError("a check failed")  # as the classification of the posts might
    assert child_processes() - before == set()  # stopped and reaped: not even a zombie is left


def test_a_build_interrupted_while_it_takes_the_helpers_conversions_leaves_no_helper(site, monkeypatch):
    texts = posts(WORTH_A_HELPER + 2)
    before = child_processes()

    def interrupted(connection):
        raise KeyboardInterrupt  # Ctrl-C while the helper's message is read

    monkeypatch.setattr(Connection, "recv", interrupted)
    # The interruption itself comes out, not an error from closing the helper's pipe a second time.
    with pytest.raises(KeyboardInterrupt), converting_ahead(MarkdownRenderer(site.settings()), texts) as converting:
        helper_waits_until(converting, taken=len(texts))
        converting.finish()
    assert child_processes() - before == set()


def test_a_text_changed_after_it_was_converted_ahead_is_converted_again(site):
    texts = posts(WORTH_A_HELPER)
    renderer = MarkdownRenderer(site.settings())
    with converting_ahead(renderer, texts) as converting:
        helper_waits_until(converting, taken=len(texts))  # it read and converted every file
        assert converting.finish() == len(texts)
    # The file was rewritten after the helper read it: what the checks read is what is converted.
    assert "Body changed" in renderer.render(texts[1][0], "Title: Post 1\n\nBody changed.\n").html


def test_without_a_helper_the_checks_convert_every_file_as_they_come_to_it(site):
    texts = posts(WORTH_A_HELPER * 2)
    renderer = CountingRenderer(site.settings())
    before = child_processes()
    with ConvertingAhead(renderer, [path for path, _ in texts], dict(texts).get, helper=False) as converting:
        assert child_processes() - before == set()
        for index, (path, _) in enumerate(texts):
            converting.ready_for(index)
            assert path in renderer.ready
        assert converting.finish() == 0
    assert renderer.conversions == len(texts)


@pytest.mark.parametrize(
    "message",
    [("not", "a message"), ([10**6], []), ([0], [(5, b"digest", b"<p>", {}, None, None)]), None],
    ids=["shapeless", "a-file-beyond-the-last", "a-file-it-did-not-take", "nothing"],
)
def test_a_message_from_the_helper_that_cannot_be_read_stops_it_and_loses_nothing(site, monkeypatch, message):
    texts = posts(WORTH_A_HELPER + 2)
    before = child_processes()
    received = Connection.recv

    def garbled(connection):
        received(connection)  # the helper's real message, lost on the way
        return message

    renderer, alone = MarkdownRenderer(site.settings()), MarkdownRenderer(site.settings())
    monkeypatch.setattr(Connection, "recv", garbled)
    with converting_ahead(renderer, texts) as converting:
        helper_waits_until(converting, taken=8)
        checks_go_through(converting, len(texts))
        assert child_processes() - before == set(), "the helper was not stopped"
        assert converting.finish() == 0
    for path, text in texts:  # every file converted here, from its own text
        assert path in renderer.ready
        assert renderer.render(path, text) == alone.render(path, text)


def runs_to_the_end(converting: ConvertingAhead, count: int, patience: float = 10) -> bool:
    """Whether the checks go through `count` files and finish within `patience` seconds (in a thread, so that a
    hang fails the test rather than stopping it)."""
    done = threading.Event()

    def checks():
        checks_go_through(converting, count)
        converting.finish()
        done.set()

    threading.Thread(target=checks, daemon=True).start()
    return done.wait(patience)


@pytest.mark.parametrize("fault", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "hung"])
def test_a_helper_killed_or_hung_half_way_loses_no_conversion_and_never_holds_the_checks(site, fault):
    """A helper that dies, or stops being scheduled (SIGSTOP, a lock another thread held when it was forked), never
    sends the files it has in hand: the checks convert those themselves, and stop it when they are done."""
    texts = posts(WORTH_A_HELPER * 2, body="Long body. " * 200)
    before = child_processes()
    renderer, alone = MarkdownRenderer(site.settings()), MarkdownRenderer(site.settings())
    with converting_ahead(renderer, texts) as converting:
        helper_waits_until(converting, taken=8)
        (helper,) = child_processes() - before
        os.kill(helper, fault)
        try:
            assert runs_to_the_end(converting, len(texts)), "the checks waited for the helper"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(helper, signal.SIGCONT)
    assert child_processes() - before == set()
    for path, text in texts:
        assert renderer.render(path, text) == alone.render(path, text)


def test_a_helper_killed_while_it_holds_the_counter_does_not_hold_the_checks(site, monkeypatch):
    """The out-of-memory killer or `kill -9` may end the helper while it holds the lock on the files' counter:
    the system releases that lock with the process, so the checks go on."""
    texts = posts(WORTH_A_HELPER * 2)
    parent, take = os.getpid(), SharedCounter.take

    def dies_holding_the_lock(counter, count):
        if os.getpid() != parent:
            with counter._locked():
                os.kill(os.getpid(), signal.SIGKILL)
        return take(counter, count)

    monkeypatch.setattr(SharedCounter, "take", dies_holding_the_lock)
    renderer, alone = MarkdownRenderer(site.settings()), MarkdownRenderer(site.settings())
    with converting_ahead(renderer, texts) as converting:
        time.sleep(0.3)  # the helper has taken the lock and died with it
        assert runs_to_the_end(converting, len(texts)), "the checks waited for the lock of a dead helper"
    for path, text in texts:
        assert renderer.render(path, text) == alone.render(path, text)
