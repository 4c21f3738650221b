"""A post's title, summary and custom texts are news, never a way to call on an account: written into a status,
`@everyone`, `@SECGov` or `@regulator@mastodon.social` would notify those accounts from the company's. Each
platform's own rule for what it reads as a mention decides here: Mastodon's (Account::MENTION_RE, enforced by the
loopback instance, which lists the accounts a status mentions), X's (twitter-text's valid mention) and Threads's
(an "@" before a handle, outside a word)."""

from __future__ import annotations

import re

import pytest
import requests
from channel_runs import make_channel, post
from servers.mastodon import MastodonServer
from test_channel_mastodon import TOKEN, Newsroom

from newsroom.syndication.text import URL, WORD_JOINER

TITLE = "Larkspur thanks @SECGov and @regulator@mastodon.social"
SUMMARY = "cc @everyone @here ＠journalist1 @journalist2@mastodon.social (@competitorCEO) é@x"
CUSTOM = "Watch the call @investors_desk"
# Not mentions anywhere, and written as they are: an e-mail address, a profile's address.
KEPT = "Write to ir@larkspur-energy.example or follow https://mastodon.social/@larkspur"

# twitter-text's valid mention: after the start or a character outside [A-Za-z0-9_!#$%&*@＠] (or "RT:").
X_MENTION = re.compile(r"(?:^|[^A-Za-z0-9_!#$%&*@＠])[@＠]([A-Za-z0-9_]{1,20})")
# Threads: an "@" before a handle's letters, digits, dots and underscores, not inside a word.
THREADS_MENTION = re.compile(r"(?<![A-Za-z0-9_.])@([A-Za-z0-9_.]{1,30})")
SECRETS = {
    "x": {"consumer_key": "a", "consumer_secret": "b", "access_token": "c", "access_token_secret": "d"},
    "threads": {"token": "t"},
}
OPTIONS = {"x": {"handle": "larkspur"}, "threads": {"user_id": "1", "handle": "larkspur"}}


@pytest.fixture
def mastodon():
    with MastodonServer(token=TOKEN) as server:
        yield server


def visible(text: str) -> str:
    return text.replace(WORD_JOINER, "")


def mentions(rule: re.Pattern, text: str) -> list[str]:
    """What `rule` reads as mentions outside the links (no platform reads one inside a link)."""
    return rule.findall(URL.sub(" ", text))


def test_a_status_with_mentions_in_its_title_and_summary_notifies_nobody_on_mastodon(site, mastodon):
    room = Newsroom(site, mastodon)
    room.publish("old")
    assert room.syndicate(bootstrap=True) == 0
    site.post("new", Title=TITLE, Slug="new", Id="new", Summary=f"{SUMMARY} {KEPT}")
    site.build()
    assert room.syndicate() == 0, room.output
    (status,) = mastodon.statuses
    assert status["mentions"] == []
    assert visible(mastodon.text_of(status)).startswith(f"{TITLE}\n\n{SUMMARY} {KEPT}")
    assert KEPT in mastodon.text_of(status)


def test_the_loopback_instance_lists_the_mentions_mastodon_would_notify(mastodon):
    """The fake's rule is Mastodon's: the test above would see a mention that reached the instance."""
    answer = requests.post(
        f"{mastodon.url}/api/v1/statuses",
        data={"status": f"{TITLE} {SUMMARY} {KEPT}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    assert [mention["acct"] for mention in answer.json()["mentions"]] == [
        "SECGov",
        "regulator@mastodon.social",
        "everyone",
        "here",
        "journalist2@mastodon.social",
        "competitorCEO",
    ]


@pytest.mark.parametrize("kind, rule", [("x", X_MENTION), ("threads", THREADS_MENTION)])
def test_no_mention_reaches_x_or_threads_and_the_text_reads_the_same(kind, rule):
    channel = make_channel(kind, SECRETS[kind], base_url="http://127.0.0.1:9", **OPTIONS[kind])
    message = channel.render(post(title=TITLE, summary=f"{SUMMARY} {KEPT}"))
    assert mentions(rule, message.text) == []
    assert visible(message.text).startswith(f"{TITLE}\n\n{SUMMARY} {KEPT}")
    assert mentions(rule, f"{TITLE} {SUMMARY}")  # the rule does find them where nothing keeps them inert


@pytest.mark.parametrize("kind", ["mastodon", "x", "threads"])
def test_a_custom_text_is_kept_inert_too(kind):
    secrets = {**SECRETS, "mastodon": {"token": "t"}}[kind]
    channel = make_channel(kind, secrets, base_url="http://127.0.0.1:9", **OPTIONS.get(kind, {}))
    message = channel.render(post(texts={"": CUSTOM}))
    assert f"@{WORD_JOINER}investors_desk" in message.text and visible(message.text).startswith(CUSTOM)
