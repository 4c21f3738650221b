"""A post edited between an attempt whose answer was lost and the run that finishes it: the read back looks for
what the attempt announced, not for what the post says now. An address changed after the try (a slug fixed),
then an outage longer than Mastodon's one-hour Idempotency-Key window, must not post a second status."""

from __future__ import annotations

import test_channel_mastodon as mastodon_tests
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.loopback import Fault
from servers.mastodon import MastodonServer

FIRST = "https://newsroom.larkspur-energy.com/news/2026/q3-reslts/"
FIXED = "https://newsroom.larkspur-energy.com/news/2026/q3-results/"


def test_a_link_changed_after_a_lost_answer_is_still_found_after_the_key_window(tmp_path):
    with MastodonServer(token=mastodon_tests.TOKEN) as server:
        channel = make_channel("mastodon", {"token": mastodon_tests.TOKEN}, base_url=server.url)
        server.faults.append(Fault(action="down"))  # posted; the answer lost; the instance down for the run
        report = syndicate(channel, [post(1, url=FIRST)], tmp_path)
        assert statuses(report) == ["pending"], report.summary()
        assert ledger_of(tmp_path).get("post-1", "mastodon").link == FIRST

        server.come_back()
        server.advance(2 * 3600)  # the instance has forgotten the Idempotency-Key by the next run
        again = syndicate(channel, [post(1, url=FIXED, title="Q3 results")], tmp_path)
        assert len(server.statuses) == 1, "the edited post was posted a second time"
    assert statuses(again) == ["posted"], again.summary()
    assert again.outcomes[0].url == server.statuses[0]["url"]
