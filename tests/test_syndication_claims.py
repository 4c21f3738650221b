"""Claim before sending (syndication/claims.py): every send is `pending` in the ledger, and saved by the caller,
before anything leaves; a claim that cannot be saved sends nothing and leaves the ledger as it was."""

from __future__ import annotations

import pytest
from test_syndication_core import Recorder, ledger_for, post

from newsroom.syndication.claims import claim_sends
from newsroom.syndication.engine import attempt_key, run
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan
from newsroom.syndication.states import Action, State


def test_every_send_is_claimed_on_disk_before_anything_is_sent_and_the_send_is_the_claimed_attempt(tmp_path):
    channel, other = Recorder("rec"), Recorder("other")
    channels = {"rec": channel, "other": other}
    ledger = ledger_for(tmp_path, "rec", "other")
    ledger.know({"other"}, seeded=[("post-1", "other")])  # already out there: not claimed
    steps = plan([post(1), post(2)], [], channels, ledger, cap=5)
    saved = []

    def save(claim):
        on_disk = Ledger.open(ledger.path)  # what a copy saved now would hold
        saved.append({(r.post, r.channel): (r.state, r.key) for r in on_disk if r.state == State.PENDING})
        assert channel.sent == other.sent == []
        assert claim.summary() == "3 send(s) of 2 post(s)"

    claimed = claim_sends(ledger, steps, save)
    assert saved == [
        {
            ("post-1", "rec"): (State.PENDING, attempt_key("post-1", "rec", 0)),
            ("post-2", "rec"): (State.PENDING, attempt_key("post-2", "rec", 0)),
            ("post-2", "other"): (State.PENDING, attempt_key("post-2", "other", 0)),
        }
    ]
    assert [s.action for s in claimed] == [s.action for s in steps]  # still to be sent: nothing was
    report = run(claimed, channels, ledger)
    assert report.ok
    assert channel.sent == [("post-1", attempt_key("post-1", "rec", 0)), ("post-2", attempt_key("post-2", "rec", 0))]
    assert {(r.post, r.channel): r.state for r in Ledger.open(ledger.path)} == {
        ("post-1", "rec"): State.DONE,
        ("post-2", "rec"): State.DONE,
        ("post-1", "other"): State.SEEDED,
        ("post-2", "other"): State.DONE,
    }


def test_a_claim_that_cannot_be_saved_sends_nothing_and_withdraws_itself_from_the_ledger(tmp_path):
    channel = Recorder("rec")
    ledger = ledger_for(tmp_path, "rec")
    ledger.begin("post-1", "rec", "nr-old", "2026-01-01T09:00:00+00:00")
    ledger.fail("post-1", "rec", "refused")
    ledger.requeue("post-1", "rec")  # a person asked for a retry: claimed again below
    before = ledger.path.read_bytes()
    steps = plan([post(1), post(2)], [], {"rec": channel}, ledger, cap=5)
    assert [s.action for s in steps] == [Action.SEND, Action.SEND]

    def save(claim):
        raise ConnectionError("the push was refused")

    with pytest.raises(ConnectionError, match="the push was refused"):
        claim_sends(ledger, steps, save)
    assert ledger.path.read_bytes() == before
    assert ledger.get("post-2", "rec") is None and ledger.get("post-1", "rec").state == State.REQUEUED
    assert channel.sent == []


def test_a_claim_on_a_ledger_that_did_not_exist_leaves_no_ledger_when_it_cannot_be_saved(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.jsonl")
    steps = plan([post(1)], [], {"rec": Recorder("rec")}, ledger, cap=5)

    def save(claim):
        assert ledger.path.exists()
        raise OSError("disk full")

    with pytest.raises(OSError):
        claim_sends(ledger, steps, save)
    assert not ledger.path.exists() and not ledger.existed


def test_a_plan_with_nothing_to_send_claims_nothing(tmp_path):
    ledger = ledger_for(tmp_path, "rec")
    ledger.know({"rec"}, seeded=[("post-1", "rec")])
    before = ledger.path.read_bytes()
    steps = plan([post(1)], [], {"rec": Recorder("rec")}, ledger, cap=5)
    assert claim_sends(ledger, steps, lambda claim: pytest.fail("nothing to claim, nothing to save")) == steps
    assert ledger.path.read_bytes() == before


# --- a run killed after its claim was saved ---------------------------------------------------------------
# What is on disk then tells the next run what may have reached a platform: a claim alone was never sent (safe to
# send, even where the platform cannot be asked); an attempt's own `pending`, written just before its request,
# may have been. The copy the claim saved elsewhere (a git commit that outlives a CI runner) cannot see attempts
# begin, so that copy says `pending` for every claim.


class Killed(BaseException):
    """The runner died here (nothing after this runs, nothing is cleaned up)."""


def killed_after_sending(channel: Recorder) -> Recorder:
    """`channel`, whose process dies once its first request has reached the platform."""
    send = channel.publish

    def publish(message, attempt):
        send(message, attempt)
        raise Killed

    channel.publish = publish
    return channel


def test_a_run_killed_right_after_saving_its_claim_sends_each_claim_once_next_run(tmp_path):
    ledger = ledger_for(tmp_path, "rec")  # a channel that can neither read back nor de-duplicate
    saved = []
    claim_sends(ledger, plan([post(1), post(2)], [], {"rec": Recorder("rec")}, ledger, cap=5), saved.append)
    # killed here: nothing was sent
    on_disk = Ledger.open(ledger.path)
    assert {(r.post, r.state) for r in on_disk} == {("post-1", State.CLAIMED), ("post-2", State.CLAIMED)}
    channel = Recorder("rec")
    report = run(plan([post(1), post(2)], [], {"rec": channel}, on_disk, cap=5), {"rec": channel}, on_disk)
    assert [o.status for o in report.outcomes] == ["posted", "posted"], report.summary()
    assert channel.sent == [("post-1", attempt_key("post-1", "rec", 0)), ("post-2", attempt_key("post-2", "rec", 0))]


def test_a_run_killed_after_an_attempt_began_asks_a_person_only_about_that_attempt(tmp_path):
    ledger = ledger_for(tmp_path, "rec")
    first = killed_after_sending(Recorder("rec"))
    steps = claim_sends(ledger, plan([post(1), post(2)], [], {"rec": first}, ledger, cap=5), lambda claim: None)
    with pytest.raises(Killed):
        run(steps, {"rec": first}, ledger)
    assert first.sent == [("post-1", attempt_key("post-1", "rec", 0))]
    on_disk = Ledger.open(ledger.path)
    assert {(r.post, r.state) for r in on_disk} == {("post-1", State.PENDING), ("post-2", State.CLAIMED)}
    channel = Recorder("rec")
    report = run(plan([post(1), post(2)], [], {"rec": channel}, on_disk, cap=5), {"rec": channel}, on_disk)
    assert [o.status for o in report.outcomes] == ["uncertain", "posted"], report.summary()
    assert channel.sent == [("post-2", attempt_key("post-2", "rec", 0))]


def test_the_copy_a_claim_saves_elsewhere_says_pending_as_no_one_there_sees_attempts_begin(tmp_path):
    ledger = ledger_for(tmp_path, "rec")
    copies = []
    steps = plan([post(1)], [], {"rec": Recorder("rec")}, ledger, cap=5)
    claim_sends(ledger, steps, lambda claim: copies.append(Ledger.open(ledger.path).get("post-1", "rec").state))
    assert copies == [State.PENDING] and Ledger.open(ledger.path).get("post-1", "rec").state == State.CLAIMED
    channel = Recorder("rec")  # a fresh runner restored that copy: the claim may have been sent by the one that died
    elsewhere = ledger_for(tmp_path / "fresh", "rec")
    elsewhere.begin("post-1", "rec", attempt_key("post-1", "rec", 0), "2026-01-01T09:00:00+00:00")
    report = run(plan([post(1)], [], {"rec": channel}, elsewhere, cap=5), {"rec": channel}, elsewhere)
    assert [o.status for o in report.outcomes] == ["uncertain"] and channel.sent == []
