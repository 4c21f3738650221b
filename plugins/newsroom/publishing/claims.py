"""Claim before sending: make the intent to post durable before anything is posted.

In CI the ledger lives in a fresh checkout and survives only if the run saves it (a commit). If a run
posted and then failed to save, the next run would not know, and would post again. So before the first
send, every (post, channel) about to be sent is written to the ledger as `pending`, with the exact attempt
(idempotency key and start time) the send will use, and the ledger is saved. Only then is anything sent.

- Saving the claim fails: nothing is sent; the local ledger is put back as it was; the next run tries again.
- The run dies, or saving the final ledger fails, after sending: the next run restores the claim and finds
  `pending` records. Mastodon and Bluesky repeat the same attempt, which their idempotency makes harmless;
  the others report `uncertain` for a person to resolve. Nothing is ever posted twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from newsroom.syndication.command import Stop
from newsroom.syndication.engine import attempt_key
from newsroom.syndication.ledger import Ledger, utc_now
from newsroom.syndication.planning import Step
from newsroom.syndication.states import Action


def claim_before_sending(
    ledger: Ledger, steps: list[Step], save: Callable[[str], str], out: Callable[[str], None]
) -> list[Step]:
    """Write and save a `pending` claim for every step about to be sent; return the steps that send
    exactly the claimed attempts. Raises Stop (nothing sent) when the claim cannot be saved."""
    sends = [step for step in steps if step.action == Action.SEND]
    if not sends:
        return steps
    before = ledger.path.read_bytes() if ledger.path.exists() else None
    started_at = utc_now()
    claimed = {}
    for step in sends:
        generation = step.record.generation if step.record else 0
        key = attempt_key(step.post.id, step.channel, generation)
        claimed[(step.post.id, step.channel)] = ledger.begin(step.post.id, step.channel, key, started_at)
    posts = len({step.post.id for step in sends})
    try:
        out(save(f"Newsroom ledger: claim {len(sends)} send(s) of {posts} post(s) before syndicating [skip ci]"))
    except Exception as error:
        _put_back(ledger.path, before)
        raise Stop(f"the ledger could not be saved before posting, so nothing was posted ({error})", code=1) from None
    # The engine sends the claimed attempt (same key, same start time), so a crash now is recovered exactly
    # as the next run would recover it from the saved claim. The step stays SEND: nothing was sent yet.
    return [replace(s, record=claimed[(s.post.id, s.channel)]) if s.action == Action.SEND else s for s in steps]


def _put_back(path: Path, data: bytes | None) -> None:
    """Undo the claim locally: nothing was sent, so the ledger must not say something might have been."""
    if data is None:
        path.unlink(missing_ok=True)
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.restore")
    temporary.write_bytes(data)
    os.replace(temporary, path)
