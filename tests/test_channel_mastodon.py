"""Mastodon, against a loopback instance that enforces the documented rules: exactly one status per post,
whatever fails and however often the run is repeated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from servers.mastodon import Fault, MastodonServer, mastodon_length

from conftest import ROOT
from newsroom.syndication import command
from newsroom.syndication.channels.mastodon import MastodonChannel, _ours_ahead_of
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.published import PublishedPost

TOKEN = "s3cret-mastodon-token"


@pytest.fixture
def mastodon():
    with MastodonServer(token=TOKEN) as server:
        yield server


class Newsroom:
    """A tiny built site whose only channel is the loopback Mastodon; runs syndication in-process."""

    def __init__(self, site, server, **channel):
        self.site, self.server = site, server
        self.output: list[str] = []
        self.sleeps: list[float] = []
        site.overrides.update(
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
            SYNDICATION_BACKOFF=0,
            SYNDICATION_CHANNELS=[
                {
                    "name": "mastodon",
                    "type": "mastodon",
                    "audiences": ["media"],
                    "base_url": server.url,
                    "credentials": {"token": "MASTODON_TOKEN"},
                    **channel,
                }
            ],
        )

    def publish(self, *names: str, **fields) -> None:
        for name in names:
            self.site.post(name, Title=f"News {name}", Slug=name, Id=name, **fields)
        self.site.build()

    def syndicate(self, *, token: str = TOKEN, **options) -> int:
        self.output.clear()
        return command.syndicate(
            self.site.settings(),
            environ={"MASTODON_TOKEN": token},
            out=self.output.append,
            sleep=self.sleeps.append,
            **options,
        )

    @property
    def ledger(self) -> Ledger:
        return Ledger.open(self.site.root / "ledger.jsonl")


@pytest.fixture
def newsroom(site, mastodon):
    room = Newsroom(site, mastodon)
    room.publish("old")
    assert room.syndicate(bootstrap=True) == 0
    return room


def texts(server) -> list[str]:
    return [server.text_of(status).split("\n")[0] for status in server.statuses]


def post(**changes) -> PublishedPost:
    values = (
        dict(
            id="p",
            title="Larkspur & partners <win> “big”",
            url="https://news.example.com/2026/win/",
            summary="A summary.",
            published=datetime(2026, 1, 1, tzinfo=UTC),
            audiences=("media",),
            category="News",
            tags=("wind power", "Q3"),
        ),
    )
    return PublishedPost(**{**values[0], **changes})


def channel(**options) -> MastodonChannel:
    config = ChannelConfig(
        "mastodon",
        "mastodon",
        ("media",),
        False,
        {
            "base_url": "http://x",
            "visibility": "public",
            "language": "en",
            "max_length": 500,
            "hashtags": True,
            **options,
        },
        {"token": "MASTODON_TOKEN"},
    )
    return MastodonChannel(config, {"token": TOKEN})


# --- rendering -------------------------------------------------------------------------------------------


def test_render_golden_text_with_reserved_characters_and_hashtags():
    message = channel().render(post())
    assert message.text == (
        "Larkspur & partners <win> “big”\n\nA summary.\n\nhttps://news.example.com/2026/win/ #WindPower #Q3"
    )
    assert message.length == mastodon_length(message.text) == 31 + 2 + 10 + 2 + 23 + 1 + 10 + 1 + 3


def test_render_fits_emoji_cjk_and_rtl_within_the_limit_counting_urls_as_23():
    long = "風力発電 🌬️ רוח ואנרגיה " * 60
    message = channel().render(
        post(title="تقرير الربع الثالث 📈", summary=long, url="https://news.example.com/" + "x" * 200)
    )
    assert message.length <= 500 and mastodon_length(message.text) == message.length
    assert message.text.startswith("تقرير الربع الثالث 📈\n\n")
    assert message.text.endswith("https://news.example.com/" + "x" * 200)  # the link is whole; it counts 23
    assert "…" in message.text


def test_custom_text_replaces_title_and_summary_but_keeps_the_link():
    message = channel().render(post(texts={"mastodon": "Q3 is out. 📈"}))
    assert message.text == "Q3 is out. 📈\n\nhttps://news.example.com/2026/win/"


# --- posting ---------------------------------------------------------------------------------------------


def test_posts_exactly_what_was_rendered_with_token_idempotency_key_and_settings(site, mastodon):
    site.overrides["DEFAULT_LANG"] = "fr"  # a newsroom in French alone: its channels post in French
    room = Newsroom(site, mastodon, visibility="unlisted", language="fr")
    room.publish("old")
    room.syndicate(bootstrap=True)
    room.publish("new")
    assert room.syndicate() == 0, room.output
    assert texts(mastodon) == ["News new"]
    request = mastodon.requests[-1]
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("Idempotency-Key").startswith("nr-")
    assert mastodon.statuses[0]["visibility"] == "unlisted" and mastodon.statuses[0]["language"] == "fr"
    record = room.ledger.get("new", "mastodon")
    assert record.state == "done" and record.url == mastodon.statuses[0]["url"]
    assert f"posted     new -> {record.url}" in room.output[-1]


def test_the_instance_limit_is_read_before_posting(site):
    with MastodonServer(token=TOKEN, max_characters=120) as small:
        room = Newsroom(site, small)
        room.publish("old")
        room.syndicate(bootstrap=True)
        room.publish("new", Summary="word " * 50)
        assert room.syndicate() == 0, room.output
        assert mastodon_length(small.text_of(small.statuses[0])) <= 120


def test_first_run_without_a_ledger_refuses_and_explains_bootstrap(site, mastodon):
    room = Newsroom(site, mastodon)
    room.publish("a", "b")
    assert room.syndicate() == 2
    assert "invoke syndicate --bootstrap" in room.output[0] and mastodon.statuses == []
    assert room.syndicate(bootstrap=True) == 0 and mastodon.statuses == []
    assert room.syndicate() == 0 and mastodon.statuses == []


def test_dry_run_shows_text_and_length_and_sends_nothing(newsroom, mastodon):
    newsroom.publish("new")
    assert newsroom.syndicate(dry_run=True) == 0
    plan = newsroom.output[0]
    assert "SEND      new" in plan and "| News new" in plan and "/500 characters (URLs count 23)" in plan
    assert mastodon.requests == [] and newsroom.ledger.get("new", "mastodon") is None


@pytest.mark.parametrize(
    "faults, first_status, first_exit",
    [
        ([Fault(429, {"error": "Too many requests"}, {"Retry-After": "2"})], "posted", 0),
        ([Fault(500, {"error": "oops"}), Fault(503, {"error": "busy"})], "posted", 0),
        ([Fault(action="drop")], "posted", 0),  # unknown outcome; the Idempotency-Key makes the retry safe
        ([Fault(500), Fault(500), Fault(500)], "pending", 1),  # may have posted: read back by the next run
        ([Fault(429, {"error": "slow down"}, {"Retry-After": "3600"})], "deferred", 0),
        ([Fault(401, {"error": "The access token is invalid"})], "failed", 1),
        ([Fault(422, {"error": "Validation failed: Text character limit of 500 exceeded"})], "refused", 1),
    ],
    ids=["429-wait", "5xx-backoff", "unknown-retried", "5xx-exhausted", "429-too-long", "401", "422"],
)
def test_each_failure_then_a_second_run_leaves_exactly_one_status(newsroom, mastodon, faults, first_status, first_exit):
    newsroom.publish("new")
    mastodon.faults.extend(faults)
    assert newsroom.syndicate() == first_exit, newsroom.output
    assert f"1 {first_status}" in newsroom.output[-1]
    newsroom.syndicate()
    permanent = faults[0].status == 422
    assert texts(mastodon) == ([] if permanent else ["News new"])
    if permanent:
        assert newsroom.ledger.get("new", "mastodon").state == "failed"
        assert "failed earlier" in newsroom.output[-1] or "0 posted" in newsroom.output[-1]
    if faults[0].headers.get("Retry-After") == "2":
        assert newsroom.sleeps == [2.0]


def test_a_401_stops_the_channel_and_keeps_its_other_posts_for_later(newsroom, mastodon):
    newsroom.publish("one", "two")
    assert newsroom.syndicate(token="wrong") == 1
    assert "not authorised (401)" in newsroom.output[-1] and "1 failed" in newsroom.output[-1]
    assert "1 deferred" in newsroom.output[-1] and mastodon.statuses == []
    assert TOKEN not in newsroom.output[-1] and "wrong" not in newsroom.output[-1]
    assert newsroom.syndicate() == 0 and sorted(texts(mastodon)) == ["News one", "News two"]


def test_a_missing_token_names_the_variable_and_posts_nothing(newsroom, mastodon):
    newsroom.publish("new")
    code = command.syndicate(newsroom.site.settings(), environ={}, out=newsroom.output.append)
    assert code == 1
    assert "environment variable MASTODON_TOKEN is not set" in newsroom.output[-1] and mastodon.requests == []


def test_killed_between_send_and_ledger_write_the_rerun_does_not_post_twice(newsroom, mastodon):
    """A real crash: the process is SIGKILLed after the instance created the status, before it answered."""
    newsroom.publish("new")
    mastodon.faults.append(Fault(action="hold"))
    settings_file = newsroom.site.settings_file("publishconf.py")
    environment = {**os.environ, "MASTODON_TOKEN": TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "syndicate", "--settings", str(settings_file)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert mastodon.received.wait(60), process.stderr.read() if process.poll() is not None else "no request"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        mastodon.release.set()
    assert newsroom.ledger.get("new", "mastodon").state == "pending"  # what a crash leaves behind
    assert len(mastodon.statuses) == 1

    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 1  # the rerun repeated the same Idempotency-Key: no second status
    posts = [request for request in mastodon.requests if request.method == "POST"]
    assert posts[-1].header("Idempotency-Key") == posts[0].header("Idempotency-Key")
    assert newsroom.ledger.get("new", "mastodon").state == "done"


def test_two_concurrent_runs_post_once(newsroom, mastodon):
    newsroom.publish("new")
    settings_file = newsroom.site.settings_file("publishconf.py")
    environment = {**os.environ, "MASTODON_TOKEN": TOKEN}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "invoke", "syndicate", "--settings", str(settings_file)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    assert texts(mastodon) == ["News new"], results


def test_the_next_build_links_the_syndicated_copy(newsroom, mastodon):
    newsroom.publish("new")
    newsroom.syndicate()
    newsroom.site.overrides["SYNDICATION_CHANNELS"][0]["label"] = "Mastodon"
    output = newsroom.site.build()
    html = (output / "news/2026/new/index.html").read_text()
    url = mastodon.statuses[0]["url"]
    assert f'<a class="u-syndication" rel="syndication" href="{url}">Mastodon</a>' in html
    assert "u-syndication" not in (output / "news/2026/old/index.html").read_text()  # seeded, never posted


def test_reshare_posts_again_as_a_new_status_once(newsroom, mastodon):
    newsroom.publish("new")
    newsroom.syndicate()
    output: list[str] = []
    assert command.reshare(newsroom.site.settings(), "new", "mastodon", out=output.append) == 0
    assert output == ["new on mastodon: will be posted again by the next run"]
    assert newsroom.syndicate() == 0 and newsroom.syndicate() == 0
    assert texts(mastodon) == ["News new", "News new"]  # exactly one more, never a loop
    keys = [request.header("Idempotency-Key") for request in mastodon.requests if request.method == "POST"]
    assert keys[0] != keys[1]  # a new generation: the instance must not treat it as the first one's repeat
    assert command.reshare(newsroom.site.settings(), "never-posted", out=output.append) == 2
    assert "has not been posted on any channel; nothing to re-share" in output[-1]


def test_resolving_a_failed_post_by_hand_retries_it_or_records_its_url(newsroom, mastodon):
    newsroom.publish("one", "two")
    mastodon.faults.extend([Fault(422, {"error": "Validation failed"}), Fault(422, {"error": "Validation failed"})])
    assert newsroom.syndicate() == 1
    settings, output = newsroom.site.settings(), []

    assert command.resolve(settings, "one", "mastodon", retry=True, out=output.append) == 0
    assert command.resolve(settings, "two", "mastodon", posted_url="https://m.example/@l/9", out=output.append) == 0
    assert output == [
        "one on mastodon: will be sent by the next run",
        "two on mastodon: recorded as posted at https://m.example/@l/9",
    ]
    assert newsroom.syndicate() == 0
    assert texts(mastodon) == ["News one"]
    assert newsroom.ledger.get("two", "mastodon").url == "https://m.example/@l/9"

    assert command.resolve(settings, "one", "mastodon", retry=True, out=output.append) == 2
    assert "one on mastodon is done, not uncertain or failed; to post it again on purpose use --reshare" in output[-1]
    assert command.resolve(settings, "nope", "mastodon", retry=True, out=output.append) == 2
    assert "the ledger has nothing for post 'nope' on channel 'mastodon'" in output[-1]
    assert command.resolve(settings, "one", "mastodon", out=output.append) == 2
    assert "--resolve needs --posted URL" in output[-1]


# --- unknown outcomes: never a second status, never a forgotten one ---------------------------------------


def posts_sent(server) -> list:
    return [request for request in server.requests if request.method == "POST"]


@pytest.mark.parametrize("outage", [0, 2 * 3600], ids=["restarted", "past-the-idempotency-window"])
def test_a_lost_answer_then_refused_connections_keep_the_attempt_and_the_next_run_finds_the_status(
    newsroom, mastodon, outage
):
    newsroom.publish("new")
    mastodon.faults.append(Fault(action="down"))  # the status is created, the answer lost, then the server is down
    assert newsroom.syndicate() == 1, newsroom.output
    printed = "\n".join(newsroom.output)
    assert "nothing was sent" not in printed and "1 pending" in printed
    record = newsroom.ledger.get("new", "mastodon")
    assert record.state == "pending" and record.key == posts_sent(mastodon)[0].header("Idempotency-Key")
    assert len(mastodon.statuses) == 1

    mastodon.advance(outage)  # past an hour, the instance has forgotten the Idempotency-Key
    mastodon.come_back()
    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 1 and len(posts_sent(mastodon)) == 1  # found by reading back: not sent again
    record = newsroom.ledger.get("new", "mastodon")
    assert (record.state, record.url) == ("done", mastodon.statuses[0]["url"])
    assert "found on the platform from an earlier try" in newsroom.output[-1] or "posted" in newsroom.output[-1]


@pytest.mark.parametrize(
    "skew", [-20 * 60, 20 * 60, -3 * 3600], ids=["ours-20-min-ahead", "ours-20-min-behind", "ours-3-h-ahead"]
)
def test_a_skewed_clock_and_an_outage_past_the_idempotency_window_never_post_twice(newsroom, mastodon, skew):
    """The attempt's start is written by this machine's clock, the statuses' times by the instance's: a read back
    that trusted ours would stop before a status made by a slower instance, then send again after the instance
    forgot the key. The instance's Date header says how far apart the two clocks are."""
    mastodon.advance(skew)  # the instance's clock, against this machine's
    newsroom.publish("new")
    mastodon.faults.append(Fault(action="down"))  # created, the answer lost, then the instance is down
    assert newsroom.syndicate() == 1, newsroom.output
    mastodon.forget_keys()  # an outage past the window: both clocks moved on alike, the key is forgotten
    mastodon.come_back()
    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 1 and len(posts_sent(mastodon)) == 1, newsroom.output
    assert newsroom.ledger.get("new", "mastodon").url == mastodon.statuses[0]["url"]


@pytest.mark.parametrize(
    "date, ahead",
    [
        ("Sat, 05 Dec 2026 11:40:00 GMT", timedelta(minutes=20)),  # ours is 20 minutes ahead
        ("Sat, 05 Dec 2026 12:30:00 GMT", timedelta(0)),  # ours is behind: the start is already early enough
        ("Thu, 01 Jan 1970 00:00:00 GMT", timedelta(days=1)),  # a broken instance moves the start a day at most
        ("yesterday", timedelta(0)),  # unreadable: CLOCK_SKEW alone
        ("", timedelta(0)),
    ],
)
def test_how_far_our_clock_is_ahead_comes_from_the_instances_date_header(date, ahead):
    assert _ours_ahead_of(date, now=datetime(2026, 12, 5, 12, 0, tzinfo=UTC)) == ahead


def test_an_unanswered_try_that_did_not_post_is_read_back_then_sent_again_with_the_same_key(newsroom, mastodon):
    newsroom.publish("new")
    mastodon.faults.append(Fault(504, {"error": "gateway timeout"}))  # unknown to us; the instance stored nothing
    assert newsroom.syndicate() == 0, newsroom.output
    keys = [request.header("Idempotency-Key") for request in posts_sent(mastodon)]
    assert len(keys) == 2 and keys[0] == keys[1] and len(mastodon.statuses) == 1
    reads = [request.path for request in mastodon.requests if request.method == "GET" and "/accounts/" in request.path]
    assert reads == ["/api/v1/accounts/verify_credentials", "/api/v1/accounts/109000000000000001/statuses"]
    assert newsroom.ledger.get("new", "mastodon").state == "done"


def test_the_instance_forgets_an_idempotency_key_after_an_hour(mastodon):
    """The test server enforces the window the tests above rely on: within it a repeat returns the original."""
    import requests

    headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "nr-same"}
    first = requests.post(f"{mastodon.url}/api/v1/statuses", json={"status": "x"}, headers=headers, timeout=5)
    again = requests.post(f"{mastodon.url}/api/v1/statuses", json={"status": "x"}, headers=headers, timeout=5)
    mastodon.advance(3601)
    later = requests.post(f"{mastodon.url}/api/v1/statuses", json={"status": "x"}, headers=headers, timeout=5)
    assert first.json()["id"] == again.json()["id"] != later.json()["id"] and len(mastodon.statuses) == 2


def test_a_lost_answer_is_matched_by_link_not_by_an_older_status_of_the_same_post(newsroom, mastodon):
    """A re-share starts a new generation: the first status (older than the attempt) is never taken for it."""
    newsroom.publish("new")
    mastodon.advance(-3 * 3600)  # the first status is posted three hours before the re-share
    assert newsroom.syndicate() == 0
    mastodon.advance(3 * 3600)
    command.reshare(newsroom.site.settings(), "new", "mastodon", out=newsroom.output.append)
    mastodon.faults.append(Fault(504, {"error": "gateway timeout"}))
    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 2
    assert newsroom.ledger.get("new", "mastodon").url == mastodon.statuses[1]["url"]


def test_a_re_share_soon_after_the_first_status_never_takes_it_for_its_own(newsroom, mastodon):
    """Minutes apart, the first status is inside the read back's window and links to the same post: the ledger
    keeps its id, so the re-share's read back passes over it and the same attempt is sent again."""
    newsroom.publish("new")
    assert newsroom.syndicate() == 0
    [first] = mastodon.statuses
    command.reshare(newsroom.site.settings(), "new", "mastodon", out=newsroom.output.append)
    mastodon.faults.append(Fault(504, {"error": "gateway timeout"}))  # the instance stored nothing
    assert newsroom.syndicate() == 0, newsroom.output
    assert len(mastodon.statuses) == 2 and "found on the platform" not in "\n".join(newsroom.output)
    record = newsroom.ledger.get("new", "mastodon")
    assert record.url == mastodon.statuses[1]["url"] != first["url"] and record.earlier == (first["id"],)


def test_a_text_ending_in_a_link_and_punctuation_is_counted_as_mastodon_counts_it(site, mastodon):
    """`https://…).` is a 23-character link and two characters of text. With the limit one below the text's
    true length, the text must be shortened; counting `).` inside the link would send it and meet a 422."""
    room = Newsroom(site, mastodon, hashtags=False)
    room.publish("old")
    room.syndicate(bootstrap=True)
    custom = "Results are out (full report: https://example.org/reports/x.pdf)."
    room.publish("new", Syndicate_Text=custom)
    assert room.syndicate(dry_run=True) == 0
    [planned] = [line.strip()[2:] for line in room.output[0].splitlines() if line.strip().startswith("| ")][:1]
    assert planned == custom
    mastodon.max_characters = mastodon_length(custom + "\n\n" + "https://x.example/news/2026/new/") - 1
    assert room.syndicate() == 0, room.output
    [status] = mastodon.statuses
    assert mastodon.text_of(status).startswith("Results are out") and "…" in mastodon.text_of(status)
