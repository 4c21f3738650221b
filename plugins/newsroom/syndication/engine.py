"""Carrying out a plan: channels in parallel, each in its own order and pace, the ledger written around
every send. One failing channel or post never blocks the others."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

from .channel import Attempt, AuthFailed, Channel, ChannelError, RateLimited, Rejected, Retryable, Unknown
from .ledger import Ledger, utc_now
from .planning import DEFER, FAIL, RESUME, SEND, SKIP, UNCERTAIN, Step
from .report import DEFERRED, FAILED, POSTED, SKIPPED, Outcome, Report
from .report import UNCERTAIN as UNCERTAIN_OUTCOME
from .text import DoesNotFit


@dataclass(frozen=True)
class Pacing:
    """How patient a run is: retries before giving up, the first backoff, the longest rate-limit wait."""

    retries: int = 3
    backoff: float = 2.0
    max_wait: float = 60.0


def attempt_key(post_id: str, channel: str, generation: int) -> str:
    """A key that is the same every time this (post, channel, generation) is sent, and only then."""
    digest = hashlib.sha256(f"{post_id}\x00{channel}\x00{generation}".encode()).hexdigest()
    return f"nr-{digest[:32]}"


def run(
    steps: Sequence[Step],
    channels: Mapping[str, Channel],
    ledger: Ledger,
    pacing: Pacing = Pacing(),
    sleep: Callable[[float], None] = time.sleep,
) -> Report:
    """Execute `steps`; return what happened to each. Channels run in parallel threads."""
    by_channel: dict[str, list[Step]] = {}
    for step in steps:
        by_channel.setdefault(step.channel, []).append(step)
    report = Report()
    if not by_channel:
        return report
    work = partial(_run_channel, ledger=ledger, pacing=pacing, sleep=sleep)
    with ThreadPoolExecutor(max_workers=len(by_channel), thread_name_prefix="syndicate") as pool:
        results = pool.map(lambda item: work(channels[item[0]], item[1]), by_channel.items())
        for outcomes in results:
            report.outcomes.extend(outcomes)
    for channel in channels.values():
        report.warnings.extend(f"{channel.name}: {warning}" for warning in channel.warnings())
    return report


def _run_channel(
    channel: Channel, steps: list[Step], *, ledger: Ledger, pacing: Pacing, sleep: Callable[[float], None]
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    active = [s for s in steps if s.action in (SEND, RESUME)]
    stopped: tuple[str, str] | None = None  # (status for the remaining posts, why the channel stopped)
    if active:
        try:
            channel.start()
        except ChannelError as error:
            stopped = (FAILED, f"channel could not start: {error}")
        except Exception as error:  # a bug in one adapter must not stop the other channels
            stopped = (FAILED, f"channel could not start ({type(error).__name__})")
    last_send = 0.0
    for step in steps:
        if step.action == SKIP:
            outcomes.append(Outcome(channel.name, step.post.id, SKIPPED, step.reason))
        elif step.action == DEFER:
            outcomes.append(Outcome(channel.name, step.post.id, DEFERRED, step.reason))
        elif step.action == FAIL:
            ledger.record_failure(step.post.id, channel.name, step.reason)
            outcomes.append(Outcome(channel.name, step.post.id, FAILED, step.reason))
        elif step.action == UNCERTAIN:
            ledger.uncertain(step.post.id, channel.name, step.reason)
            outcomes.append(Outcome(channel.name, step.post.id, UNCERTAIN_OUTCOME, step.reason))
        elif stopped:
            outcomes.append(Outcome(channel.name, step.post.id, *stopped))
        else:
            wait = channel.min_interval - (time.monotonic() - last_send)
            if last_send and wait > 0:
                sleep(wait)
            # Render again now that start() has read the platform's live limits (the plan used the configured ones).
            try:
                message = channel.render(step.post)
            except (DoesNotFit, ValueError) as error:
                reason = f"cannot be written for {channel.type_name}: {error}"
                ledger.record_failure(step.post.id, channel.name, reason)
                outcomes.append(Outcome(channel.name, step.post.id, FAILED, reason))
                continue
            outcome, stop = _send(channel, replace(step, message=message), ledger, pacing, sleep)
            last_send = time.monotonic()
            outcomes.append(outcome)
            stopped = stop
    return outcomes


def _send(
    channel: Channel, step: Step, ledger: Ledger, pacing: Pacing, sleep: Callable[[float], None]
) -> tuple[Outcome, tuple[str, str] | None]:
    """Send one message with the ledger written before and after. Returns the outcome and, when the
    channel must stop for this run, what becomes of its remaining posts and why."""
    post, name = step.post, channel.name
    previous = step.record
    generation = previous.generation if previous else 0
    started_at = previous.started_at if step.action == RESUME and previous and previous.started_at else utc_now()
    key = (
        previous.key if step.action == RESUME and previous and previous.key else attempt_key(post.id, name, generation)
    )
    ledger.begin(post.id, name, key, started_at)

    def attempt() -> Attempt:
        # Read before every try: a retry must see the steps an earlier try checkpointed (e.g. a created
        # container), or it would repeat them.
        return Attempt(
            key=key,
            started_at=started_at,
            state=dict(ledger.get(post.id, name).step),
            checkpoint=lambda state: ledger.checkpoint(post.id, name, state),
        )

    tries, waited, backoff = 0, 0.0, pacing.backoff
    while True:
        tries += 1
        try:
            receipt = channel.publish(step.message, attempt())
        except RateLimited as error:
            if waited + error.retry_after > pacing.max_wait:
                ledger.abandon(post.id, name)
                reason = f"{error}; the next run will try again (waiting {error.retry_after:.0f} s is too long)"
                return Outcome(name, post.id, DEFERRED, reason), (DEFERRED, f"channel rate limited: {error}")
            sleep(error.retry_after)
            waited += error.retry_after
            continue
        except Retryable as error:
            if tries < pacing.retries:
                sleep(backoff)
                backoff *= 2
                continue
            ledger.abandon(post.id, name)
            return Outcome(name, post.id, FAILED, f"{error} (after {tries} tries; the next run will try again)"), None
        except AuthFailed as error:
            ledger.abandon(post.id, name)
            return Outcome(name, post.id, FAILED, str(error)), (DEFERRED, f"channel stopped for this run: {error}")
        except Rejected as error:
            ledger.fail(post.id, name, str(error))
            return Outcome(name, post.id, FAILED, f"{error} (recorded; it will not be retried)"), None
        except Unknown as error:
            if channel.can_resume(ledger.get(post.id, name)) and tries < pacing.retries:
                continue  # the platform de-duplicates this attempt: repeating it cannot post twice
            ledger.uncertain(post.id, name, str(error))
            return Outcome(name, post.id, UNCERTAIN_OUTCOME, f"{error}; check {channel.type_name} and resolve it"), None
        except Exception as error:  # a bug in an adapter: we cannot know whether it posted
            ledger.uncertain(post.id, name, f"unexpected {type(error).__name__} while sending")
            return Outcome(name, post.id, UNCERTAIN_OUTCOME, f"unexpected {type(error).__name__} while sending"), None
        ledger.complete(post.id, name, receipt.remote_id, receipt.url)
        return Outcome(name, post.id, POSTED, receipt.remote_id, receipt.url), None
