"""Claim before sending: the intent to post is made durable before anything is posted.

A ledger kept only on the machine that runs the send dies with it (a CI runner's checkout survives only if the
run saves it, e.g. as a commit). So before the first send, every (post, channel) about to be sent is written to
the ledger as `pending`, with the exact attempt (idempotency key and start time) the send will use, and the
caller saves that ledger somewhere that outlives the run. Only then is anything sent.

- Saving the claim fails: nothing is sent, and the claims are withdrawn from the ledger (on disk too), so it does
  not say that something might have been posted.
- The run dies after sending, before the ledger's final state is saved: the next run starts from the saved claim
  and finds `pending` records. Channels that read back or de-duplicate finish the same attempt, which cannot post
  twice; the others report `uncertain` for a person to resolve. Nothing is ever posted twice. The copy marks each
  claimed attempt, and each attempt this run resumes, as saved before sending (ledger.SAVED_BEFORE_SENDING): the
  steps an attempt takes are written on this disk alone, so no run that restores the copy takes a step it does
  not list for one that was not taken (Record.steps_known).
- Once saved, the claims on this machine's disk become `claimed`, and each attempt writes its own `pending` just
  before its request. A run that reads this disk again (a machine that keeps its ledger) tells "claimed, never
  attempted" (sent, with the claimed key) from "attempt begun" (read back, repeated, or `uncertain`): a run
  killed right after saving its claim asks nobody about posts it never sent. The copy saved elsewhere cannot see
  attempts begin, so it says `pending` for every claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from newsroom.syndication.engine import attempt_key
from newsroom.syndication.ledger import SAVED_BEFORE_SENDING, Ledger, utc_now
from newsroom.syndication.planning import Step
from newsroom.syndication.states import Action


@dataclass(frozen=True)
class Claim:
    """The sends a run is about to make, each already `pending` in the ledger with the attempt it will send."""

    sends: tuple[Step, ...]

    def summary(self) -> str:
        """'2 send(s) of 1 post(s)', for the message that saves the claim."""
        return f"{len(self.sends)} send(s) of {len({step.post.id for step in self.sends})} post(s)"


def claim_sends(ledger: Ledger, steps: Sequence[Step], save: Callable[[Claim], None]) -> list[Step]:
    """Write a `pending` claim for every step about to be sent, mark it and every attempt about to be resumed as
    saved before sending, then call `save` to make it durable; return the steps, whose sends now carry exactly the
    claimed attempts. When `save` raises, the claims and marks are withdrawn from the ledger before the error goes
    on to the caller: nothing was sent. Without sends or resumes, nothing is written."""
    sends = [step for step in steps if step.action == Action.SEND]
    resumes = [(step.post.id, step.channel) for step in steps if step.action == Action.RESUME]
    if not sends and not resumes:
        return list(steps)
    started_at = utc_now()
    with ledger.provisional():
        for step in sends:
            ledger.begin(
                step.post.id,
                step.channel,
                attempt_key(step.post.id, step.channel, step.record.generation if step.record else 0),
                started_at,
                step.post.url,
            )
        # The copy saved now is the last word on these attempts that the next run may have: what each takes after
        # this is written here alone (Record.steps_known).
        claimed = {
            (step.post.id, step.channel): ledger.checkpoint(step.post.id, step.channel, {SAVED_BEFORE_SENDING: True})
            for step in sends
        }
        for where in resumes:
            ledger.checkpoint(*where, {SAVED_BEFORE_SENDING: True})
        save(Claim(tuple(replace(step, record=claimed[(step.post.id, step.channel)]) for step in sends)))
    # Saved elsewhere as `pending`: whoever restores that copy cannot know whether this run began sending. This
    # disk can (each attempt writes its own `pending` before its request, and each step), so here they are only
    # claims now, and the marks for the copy go.
    ledger.hold_claims(claimed, resumes)
    claimed = {where: ledger.get(*where) for where in claimed}
    # The engine sends the claimed attempt (same key, same start time), so a crash now is recovered exactly as
    # the next run would recover it from the saved claim. The steps stay SEND: nothing was sent yet.
    return [
        replace(step, record=claimed[(step.post.id, step.channel)]) if step.action == Action.SEND else step
        for step in steps
    ]
