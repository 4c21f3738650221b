"""A claim is a copy of the ledger saved elsewhere before anything is sent (`invoke publish` commits it). The steps
an attempt takes after that are written to the sending run's disk alone, so a copy restored after that run died
cannot prove a step was not taken. Threads is the channel whose resume rests on a step's absence (its publish
call): these runs are killed between the claim and the final save, and the next run restores the claim, as a
fresh CI checkout does, against the loopback Threads API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from channel_runs import make_channel, post
from servers.meta import ThreadsServer
from test_channel_threads import TOKEN, USER

from newsroom.syndication.channels.threads import CONTAINER
from newsroom.syndication.claims import claim_sends
from newsroom.syndication.engine import Pacing, attempt_key, run
from newsroom.syndication.ledger import SAVED_BEFORE_SENDING, Ledger, utc_now
from newsroom.syndication.planning import plan
from newsroom.syndication.states import Action


@pytest.fixture
def threads():
    with ThreadsServer(USER, TOKEN) as server:
        yield server


def publish_run(threads, ledger_path: Path, saved: dict) -> tuple[list, list]:
    """One syndicate step as `invoke publish` runs it: plan, claim (the save keeps the ledger's bytes, as the
    commit pushes them), send. Returns the plan's actions and the outcomes."""
    channel = make_channel("threads", {"token": TOKEN}, user_id=USER, handle="larkspur", base_url=threads.url)
    channels = {channel.name: channel}
    ledger = Ledger.open(ledger_path)
    steps = plan([post(1)], [], channels, ledger, cap=5)
    steps = claim_sends(ledger, steps, lambda claim: saved.update(pushed=ledger_path.read_bytes()))
    report = run(steps, channels, ledger, Pacing(backoff=0), sleep=lambda s: None)
    return [step.action for step in steps], [outcome.status for outcome in report.outcomes]


def restored(saved: dict, folder: Path) -> Path:
    """The next run's fresh checkout: the ledger as the claim's commit left it."""
    folder.mkdir()
    (folder / "ledger.jsonl").write_bytes(saved["pushed"])
    return folder / "ledger.jsonl"


def test_a_run_killed_after_threads_published_leaves_the_next_run_asking_a_person_not_publishing_again(
    threads, tmp_path
):
    first = tmp_path / "run-1"
    first.mkdir()
    Ledger.open(first / "ledger.jsonl").know({"threads"})
    saved: dict = {}
    assert publish_run(threads, first / "ledger.jsonl", saved)[1] == ["posted"]
    # Killed here (the job's timeout, a cancelled job, a lost runner): the final save never happened.
    actions, statuses = publish_run(threads, restored(saved, tmp_path / "run-2"), {})
    assert (actions, statuses) == ([Action.UNCERTAIN], ["uncertain"])
    assert len(threads.threads) == 1


def test_a_resumed_threads_attempt_is_marked_in_the_claim_so_a_killed_resume_is_not_published_twice(threads, tmp_path):
    # An earlier run made the container, then could not send the publish call: its final save kept the attempt
    # `pending` with the container, a copy that holds every step it took.
    first = tmp_path / "run-1"
    first.mkdir()
    ledger = Ledger.open(first / "ledger.jsonl")
    ledger.know({"threads"})
    ledger.begin("post-1", "threads", attempt_key("post-1", "threads", 0), utc_now(), post(1).url)
    created = requests.post(
        f"{threads.url}/v1.0/{USER}/threads",
        data={"access_token": TOKEN, "media_type": "TEXT", "text": "Title 1", "link_attachment": post(1).url},
        timeout=5,
    ).json()["id"]
    ledger.checkpoint("post-1", "threads", {CONTAINER: created})
    saved: dict = {}
    # This run resumes it, as that copy allows: the container is published, and the run dies before its last save.
    actions, statuses = publish_run(threads, first / "ledger.jsonl", saved)
    assert (actions, statuses) == ([Action.RESUME], ["posted"])
    assert len(threads.threads) == 1
    copy = Ledger.open(restored(saved, tmp_path / "run-2")).get("post-1", "threads")
    assert copy.step == {CONTAINER: created, SAVED_BEFORE_SENDING: True} and not copy.steps_known
    # The next run cannot see that the publish call was made: a person checks.
    assert publish_run(threads, tmp_path / "run-2" / "ledger.jsonl", {}) == ([Action.UNCERTAIN], ["uncertain"])
    assert len(threads.threads) == 1


def test_the_marks_are_for_the_copy_alone_this_disk_and_the_final_save_keep_every_step(threads, tmp_path):
    path = tmp_path / "ledger.jsonl"
    Ledger.open(path).know({"threads"})
    saved: dict = {}
    publish_run(threads, path, saved)
    claimed = [json.loads(line) for line in saved["pushed"].decode().splitlines()[1:]]
    assert [(line["state"], line["step"]) for line in claimed] == [("pending", {SAVED_BEFORE_SENDING: True})]
    (done,) = list(Ledger.open(path))
    assert done.state == "done" and done.steps_known and SAVED_BEFORE_SENDING not in path.read_text()


def test_a_claim_that_cannot_be_saved_leaves_no_mark_and_sends_nothing(threads, tmp_path):
    path = tmp_path / "ledger.jsonl"
    Ledger.open(path).know({"threads"})
    before = path.read_bytes()
    channel = make_channel("threads", {"token": TOKEN}, user_id=USER, handle="larkspur", base_url=threads.url)
    ledger = Ledger.open(path)
    steps = plan([post(1)], [], {channel.name: channel}, ledger, cap=5)

    def refused(claim):
        raise OSError("the push was rejected")

    with pytest.raises(OSError):
        claim_sends(ledger, steps, refused)
    assert path.read_bytes() == before and threads.threads == [] and threads.containers == {}
