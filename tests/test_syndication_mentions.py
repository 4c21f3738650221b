"""A post's title, summary and custom texts are news, never a way to call on an account: written into a status,
`@everyone`, `@SECGov` or `@regulator@mastodon.social` would notify those accounts from the company's. Each
platform's own rule for what it reads as a mention decides here: Mastodon's (Account::MENTION_RE, enforced by the
loopback instance, which lists the accounts a status mentions), X's (twitter-text's valid mention) and Threads's
(an "@" before a handle, outside a word). X and Threads read no mention inside a link, where the platform ends it
(twitter-text's extractor: never past a bracket it did not open); Mastodon reads them inside links too."""

from __future__ import annotations

import re

import pytest
import requests
from channel_runs import make_channel, post
from servers.mastodon import MastodonServer
from test_channel_mastodon import TOKEN, Newsroom

from newsroom.syndication.channel import Attempt
from newsroom.syndication.mentions import WORD_JOINER, X_MENTIONS, MentionLeft, check
from newsroom.syndication.text import twitter_text

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
    """What `rule` reads as mentions outside the links as X's own library finds them (X and Threads read none
    inside a link; Mastodon does, and its loopback instance checks that)."""
    for url in twitter_text().extract_urls_with_indices(text):
        start, end = url["indices"]
        text = text[:start] + " " * (end - start) + text[end:]
    return rule.findall(text)


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


# A link, then a name right after it: the platforms end the link at the bracket (or comma, or full stop) it did not
# open, and read the name. Inside a link's path, Mastodon reads a name after "-" as a mention too.
AROUND_LINKS = [
    "Q3 results (https://example.org/q3)@everyone",
    "Filed with the regulator: https://example.org/filing,@SECGov",
    "See https://example.org/filing.@SECGov",
    "Our team page https://example.org/team-@everyone",
]


@pytest.mark.parametrize("title", AROUND_LINKS)
def test_a_name_after_or_inside_a_link_notifies_nobody_on_mastodon(mastodon, title):
    channel = make_channel("mastodon", {"token": TOKEN}, base_url=mastodon.url, hashtags=False)
    channel.start()
    message = channel.render(post(title=title, summary=""))
    channel.publish(message, Attempt(key=title, started_at="2026-01-01T00:00:00+00:00"))
    (status,) = mastodon.statuses
    assert status["mentions"] == [], message.text


def test_a_name_inside_a_link_is_written_as_the_same_address_on_mastodon():
    """ "%40" is the "@" the address already means: the link still opens the same page."""
    channel = make_channel("mastodon", {"token": "t"}, base_url="http://127.0.0.1:9", hashtags=False)
    message = channel.render(post(title="Our team page https://example.org/team-@everyone", summary=KEPT))
    assert "https://example.org/team-%40everyone" in message.text
    assert KEPT in message.text  # "/@larkspur" is no mention: left as written


@pytest.mark.parametrize("kind, rule", [("x", X_MENTION), ("threads", THREADS_MENTION)])
@pytest.mark.parametrize("title", AROUND_LINKS)
def test_a_name_right_after_a_link_notifies_nobody_on_x_or_threads(kind, rule, title):
    channel = make_channel(kind, SECRETS[kind], base_url="http://127.0.0.1:9", **OPTIONS[kind])
    message = channel.render(post(title=title, summary=""))
    assert mentions(rule, message.text) == [], message.text
    assert visible(message.text).startswith(title)  # the link itself is as written: X reads none inside it


@pytest.mark.parametrize("kind", ["mastodon", "x", "threads"])
def test_a_link_with_a_capitalised_scheme_is_left_as_written(kind):
    secrets = {**SECRETS, "mastodon": {"token": "t"}}[kind]
    channel = make_channel(kind, secrets, base_url="http://127.0.0.1:9", **OPTIONS.get(kind, {}))
    link = "HTTPS://mastodon.social/@larkspur"
    assert link in channel.render(post(title=f"Follow us at {link}", summary="")).text


def test_a_text_that_would_still_mention_someone_is_refused_not_sent():
    """The guard's last word is on the text as it is sent: whatever composes or fits it, a mention left is an error
    that names it (the post is refused for the channel with that reason), never a notification."""
    with pytest.raises(MentionLeft, match="@SECGov on X"):
        check("Thanks (https://example.org/q3)@SECGov", X_MENTIONS)
    assert check("Thanks https://example.org/q3 @\u2060SECGov", X_MENTIONS)
