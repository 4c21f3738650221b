"""Running channels the way `invoke syndicate` does, for the channel tests: a configured channel, the real
planner and engine, and a real ledger file in the test's folder. Sleeps are recorded, not slept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsroom.syndication.channel import Channel
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.engine import Pacing, run
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.registry import CHANNEL_CLASSES
from newsroom.syndication.report import Report

EDT = timezone(timedelta(hours=-4))


def make_channel(kind: str, secrets: dict, name: str = "", internal: bool = False, **options) -> Channel:
    """A channel of type `kind` with its defaults, as load_config would configure it."""
    channel_class = CHANNEL_CLASSES[kind]
    options_of_type = channel_class.channel_type.options
    values = {key: option.default for key, option in options_of_type.items() if option.default is not None}
    values.update(options)
    credentials = {role: f"{(name or kind).upper().replace('-', '_')}_{role.upper()}" for role in secrets}
    audiences = ("employees",) if internal else ("media",)
    config = ChannelConfig(name or kind, kind, audiences, internal, values, credentials)
    return channel_class(config, secrets, timeout=5.0)


def post(number: int = 1, **changes) -> PublishedPost:
    values = dict(
        id=f"post-{number}",
        title=f"Title {number}",
        url=f"https://newsroom.larkspur-energy.com/news/2026/post-{number}/",
        summary=f"Summary {number}.",
        published=datetime(2026, 6, number, 9, 30, tzinfo=EDT),
        audiences=("media", "employees"),
        category="News",
    )
    return PublishedPost(**{**values, **changes})


def syndicate(channel: Channel, posts, folder: Path, sleeps: list[float] | None = None) -> Report:
    """One run: plan from the ledger in `folder`, send, write the ledger around every send."""
    ledger = Ledger.open(Path(folder) / "ledger.jsonl")
    if not ledger.existed:
        ledger.know({channel.name})
    channels = {channel.name: channel}
    public, internal = ([], posts) if channel.config.internal else (posts, [])
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    return run(plan(public, internal, channels, ledger, cap=5), channels, ledger, Pacing(backoff=0), sleep=record)


def statuses(report: Report) -> list[str]:
    return [outcome.status for outcome in report.outcomes]


def ledger_of(folder: Path) -> Ledger:
    return Ledger.open(Path(folder) / "ledger.jsonl")
