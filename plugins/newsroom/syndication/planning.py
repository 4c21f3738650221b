"""Deciding what a run does, before it does anything: one Step per (post, channel). Pure: no network."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsroom.syndication.attention import syndicate_command
from newsroom.syndication.channel import Channel, Message
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.language_routing import EVERY_POST, LanguageRouting
from newsroom.syndication.ledger import Ledger, Record
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.states import UNFINISHED, Action, State
from newsroom.syndication.text import DoesNotFit


@dataclass(frozen=True)
class Step:
    """What the run will do for one post on one channel, and why."""

    post: PublishedPost
    channel: str
    action: Action
    reason: str = ""
    message: Message | None = None
    record: Record | None = None


def routed(post: PublishedPost, config: ChannelConfig, languages: LanguageRouting = EVERY_POST) -> bool:
    """A post goes to every channel that serves one of its audiences; material news also goes to every public
    disclosure channel, whoever it serves (Regulation FD: broad, non-exclusionary distribution). In a newsroom
    of several languages, only in the version the channel's language calls for (language_routing.py)."""
    return for_its_audiences(post, config) and languages.carries(post, config)


def for_its_audiences(post: PublishedPost, config: ChannelConfig) -> bool:
    """Whether the channel serves the post's audiences (or takes it as material news), whatever its language."""
    disclosure = post.material and config.disclosure and not config.internal
    return disclosure or bool(set(post.audiences) & set(config.audiences))


def plan(
    public_posts: Sequence[PublishedPost],
    internal_posts: Sequence[PublishedPost],
    channels: Mapping[str, Channel],
    ledger: Ledger,
    cap: int,
    languages: LanguageRouting = EVERY_POST,
) -> list[Step]:
    """Every step of a run, in order (material news first, then oldest post first, within each channel).

    Public channels see only the public build's posts; internal channels see the internal edition's,
    which includes posts for employees. Posts beyond `cap` that need sending are deferred, never dropped;
    material posts are outside the cap: they go to every channel in this run, never behind ordinary news.
    """
    steps: list[Step] = []
    for name, channel in channels.items():
        config = channel.config
        candidates = [p for p in (internal_posts if config.internal else public_posts) if for_its_audiences(p, config)]
        new_channel = name in new_to_the_ledger(channels, ledger)
        channel_steps = []
        for post in sorted(candidates, key=lambda p: (not p.material, p.published, p.id)):
            record = ledger.get(post.id, name)
            other = ledger.carried_version(post.id, name)
            if record is None and other is not None and other.post != post.id:
                # Its other version went out here first (a channel allowed to fall back on the default
                # language's): a post is announced once on a channel, whichever language came first.
                reason = f"announced on this channel already, as {other.post} ({other.url or other.state})"
                channel_steps.append(Step(post, name, Action.SKIP, reason))
            elif record is not None or languages.carries(post, config):
                # A version with a record here is this channel's, whatever its language: claimed, pending or asked
                # for again, it is sent or finished, even once a version in the channel's language exists.
                channel_steps.append(_step(post, channel, record, new_channel))
        steps += _capped(channel_steps, cap)
    return steps


def _capped(steps: list[Step], cap: int) -> list[Step]:
    """One channel's steps with its sends beyond `cap` deferred, oldest first; material news is outside the cap.
    Each channel has its own: one that cannot send (a long rate limit keeps its posts claimed) never holds back
    another's new posts."""
    sending = sorted(
        {s.post.id: s.post for s in steps if s.action == Action.SEND}.values(), key=lambda p: (p.published, p.id)
    )
    ordinary = [post.id for post in sending if not post.material]
    allowed = {post.id for post in sending if post.material} | set(ordinary[:cap])
    return [
        Step(
            s.post,
            s.channel,
            Action.DEFER,
            f"over this run's cap of {cap} posts; it goes out in a later run",
            s.message,
        )
        if s.action == Action.SEND and s.post.id not in allowed
        else s
        for s in steps
    ]


def new_to_the_ledger(channels: Iterable[str], ledger: Ledger) -> set[str]:
    """The channels an existing ledger does not know (Ledger.known_channels): added, or renamed, since it was
    bootstrapped (a bootstrap writes its records and the channel's name in one write)."""
    return {name for name in channels if ledger.existed and name not in ledger.known_channels()}


def waiting_on_new_channels(steps: Iterable[Step]) -> dict[str, int]:
    """For each channel new to the ledger, how many published posts wait for a person's decision."""
    return dict(Counter(step.channel for step in steps if step.action == Action.HOLD))


def _step(post: PublishedPost, channel: Channel, record: Record | None, new_channel: bool) -> Step:
    name = channel.name
    if not post.syndicate:
        return Step(post, name, Action.SKIP, "opted out (Syndicate: no)", record=record)
    if record is None and new_channel:
        return Step(
            post,
            name,
            Action.HOLD,
            "this channel is new to the ledger: record the existing archive first with "
            f"`{syndicate_command('--bootstrap', '--channel', name)}` (nothing is posted)",
        )
    if record is not None:
        if record.state == State.DONE:
            return Step(post, name, Action.SKIP, f"already posted: {record.url or record.remote_id}", record=record)
        if record.state == State.SEEDED:
            return Step(post, name, Action.SKIP, "recorded as already syndicated (bootstrap)", record=record)
        if record.state == State.SUPERSEDED:
            return Step(post, name, Action.SKIP, record.reason, record=record)
        if record.state == State.FAILED:
            return Step(
                post,
                name,
                Action.SKIP,
                f"failed earlier: {record.reason} (to try again: "
                f"`{syndicate_command('--resolve', post.id, '--channel', name, '--retry')}`)",
                record=record,
            )
        if record.state == State.UNCERTAIN and not channel.reads_back:
            return Step(
                post,
                name,
                Action.SKIP,
                f"outcome unknown ({record.reason}); check {channel.channel_type.name}, then "
                f"`{syndicate_command('--resolve', post.id, '--channel', name, '--posted', 'URL')}` or `--retry`",
                record=record,
            )
    unknown = record is not None and record.state in UNFINISHED  # an earlier try may be out there
    try:
        message = channel.render(post)
    except (DoesNotFit, ValueError) as error:
        if unknown:  # never overwrite an attempt that may be on the platform with a failure
            return Step(
                post,
                name,
                Action.UNCERTAIN,
                f"{record.reason or 'an earlier try may have been posted'}; "
                f"it cannot be written for {channel.channel_type.name} now either ({error})",
                record=record,
            )
        reason = f"cannot be written for {channel.channel_type.name}: {error}"
        return Step(post, name, Action.FAIL, reason, record=record)
    if unknown:
        if channel.reads_back:
            return Step(
                post,
                name,
                Action.RESUME,
                f"an earlier try may have been posted; {channel.channel_type.name} is read back first, "
                "and the same attempt is sent again only if it is not there",
                message,
                record,
            )
        if channel.can_resume(record):
            return Step(
                post,
                name,
                Action.RESUME,
                f"an earlier run stopped mid-send; repeating it is safe on {channel.channel_type.name}",
                message,
                record,
            )
        return Step(
            post,
            name,
            Action.UNCERTAIN,
            f"an earlier run stopped after starting to send (at {record.at}); "
            f"{channel.channel_type.name} cannot tell us whether it was posted; check, then "
            f"`{syndicate_command('--resolve', post.id, '--channel', name, '--posted', 'URL')}` or `--retry`",
            message,
            record,
        )
    return Step(post, name, Action.SEND, "", message, record)
