"""Slack, against a loopback incoming webhook that enforces Slack's documented rules: exactly what arrives,
exactly once, and the webhook URL (a secret) in no output at all."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta, timezone

import pytest
from servers.slack import Fault, SlackWebhook

from newsroom.syndication import command
from newsroom.syndication.channels.slack import SlackChannel, mrkdwn, slack_length
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.engine import Pacing, run
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan
from newsroom.syndication.published import PostImage, PublishedPost
from newsroom.syndication.report import Report

EDT = timezone(timedelta(hours=-4))


@pytest.fixture
def slack():
    with SlackWebhook() as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(number: int = 1, **changes) -> PublishedPost:
    values = dict(
        id=f"post-{number}",
        title=f"Title {number}",
        url=f"https://intranet.larkspur-energy.example/news/{number}/",
        summary=f"Summary {number}.",
        published=datetime(2026, 6, number, 9, 30, tzinfo=EDT),
        audiences=("employees",),
        category="News",
    )
    return PublishedPost(**{**values, **changes})


def channel(webhook_url: str = "https://hooks.slack.com/services/T0/B0/x") -> SlackChannel:
    config = ChannelConfig("slack-staff", "slack", ("employees",), True, {}, {"webhook_url": "SLACK_WEBHOOK_URL"})
    return SlackChannel(config, {"webhook_url": webhook_url}, timeout=5.0)


def syndicate(slack: SlackChannel, posts, tmp_path, sleeps: list[float] | None = None) -> Report:
    """One run of the real engine with a real ledger file; sleeps are recorded, not slept."""
    ledger = Ledger.open(tmp_path / "ledger.jsonl")
    if not ledger.existed:
        ledger.know({slack.name})
    channels = {slack.name: slack}
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    return run(plan([], posts, channels, ledger, cap=5), channels, ledger, Pacing(backoff=0), sleep=record)


def titles(server: SlackWebhook) -> list[str]:
    return [payload["blocks"][0]["text"]["text"] for payload in server.delivered]


# --- the message (pure) ----------------------------------------------------------------------------------

GOLDEN = post(
    title="Wind & solar <2026>: 风电场 🌬️ مزرعة رياح",
    summary="Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח",
    url="https://intranet.larkspur-energy.example/news/2026/wind-solar/?a=1&b=2",
    category="Q&A <live>",
    image=PostImage(
        url="https://intranet.larkspur-energy.example/images/kessler.jpg",
        file="images/kessler.jpg",
        alt="Turbines at Kessler Ridge & the sub-station",
    ),
)


def test_golden_payload_escapes_mrkdwn_and_keeps_every_script():
    message = channel().render(GOLDEN)
    text = (
        "Wind &amp; solar &lt;2026&gt;: 风电场 🌬️ مزرعة رياح\n\n"
        "Output rose 40% &amp; costs fell &lt;10%&gt; 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח\n\n"
        "https://intranet.larkspur-energy.example/news/2026/wind-solar/?a=1&amp;b=2"
    )
    assert message.extras["payload"] == {
        "text": text,
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Wind & solar <2026>: 风电场 🌬️ مزرعة رياح", "emoji": True},
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Output rose 40% &amp; costs fell &lt;10%&gt; 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח",
                },
            },
            {
                "type": "context",
                "elements": [
                    {"type": "plain_text", "text": "Q&A <live> · 1 June 2026, 09:30 UTC-04:00", "emoji": True}
                ],
            },
            {
                "type": "image",
                "image_url": "https://intranet.larkspur-energy.example/images/kessler.jpg",
                "alt_text": "Turbines at Kessler Ridge & the sub-station",
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Read the post"},
                        "url": "https://intranet.larkspur-energy.example/news/2026/wind-solar/?a=1&b=2",
                    }
                ],
            },
        ],
        "unfurl_links": False,
        "unfurl_media": False,
    }
    assert (message.text, message.length, message.limit) == (text, slack_length(text), 40_000)


def test_oversized_title_summary_and_text_are_fitted_to_slacks_limits_without_breaking_an_escape():
    title = "Kessler Ridge & " * 20  # 320 characters
    summary = "R&D <costs> 👨‍👩‍👧‍👦 " * 400  # each '&' and '<' grows when escaped
    message = channel().render(post(title=title, summary=summary))
    header, section = (block["text"]["text"] for block in message.extras["payload"]["blocks"][:2])
    assert slack_length(header) <= 150 and header.endswith("…") and header.startswith("Kessler Ridge & ")
    assert slack_length(section) <= 3000 and section.endswith("…")
    assert (
        "&amp;" in section
        and mrkdwn(section.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")) == section
    )  # every escape is whole
    assert slack_length(message.text) <= 40_000


def test_a_text_over_40000_characters_keeps_the_link(slack, tmp_path):
    huge = post(summary="&" * 50_000)  # 250,000 characters once escaped
    report = syndicate(channel(slack.url), [huge], tmp_path)
    assert [o.status for o in report.outcomes] == ["posted"], report.summary()  # the server checks every limit
    text = slack.delivered[0]["text"]
    assert len(text) <= 40_000 and text.endswith("\n\nhttps://intranet.larkspur-energy.example/news/1/")


def test_a_post_without_an_image_or_summary_still_makes_a_valid_message(slack, tmp_path):
    report = syndicate(channel(slack.url), [post(summary="")], tmp_path)
    assert [o.status for o in report.outcomes] == ["posted"]
    assert [block["type"] for block in slack.delivered[0]["blocks"]] == ["header", "context", "actions"]


# --- what arrives ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["texts", "title"])
def test_a_text_that_cannot_fit_a_block_leaves_the_block_out_and_the_link_in(slack, tmp_path, field):
    """'Z' with 3,200 accents is one grapheme: no cut between graphemes fits Slack's 3,000-character section (or its
    150-character header), so the fit leaves ''. Slack refuses an empty block (invalid_blocks): the block is left
    out, and the announcement still goes out with its button to the post."""
    overlong = "Z" + "\u0301" * 3200
    change = {"texts": {"": overlong}} if field == "texts" else {"title": overlong}
    report = syndicate(channel(slack.url), [post(**change)], tmp_path)
    assert [o.status for o in report.outcomes] == ["posted"], report.summary()  # the server checks every block
    (delivered,) = slack.delivered
    assert all(block.get("text", {}).get("text", "-") for block in delivered["blocks"])
    button = delivered["blocks"][-1]["elements"][0]
    assert button["url"] == "https://intranet.larkspur-energy.example/news/1/"


def test_exactly_the_rendered_payload_arrives_once_paced_one_per_second(slack, tmp_path):
    hook = channel(slack.url)
    sleeps: list[float] = []
    report = syndicate(hook, [GOLDEN, post(2)], tmp_path, sleeps)
    assert [o.status for o in report.outcomes] == ["posted", "posted"], report.summary()
    assert slack.delivered == [hook.render(GOLDEN).extras["payload"], hook.render(post(2)).extras["payload"]]
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.0  # the engine waited out Slack's one message per second
    record = Ledger.open(tmp_path / "ledger.jsonl").get("post-1", "slack-staff")
    assert record.state == "done" and record.remote_id == record.key and record.url == ""
    again = syndicate(hook, [GOLDEN, post(2)], tmp_path)
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"] and len(slack.delivered) == 2


def test_the_server_refuses_what_slack_refuses(slack):
    """The loopback webhook is not a mock that accepts anything."""
    import requests

    assert requests.post(slack.url, data=b"text=hi", timeout=5).text == "invalid_payload"
    assert requests.post(slack.url, json={"text": "a < b"}, timeout=5).text == "unescaped_text"
    assert (
        requests.post(
            slack.url,
            json={"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]},
            timeout=5,
        ).text
        == "invalid_blocks"
    )
    assert requests.post(slack.url + "x", json={"text": "hi"}, timeout=5).status_code == 404
    assert slack.delivered == []


# --- faults: each run twice; every post arrives at most once and none is lost -----------------------------


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        ([Fault(429, "rate_limited", {"Retry-After": "7"})], ["posted", "posted"], ["skipped", "skipped"], [1, 2], ""),
        (
            [Fault(500, "rollup_error")],  # sent, then failed: it may have posted
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform failed (500) after the request was sent, so it may have posted: rollup_error",
        ),
        (
            [Fault(403, "invalid_token")],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "Slack refused the webhook (403 invalid_token)",
        ),
        (
            [Fault(404, "no_service")],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "put a working webhook URL in SLACK_WEBHOOK_URL",
        ),
        (
            [Fault(400, "invalid_payload")],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform refused the post (400): invalid_payload (recorded; it will not be retried)",
        ),
        (
            [Fault(drop=True)],
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "the connection broke after the request was sent",
        ),
    ],
    ids=["429-retry-after", "500-every-try", "403-invalid-token", "404-no-service", "400-invalid-payload", "drop"],
)
def test_slack_answers_map_to_outcomes_and_two_runs_deliver_each_post_at_most_once(
    slack, tmp_path, faults, first, second, arrived, detail
):
    slack.faults.extend(faults)
    hook, posts, sleeps = channel(slack.url), [post(1), post(2)], []
    report = syndicate(hook, posts, tmp_path, sleeps)
    assert [o.status for o in report.outcomes] == first, report.summary()
    assert detail in report.outcomes[0].detail
    again = syndicate(hook, posts, tmp_path)
    assert [o.status for o in again.outcomes] == second, again.summary()
    assert titles(slack) == [f"Title {n}" for n in arrived]
    if faults[0].status == 429:
        assert 7.0 in sleeps  # Retry-After honoured


# --- the webhook URL is a secret -------------------------------------------------------------------------


def test_http_webhooks_are_refused_unless_on_this_machine_and_the_url_is_not_shown(tmp_path):
    secret = "http://hooks.example.com/services/T1/B1/very-secret-token"
    report = syndicate(channel(secret), [post()], tmp_path)
    assert report.outcomes[0].status == "failed"
    assert "the webhook URL in SLACK_WEBHOOK_URL must start with https://" in report.outcomes[0].detail
    assert "very-secret-token" not in report.summary()


def test_the_webhook_url_appears_in_no_output_whatever_fails(site, slack, caplog, capfd):
    """Every output a person or CI can see: printed text, dry run, summary, ledger, logs (even DEBUG), stderr."""
    ledger = site.root / "ledger.jsonl"
    site.overrides.update(
        SYNDICATION_LEDGER=str(ledger),
        SYNDICATION_BACKOFF=0,
        SYNDICATION_CHANNELS=[
            {
                "name": "slack-staff",
                "type": "slack",
                "audiences": ["employees"],
                "credentials": {"webhook_url": "SLACK_WEBHOOK_URL"},
            }
        ],
    )
    Ledger.open(ledger).know({"slack-staff"})
    for number in range(1, 5):
        site.post(f"memo-{number}", Title=f"Staff memo {number}", Id=f"memo-{number}", Audience="employees")
    site.build()
    site.build(edition="internal")
    environ = {"SLACK_WEBHOOK_URL": slack.url}
    output: list[str] = []
    caplog.set_level(logging.DEBUG)  # after the builds: Pelican sets up logging again for each

    def syndicate_all(**options) -> int:
        return command.syndicate(site.settings(), environ=environ, out=output.append, sleep=lambda s: None, **options)

    assert syndicate_all(dry_run=True) == 0 and "SEND      memo-1" in output[-1]
    # A server that quotes the URL back, a dropped answer, a refusal naming the token; then nobody listens.
    token = slack.path.rsplit("/", 1)[1]
    slack.faults.extend(
        [
            Fault(400, f"invalid_payload for {slack.url} ({slack.path})"),
            Fault(drop=True),
            Fault(403, f"invalid_token {token}"),
        ]
    )
    assert syndicate_all() == 1
    environ["SLACK_WEBHOOK_URL"] = f"http://127.0.0.1:{free_port()}{slack.path}"
    assert syndicate_all() == 1
    assert "could not connect" in output[-1] and len(slack.delivered) == 1  # only the dropped answer's post

    seen = "\n".join([*output, ledger.read_text(), caplog.text, *capfd.readouterr()])
    assert "invalid_payload for [redacted] ([redacted])" in seen and "invalid_token [redacted]" in seen
    assert slack.url not in seen and slack.path not in seen and token not in seen
