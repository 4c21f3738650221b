"""A ledger that cannot be written (disk full, read-only file system, permission) stops the run with one line naming
the file, what failed and the fix, and a non-zero exit. Nothing is forgotten: every write the engine makes fails in
turn, and the next run sees every attempt that may have reached the platform as pending or uncertain, never as
"not attempted", and sends what certainly never left."""

from __future__ import annotations

import errno

import pytest
import test_channel_threads as threads_tests
import test_channel_x as x_tests
from channel_runs import ledger_of, post, statuses, syndicate
from servers.mastodon import MastodonServer
from servers.meta import ThreadsServer
from servers.x import XServer
from test_channel_mastodon import TOKEN, Newsroom

from newsroom.syndication import ledger as ledger_module
from newsroom.syndication.ledger import Ledger, LedgerError

# The writes of one post's send, in order: `pending` before the request, `done` after it.
BEFORE_THE_REQUEST, AFTER_THE_REQUEST = 1, 2
FAILURES = {
    "disk-full": OSError(errno.ENOSPC, "No space left on device"),
    "read-only": OSError(errno.EROFS, "Read-only file system"),
    "permission": PermissionError(errno.EACCES, "Permission denied"),
}


class FailingWrites:
    """The atomic write, failing from the `failing`-th call on (as a full disk stays full) until `heal()`."""

    def __init__(self, monkeypatch, failing: int, error: OSError):
        self.calls, self.failing, self.error = 0, failing, error
        self.write = ledger_module.write_text_atomically
        monkeypatch.setattr(ledger_module, "write_text_atomically", self)

    def __call__(self, path, text):
        self.calls += 1
        if self.failing and self.calls >= self.failing:
            raise self.error
        self.write(path, text)

    def heal(self) -> None:
        self.failing = 0


@pytest.fixture
def mastodon():
    with MastodonServer(token=TOKEN) as server:
        yield server


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("failing", [BEFORE_THE_REQUEST, AFTER_THE_REQUEST], ids=["before", "after"])
def test_a_ledger_that_cannot_be_written_stops_with_one_line_and_the_next_run_posts_once(
    site, mastodon, monkeypatch, failing, failure
):
    newsroom = Newsroom(site, mastodon)
    newsroom.publish("old")
    assert newsroom.syndicate(bootstrap=True) == 0
    newsroom.publish("new")
    writes = FailingWrites(monkeypatch, failing, FAILURES[failure])
    assert newsroom.syndicate() == 2, newsroom.output
    ledger_path = site.root / "ledger.jsonl"
    [line] = [line for line in newsroom.output if "ledger" in line and "could not be written" in line]
    assert line.startswith(f"syndicate: {ledger_path}: ") and FAILURES[failure].strerror in line, line
    assert "Traceback" not in "\n".join(newsroom.output) and "\n" not in line
    assert len(mastodon.statuses) == (failing - 1)  # before: nothing sent; after: sent once
    on_disk = newsroom.ledger.get("new", "mastodon")
    if failing == AFTER_THE_REQUEST:
        assert on_disk is not None and on_disk.state == "pending"  # it may have reached the platform
    else:
        assert on_disk is None  # certainly never sent

    writes.heal()
    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 1 and newsroom.ledger.get("new", "mastodon").state == "done"


@pytest.mark.parametrize("failing", [BEFORE_THE_REQUEST, AFTER_THE_REQUEST], ids=["before", "after"])
def test_on_a_channel_that_cannot_tell_a_send_whose_done_was_not_written_is_never_sent_again(
    tmp_path, monkeypatch, failing
):
    server = XServer(**x_tests.SECRETS)
    Ledger.open(tmp_path / "ledger.jsonl").know({"x"})  # an existing ledger: the run's first write is a send's
    with server:
        writes = FailingWrites(monkeypatch, failing, FAILURES["disk-full"])
        with pytest.raises(LedgerError) as raised:
            syndicate(x_tests.channel(server), [post(1), post(2)], tmp_path)
        assert str(raised.value).startswith(f"{tmp_path / 'ledger.jsonl'}: the ledger could not be written")
        assert len(server.tweets) == failing - 1  # the run stopped at once: post 2 was never sent
        writes.heal()
        again = syndicate(x_tests.channel(server), [post(1), post(2)], tmp_path)
        expected = ["posted", "posted"] if failing == BEFORE_THE_REQUEST else ["uncertain", "posted"]
        assert statuses(again) == expected, again.summary()
        assert len(server.tweets) == 2
    if failing == AFTER_THE_REQUEST:
        assert ledger_of(tmp_path).get("post-1", "x").state == "uncertain"


# Threads' writes: `pending`, the container's id, "publishing", `done`. Only a failure after the publish call
# leaves a thread that a person must check; before it, the next run resumes and publishes exactly one.
@pytest.mark.parametrize(
    "failing, then",
    [(1, "posted"), (2, "posted"), (3, "posted"), (4, "uncertain")],
    ids=["pending", "container", "publishing", "done"],
)
def test_every_write_of_a_two_step_send_can_fail_and_exactly_one_thread_follows(tmp_path, monkeypatch, failing, then):
    server = ThreadsServer(threads_tests.USER, threads_tests.TOKEN)
    Ledger.open(tmp_path / "ledger.jsonl").know({"threads"})
    with server:
        writes = FailingWrites(monkeypatch, failing, FAILURES["read-only"])
        with pytest.raises(LedgerError, match="Read-only file system"):
            syndicate(threads_tests.channel(server), [post(1)], tmp_path)
        writes.heal()
        again = syndicate(threads_tests.channel(server), [post(1)], tmp_path)
        assert statuses(again) == [then], again.summary()
        assert len(server.threads) == 1


def test_a_ledger_folder_that_cannot_be_made_stops_with_one_line_before_anything_is_sent(site, mastodon):
    newsroom = Newsroom(site, mastodon)
    newsroom.publish("new")
    (site.root / "state").write_text("a file where the ledger's folder should be\n")
    site.overrides["SYNDICATION_LEDGER"] = str(site.root / "state" / "ledger.jsonl")
    assert newsroom.syndicate(bootstrap=True) == 2
    [line] = newsroom.output
    assert (
        line.startswith(f"syndicate: {site.root / 'state' / 'ledger.jsonl.lock'}: ")
        and "could not be created (File exists)" in line
    )
    assert mastodon.requests == []
