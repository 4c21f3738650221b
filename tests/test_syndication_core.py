"""Syndication's core, through its real pieces: ledger file, text fitting, planning, engine, outbox channel."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest

from newsroom.syndication.channel import (
    Attempt,
    Channel,
    Message,
    RateLimited,
    Receipt,
    Rejected,
    Retryable,
    Unknown,
    Unreachable,
)
from newsroom.syndication.channel_types import ChannelType
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.engine import Pacing, attempt_key, run
from newsroom.syndication.ledger import Ledger, LedgerBusy, LedgerError, LedgerLock
from newsroom.syndication.planning import plan, waiting_on_new_channels
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.states import Action
from newsroom.syndication.text import DoesNotFit, fit, grapheme_count, utf8_length, within


def post(number: int, **changes) -> PublishedPost:
    values = dict(
        id=f"post-{number}",
        title=f"Title {number}",
        url=f"https://news.example/p/{number}/",
        summary=f"Summary {number}.",
        published=datetime(2026, 1, number, 9, tzinfo=UTC),
        audiences=("media",),
        category="News",
    )
    return PublishedPost(**{**values, **changes})


class Recorder(Channel):
    """A channel whose 'platform' is a list; `script` makes chosen calls raise an outcome."""

    channel_type = ChannelType("recorder", "Recorder", "any")

    def __init__(self, name="rec", audiences=("media",), script=None, safe=False):
        super().__init__(ChannelConfig(name, "recorder", tuple(audiences), False, {}, {}), {})
        self.sent: list[tuple[str, str]] = []
        self.script = list(script or [])
        self.safe_to_retry = safe

    def render(self, p):
        return Message(self.name, p.id, p.title, len(p.title), 100)

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        outcome = self.script.pop(0) if self.script else None
        if outcome == "unknown-after-post":
            self.sent.append((message.post_id, attempt.key))
            raise Unknown("timed out after sending")
        if isinstance(outcome, Exception):
            raise outcome
        self.sent.append((message.post_id, attempt.key))
        return Receipt(f"id-{message.post_id}", f"https://platform.example/{message.post_id}")


# --- the ledger file -------------------------------------------------------------------------------------


def test_ledger_round_trips_sorted_one_line_per_post_and_channel(tmp_path):
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    assert not ledger.existed
    ledger.begin("b-post", "mastodon", "k1", "2026-01-01T00:00:00+00:00")
    ledger.complete("b-post", "mastodon", "109", "https://m.example/@co/109")
    ledger.know({"mastodon"}, seeded=[("a-post", "mastodon")])
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {
        "channels": ["mastodon"],
        "ledger": "newsroom-syndication",
        "records": 2,
        "version": 2,
    }
    assert [json.loads(line)["post"] for line in lines[1:]] == ["a-post", "b-post"]
    again = Ledger.open(path)
    assert again.get("b-post", "mastodon").url == "https://m.example/@co/109"
    assert again.get("a-post", "mastodon").state == "seeded"


def test_pending_is_on_disk_before_the_send_and_done_right_after(tmp_path):
    path = tmp_path / "ledger.jsonl"
    seen_during_send = []

    class Peeking(Recorder):
        def publish(self, message, attempt):
            seen_during_send.append(Ledger.open(path).get(message.post_id, self.name).state)
            return super().publish(message, attempt)

    ledger = Ledger.open(path)
    ledger.know({"rec"})
    channel = Peeking()
    report = run(plan([post(1), post(2)], [], {"rec": channel}, ledger, cap=5), {"rec": channel}, ledger)
    assert seen_during_send == ["pending", "pending"]
    assert [Ledger.open(path).get(f"post-{n}", "rec").state for n in (1, 2)] == ["done", "done"]
    assert report.ok


def test_a_corrupted_ledger_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "ledger.jsonl"
    path.write_text('{"ledger": "newsroom-syndication", "version": 1}\n{"post": "a", "chan\n')
    with pytest.raises(LedgerError, match=r"ledger.jsonl:2: not valid JSON .* nothing was posted"):
        Ledger.open(path)
    path.write_text(
        '{"ledger": "newsroom-syndication", "version": 1}\n{"post": "a", "channel": "m", "state": "sent", "at": "x"}\n'
    )
    with pytest.raises(LedgerError, match=r"ledger.jsonl:2: state 'sent' .* is not valid"):
        Ledger.open(path)


def test_a_second_run_waits_then_gives_up_with_a_clear_message(tmp_path):
    path = tmp_path / "ledger.jsonl"
    with (
        LedgerLock(path, wait_seconds=0.2),
        pytest.raises(LedgerBusy, match=r"another syndication run is using"),
        LedgerLock(path, wait_seconds=0.2),
    ):
        pass
    with LedgerLock(path, wait_seconds=0.2):  # free again afterwards
        pass


# --- fitting text ----------------------------------------------------------------------------------------


def test_fit_keeps_the_link_and_never_cuts_inside_a_grapheme_or_url():
    family = "👨‍👩‍👧‍👦"  # one grapheme, seven code points
    body = "Growth " + family * 40 + " see https://example.com/very/long/path and more words here"
    fitted = fit("Title", body, "https://news.example/p/1/", within((grapheme_count, 60)))
    assert fitted.shortened and fitted.text.endswith("https://news.example/p/1/")
    assert grapheme_count(fitted.text) <= 60
    assert "\u200d" not in fitted.text.replace(family, "")  # the family emoji is whole or absent, never split
    assert "https://example.com/very" not in fitted.text or "https://example.com/very/long/path" in fitted.text


def test_fit_never_cuts_inside_a_link_whatever_the_case_of_its_scheme():
    """Schemes are case-insensitive (RFC 3986) and word processors capitalise a sentence's first letter: a link
    written "Https://…" is linked by the platforms, so a cut inside it would post a truncated address."""
    for scheme in ("Https", "HTTPS", "hTtP"):
        link = f"{scheme}://www.larkspur-energy.com/investors/reports/2026/q3/full-results.pdf"
        fitted = fit("Q3", f"Read {link} for the details.", "https://news.example/p/1/", within((grapheme_count, 60)))
        assert link in fitted.text or f"{scheme}://" not in fitted.text, fitted.text
    assert grapheme_count(f"see {link}", url_weight=23) == 4 + 23


def test_fit_counts_bytes_and_graphemes_together():
    cjk = "可再生能源" * 200
    fits = within((grapheme_count, 300), (utf8_length, 3000))
    fitted = fit("風力発電所", cjk, "https://news.example/p/1/", fits)
    assert grapheme_count(fitted.text) <= 300 and utf8_length(fitted.text) <= 3000


def test_urls_weighted_as_the_platform_counts_them():
    assert grapheme_count("see https://example.com/" + "x" * 100, url_weight=23) == 4 + 23


def test_a_link_longer_than_the_limit_is_refused_not_cut():
    with pytest.raises(DoesNotFit):
        fit("T", "S", "https://news.example/" + "x" * 50, within((grapheme_count, 20)))


# --- planning and running --------------------------------------------------------------------------------


def ledger_for(tmp_path, *channels) -> Ledger:
    ledger = Ledger.open(tmp_path / "ledger.jsonl")
    ledger.know(set(channels))
    return ledger


def test_each_post_goes_to_every_channel_serving_one_of_its_audiences(tmp_path):
    media, investors = Recorder("media-ch", ("media",)), Recorder("ir-ch", ("investors",))
    channels = {"media-ch": media, "ir-ch": investors}
    posts = [post(1), post(2, audiences=("investors",)), post(3, audiences=("investors", "media"))]
    ledger = ledger_for(tmp_path, "media-ch", "ir-ch")
    run(plan(posts, [], channels, ledger, cap=5), channels, ledger)
    assert [p for p, _ in media.sent] == ["post-1", "post-3"]
    assert [p for p, _ in investors.sent] == ["post-2", "post-3"]


def test_a_second_run_posts_nothing_and_edits_never_reshare(tmp_path):
    channel = Recorder()
    ledger = ledger_for(tmp_path, "rec")
    run(plan([post(1)], [], {"rec": channel}, ledger, 5), {"rec": channel}, ledger)
    edited = post(1, title="A corrected title", summary="New summary.")
    second = plan([edited], [], {"rec": channel}, Ledger.open(tmp_path / "ledger.jsonl"), 5)
    assert [(s.action, s.reason.split(":")[0]) for s in second] == [(Action.SKIP, "already posted")]
    assert len(channel.sent) == 1


def test_posts_beyond_the_cap_are_deferred_oldest_first_never_dropped(tmp_path):
    channel = Recorder()
    ledger = ledger_for(tmp_path, "rec")
    posts = [post(n) for n in range(1, 8)]
    steps = plan(posts, [], {"rec": channel}, ledger, cap=3)
    assert [(s.post.id, s.action) for s in steps] == [
        (f"post-{n}", Action.SEND if n <= 3 else Action.DEFER) for n in range(1, 8)
    ]
    report = run(steps, {"rec": channel}, ledger)
    assert len(report.of("deferred")) == 4 and report.ok
    run(plan(posts, [], {"rec": channel}, Ledger.open(tmp_path / "ledger.jsonl"), 3), {"rec": channel}, ledger)
    assert [p for p, _ in channel.sent] == [f"post-{n}" for n in range(1, 7)]


def test_opted_out_posts_are_skipped_with_the_reason(tmp_path):
    steps = plan([post(1, syndicate=False)], [], {"rec": Recorder()}, ledger_for(tmp_path, "rec"), 5)
    assert [(s.action, s.reason) for s in steps] == [(Action.SKIP, "opted out (Syndicate: no)")]


def test_a_channel_new_to_an_existing_ledger_holds_its_posts_until_it_is_bootstrapped(tmp_path):
    ledger = ledger_for(tmp_path, "old")
    steps = plan([post(1), post(2, syndicate=False)], [], {"new": Recorder("new")}, ledger, 5)
    assert [s.action for s in steps] == [Action.HOLD, Action.SKIP]  # an opted-out post waits for nobody
    assert "invoke syndicate --bootstrap --channel new" in steps[0].reason
    assert waiting_on_new_channels(steps) == {"new": 1}


def test_a_rejected_post_fails_once_and_never_loops(tmp_path):
    channel = Recorder(script=[Rejected("too long (422)")])
    ledger = ledger_for(tmp_path, "rec")
    report = run(plan([post(1), post(2)], [], {"rec": channel}, ledger, 5), {"rec": channel}, ledger)
    assert [o.status for o in report.outcomes] == ["refused", "posted"] and not report.ok
    again = plan([post(1), post(2)], [], {"rec": channel}, Ledger.open(ledger.path), 5)
    assert [s.action for s in again] == [Action.SKIP, Action.SKIP] and "failed earlier: too long (422)" in again[
        0
    ].reason


def test_unknown_outcome_is_uncertain_where_retry_is_unsafe_and_retried_where_safe(tmp_path):
    unsafe = Recorder("unsafe", script=["unknown-after-post"])
    safe = Recorder("safe", script=["unknown-after-post"], safe=True)
    channels = {"unsafe": unsafe, "safe": safe}
    ledger = ledger_for(tmp_path, "unsafe", "safe")
    report = run(plan([post(1)], [], channels, ledger, 5), channels, ledger, Pacing(backoff=0))
    by_channel = {o.channel: o.status for o in report.outcomes}
    assert by_channel == {"unsafe": "uncertain", "safe": "posted"}
    assert safe.sent[0][1] == safe.sent[1][1] == attempt_key("post-1", "safe", 0)  # the same attempt, repeated
    assert Ledger.open(ledger.path).get("post-1", "unsafe").state == "uncertain"


def test_a_crash_mid_send_is_resumed_only_where_repeating_is_safe(tmp_path):
    ledger = ledger_for(tmp_path, "unsafe", "safe")
    for name in ("unsafe", "safe"):
        ledger.begin("post-1", name, attempt_key("post-1", name, 0), "2026-01-01T09:00:00+00:00")
    channels = {"unsafe": Recorder("unsafe"), "safe": Recorder("safe", safe=True)}
    steps = plan([post(1)], [], channels, Ledger.open(ledger.path), 5)
    assert {s.channel: s.action for s in steps} == {"unsafe": Action.UNCERTAIN, "safe": "resume"}
    run(steps, channels, ledger)
    assert channels["unsafe"].sent == [] and channels["safe"].sent == [("post-1", attempt_key("post-1", "safe", 0))]


def test_channels_run_in_parallel_and_one_failure_does_not_block_the_others(tmp_path):
    barrier = threading.Barrier(2, timeout=5)

    class Meeting(Recorder):
        def publish(self, message, attempt):
            barrier.wait()  # both channels must be sending at the same time to get past this
            return super().publish(message, attempt)

    class Broken(Recorder):
        def start(self):
            raise RuntimeError("adapter bug")

    channels = {"a": Meeting("a"), "b": Meeting("b"), "c": Broken("c")}
    ledger = ledger_for(tmp_path, "a", "b", "c")
    report = run(plan([post(1)], [], channels, ledger, 5), channels, ledger)
    assert {o.channel: o.status for o in report.outcomes} == {"a": "posted", "b": "posted", "c": "failed"}


# --- an attempt that may have reached the platform is never forgotten --------------------------------------


class Platform(Recorder):
    """A recorder that can be read back: `find_earlier` looks in what it holds, by attempt key."""

    reads_back = True

    def find_earlier(self, message, attempt):
        if self.script and isinstance(self.script[0], Unreachable):  # the platform is down for reading too
            raise self.script.pop(0)
        held = [key for post_id, key in self.sent if key == attempt.key]
        return Receipt(f"id-{message.post_id}", f"https://platform.example/{message.post_id}") if held else None


REFUSED = Unreachable("could not connect (ConnectionError); this try sent nothing")


@pytest.mark.parametrize(
    "channel, kept",
    [
        (lambda: Recorder("rec", script=["unknown-after-post", REFUSED]), "uncertain"),
        (lambda: Recorder("rec", script=["unknown-after-post", REFUSED], safe=True), "pending"),
        (lambda: Platform("rec", script=["unknown-after-post", REFUSED]), "pending"),
    ],
    ids=["cannot-tell", "de-duplicates", "reads-back"],
)
def test_a_lost_answer_then_refused_connections_never_forget_the_attempt(tmp_path, channel, kept):
    sender = channel()
    ledger = ledger_for(tmp_path, "rec")
    first = run(plan([post(1)], [], {"rec": sender}, ledger, 5), {"rec": sender}, ledger, Pacing(backoff=0))
    record = Ledger.open(ledger.path).get("post-1", "rec")
    assert [o.status for o in first.outcomes] == [kept] and record.state == kept and not first.ok
    assert record.key == attempt_key("post-1", "rec", 0) and "nothing was sent" not in first.summary()

    second = run(plan([post(1)], [], {"rec": sender}, Ledger.open(ledger.path), 5), {"rec": sender}, ledger)
    if kept == "uncertain":  # only a person can tell: nothing is sent again
        assert second.outcomes[0].status == "skipped" and len(sender.sent) == 1
    else:  # the same attempt is finished: found by reading back, or repeated with the same key
        assert second.outcomes[0].status == "posted" and Ledger.open(ledger.path).get("post-1", "rec").state == "done"
        assert {key for _, key in sender.sent} == {attempt_key("post-1", "rec", 0)}
        assert len(sender.sent) == (1 if sender.reads_back else 2)


def test_a_refused_connection_before_anything_left_forgets_the_attempt_and_stops_the_channel(tmp_path):
    sender = Recorder("rec", script=[REFUSED])
    ledger = ledger_for(tmp_path, "rec")
    heard: list[str] = []
    report = run(plan([post(1), post(2)], [], {"rec": sender}, ledger, 5), {"rec": sender}, ledger, say=heard.append)
    assert [o.status for o in report.outcomes] == ["failed", "deferred"]
    assert Ledger.open(ledger.path).get("post-1", "rec") is None  # certain that nothing was sent
    assert heard == ["rec: stopped for this run: could not connect (ConnectionError); this try sent nothing; "
                     "its remaining posts wait for the next run"]  # fmt: skip


def test_waits_and_backoffs_are_told_while_they_happen(tmp_path):
    sender = Recorder("rec", script=[RateLimited("rate limited (429)", 30), Retryable("the platform failed (503)")])
    ledger = ledger_for(tmp_path, "rec")
    heard: list[str] = []
    report = run(plan([post(1)], [], {"rec": sender}, ledger, 5), {"rec": sender}, ledger, sleep=lambda s: None,
                 say=heard.append)  # fmt: skip
    assert report.outcomes[0].status == "posted"
    assert heard[0].startswith("rec: rate limited; waiting 30 s (until ") and heard[0].endswith(" UTC)")
    assert heard[1] == "rec: post-1: the platform failed (503); trying again in 2 s (try 2 of 3)"


def test_a_pending_attempt_that_cannot_be_rendered_any_more_is_not_overwritten_by_a_failure(tmp_path):
    class Shrunk(Platform):
        def render(self, p):
            raise DoesNotFit("the link alone is longer than the platform allows")

    ledger = ledger_for(tmp_path, "rec")
    ledger.begin("post-1", "rec", attempt_key("post-1", "rec", 0), "2026-01-01T09:00:00+00:00")
    channels = {"rec": Shrunk("rec")}
    run(plan([post(1)], [], channels, Ledger.open(ledger.path), 5), channels, ledger)
    record = Ledger.open(ledger.path).get("post-1", "rec")
    assert record.state == "uncertain" and record.key == attempt_key("post-1", "rec", 0)
