"""The signed webhook, against a receiver that checks the signature with its own code, as docs/feeds.md tells
receivers to; and `verify_signature`, the function receivers can copy."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.webhook import Fault, WebhookReceiver

from conftest import ROOT
from newsroom.syndication.channel_types import WEBHOOK
from newsroom.syndication.channels.webhook import DELIVERY_HEADER, REPLAY_WINDOW, payload, sign, verify_signature
from newsroom.syndication.published import PostImage

SECRET = "whsec-0123456789abcdef0123456789abcdef"


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as server:
        yield server


def channel(url: str = "https://hooks.example.com/newsroom", **options):
    return make_channel("webhook", {"secret": SECRET}, url=url, **options)


# --- verify_signature: the receiver's side ---------------------------------------------------------------------

BODY = b'{"event":"post.published","post":{"title":"\xe9\xa3\x8e\xe7\x94\xb5 \xf0\x9f\x8c\xac"}}'
NOW = 1_780_000_000


def headers(timestamp: int = NOW, secret: str = SECRET, body: bytes = BODY) -> dict:
    return {"X-Newsroom-Signature": sign(secret, timestamp, body), "X-Newsroom-Timestamp": str(timestamp)}


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body_in_stripes_style():
    digest = hmac.new(SECRET.encode(), b"1780000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == f"t=1780000000,v1={digest}"


@pytest.mark.parametrize(
    "given, now, accepted",
    [
        (headers(), NOW, True),
        (headers(), NOW + REPLAY_WINDOW, True),
        ({key.lower(): value for key, value in headers().items()}, NOW, True),  # header names are case-insensitive
        ({"X-Newsroom-Signature": f"t={NOW},v1=00ff,{sign(SECRET, NOW, BODY).split(',')[1]}"}, NOW, True),  # rotation
        (headers(), NOW + REPLAY_WINDOW + 1, False),  # a replay after the window
        (headers(), NOW - REPLAY_WINDOW - 1, False),  # signed in the future
        (headers(secret="another-secret"), NOW, False),
        (headers(body=BODY + b" "), NOW, False),  # the body was changed
        ({"X-Newsroom-Signature": f"t={NOW + 1},{sign(SECRET, NOW, BODY).split(',')[1]}"}, NOW, False),  # t changed
        ({"X-Newsroom-Signature": f"t={NOW},t={NOW},v1=x"}, NOW, False),
        ({}, NOW, False),
        ({"X-Newsroom-Signature": "garbage"}, NOW, False),
    ],
    ids=[
        "valid",
        "edge-of-window",
        "lowercase",
        "two-v1",
        "replayed",
        "future",
        "wrong-secret",
        "tampered",
        "timestamp-changed",
        "two-t",
        "missing",
        "garbage",
    ],
)
def test_verify_signature_accepts_only_an_authentic_recent_body(given, now, accepted):
    assert verify_signature(SECRET, given, BODY, now) is accepted


# --- the payload -----------------------------------------------------------------------------------------------


def test_golden_payload_has_the_posts_data_with_its_time_zone():
    one = post(
        title="Kessler Ridge: 风电场 🌬️ مزرعة",
        summary='Up 40% & <10%> "quoted"',
        tags=("wind power",),
        image=PostImage("https://newsroom.larkspur-energy.com/images/k.jpg", "images/k.jpg", "Turbines"),
        texts={"webhook": "For the wire"},
        material=True,
    )
    assert payload(one, "nr-abc", "webhook") == {
        "event": "post.published",
        "delivery": "nr-abc",
        "post": {
            "id": "post-1",
            "title": "Kessler Ridge: 风电场 🌬️ مزرعة",
            "url": "https://newsroom.larkspur-energy.com/news/2026/post-1/",
            "summary": 'Up 40% & <10%> "quoted"',
            "text": "For the wire",
            "published": "2026-06-01T09:30:00-04:00",
            "published_text": "1 June 2026, 09:30 UTC-04:00",
            "audiences": ["media", "employees"],
            "category": "News",
            "tags": ["wind power"],
            "image": {"url": "https://newsroom.larkspur-energy.com/images/k.jpg", "alt": "Turbines"},
            "material": True,
        },
    }


def test_a_body_over_the_receivers_limit_fails_once_and_is_never_sent(receiver, tmp_path):
    report = syndicate(channel(receiver.hook_url, max_bytes=300), [post(summary="x" * 400)], tmp_path)
    assert statuses(report) == ["refused"] and "at most 300" in report.summary() and receiver.requests == []


# --- what arrives ----------------------------------------------------------------------------------------------


def test_the_receiver_gets_a_signed_body_with_timestamp_and_delivery_id(receiver, tmp_path):
    sender = channel(receiver.hook_url)
    before = time.time()
    report = syndicate(sender, [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary() + str(receiver.refused)
    delivery = receiver.deliveries[0]
    key = ledger_of(tmp_path).get("post-1", "webhook").key
    assert delivery["data"] == payload(post(1), key, "webhook")
    got = {name.lower(): value for name, value in delivery["headers"].items()}
    assert got["x-newsroom-delivery"] == key and got["x-newsroom-event"] == "post.published"
    assert got["content-type"] == "application/json" and before - 1 <= int(got["x-newsroom-timestamp"]) <= time.time()
    assert verify_signature(SECRET, delivery["headers"], delivery["body"], time.time())
    assert ledger_of(tmp_path).get("post-1", "webhook").remote_id == "rcv-1"


def test_a_receiver_with_another_secret_refuses_it_and_the_channel_stops(tmp_path):
    with WebhookReceiver("some-other-secret") as strict:
        report = syndicate(channel(strict.hook_url), [post(1), post(2)], tmp_path)
    assert statuses(report) == ["failed", "deferred"] and strict.refused == ["bad signature"]
    assert "uses the same secret as WEBHOOK_SECRET" in report.summary() and SECRET not in report.summary()


@pytest.mark.parametrize(
    "dedupe, first, arrived",
    [(False, ["uncertain", "posted"], [1, 2]), (True, ["posted", "posted"], [1, 2])],
    ids=["receiver-without-dedup", "receiver-that-dedups"],
)
def test_an_unanswered_delivery_is_repeated_only_to_a_receiver_that_deduplicates(tmp_path, dedupe, first, arrived):
    with WebhookReceiver(SECRET, deduplicate=dedupe) as server:
        server.faults.append(Fault(action="drop"))
        sender = channel(server.hook_url, receiver_deduplicates=dedupe)
        report = syndicate(sender, [post(1), post(2)], tmp_path)
        assert statuses(report) == first, report.summary()
        assert statuses(syndicate(sender, [post(1), post(2)], tmp_path)) == ["skipped", "skipped"]
        assert [d["data"]["post"]["id"] for d in server.deliveries] == [f"post-{n}" for n in arrived]
        if dedupe:  # the repeat carried the same delivery id and body, so the receiver kept one
            sent = [r for r in server.requests if r.body and json.loads(r.body)["post"]["id"] == "post-1"]
            assert len(sent) == 2 and sent[0].body == sent[1].body
            assert len({r.header("X-Newsroom-Delivery") for r in sent}) == 1


def test_the_receiver_deduplicates_setting_names_the_header_the_channel_sends():
    """The setting's help is plain data (channel_types.py, read without loading the channel): it names the header."""
    assert f"ignores a repeated {DELIVERY_HEADER}:" in WEBHOOK.options["receiver_deduplicates"].help


def test_a_lost_delivery_then_a_receiver_that_is_down_keeps_the_delivery_id_for_the_next_run(tmp_path):
    """The answer is lost, then every connection is refused: the attempt stays pending (not forgotten as 'nothing
    was sent'), and the next run repeats the very same delivery, which the receiver recognises."""
    with WebhookReceiver(SECRET, deduplicate=True) as server:
        server.faults.append(Fault(action="down"))
        sender = channel(server.hook_url, receiver_deduplicates=True)
        assert statuses(report := syndicate(sender, [post(1), post(2)], tmp_path)) == ["pending", "deferred"]
        assert "nothing was sent" not in report.summary() and ledger_of(tmp_path).get("post-1", "webhook").key
        server.come_back()
        assert statuses(syndicate(sender, [post(1), post(2)], tmp_path)) == ["posted", "posted"]
        assert [d["data"]["post"]["id"] for d in server.deliveries] == ["post-1", "post-2"]
        sent = [r for r in server.requests if json.loads(r.body)["post"]["id"] == "post-1"]
        assert len(sent) == 2 and len({r.header("X-Newsroom-Delivery") for r in sent}) == 1


@pytest.mark.parametrize(
    "faults, first, second, arrived",
    [
        (
            [Fault(429, {"error": "slow down"}, {"Retry-After": "3"})],
            ["posted", "posted"],
            ["skipped", "skipped"],
            [1, 2],
        ),
        ([Fault(503, "busy")], ["uncertain", "posted"], ["skipped", "skipped"], [2]),  # it may have been delivered
        ([Fault(410, "gone")], ["failed", "deferred"], ["posted", "posted"], [1, 2]),
        ([Fault(422, {"error": "unknown category"})], ["refused", "posted"], ["skipped", "skipped"], [2]),
    ],
    ids=["429", "503-every-try", "410-gone", "422"],
)
def test_receiver_answers_map_to_outcomes_and_two_runs_deliver_each_at_most_once(
    receiver, tmp_path, faults, first, second, arrived
):
    receiver.faults.extend(faults)
    sender = channel(receiver.hook_url)
    assert statuses(report := syndicate(sender, [post(1), post(2)], tmp_path)) == first, report.summary()
    assert statuses(again := syndicate(sender, [post(1), post(2)], tmp_path)) == second, again.summary()
    assert [d["data"]["post"]["id"] for d in receiver.deliveries] == [f"post-{n}" for n in arrived]


def test_plain_http_is_refused_except_on_this_machine(tmp_path):
    report = syndicate(channel("http://hooks.example.com/newsroom"), [post(1)], tmp_path)
    assert statuses(report) == ["failed"] and "must start with https://" in report.summary()


def test_the_documented_snippet_for_receivers_verifies_a_real_delivery(receiver, tmp_path):
    guide = (ROOT / "docs/feeds.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Signed webhooks (for receivers)") :]
    snippet = section[
        section.index("```python\n") + len("```python\n") : section.index("```", section.index("```python\n") + 3)
    ]
    namespace: dict = {}
    exec(snippet, namespace)  # the receiver's code, exactly as documented
    syndicate(channel(receiver.hook_url), [post(1)], tmp_path)
    delivery = receiver.deliveries[0]
    headers = {name.title(): value for name, value in delivery["headers"].items()}
    assert namespace["verify"](SECRET, headers, delivery["body"]) is True
    assert namespace["verify"]("wrong-secret", headers, delivery["body"]) is False
    assert namespace["verify"](SECRET, headers, delivery["body"] + b" ") is False
    old = {**headers, "X-Newsroom-Signature": sign(SECRET, int(time.time()) - 301, delivery["body"])}
    assert namespace["verify"](SECRET, old, delivery["body"]) is False
