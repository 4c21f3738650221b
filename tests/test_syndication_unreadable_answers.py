"""The platform carried the post out and said so (200), but the answer cannot be read: no JSON, or no id. That is
an unknown outcome, never a refusal: a channel that reads back finds the post, any other asks a person, and no
run sends it again by itself."""

from __future__ import annotations

import pytest
import test_channel_mastodon as mastodon_tests
import test_channel_threads as threads_tests
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.loopback import Fault
from servers.mastodon import MastodonServer
from servers.meta import ThreadsServer

UNREADABLE = {"html": "<html><body>OK</body></html>", "no-id": {"created_at": "2026-06-01T13:30:00Z"}}


@pytest.mark.parametrize("body", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_mastodon_finds_a_status_whose_answer_could_not_be_read(body, tmp_path):
    with MastodonServer(token=mastodon_tests.TOKEN) as server:
        server.faults.append(Fault(200, body, action="acted", on="/api/v1/statuses"))
        channel = make_channel("mastodon", {"token": mastodon_tests.TOKEN}, base_url=server.url)
        report = syndicate(channel, [post(1)], tmp_path)
        again = syndicate(channel, [post(1)], tmp_path)
        assert len(server.statuses) == 1
        assert report.outcomes[0].url == server.statuses[0]["url"], report.summary()
    assert statuses(report) == ["posted"] and statuses(again) == ["skipped"]


@pytest.mark.parametrize("body", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_threads_asks_a_person_when_the_publish_answer_could_not_be_read(body, tmp_path):
    with ThreadsServer(threads_tests.USER, threads_tests.TOKEN) as server:
        server.faults.append(Fault(200, body, action="acted", on="/threads_publish"))
        channel = threads_tests.channel(server)
        report = syndicate(channel, [post(1)], tmp_path)
        again = syndicate(channel, [post(1)], tmp_path)
        assert len(server.threads) == 1
    assert statuses(report) == ["uncertain"], report.summary()
    assert statuses(again) == ["skipped"]
    assert ledger_of(tmp_path).get("post-1", "threads").state == "uncertain"


@pytest.mark.parametrize("listing", [["not a status"], [None], {"error": "odd"}], ids=["string", "null", "object"])
def test_a_read_back_whose_answer_makes_no_sense_keeps_the_attempt_pending_without_stopping_the_run(listing, tmp_path):
    from servers.mastodon import ACCOUNT_ID

    with MastodonServer(token=mastodon_tests.TOKEN) as server:
        server.faults.append(Fault(action="drop", on="/api/v1/statuses"))  # posted, the answer lost
        server.faults.append(Fault(200, listing, on=f"/accounts/{ACCOUNT_ID}/statuses"))
        channel = make_channel("mastodon", {"token": mastodon_tests.TOKEN}, base_url=server.url)
        report = syndicate(channel, [post(1)], tmp_path)
        assert statuses(report) == ["pending"], report.summary()
        assert "could not look for an earlier try" in report.summary()
        again = syndicate(channel, [post(1)], tmp_path)  # the instance makes sense again: the status is found
        assert len(server.statuses) == 1
    assert statuses(again) == ["posted"], again.summary()
    assert again.outcomes[0].url == server.statuses[0]["url"]
