"""Threads, against a loopback Threads API (containers, publishing, statuses, Graph errors): two calls per post,
the container id in the ledger between them, and exactly one published thread per post whatever stops the run,
including a real SIGKILL of `invoke syndicate` between the two calls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.meta import Fault, ThreadsServer, error, threads_length

from conftest import ROOT
from newsroom.syndication import command
from newsroom.syndication.channels.threads import threads_length as client_length
from newsroom.syndication.ledger import Ledger

TOKEN = "THAA-threads-user-token-secret"
USER = "17841400000000001"


@pytest.fixture
def threads():
    with ThreadsServer(USER, TOKEN) as server:
        yield server


def channel(server=None, **options):
    return make_channel(
        "threads",
        {"token": TOKEN},
        user_id=USER,
        handle="larkspur",
        **({"base_url": server.url} if server else {}),
        **options,
    )


# --- the message (pure) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, length",
    [("Wind", 4), ("风电场", 3), ("مزرعة רוח", 9), ("🌬️", 7), ("👨‍👩‍👧‍👦", 25), ("🇺🇸", 8), ("1️⃣", 7), ("e\u0301", 1)],
)
def test_an_emoji_counts_its_utf8_bytes_and_everything_else_one_per_character(text, length):
    assert client_length(text) == threads_length(text) == length


def test_golden_text_keeps_every_script_and_puts_the_link_in_the_card():
    message = channel().render(
        post(title="Kessler Ridge: 风电场 🌬️ مزرعة", summary="Up 40% & <10%> 👨‍👩‍👧‍👦 #Q3 @larkspur נמשיך")
    )
    # "@larkspur" is written inert (a word joiner after the "@"): the summary calls on nobody's account
    assert message.text == "Kessler Ridge: 风电场 🌬️ مزرعة\n\nUp 40% & <10%> 👨‍👩‍👧‍👦 #Q3 @\u2060larkspur נמשיך"
    assert (message.length, message.limit) == (threads_length(message.text), 500)
    assert message.extras == {"link": "https://newsroom.larkspur-energy.com/news/2026/post-1/"}


def test_an_emoji_heavy_text_is_fitted_to_500_counting_bytes():
    message = channel().render(post(texts={"threads": "🌬️ wind " * 200}))  # 14 counted per repeat
    assert message.length <= 500 and threads_length(message.text) == message.length and message.text.endswith("…")


def test_more_than_five_links_cannot_be_posted_and_fails_once(threads, tmp_path):
    many = " ".join(f"https://example.com/{n}" for n in range(5))
    report = syndicate(channel(threads), [post(texts={"threads": many})], tmp_path)
    assert statuses(report) == ["refused"] and "at most 5 links" in report.summary()
    assert threads.requests == []


# --- what arrives ----------------------------------------------------------------------------------------------


def test_creates_a_text_container_with_the_link_then_publishes_it(threads, tmp_path):
    sender = channel(threads)
    report = syndicate(sender, [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    create, publish, permalink = threads.requests
    assert create.path == f"/v1.0/{USER}/threads" and create.form == {
        "media_type": "TEXT",
        "text": "Title 1\n\nSummary 1.",
        "link_attachment": "https://newsroom.larkspur-energy.com/news/2026/post-1/",
        "access_token": TOKEN,
    }
    container = next(iter(threads.containers))
    assert publish.path == f"/v1.0/{USER}/threads_publish" and publish.form["creation_id"] == container
    assert permalink.method == "GET" and permalink.query["fields"] == "permalink"
    record = ledger_of(tmp_path).get("post-1", "threads")
    assert record.state == "done" and record.remote_id == threads.threads[0]["id"]
    assert record.url == threads.threads[0]["permalink"] and record.step == {
        "container_id": container,
        "publishing": True,
    }


def test_a_publish_that_fails_every_try_resumes_with_the_same_container(threads, tmp_path):
    # A transient Graph error answered with a 4xx: a refusal, so nothing was published
    threads.faults.extend([Fault(400, error(2, "Service temporarily unavailable"), on="/threads_publish")] * 3)
    sender = channel(threads)
    first = syndicate(sender, [post(1)], tmp_path)
    assert statuses(first) == ["failed"] and "after 3 tries" in first.summary()
    record = ledger_of(tmp_path).get("post-1", "threads")
    assert record.state == "pending" and record.step == {
        "container_id": next(iter(threads.containers)),
        "publishing": False,
    }
    again = syndicate(sender, [post(1)], tmp_path)
    assert statuses(again) == ["posted"], again.summary()
    assert len(threads.containers) == 1 and len(threads.threads) == 1  # the saved container was published


def test_a_publish_answered_with_a_500_is_never_published_again(threads, tmp_path):
    """A 500 comes after the publish call was sent: it may have published, so a person checks."""
    threads.faults.append(Fault(500, error(2, "Service temporarily unavailable"), on="/threads_publish"))
    sender = channel(threads)
    first = syndicate(sender, [post(1)], tmp_path)
    assert statuses(first) == ["uncertain"] and "(500) after the request was sent" in first.summary()
    assert statuses(syndicate(sender, [post(1)], tmp_path)) == ["skipped"]
    assert len([r for r in threads.requests if r.path.endswith("/threads_publish")]) == 1


def test_an_expired_container_is_replaced_not_published(threads, tmp_path):
    # A transient Graph error answered with a 4xx: a refusal, so nothing was published
    threads.faults.extend([Fault(400, error(2, "Service temporarily unavailable"), on="/threads_publish")] * 3)
    sender = channel(threads)
    syndicate(sender, [post(1)], tmp_path)
    threads.expire(next(iter(threads.containers)))  # a day later
    assert statuses(syndicate(sender, [post(1)], tmp_path)) == ["posted"]
    assert len(threads.containers) == 2 and [t["container"] for t in threads.threads] == [list(threads.containers)[1]]


# --- faults: each run twice; every post arrives at most once and none is lost ----------------------------------


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        ([Fault(action="drop", on="/threads")], ["posted", "posted"], ["skipped", "skipped"], [1, 2], ""),
        (
            [Fault(action="drop", on="/threads_publish")],
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "connection broke",
        ),
        (
            [Fault(400, error(190, "Error validating access token"), on="/threads")],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "Threads refused the token",
        ),
        (
            [
                Fault(
                    400,
                    error(4, "Application request limit reached"),
                    {"X-App-Usage": '{"estimated_time_to_regain_access": 30}'},
                    on="/threads_publish",
                )
            ],
            ["deferred", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "Threads rate limit",
        ),
        (
            [Fault(400, error(100, "Param text must be at most 500 characters long"), on="/threads")],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "500 characters",
        ),
        (
            [Fault(504, {"error": {"message": "timeout"}}, on="/threads_publish")],
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "gateway timed out",
        ),
    ],
    ids=["container-answer-lost", "publish-answer-lost", "190-token", "4-quota", "100-too-long", "504-on-publish"],
)
def test_threads_answers_map_to_outcomes_and_two_runs_publish_each_at_most_once(
    threads, tmp_path, faults, first, second, arrived, detail
):
    threads.faults.extend(faults)
    sender, posts = channel(threads), [post(1), post(2)]
    report = syndicate(sender, posts, tmp_path)
    assert statuses(report) == first, report.summary()
    assert detail in report.summary()
    again = syndicate(sender, posts, tmp_path)
    assert statuses(again) == second, again.summary()
    assert [t["text"].split("\n")[0] for t in threads.threads] == [f"Title {n}" for n in arrived]
    assert TOKEN not in report.summary() + again.summary()


# --- a real crash between the two calls ------------------------------------------------------------------------


class Newsroom:
    """A tiny built site whose only channel is the loopback Threads account."""

    def __init__(self, site, server):
        self.site, self.server, self.output = site, server, []
        site.overrides.update(
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
            SYNDICATION_BACKOFF=0,
            SYNDICATION_CHANNELS=[
                {
                    "name": "threads",
                    "type": "threads",
                    "audiences": ["media"],
                    "user_id": USER,
                    "handle": "larkspur",
                    "base_url": server.url,
                    "credentials": {"token": "THREADS_TOKEN"},
                }
            ],
        )
        site.post("old", Title="News old", Slug="old", Id="old")
        site.build()
        assert self.syndicate(bootstrap=True) == 0
        site.post("new", Title="News new", Slug="new", Id="new")
        site.build()

    def syndicate(self, **options) -> int:
        return command.syndicate(
            self.site.settings(),
            environ={"THREADS_TOKEN": TOKEN},
            out=self.output.append,
            sleep=lambda s: None,
            **options,
        )

    def kill_while_held(self) -> None:
        """Run `invoke syndicate` as a person would, and SIGKILL it while the server holds a request."""
        process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "syndicate", "--settings", str(self.site.settings_file("publishconf.py"))],
            cwd=ROOT,
            env={**os.environ, "THREADS_TOKEN": TOKEN},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert self.server.received.wait(60), process.stderr.read() if process.poll() is not None else "no request"
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            self.server.release.set()

    @property
    def record(self):
        return Ledger.open(self.site.root / "ledger.jsonl").get("new", "threads")


def test_killed_after_the_container_was_created_the_rerun_publishes_exactly_one_thread(site, threads):
    room = Newsroom(site, threads)
    threads.faults.append(Fault(action="hold", on="/threads"))  # the container exists; its id never arrives
    room.kill_while_held()
    assert room.record.state == "pending" and room.record.step == {}
    assert len(threads.containers) == 1 and threads.threads == []
    assert room.syndicate() == 0, room.output
    assert [t["text"] for t in threads.threads] == [
        "News new\n\nThe 240 MW wind farm is now supplying power to the grid."
    ]
    assert room.record.state == "done"


def test_killed_during_the_publish_call_the_rerun_marks_it_uncertain_and_never_publishes_again(site, threads):
    room = Newsroom(site, threads)
    threads.faults.append(Fault(action="hold", on="/threads_publish"))  # published; the answer never arrives
    room.kill_while_held()
    container = next(iter(threads.containers))
    assert room.record.state == "pending" and room.record.step == {"container_id": container, "publishing": True}
    assert len(threads.threads) == 1
    assert room.syndicate() == 1
    assert "1 uncertain" in room.output[-1] and "--resolve new --channel threads" in room.output[-1]
    # Loud until a person resolves it: the next run fails and lists it again, and still never publishes.
    assert room.syndicate() == 1 and len(threads.threads) == 1 and room.record.state == "uncertain"
    assert "uncertain new on threads" in "\n".join(room.output)
    url = threads.threads[0]["permalink"]
    assert command.resolve(room.site.settings(), "new", "threads", posted_url=url, out=room.output.append) == 0
    assert room.record.state == "done" and room.record.url == url and len(threads.threads) == 1
