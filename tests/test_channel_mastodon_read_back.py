"""Mastodon's read back after an unknown outcome takes a status for this post's only when the status announces
this post: its last link (the newsroom's message ends with it, then hashtags) is the post's, and no other record
of the ledger holds it. A correction or follow-up that quotes the post's link, posted in between, was once taken
for it: the post was recorded as done and never posted, and the run was green."""

from __future__ import annotations

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.mastodon import Fault, MastodonServer, as_html

from newsroom.syndication.channels.mastodon import announced_link

TOKEN = "mastodon-read-back-token"
# A top-level domain Mastodon recognises (the link becomes an <a href>), and one it does not (it stays text).
ADDRESSES = {
    "linked": "https://newsroom.larkspur-energy.com/news/2026/q3-results/",
    "text": "https://newsroom.larkspur-energy.example/news/2026/q3-results/",
}


def unknown_outcome_then(server: MastodonServer) -> None:
    """The next post's try fails with a 503 that did nothing, and the read back after it cannot reach the account:
    the attempt stays pending for the next run."""
    server.faults.append(Fault(503, {"error": "Service Unavailable"}))
    server.faults.append(Fault(503, {"error": "unavailable"}, on="verify_credentials"))


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_later_post_quoting_this_posts_link_is_not_taken_for_it(tmp_path, address):
    first_url = ADDRESSES[address]
    first = post(1, url=first_url, title="Q3 results")
    second = post(2, title="Correction to the Q3 results", summary=f"Our Q3 results ({first_url}) had a typo.")
    with MastodonServer(token=TOKEN) as server:
        channel = make_channel("mastodon", {"token": TOKEN}, base_url=server.url)
        unknown_outcome_then(server)
        assert statuses(syndicate(channel, [first, second], tmp_path)) == ["pending", "posted"]
        again = syndicate(channel, [first, second], tmp_path)
        posted = [announced_link(status["content"]) for status in server.statuses]
    assert again.ok, again.summary()
    assert posted == [second.url, first_url]  # each post once, the first sent again with its own key
    ledger = ledger_of(tmp_path)
    assert ledger.get("post-1", "mastodon").remote_id != ledger.get("post-2", "mastodon").remote_id


def test_two_unknown_outcomes_are_each_matched_to_their_own_status(tmp_path):
    """The first try did nothing; the second post's try was carried out by the instance and answered 502 (a
    gateway), and neither could be read back in that run. The next run must not give the second post's status,
    which quotes the first post's link, to the first post."""
    first_url = ADDRESSES["linked"]
    first = post(1, url=first_url, title="Q3 results")
    second = post(2, title="Correction to the Q3 results", summary=f"Our Q3 results ({first_url}) had a typo.")
    with MastodonServer(token=TOKEN) as server:
        channel = make_channel("mastodon", {"token": TOKEN}, base_url=server.url)
        server.faults += [
            Fault(503, {"error": "Service Unavailable"}, on="v1/statuses"),
            Fault(503, {"error": "unavailable"}, on="verify_credentials"),
            Fault(502, "Bad Gateway", action="acted", on="v1/statuses"),
            Fault(503, {"error": "unavailable"}, on="verify_credentials"),
        ]
        assert statuses(syndicate(channel, [first, second], tmp_path)) == ["pending", "pending"]
        assert [announced_link(status["content"]) for status in server.statuses] == [second.url]
        again = syndicate(channel, [first, second], tmp_path)
        posted = [announced_link(status["content"]) for status in server.statuses]
    assert again.ok, again.summary()
    assert posted == [second.url, first_url]
    ledger = ledger_of(tmp_path)
    assert ledger.get("post-1", "mastodon").remote_id != ledger.get("post-2", "mastodon").remote_id


def test_a_status_another_record_holds_is_never_taken_for_this_post(tmp_path):
    """An address given again to another post (the first renamed, the second given its old address): the read
    back finds the first post's status, which the ledger already gives to the first post."""
    shared = "https://newsroom.larkspur-energy.com/news/2026/kessler/"
    with MastodonServer(token=TOKEN) as server:
        channel = make_channel("mastodon", {"token": TOKEN}, base_url=server.url)
        assert statuses(syndicate(channel, [post(1, url=shared)], tmp_path)) == ["posted"]
        unknown_outcome_then(server)
        renamed = post(1, url="https://newsroom.larkspur-energy.com/news/2026/kessler-ridge/")
        assert statuses(syndicate(channel, [renamed, post(2, url=shared)], tmp_path)) == ["skipped", "pending"]
        assert statuses(syndicate(channel, [renamed, post(2, url=shared)], tmp_path)) == ["skipped", "posted"]
        assert len(server.statuses) == 2
    ledger = ledger_of(tmp_path)
    assert ledger.get("post-1", "mastodon").remote_id != ledger.get("post-2", "mastodon").remote_id


def test_the_announced_link_is_the_last_one_that_is_not_a_hashtag_or_a_mention():
    instance = "https://social.example.com"
    text = (
        "Correction to the Q3 results\n\nOur Q3 results (https://news.example.com/q3/) had a typo, "
        "thanks @analyst@markets.example.com\n\nhttps://news.example.com/q3-correction/ #Earnings #Q3"
    )
    assert announced_link(as_html(text, instance)) == "https://news.example.com/q3-correction/"
    assert announced_link(text) == "https://news.example.com/q3-correction/"
    # As a real instance writes it: the link's visible text cut with an ellipsis, a mention in an h-card.
    real = (
        '<p>Results <span class="h-card" translate="no"><a href="https://markets.example.com/@analyst" '
        'class="u-url mention">@<span>analyst</span></a></span></p><p><a href="https://news.example.com/a?x=1&amp;'
        'y=2" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://'
        '</span><span class="ellipsis">news.example.com/a?x=1&amp;y</span><span class="invisible">=2</span></a> '
        '<a href="https://social.example.com/tags/q3" class="mention hashtag" rel="tag">#<span>q3</span></a></p>'
    )
    assert announced_link(real) == "https://news.example.com/a?x=1&y=2"
    assert (
        announced_link(
            "<p>No link at all <a href='https://social.example.com/tags/x' class='mention hashtag'>#x</a></p>"
        )
        == ""
    )
