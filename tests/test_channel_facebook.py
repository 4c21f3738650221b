"""Facebook Page, against a loopback Graph API that enforces the documented rules and answers errors the Graph
way (HTTP 400 with a code, rate limits included)."""

from __future__ import annotations

import json

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.meta import FacebookServer, Fault, error

from newsroom.syndication.channels.graph import regain_seconds

TOKEN = "EAAB-page-access-token-secret"
PAGE = "104857600000000"


@pytest.fixture
def facebook():
    with FacebookServer(PAGE, TOKEN) as server:
        yield server


def channel(server=None, **options):
    return make_channel(
        "facebook", {"page_token": TOKEN}, page_id=PAGE, **({"base_url": server.url} if server else {}), **options
    )


def test_golden_message_keeps_every_script_and_the_link_goes_in_the_card():
    message = channel().render(
        post(
            title="Kessler Ridge: 风电场 🌬️ مزرعة رياح",
            summary="Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — see @[104857600000001] נמשיך",
            tags=("wind power",),
        )
    )
    assert message.text == (
        "Kessler Ridge: 风电场 🌬️ مزرعة رياح\n\n"
        "Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — see @\u2060[104857600000001] נמשיך\n\n#WindPower"
    )  # '@[id]' would tag that Page: a word joiner keeps it text
    assert message.extras == {"link": "https://newsroom.larkspur-energy.com/news/2026/post-1/"}
    assert (message.length, message.limit) == (len(message.text.encode("utf-16-le")) // 2, 63_206)


def test_a_huge_text_is_fitted_to_63206_characters():
    message = channel().render(post(texts={"facebook": "🌬️ wind " * 10_000}))
    assert message.length <= 63_206 and message.text.endswith("…")


def test_posts_message_and_link_to_the_page_feed_with_the_pinned_version(facebook, tmp_path):
    sender = channel(facebook, graph_version="v23.0")
    report = syndicate(sender, [post(1, tags=("Q3",))], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    request = facebook.requests[0]
    assert request.path == f"/v23.0/{PAGE}/feed" and TOKEN not in request.path
    assert request.form == {
        "message": "Title 1\n\nSummary 1.\n\n#Q3",
        "link": "https://newsroom.larkspur-energy.com/news/2026/post-1/",
        "access_token": TOKEN,
    }
    record = ledger_of(tmp_path).get("post-1", "facebook")
    assert (
        record.remote_id == facebook.posts[0]["id"]
        and record.url == f"https://www.facebook.com/{facebook.posts[0]['id']}"
    )


def test_the_usage_header_says_how_long_to_wait():
    usage = {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    assert regain_seconds({"X-Business-Use-Case-Usage": json.dumps(usage)}) == 420
    assert regain_seconds({"X-App-Usage": json.dumps({"call_count": 100})}) == 60  # nothing said: a minute


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        (
            [Fault(400, error(190, "Error validating access token: Session has expired", 463))],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "Facebook refused the token",
        ),
        (
            [Fault(400, error(200, "(#200) requires pages_manage_posts"))],
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "requires pages_manage_posts",
        ),
        (
            [
                Fault(
                    400,
                    error(32, "Page request limit reached"),
                    {"X-Business-Use-Case-Usage": json.dumps({PAGE: [{"estimated_time_to_regain_access": 1}]})},
                )
            ],
            ["posted", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "",
        ),
        (
            [
                Fault(
                    400,
                    error(4, "Application request limit reached"),
                    {"X-App-Usage": json.dumps({"estimated_time_to_regain_access": 30})},
                )
            ],
            ["deferred", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "Facebook rate limit",
        ),
        (
            [
                Fault(
                    500,
                    error(
                        2, "An unexpected error has occurred. Please retry your request later.", kind="OAuthException"
                    ),
                )
            ],  # a 500 comes after the request was sent: it may have posted
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform failed (500) after the request was sent",
        ),
        (
            [Fault(400, {"error": {**error(1, "Please reduce the amount of data")["error"], "is_transient": True}})],
            ["posted", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "",
        ),
        (
            [Fault(400, error(368, "The action attempted has been deemed abusive or is otherwise disallowed"))],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "deemed abusive",
        ),
        (
            [Fault(400, error(506, "Duplicate status message"))],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "Duplicate status message (code 506",
        ),
        (
            [Fault(400, error(100, "(#100) Invalid parameter"))],
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "Invalid parameter",
        ),
        ([Fault(action="drop")], ["uncertain", "posted"], ["skipped", "skipped"], [1, 2], "connection broke"),
        (
            # A gateway's 503 after the post was made, with a rate-limit code in its body: it came after the request
            # was sent, so it may have posted; never taken for "nothing sent" and sent again.
            [Fault(503, error(4, "Application request limit reached"), action="acted")],
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "the platform failed (503) after the request was sent",
        ),
    ],
    ids=[
        "190-token",
        "200-permission",
        "32-page-limit-wait",
        "4-app-limit-defer",
        "2-service",
        "transient",
        "368-policy",
        "506-duplicate",
        "100-invalid",
        "drop",
        "503-with-a-limit-code",
    ],
)
def test_graph_errors_map_to_outcomes_and_two_runs_post_each_at_most_once(
    facebook, tmp_path, faults, first, second, arrived, detail
):
    facebook.faults.extend(faults)
    sender, posts, sleeps = channel(facebook), [post(1), post(2)], []
    report = syndicate(sender, posts, tmp_path, sleeps)
    assert statuses(report) == first, report.summary()
    assert detail in report.summary()
    again = syndicate(sender, posts, tmp_path)
    assert statuses(again) == second, again.summary()
    assert [p["message"].split("\n")[0] for p in facebook.posts] == [f"Title {n}" for n in arrived]
    if faults[0].status and error(32, "")["error"]["code"] == faults[0].body["error"]["code"]:
        assert sleeps == [60.0]  # estimated_time_to_regain_access: 1 minute
    assert TOKEN not in report.summary() + again.summary()


def test_the_server_refuses_what_facebook_refuses(facebook):
    import requests

    feed = f"{facebook.url}/v24.0/{PAGE}/feed"
    assert (
        requests.post(feed, data={"message": "hi", "access_token": "wrong"}, timeout=5).json()["error"]["code"] == 190
    )
    assert requests.post(feed, data={"access_token": TOKEN}, timeout=5).json()["error"]["code"] == 100
    assert (
        requests.post(feed, data={"message": "x" * 63_207, "access_token": TOKEN}, timeout=5).json()["error"]["code"]
        == 100
    )
    assert requests.post(feed, data={"message": "hi", "access_token": TOKEN}, timeout=5).status_code == 200
    assert requests.post(feed, data={"message": "hi", "access_token": TOKEN}, timeout=5).json()["error"]["code"] == 506
    assert len(facebook.posts) == 1
