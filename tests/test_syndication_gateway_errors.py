"""The platform carried the post out, then answered a 5xx: its own 500 or 503 (it failed after doing the work), or
a gateway's 502 or 504 (its upstream closed the connection, or was too slow). The post exists, and the answer says
it failed. On every HTTP channel type, a second post never follows: a channel that reads back finds the first, one
that de-duplicates repeats it harmlessly, and any other asks a person. Only an answer that proves nothing was done
(a 4xx, a 429, a refused connection) lets a channel that cannot tell send the same post again."""

from __future__ import annotations

import pytest
import test_channel_facebook as facebook_tests
import test_channel_linkedin as linkedin_tests
import test_channel_mastodon as mastodon_tests
import test_channel_threads as threads_tests
import test_channel_webhook as webhook_tests
import test_channel_x as x_tests
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.linkedin import LinkedInServer
from servers.loopback import Fault
from servers.mastodon import MastodonServer
from servers.meta import FacebookServer, ThreadsServer
from servers.slack import Fault as SlackFault
from servers.slack import SlackWebhook
from servers.teams import TeamsWorkflow
from servers.webhook import WebhookReceiver
from servers.x import XServer


def x_platform():
    server = XServer(**x_tests.SECRETS)
    return server, lambda: x_tests.channel(server), lambda: server.tweets


def linkedin_platform():
    server = LinkedInServer(linkedin_tests.TOKEN)
    return server, lambda: linkedin_tests.channel(server), lambda: server.posts


def facebook_platform():
    server = FacebookServer(facebook_tests.PAGE, facebook_tests.TOKEN)
    return server, lambda: facebook_tests.channel(server), lambda: server.posts


def teams_platform():
    server = TeamsWorkflow()
    channel = lambda: make_channel("teams", {"webhook_url": server.webhook_url}, internal=True)  # noqa: E731
    return server, channel, lambda: server.cards


def slack_platform():
    server = SlackWebhook()
    channel = lambda: make_channel("slack", {"webhook_url": server.url}, internal=True)  # noqa: E731
    return server, channel, lambda: server.delivered


def threads_platform():
    server = ThreadsServer(threads_tests.USER, threads_tests.TOKEN)
    return server, lambda: threads_tests.channel(server), lambda: server.threads


def webhook_platform(deduplicate: bool = False):
    server = WebhookReceiver(webhook_tests.SECRET, deduplicate=deduplicate)
    options = {"receiver_deduplicates": True} if deduplicate else {}
    return server, lambda: webhook_tests.channel(server.hook_url, **options), lambda: server.deliveries


def mastodon_platform():
    server = MastodonServer(token=mastodon_tests.TOKEN)
    channel = lambda: make_channel("mastodon", {"token": mastodon_tests.TOKEN}, base_url=server.url)  # noqa: E731
    return server, channel, lambda: server.statuses


# (platform, what the run reports once the gateway answered after the post was made)
PLATFORMS = {
    "x": (x_platform, "uncertain"),
    "linkedin": (linkedin_platform, "uncertain"),
    "facebook": (facebook_platform, "uncertain"),
    "teams": (teams_platform, "uncertain"),
    "slack": (slack_platform, "uncertain"),
    "threads": (threads_platform, "uncertain"),
    "webhook": (webhook_platform, "uncertain"),
    "mastodon": (mastodon_platform, "posted"),  # read back: found
}


REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@pytest.mark.parametrize("status", list(REASONS))
@pytest.mark.parametrize("kind", list(PLATFORMS))
def test_a_5xx_after_the_platform_acted_never_posts_twice(kind, status, tmp_path):
    make, first = PLATFORMS[kind]
    server, channel, made = make()
    with server:
        if kind == "slack":  # Slack's webhook server scripts its own faults
            server.faults.append(SlackFault(status, REASONS[status], acted=True))
        else:
            server.faults.append(
                Fault(status, REASONS[status], action="acted", on="_publish" if kind == "threads" else "")
            )
        report = syndicate(channel(), [post(1)], tmp_path)
        assert statuses(report) == [first], report.summary()
        again = syndicate(channel(), [post(1)], tmp_path)
        assert len(made()) == 1, f"{kind} posted twice after a {status}"
    assert statuses(again) == ["skipped"], again.summary()
    if first == "uncertain":
        assert ledger_of(tmp_path).get("post-1", channel().name).state == "uncertain"
        assert f"({status})" in report.summary()


def test_a_receiver_that_deduplicates_gets_the_same_delivery_again_after_a_gateway_error(tmp_path):
    server, channel, made = webhook_platform(deduplicate=True)
    with server:
        server.faults.append(Fault(502, "Bad Gateway", action="acted"))
        report = syndicate(channel(), [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    sent = [request.header("X-Newsroom-Delivery") for request in server.requests if request.method == "POST"]
    assert len(sent) == 2 and len(set(sent)) == 1 and len(made()) == 1  # the same delivery twice: kept once


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_that_did_nothing_is_sent_again_where_a_repeat_cannot_post_twice(status, tmp_path):
    """Mastodon reads back, finds nothing, and repeats the same attempt within the run."""
    server, channel, made = mastodon_platform()
    with server:
        server.faults.append(Fault(status, {"error": REASONS[status]}))
        report = syndicate(channel(), [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    assert len(made()) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_is_never_sent_again_where_a_repeat_could_post_twice(status, tmp_path):
    """X cannot be read back nor de-duplicates: even a 500 that did nothing is a person's call, not a retry."""
    server, channel, made = x_platform()
    with server:
        server.faults.append(Fault(status, {"title": REASONS[status]}))
        report = syndicate(channel(), [post(1)], tmp_path)
        again = syndicate(channel(), [post(1)], tmp_path)
        posts = [request for request in server.requests if request.method == "POST"]
    assert statuses(report) == ["uncertain"] and statuses(again) == ["skipped"], report.summary()
    assert len(posts) == 1 and made() == []
