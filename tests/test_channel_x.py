"""X, against a loopback `POST /2/tweets` that verifies the OAuth 1.0a signature with oauthlib's server side and
counts the weighted length by the published rules (URLs where twitter-text's extractor finds them)."""

from __future__ import annotations

import time

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.x import Fault, XServer, x_weighted_length

from newsroom.syndication.channels.x import weighted_length

SECRETS = {
    "consumer_key": "xvz1evFS4wEEPTGEFPHBog",
    "consumer_secret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "access_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "access_token_secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
}


@pytest.fixture
def x():
    with XServer(**SECRETS) as server:
        yield server


def channel(server=None, secrets=SECRETS, **options):
    return make_channel(
        "x", dict(secrets), handle="larkspur", **({"base_url": server.url} if server else {}), **options
    )


# --- X's weighted count: the library against twitter-text's own conformance cases --------------------------------

# From twitter/twitter-text conformance/validate.yml, WeightedTweetsWithDiscountedEmojiCounterTest (v3 rules).
CONFORMANCE = [
    ("Hi http://test.co", 26),
    ("http://test.co", 23),
    ("https://www.twitter.com/aloha " * 10, 240),
    ("😷" * 160, 320),
    ("H🐱☺👨‍👩‍👧‍👦", 7),
    ("😷👾😡🔥💩", 10),
    ("🙋🏽👨‍🎤", 4),
    ("👨‍👩‍👧‍👦" * 140, 280),
    ("1⃣", 2),
    ("Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29),
    ("Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 34),
]


@pytest.mark.parametrize("text, expected", CONFORMANCE, ids=range(len(CONFORMANCE)))
def test_weighted_length_follows_the_twitter_text_conformance_cases(text, expected):
    assert weighted_length(text) == expected


# Where X ends a URL, and which it links without a scheme: the count turns on these, so the loopback server must
# agree (a server that counted "https://example.com/風…" as one URL would accept what X refuses).
URL_BOUNDARIES = [
    ("https://example.com/" + "風" * 200, 23 + 400),  # a URL ends before CJK text
    ("Visit example.com " + "a" * 262, 6 + 23 + 1 + 262),  # a domain without a scheme is a URL
    ("(see https://example.org/q3)", 5 + 23 + 1),  # not the bracket it did not open
    ("https://example.org/wiki/Wind_(energy)", 23),  # the one it opened
    ("Write to ir@larkspur-energy.com", 31),  # an e-mail address is no URL
    ("https://news.example/x", 22),  # nor a domain outside the list of top-level domains
    ("HTTPS://EXAMPLE.COM/Q3", 23),  # in any case
]


@pytest.mark.parametrize("text, expected", CONFORMANCE + URL_BOUNDARIES, ids=range(len(CONFORMANCE + URL_BOUNDARIES)))
def test_the_loopback_server_counts_as_x_does(text, expected):
    """The server the X tests run against refuses what X refuses and accepts what X accepts: the conformance cases
    and the URL boundaries, by the client's library and by the server's own weighing alike."""
    assert weighted_length(text) == expected
    assert x_weighted_length(text) == expected


def test_weighted_length_counts_cjk_2_urls_23_and_after_nfc():
    assert weighted_length("风电场") == 6 and weighted_length("مزرعة רוח") == 9
    assert weighted_length("e\u0301") == weighted_length("é") == 1  # NFC makes the pair one character
    assert weighted_length("See https://newsroom.larkspur-energy.com/" + "x" * 200) == 4 + 23


# --- the message (pure) ----------------------------------------------------------------------------------------

GOLDEN = post(
    title="Kessler Ridge: 风电场 🌬️ مزرعة رياح",
    summary="Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח",
    tags=("wind power", "Q3"),
)


def test_golden_text_with_emoji_cjk_rtl_link_and_hashtags():
    message = channel().render(GOLDEN)
    assert message.text == (
        "Kessler Ridge: 风电场 🌬️ مزرعة رياح\n\n"
        "Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח\n\n"
        "https://newsroom.larkspur-energy.com/news/2026/post-1/ #WindPower #Q3"
    )
    assert (message.length, message.limit) == (weighted_length(message.text), 280)
    assert message.length == x_weighted_length(message.text)  # the server's count agrees


def test_a_long_cjk_text_is_fitted_to_280_weighted_keeping_the_link():
    message = channel().render(post(title="风电场" * 30, summary="可再生能源 🌬️ " * 40))
    assert message.length <= 280 and x_weighted_length(message.text) <= 280
    assert message.text.endswith("\n\nhttps://newsroom.larkspur-energy.com/news/2026/post-1/")
    assert "…" in message.text


# --- what arrives ----------------------------------------------------------------------------------------------


def test_posts_the_rendered_text_signed_with_oauth_1a(x, tmp_path):
    sender = channel(x)
    report = syndicate(sender, [GOLDEN], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    assert x.tweets[0]["text"] == sender.render(GOLDEN).text
    authorization = x.requests[0].header("Authorization")
    assert authorization.startswith("OAuth ") and 'oauth_signature_method="HMAC-SHA1"' in authorization
    assert f'oauth_consumer_key="{SECRETS["consumer_key"]}"' in authorization
    assert SECRETS["consumer_secret"] not in authorization and SECRETS["access_token_secret"] not in authorization
    record = ledger_of(tmp_path).get("post-1", "x")
    assert record.remote_id == x.tweets[0]["id"]
    assert record.url == f"https://x.com/larkspur/status/{x.tweets[0]['id']}"


def test_a_wrong_secret_fails_the_signature_and_stops_the_channel(x, tmp_path):
    wrong = {**SECRETS, "access_token_secret": "not-the-secret"}
    report = syndicate(channel(x, wrong), [post(1), post(2)], tmp_path)
    assert statuses(report) == ["failed", "deferred"] and x.tweets == []
    assert "X refused the request (401: Unauthorized)" in report.summary()
    assert "not-the-secret" not in report.summary()


def test_the_server_refuses_what_x_refuses(x):
    """The loopback API is not a mock that accepts anything."""
    import requests

    assert requests.post(f"{x.url}/2/tweets", json={"text": "hi"}, timeout=5).status_code == 401  # unsigned
    sender = channel(x)
    too_long = sender.render(post())
    object.__setattr__(too_long, "text", "风" * 141)
    with pytest.raises(Exception, match="too long"):
        sender.publish(too_long, _attempt())
    assert x.tweets == []


def _attempt():
    from newsroom.syndication.channel import Attempt

    return Attempt(key="nr-test", started_at="2026-06-01T00:00:00+00:00")


# --- faults: each run twice; every post arrives at most once and none is lost ----------------------------------


def _in(seconds: int) -> str:
    return str(int(time.time()) + seconds)


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        (
            lambda: [Fault(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": _in(5)})],
            ["posted", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "",
        ),
        (
            lambda: [
                Fault(
                    429,
                    {"title": "Too Many Requests"},
                    {
                        "x-rate-limit-reset": _in(5),
                        "x-user-limit-24hour-remaining": "0",
                        "x-user-limit-24hour-reset": _in(86_400),
                    },
                )
            ],
            ["deferred", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "the next run will try again",
        ),
        (
            [Fault(503, {"title": "Service Unavailable"})],  # sent, then failed: it may have posted
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform failed (503) after the request was sent",
        ),
        (
            [Fault(402, {"title": "Payment Required", "detail": "CreditsDepleted"})],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "API plan or credits",
        ),
        (
            [
                Fault(
                    403,
                    {
                        "detail": "You are not allowed to create a Tweet with duplicate content.",
                        "title": "Forbidden",
                        "status": 403,
                    },
                )
            ],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "already posted this exact text",
        ),
        (
            [Fault(400, {"title": "Invalid Request", "detail": "One or more parameters to your request was invalid."})],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "recorded",
        ),
        ([Fault(action="drop")], ["uncertain", "posted"], ["skipped", "skipped"], [1, 2], "connection broke"),
    ],
    ids=["429-window", "429-24-hours", "503-every-try", "402", "403-duplicate", "400", "drop"],
)
def test_x_answers_map_to_outcomes_and_two_runs_post_each_at_most_once(
    x, tmp_path, faults, first, second, arrived, detail
):
    x.faults.extend(faults() if callable(faults) else faults)  # reset times are made when the test runs
    sender, posts, sleeps = channel(x), [post(1), post(2)], []
    report = syndicate(sender, posts, tmp_path, sleeps)
    assert statuses(report) == first, report.summary()
    assert detail in report.summary()
    again = syndicate(sender, posts, tmp_path)
    assert statuses(again) == second, again.summary()
    assert [t["text"].split("\n")[0] for t in x.tweets] == [f"Title {n}" for n in arrived]
    if first == ["posted", "posted"]:
        assert len(sleeps) == 1 and 3 <= sleeps[0] <= 5  # waited for x-rate-limit-reset
    assert not any(secret in report.summary() + again.summary() for secret in SECRETS.values())
