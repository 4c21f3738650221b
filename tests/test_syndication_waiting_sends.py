"""A send the ledger says is still to be made (claimed by a run that did not send it, deferred by a rate limit,
asked for again by a person, or pending) is made by a later run, whatever happens around it: a version in the
channel's language landing meanwhile, another channel that cannot send, a platform that says "now" for ever.
Each of these once left a post unsent with every run green, or a run that never ended."""

from __future__ import annotations

from pathlib import Path

from channel_runs import make_channel, post, statuses, syndicate
from servers.loopback import Fault
from servers.webhook import WebhookReceiver
from test_languages import LANGUAGES, french
from test_languages_syndication import ENVIRON, SECRET, hook

from newsroom.syndication import command
from newsroom.syndication.engine import SHORTEST_RATE_LIMIT_WAIT, Pacing, run
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan

CENTRE = {"Title": "Larkspur opens a visitor centre", "Date": "2026-06-02 10:00 UTC", "Id": "centre"}
CENTRE_FR = {"Title": "Larkspur ouvre un centre d'accueil", "Date": "2026-06-02 10:00 UTC", "Id": "centre"}


def a_french_channel_with_fallback(site, english: WebhookReceiver, fr: WebhookReceiver) -> Ledger:
    site.overrides.update(
        NEWSROOM_LANGUAGES=LANGUAGES,
        NEWSROOM_TRANSLATION_RULES={"one_language_first": True, "channel_fallback": True},
        SYNDICATION_CHANNELS=[hook("hook-en", english), hook("hook-fr", fr, language="fr")],
        SYNDICATION_LEDGER="ledger.jsonl",
        SYNDICATION_BACKOFF=0,
    )
    site.post("english-only", **CENTRE)
    site.build()
    ledger = Ledger.open(Path(site.settings()["PATH"]).parent / "ledger.jsonl")
    ledger.know({"hook-en", "hook-fr"})
    return ledger


def syndicated(site) -> tuple[int, str]:
    said: list[str] = []
    code = command.syndicate(site.settings(), environ=ENVIRON, out=said.append, sleep=lambda seconds: None)
    return code, "\n".join(said)


def test_a_fallback_send_a_rate_limit_deferred_is_made_when_the_translation_lands_first(site):
    with WebhookReceiver(SECRET) as english, WebhookReceiver(SECRET) as fr:
        ledger = a_french_channel_with_fallback(site, english, fr)
        fr.faults.append(Fault(429, {"error": "slow down"}, {"Retry-After": "3600"}))
        assert syndicated(site)[0] == 0
        assert Ledger.open(ledger.path).get("centre", "hook-fr").state == "claimed"
        french(site, "english-only-fr", **CENTRE_FR)  # the French version lands before the next run
        site.build()
        code, said = syndicated(site)
        assert code == 0, said
        assert syndicated(site)[0] == 0
    # Announced once on the French channel: the version claimed first, with the key it was claimed with.
    assert [delivery["data"]["post"]["id"] for delivery in fr.deliveries] == ["centre"]
    after = Ledger.open(ledger.path)
    assert after.get("centre", "hook-fr").state == "done" and after.get("centre@fr", "hook-fr") is None
    assert len(english.deliveries) == 1


def test_a_persons_retry_of_a_fallback_send_is_made_when_the_translation_lands_first(site):
    with WebhookReceiver(SECRET) as english, WebhookReceiver(SECRET) as fr:
        ledger = a_french_channel_with_fallback(site, english, fr)
        fr.faults.append(Fault(503, {"error": "unavailable"}))  # the receiver cannot be read back: uncertain
        assert syndicated(site)[0] == 1
        assert command.resolve(site.settings(), "centre", "hook-fr", retry=True, out=lambda line: None) == 0
        french(site, "english-only-fr", **CENTRE_FR)
        site.build()
        code, said = syndicated(site)
    assert code == 0, said
    assert [delivery["data"]["post"]["id"] for delivery in fr.deliveries] == ["centre"]
    assert Ledger.open(ledger.path).get("centre", "hook-fr").state == "done"


def test_a_channel_that_cannot_send_never_holds_back_another_channels_new_posts(tmp_path):
    with WebhookReceiver(SECRET) as healthy, WebhookReceiver(SECRET) as limited:
        channels = {
            "healthy": make_channel("webhook", {"secret": SECRET}, name="healthy", url=healthy.hook_url),
            "limited": make_channel("webhook", {"secret": SECRET}, name="limited", url=limited.hook_url),
        }
        ledger = Ledger.open(tmp_path / "ledger.jsonl")
        ledger.know(set(channels))
        posts = [post(number) for number in range(1, 6)]
        for day in range(3):  # the limited channel's daily cap, run after run
            limited.faults.append(Fault(429, {"error": "daily cap"}, {"Retry-After": "86400"}))
            steps = plan(posts, [], channels, Ledger.open(ledger.path), cap=5)
            report = run(steps, channels, Ledger.open(ledger.path), Pacing(backoff=0), sleep=lambda seconds: None)
            assert report.ok, report.summary()
            posts.append(post(6 + day))
    # Every post reached the healthy channel in the run after it was published; the limited one waits its turn.
    assert sorted(delivery["data"]["post"]["id"] for delivery in healthy.deliveries) == [
        f"post-{number}" for number in range(1, 8)
    ]
    assert limited.deliveries == []
    waiting = [record.post for record in Ledger.open(ledger.path) if record.channel == "limited"]
    assert waiting == ["post-1"]  # claimed, sent by the first run the limit lets through


def test_a_rate_limit_that_says_now_again_and_again_ends_the_run_within_its_longest_wait(tmp_path):
    with WebhookReceiver(SECRET) as receiver:
        channel = make_channel("webhook", {"secret": SECRET}, url=receiver.hook_url)
        for _ in range(300):
            receiver.faults.append(Fault(429, {"error": "slow down"}, {"Retry-After": "0"}))
        sleeps: list[float] = []
        report = syndicate(channel, [post(1)], tmp_path, sleeps)
    assert statuses(report) == ["deferred"]
    assert sleeps and min(sleeps) >= SHORTEST_RATE_LIMIT_WAIT and sum(sleeps) <= Pacing().max_wait
    assert len(receiver.requests) == len(sleeps) + 1 <= Pacing().max_wait / SHORTEST_RATE_LIMIT_WAIT + 1
    assert Ledger.open(tmp_path / "ledger.jsonl").get("post-1", "webhook").state == "claimed"
