"""What needs a person: every (post, channel) the ledger holds as uncertain, failed or still pending, or has
waited more than a day to be sent (LONG_WAIT), with its age and the exact command that resolves it, and every
channel new to the ledger that published posts wait for.
Every run prints this list, and fails while any item on it is younger than SYNDICATION_ATTENTION_DAYS (a held
channel, always), so a missing post can never hide behind a green run. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsroom.kit.printed import printable, shell_command
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.states import OPEN, State

# A send that the next run makes by itself (claimed: a rate limit deferred it, or a run stopped before it; requeued:
# a person asked for it again) is listed once it has waited this long: a platform's limit that lasts (a daily or
# monthly cap) must not keep a post off a channel with every run green.
LONG_WAIT = timedelta(days=1)
WAITING_SENDS = frozenset({State.CLAIMED, State.REQUEUED})
WHAT_IT_MEANS = {
    State.UNCERTAIN: "may be on the platform; only a person can tell",
    State.PENDING: "may be on the platform; the next run looks for it and finishes it",
    State.FAILED: "refused by the platform; it is not retried by itself",
    State.CLAIMED: "not sent yet, for over a day (a rate limit that lasts, or a platform no run could reach); "
    "every run tries it again",
    State.REQUEUED: "asked for again over a day ago and not sent yet; every run tries it again",
}


def syndicate_command(*options: str) -> str:
    """`invoke syndicate` with `options`, as printed for a person to paste: every word quoted for the shell, so
    that a value in it (a post's id, a channel's name) stays one argument and can never run code."""
    return shell_command("invoke", "syndicate", *options)


@dataclass(frozen=True)
class OpenItem:
    post: str
    channel: str
    state: State
    since: datetime  # when its attempt started (or, for a message that could never be sent, when that was found)
    reason: str
    removed: bool = False  # its channel is no longer configured: no run will ever settle it, only a person

    def age(self, now: datetime) -> timedelta:
        return max(now - self.since, timedelta(0))

    def resolve_command(self) -> str:
        base = syndicate_command("--resolve", self.post, "--channel", self.channel)
        return f"`{base} --posted URL` (it is there) or `{base} --retry` (send it again)"


@dataclass(frozen=True)
class HeldChannel:
    """A configured channel the ledger does not know (added, or renamed), with published posts routed to it: none
    is sent until a person says whether they were announced there already or should be now."""

    channel: str
    waiting: int  # published posts held back from it

    def line(self) -> str:
        bootstrap = syndicate_command("--bootstrap", "--channel", self.channel)
        reshare = syndicate_command("--reshare", "ID", "--channel", self.channel)
        return (
            f"  held      {self.channel}: new to the ledger, {self.waiting} published post(s) wait for it and none is "
            f"sent until a person decides: `{bootstrap}` records them as already announced, posting nothing (a "
            f"renamed channel, or an archive); then `{reshare}` "
            "posts any one of them"
        )


def new_channel_line(channel: str) -> str:
    """`invoke syndicate --status` on a configured channel the ledger does not know: a run holds the published
    posts routed to it (HeldChannel) until a person decides; what it holds takes a build to know."""
    return (
        f"  new       {channel}: not in the ledger yet; the next run holds every published post routed to it, if any, "
        f"until a person decides (`{syndicate_command('--bootstrap', '--channel', channel)}` records them as already "
        "announced; a channel added before any post for it needs nothing)"
    )


def open_items(
    ledger: Ledger, channels: Iterable[str], configured: Iterable[str] | None = None, now: datetime | None = None
) -> list[OpenItem]:
    """The ledger's open items on `channels`, oldest first, and the sends that have waited longer than LONG_WAIT
    as of `now`. With `configured` (every channel in the settings), also those on the channels the ledger knows
    but the settings no longer name (removed or renamed): taking a channel out must not take its open items out
    of sight."""
    wanted = set(channels)
    removed = ledger.channels() - set(configured) if configured is not None else set()
    now = now or datetime.now(UTC)
    items = []
    for record in ledger:
        if record.channel not in wanted and record.channel not in removed:
            continue
        # A send asked for again waits from when it was asked for; any other, from when its attempt started.
        since = _parse(record.at if record.state == State.REQUEUED else record.started_at or record.at)
        if record.state in OPEN or (record.state in WAITING_SENDS and now - since > LONG_WAIT):
            items.append(
                OpenItem(record.post, record.channel, record.state, since, record.reason, record.channel in removed)
            )
    return sorted(items, key=lambda item: (item.since, item.post, item.channel))


def urgent(items: Iterable[OpenItem], now: datetime, attention_days: float) -> list[OpenItem]:
    """The items young enough to fail the run (older ones are only warned about)."""
    return [item for item in items if item.age(now) < timedelta(days=attention_days)]


def attention_lines(
    items: list[OpenItem], now: datetime, attention_days: float, held: Sequence[HeldChannel] = ()
) -> list[str]:
    """The list every run and `invoke syndicate --status` print; [] when nothing needs a person."""
    if not items and not held:
        return []
    failing = len(urgent(items, now, attention_days)) + len(held)
    lines = [
        f"Needs a person: {len(items) + len(held)} open item(s); {failing} fail(s) every run until resolved "
        f"(after {attention_days:g} days an item is only warned about)",
        *(channel.line() for channel in held),
    ]
    for item in items:
        late = "" if item.age(now) < timedelta(days=attention_days) else " (warning only)"
        lines.append(
            f"  {item.state:<9} {item.post} on {item.channel}, {_age(item.age(now))} old{late}: "
            f"{WHAT_IT_MEANS[item.state]}" + (f" ({item.reason})" if item.reason else "")
        )
        if item.removed:
            lines.append(
                f"            {item.channel} is no longer in SYNDICATION_CHANNELS: only a person can settle this"
            )
        lines.append(f"            resolve: {item.resolve_command()}")
    return [printable(line) for line in lines]  # a value holding a line break cannot add a line


def _parse(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # a hand-edited time: treat the item as new rather than let it age out of sight
        return datetime.max.replace(tzinfo=UTC)


def _age(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"
