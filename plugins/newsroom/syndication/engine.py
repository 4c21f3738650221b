"""Carrying out a plan: channels in parallel, each in its own order and pace, the ledger written around
every send. One failing channel or post never blocks the others."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from newsroom.syndication.channel import (
    Attempt,
    Channel,
    ChannelError,
    ChannelStopped,
    RateLimited,
    Rejected,
    Retryable,
    Unknown,
    Unreachable,
)
from newsroom.syndication.ledger import Ledger, LedgerError, utc_now
from newsroom.syndication.planning import Step
from newsroom.syndication.report import Outcome, Report
from newsroom.syndication.states import KEYED, SENDING, Action, Status
from newsroom.syndication.text import DoesNotFit

Say = Callable[[str], None]  # one line for a person watching the run, printed while it happens


SHORTEST_RATE_LIMIT_WAIT = 1.0  # seconds, whatever a rate limit's answer says


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
    say: Say = lambda line: None,
) -> Report:
    """Execute `steps`; return what happened to each. Channels run in parallel threads; `say` hears each
    wait, backoff and stop as it happens."""
    by_channel: dict[str, list[Step]] = {}
    for step in steps:
        by_channel.setdefault(step.channel, []).append(step)
    report = Report()
    if not by_channel:
        return report
    work = partial(_run_channel, ledger=ledger, pacing=pacing, sleep=sleep, say=say)
    with ThreadPoolExecutor(max_workers=len(by_channel), thread_name_prefix="syndicate") as pool:
        results = pool.map(lambda item: work(channels[item[0]], item[1]), by_channel.items())
        for outcomes in results:
            report.outcomes.extend(outcomes)
    for channel in channels.values():
        report.warnings.extend(f"{channel.name}: {warning}" for warning in channel.warnings())
    return report


def _run_channel(
    channel: Channel, steps: list[Step], *, ledger: Ledger, pacing: Pacing, sleep: Callable[[float], None], say: Say
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    active = [s for s in steps if s.action in SENDING]
    stopped: tuple[Status, str] | None = None  # (status for the remaining posts, why the channel stopped)
    if active:
        try:
            channel.start()
        except ChannelError as error:
            stopped = (Status.FAILED, f"channel could not start: {error}; the next run will try again")
            say(f"{channel.name}: could not start: {error}; its posts wait for the next run")
        except Exception as error:  # a bug in one adapter must not stop the other channels
            stopped = (Status.FAILED, f"channel could not start ({type(error).__name__})")
    last_send = 0.0
    for step in steps:
        if step.action in (Action.SKIP, Action.HOLD):  # a held post is listed as needing a person, by channel
            outcomes.append(Outcome(channel.name, step.post.id, Status.SKIPPED, step.reason))
        elif step.action == Action.DEFER:
            outcomes.append(Outcome(channel.name, step.post.id, Status.DEFERRED, step.reason))
        elif step.action == Action.FAIL:
            ledger.record_failure(step.post.id, channel.name, step.reason)
            outcomes.append(Outcome(channel.name, step.post.id, Status.REFUSED, step.reason))
        elif step.action == Action.UNCERTAIN:
            ledger.uncertain(step.post.id, channel.name, step.reason)
            outcomes.append(Outcome(channel.name, step.post.id, Status.UNCERTAIN, step.reason))
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
                reason = f"cannot be written for {channel.channel_type.name}: {error}"
                if step.action == Action.RESUME:  # an earlier try may be on the platform: never overwrite that
                    outcomes.append(_unsettled(channel, step.post.id, ledger, reason))
                    continue
                ledger.record_failure(step.post.id, channel.name, reason)
                outcomes.append(Outcome(channel.name, step.post.id, Status.REFUSED, reason))
                continue
            outcome, stop = _send(channel, replace(step, message=message), ledger, pacing, sleep, say)
            last_send = time.monotonic()
            outcomes.append(outcome)
            stopped = stop
    return outcomes


def _send(
    channel: Channel, step: Step, ledger: Ledger, pacing: Pacing, sleep: Callable[[float], None], say: Say
) -> tuple[Outcome, tuple[Status, str] | None]:
    """Send one message with the ledger written before and after. Returns the outcome and, when the
    channel must stop for this run, what becomes of its remaining posts and why.

    An attempt keeps its identity (key, start time, checkpointed steps) until its outcome is known. Once a try
    may have reached the platform, the attempt is never forgotten: before it is sent again the platform is
    read back where it can be, and when the run cannot finish it, it stays `pending` (a channel that
    de-duplicates or reads back) or becomes `uncertain` (one that cannot), never deleted."""
    post, name = step.post, channel.name
    previous = step.record
    # A claim (claims.py) or an unfinished attempt: send exactly that attempt again.
    claimed = previous is not None and previous.state in KEYED and bool(previous.key)
    generation = previous.generation if previous else 0
    key = previous.key if claimed else attempt_key(post.id, name, generation)
    started_at = previous.started_at if claimed and previous.started_at else utc_now()
    link = ledger.begin(post.id, name, key, started_at, post.url).link  # an unfinished attempt keeps its own
    # RESUME: an earlier run left this attempt pending, so it may already be on the platform.
    may_have_reached = step.action == Action.RESUME

    def attempt() -> Attempt:
        # Read before every try: a retry must see the steps an earlier try checkpointed (e.g. a created
        # container), or it would repeat them.
        return Attempt(
            key=key,
            started_at=started_at,
            link=link,
            state=dict(ledger.get(post.id, name).step),
            checkpoint=lambda state: ledger.checkpoint(post.id, name, state),
        )

    def not_sent(status: Status, reason: str) -> Outcome:
        """This try certainly posted nothing; the attempt is forgotten only if no earlier try may have, and kept
        for the next run if it was deferred (a run that fails is run again; a green one must not forget it)."""
        if may_have_reached:
            return _unsettled(channel, post.id, ledger, reason)
        if status == Status.DEFERRED:
            ledger.defer(post.id, name, reason)
        else:
            ledger.abandon(post.id, name)
        return Outcome(name, post.id, status, reason)

    tries, waited, backoff = 0, 0.0, pacing.backoff
    while True:
        if may_have_reached:
            if channel.reads_back:
                try:
                    found = channel.find_earlier(step.message, attempt())
                except ChannelError as error:
                    return _unsettled(channel, post.id, ledger, f"could not look for an earlier try: {error}"), None
                except Exception as error:  # an answer the adapter cannot make sense of: look again next run
                    reason = f"could not look for an earlier try (unexpected {type(error).__name__})"
                    return _unsettled(channel, post.id, ledger, reason), None
                # What the ledger already holds is another record's post (another post's, one linking to this
                # post; or an earlier generation's, a re-share linking to the same post): never this one.
                if found is not None and not ledger.holding(name, {found.remote_id, found.url} - {""}):
                    ledger.complete(post.id, name, found.remote_id, found.url)
                    return Outcome(
                        name, post.id, Status.POSTED, "found on the platform from an earlier try", found.url
                    ), None
            elif not channel.can_resume(ledger.get(post.id, name)):
                return _unsettled(channel, post.id, ledger, "an earlier try may have been posted"), None
        tries += 1
        try:
            receipt = channel.publish(step.message, attempt())
        except RateLimited as error:
            # At least a second: a platform that says "now" (Retry-After: 0, a reset already past) again and again
            # would otherwise be asked again at once, for ever, since these tries do not count.
            wait = max(error.retry_after, SHORTEST_RATE_LIMIT_WAIT)
            if waited + wait > pacing.max_wait:
                reason = f"{error}; the next run will try again (waiting {wait:.0f} s is too long)"
                say(f"{name}: rate limited for {wait:.0f} s; its remaining posts wait for the next run")
                return not_sent(Status.DEFERRED, reason), (Status.DEFERRED, f"channel rate limited: {error}")
            until = (datetime.now(UTC) + timedelta(seconds=wait)).strftime("%H:%M:%S")
            say(f"{name}: rate limited; waiting {wait:.0f} s (until {until} UTC)")
            sleep(wait)
            waited += wait
            tries -= 1  # a rate-limited try does not count: its wait is bounded by max_wait instead
            continue
        except Unreachable as error:
            say(f"{name}: stopped for this run: {error}; its remaining posts wait for the next run")
            reason = f"{error}; the next run will try again"
            return not_sent(Status.FAILED, reason), (
                Status.DEFERRED,
                "channel stopped for this run: the server is unreachable",
            )
        except Retryable as error:
            if tries < pacing.retries:
                say(f"{name}: {post.id}: {error}; trying again in {backoff:g} s (try {tries + 1} of {pacing.retries})")
                sleep(backoff)
                backoff *= 2
                continue
            return not_sent(Status.FAILED, f"{error} (after {tries} tries; the next run will try again)"), None
        except ChannelStopped as error:  # bad credentials, an address that redirects elsewhere
            return not_sent(Status.FAILED, str(error)), (Status.DEFERRED, f"channel stopped for this run: {error}")
        except Rejected as error:
            ledger.fail(post.id, name, str(error))
            return Outcome(name, post.id, Status.REFUSED, f"{error} (recorded; it will not be retried)"), None
        except Unknown as error:
            may_have_reached = True
            if (channel.reads_back or channel.can_resume(ledger.get(post.id, name))) and tries < pacing.retries:
                say(f"{name}: {post.id}: {error}; the same attempt again in {backoff:g} s (it cannot post twice)")
                sleep(backoff)
                backoff *= 2
                continue
            return _unsettled(channel, post.id, ledger, str(error)), None
        except LedgerError:  # a checkpoint could not be written: the run stops; the disk keeps `pending`
            raise
        except Exception as error:  # a bug in an adapter: we cannot know whether it posted
            reason = f"unexpected {type(error).__name__} while sending"
            ledger.uncertain(post.id, name, reason)
            return Outcome(name, post.id, Status.UNCERTAIN, reason), None
        ledger.complete(post.id, name, receipt.remote_id, receipt.url)
        return Outcome(name, post.id, Status.POSTED, receipt.remote_id, receipt.url), None


def _unsettled(channel: Channel, post_id: str, ledger: Ledger, reason: str) -> Outcome:
    """An attempt that may have reached the platform, and whose outcome this run cannot learn. A channel that
    reads back or de-duplicates keeps it pending, to be checked and finished by the next run with the same
    key; any other asks a person."""
    name = channel.name
    if channel.reads_back or channel.can_resume(ledger.get(post_id, name)):
        ledger.keep_pending(post_id, name, reason)
        how = "looks for it on the platform, then" if channel.reads_back else ""
        detail = f"{reason}; kept pending: the next run {how} repeats the same attempt, which cannot post twice"
        return Outcome(name, post_id, Status.PENDING, " ".join(detail.split()))
    ledger.uncertain(post_id, name, reason)
    where = channel.channel_type.name
    return Outcome(name, post_id, Status.UNCERTAIN, f"{reason}; it may have been posted: check {where}")
