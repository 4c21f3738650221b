"""The words for where one (post, channel) stands: what the plan decides, what a run reports, what the ledger keeps.

Three questions, three vocabularies, each asked and answered in one place:

- `Action`, the plan's decision before anything is sent (planning.py);
- `Status`, what this run did, for the summary and the exit code (report.py);
- `State`, the ledger's lasting record (ledger.py), written to disk as its string value.

Each is a StrEnum: a member is its own string, so ledger lines and printed summaries read exactly as before.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What a run will do for one (post, channel), decided before it sends anything."""

    SEND = "send"  # not sent yet: send it
    RESUME = "resume"  # an earlier run may have sent it; read back or de-duplicated, so finish the same attempt
    UNCERTAIN = "uncertain"  # a crash left it pending on a platform without idempotency: ask a person
    FAIL = "fail"  # cannot be rendered (the link alone is too long): record the failure, never loop
    SKIP = "skip"  # already posted, seeded, opted out, or waiting for a person
    # The channel is new to the ledger: whether the published posts were announced there already (a renamed
    # channel, an archive) is a person's decision, so nothing goes to it until one makes it.
    HOLD = "hold"
    DEFER = "defer"  # over this run's cap: a later run sends it


# The actions that send (or send again) in this run.
SENDING = frozenset({Action.SEND, Action.RESUME})


class Status(StrEnum):
    """What one run did for one (post, channel). Listed in the order the summary counts them."""

    POSTED = "posted"
    SKIPPED = "skipped"
    DEFERRED = "deferred"
    FAILED = "failed"  # this try was not accepted and nothing of it reached the platform: the next run tries again
    REFUSED = "refused"  # the platform refuses this message and always will: recorded, never retried
    PENDING = "pending"  # it may have reached the platform; the next run checks and finishes the same attempt
    UNCERTAIN = "uncertain"  # it may have reached the platform and only a person can tell


# The statuses that make a run's exit code non-zero.
PROBLEMS = frozenset({Status.FAILED, Status.REFUSED, Status.PENDING, Status.UNCERTAIN})


class State(StrEnum):
    """The ledger's latest word on one (post, channel); its value is what the ledger file holds."""

    PENDING = "pending"  # an attempt is under way, or its outcome is not known yet: never forgotten
    DONE = "done"  # on the platform (remote id and URL kept)
    SEEDED = "seeded"  # counted as already syndicated without posting (bootstrap)
    FAILED = "failed"  # refused for good (the report's `refused`): never retried unless a person asks
    UNCERTAIN = "uncertain"  # may be on the platform; only a person can tell
    REQUEUED = "requeued"  # a person asked for it again (retry or re-share): the next run sends it
    # Claimed by a run (claims.py) that has not begun sending it: nothing can be on the platform, so the next run
    # sends it, with the claimed key. Only this disk says so: the copy a claim saves elsewhere says `pending`.
    # Also an attempt a rate limit deferred (Ledger.defer): every try was refused, so nothing of it was sent.
    CLAIMED = "claimed"
    # A refused attempt of one language version (nothing was sent), settled when another version of the post was
    # announced on the same channel (Ledger: a post is announced once on a channel): nobody need act on it, and
    # its reason keeps what it was.
    SUPERSEDED = "superseded"


# On the platform, or counted as if it were.
REACHED = frozenset({State.DONE, State.SEEDED})
# An attempt that may be on the platform: a new send must repeat exactly that attempt.
UNFINISHED = frozenset({State.PENDING, State.UNCERTAIN})
# An attempt with a key already written down (claimed, or begun): whichever run sends it sends that attempt.
KEYED = UNFINISHED | {State.CLAIMED}
# Work the next run does by itself: an attempt claimed and not sent (a run that stopped first, or one a rate
# limit deferred), a person's retry or re-share, an attempt whose outcome that run finishes. While the ledger
# holds any, a scheduled publish is due (publishing/due.py).
WAITING = frozenset({State.CLAIMED, State.REQUEUED, State.PENDING})
# What a person must hear about in every run until it is resolved (`pending` after a run: its outcome is still
# unknown; the next run finishes it, or cannot reach the platform either).
OPEN = frozenset({State.UNCERTAIN, State.FAILED, State.PENDING})
