"""Microsoft Teams, against a loopback Workflows webhook that checks the card the way Teams documents it: what
arrives, exactly once, and the webhook URL (a secret, `sig=` included) in no output at all."""

from __future__ import annotations

import json
import logging

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.teams import Fault, TeamsWorkflow, check_card

from newsroom.syndication.channels.teams import PAYLOAD_LIMIT, card, payload_size
from newsroom.syndication.published import PostImage


@pytest.fixture
def teams():
    with TeamsWorkflow() as server:
        yield server


def channel(url: str = "https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cret"):
    return make_channel("teams", {"webhook_url": url}, name="teams-staff", internal=True)


GOLDEN = post(
    title="Wind_power *update*: 风电场 🌬️ مزرعة",
    summary="Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — [details](inside) נמשיך",
    category="News",
    image=PostImage(
        "https://intranet.larkspur-energy.com/images/kessler.jpg", "images/kessler.jpg", "Turbines at Kessler Ridge"
    ),
)


def test_golden_card_has_title_summary_facts_image_and_a_button():
    message = channel().render(GOLDEN)
    assert message.extras["payload"] == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "type": "AdaptiveCard",
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {
                                    "type": "TextRun",
                                    "text": "Wind_power *update*: 风电场 🌬️ مزرعة",
                                    "size": "Large",
                                    "weight": "Bolder",
                                }
                            ],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {
                                    "type": "TextRun",
                                    "text": "Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — [details](inside) נמשיך",
                                }
                            ],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {"type": "TextRun", "text": "Category", "weight": "Bolder"},
                                {"type": "TextRun", "text": " News"},
                            ],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {"type": "TextRun", "text": "Published", "weight": "Bolder"},
                                {"type": "TextRun", "text": " 1 June 2026, 09:30 UTC-04:00"},
                            ],
                        },
                        {
                            "type": "Image",
                            "url": "https://intranet.larkspur-energy.com/images/kessler.jpg",
                            "altText": "Turbines at Kessler Ridge",
                            "size": "Stretch",
                        },
                    ],
                    "actions": [
                        {
                            "type": "Action.OpenUrl",
                            "title": "Read the post",
                            "url": "https://newsroom.larkspur-energy.com/news/2026/post-1/",
                        }
                    ],
                },
            }
        ],
    }  # text runs are plain text: '*', '_' and '[..](..)' stay as written, no Markdown
    assert check_card(message.extras["payload"]) == ""
    assert (message.length, message.limit) == (payload_size(message.extras["payload"]), 28_000)


def test_a_summary_too_big_for_28_kb_is_fitted():
    message = channel().render(post(summary="风电场 🌬️ " * 5000))
    assert message.length <= PAYLOAD_LIMIT and check_card(message.extras["payload"]) == ""
    assert message.extras["payload"]["attachments"][0]["content"]["body"][1]["inlines"][0]["text"].endswith("…")


def test_exactly_the_rendered_card_arrives_once(teams, tmp_path):
    sender = channel(teams.webhook_url)
    sleeps: list[float] = []
    report = syndicate(sender, [GOLDEN, post(2)], tmp_path, sleeps)
    assert statuses(report) == ["posted", "posted"], report.summary()
    assert teams.cards == [sender.render(GOLDEN).extras["payload"], sender.render(post(2)).extras["payload"]]
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.0  # paced: one message a second
    record = ledger_of(tmp_path).get("post-1", "teams-staff")
    assert record.state == "done" and record.remote_id == record.key
    assert statuses(syndicate(sender, [GOLDEN, post(2)], tmp_path)) == ["skipped", "skipped"] and len(teams.cards) == 2


def test_the_server_refuses_what_teams_refuses(teams):
    import requests

    good = card("T", "S", [], "https://x.com/a", None)
    assert requests.post(teams.webhook_url, json=good, timeout=5).status_code == 202
    assert requests.post(teams.webhook_url.replace(teams.sig, "forged"), json=good, timeout=5).status_code == 401
    assert requests.post(teams.webhook_url, json={"text": "hi"}, timeout=5).status_code == 400
    big = card("T", "x" * 30_000, [], "https://x.com/a", None)
    assert requests.post(teams.webhook_url, json=big, timeout=5).status_code == 413
    assert len(teams.cards) == 1


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        (
            [Fault(429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "7"})],
            ["posted", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "",
        ),
        (
            [Fault(500, {"error": {"code": "InternalServerError"}})],  # sent, then failed: it may have posted
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform failed (500) after the request was sent",
        ),
        (
            [Fault(404, {"error": {"code": "WorkflowNotFound", "message": "gone"}})],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "put the flow's current URL in TEAMS_STAFF_WEBHOOK_URL",
        ),
        (
            [Fault(400, {"error": {"code": "WorkflowTriggerIsNotEnabled"}})],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "turned off",
        ),
        (
            [Fault(400, {"error": {"code": "InvalidRequestContent", "message": "bad card"}})],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "recorded",
        ),
        ([Fault(action="drop")], ["uncertain", "posted"], ["skipped", "skipped"], [1, 2], "connection broke"),
    ],
    ids=["429-retry-after", "500-every-try", "404-flow-deleted", "flow-off", "400-bad-card", "drop"],
)
def test_teams_answers_map_to_outcomes_and_two_runs_deliver_each_at_most_once(
    teams, tmp_path, faults, first, second, arrived, detail
):
    teams.faults.extend(faults)
    sender, posts, sleeps = channel(teams.webhook_url), [post(1), post(2)], []
    report = syndicate(sender, posts, tmp_path, sleeps)
    assert statuses(report) == first, report.summary()
    assert detail in report.summary()
    again = syndicate(sender, posts, tmp_path)
    assert statuses(again) == second, again.summary()
    titles = [c["attachments"][0]["content"]["body"][0]["inlines"][0]["text"] for c in teams.cards]
    assert titles == [f"Title {n}" for n in arrived]
    if faults[0].status == 429:
        assert 7.0 in sleeps


def test_the_webhook_url_appears_in_no_output_whatever_fails(teams, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    teams.faults.extend(
        [
            Fault(
                400,
                {
                    "error": {
                        "code": "InvalidRequestContent",
                        "message": f"bad request to {teams.webhook_url} sig={teams.sig}",
                    }
                },
            ),
            Fault(action="drop"),
            Fault(401, {"error": {"code": "DirectApiInvalidAuthorizationSignature", "message": teams.sig}}),
        ]
    )
    sender = channel(teams.webhook_url)
    first = syndicate(sender, [post(1), post(2), post(3)], tmp_path)
    http = channel(teams.webhook_url.replace("http://127.0.0.1", "http://teams.example"))
    second = syndicate(http, [post(4)], tmp_path / "other")
    assert "must start with https://" in second.summary()
    seen = "\n".join(
        [first.summary(), second.summary(), (tmp_path / "ledger.jsonl").read_text(), caplog.text, *capfd.readouterr()]
    )
    assert "bad request to [redacted] sig=[redacted]" in seen
    assert teams.sig not in seen and teams.path not in seen and json.dumps(teams.webhook_url) not in seen
