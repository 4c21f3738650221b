"""Whether a scheduled publish has anything to do (`invoke publish --if-due`): the decision alone, over plain
values. tests/test_publish_pipeline.py runs it through `invoke publish` against real servers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from newsroom.publishing.due import LastPublish, decide

NEW_YORK = ZoneInfo("America/New_York")
LAST = LastPublish("a" * 40, datetime(2026, 12, 3, 21, 0, tzinfo=UTC), "ledger-1")
NOW = datetime(2026, 12, 3, 21, 10, tzinfo=UTC)
RELEASE = ("content/posts/deal.md", datetime(2026, 12, 3, 16, 5, tzinfo=NEW_YORK))  # 21:05 UTC


def test_nothing_new_is_not_due_and_says_why_in_one_line():
    decision = decide(LAST, "a" * 40, NOW, [], "ledger-1")
    assert not decision.due
    assert decision.reason == (
        "nothing due: no commit since the last publish (aaaaaaaaaa, 2026-12-03 21:00 UTC), no embargo lifted "
        "since, the same ledger"
    )


def test_the_next_embargo_is_named_while_nothing_is_due():
    later = ("content/posts/results.md", datetime(2026, 12, 4, 8, 0, tzinfo=NEW_YORK))
    decision = decide(LAST, "a" * 40, NOW, [later], "ledger-1")
    assert not decision.due and decision.reason.endswith("; next embargo lifts 2026-12-04 13:00 UTC")


@pytest.mark.parametrize(
    "last, commit, ledger, reason",
    [
        (None, "a" * 40, "ledger-1", "due: no record of a finished publish yet"),
        (LAST, None, "ledger-1", "due: not a git checkout, so nothing shows what changed since the last publish"),
        (LAST, "b" * 40, "ledger-1", "due: commit bbbbbbbbbb is new since the last publish (aaaaaaaaaa)"),
        (LAST, "a" * 40, "ledger-2", "due: the syndication ledger changed since the last publish"),
    ],
)
def test_a_record_missing_a_new_commit_or_a_changed_ledger_is_due(last, commit, ledger, reason):
    assert decide(last, commit, NOW, [], ledger).due
    assert decide(last, commit, NOW, [], ledger).reason == reason


def test_an_embargo_that_lifted_since_the_last_publish_is_due_at_its_minute_and_not_before():
    assert decide(LAST, "a" * 40, NOW, [RELEASE], "ledger-1").reason == (
        "due: the embargo on content/posts/deal.md lifted at 2026-12-03 21:05 UTC"
    )
    minute_before = datetime(2026, 12, 3, 21, 4, 59, tzinfo=UTC)
    assert not decide(LAST, "a" * 40, minute_before, [RELEASE], "ledger-1").due
    at_the_minute = datetime(2026, 12, 3, 21, 5, tzinfo=UTC)
    assert decide(LAST, "a" * 40, at_the_minute, [RELEASE], "ledger-1").due


def test_an_embargo_the_last_publish_already_saw_lift_is_not_due_again():
    published_it = LastPublish("a" * 40, datetime(2026, 12, 3, 21, 5, tzinfo=UTC), "ledger-1")
    assert not decide(published_it, "a" * 40, NOW, [RELEASE], "ledger-1").due


def test_several_lifted_embargoes_name_the_first_and_count_the_rest():
    other = ("content/posts/other.md", datetime(2026, 12, 3, 21, 7, tzinfo=UTC))
    assert decide(LAST, "a" * 40, NOW, [other, RELEASE], "ledger-1").reason == (
        "due: the embargo on content/posts/deal.md lifted at 2026-12-03 21:05 UTC (and 1 more)"
    )


@pytest.mark.parametrize("data", [{}, {"commit": "a"}, {"commit": "a", "at": "yesterday", "ledger": ""}, [1]])
def test_a_record_that_cannot_be_read_counts_as_none_so_a_publish_is_due(data):
    assert LastPublish.from_json(data) is None


def test_the_record_reads_back_what_it_wrote():
    assert LastPublish.from_json(LAST.as_json()) == LAST


@pytest.mark.parametrize(
    "waiting, reason",
    [
        (2, "due: the syndication ledger holds 2 send(s) for the next run (deferred, claimed or queued)"),
        (None, "due: the syndication ledger cannot be read (the syndicate step says why)"),
    ],
)
def test_a_ledger_holding_sends_for_the_next_run_is_due_though_nothing_else_changed(waiting, reason):
    decision = decide(LAST, "a" * 40, NOW, [], "ledger-1", waiting)
    assert decision.due and decision.reason == reason


def test_a_moment_the_site_changes_by_the_clock_alone_is_due_like_an_embargo():
    french = ("French (fr) is required from its `since`", datetime(2026, 12, 3, 21, 5, tzinfo=UTC))
    decision = decide(LAST, "a" * 40, NOW, [], "ledger-1", clock_changes=[french])
    assert decision.due and decision.reason == "due: French (fr) is required from its `since` at 2026-12-03 21:05 UTC"
    assert not decide(LAST, "a" * 40, LAST.at, [], "ledger-1", clock_changes=[french]).due  # not before it
