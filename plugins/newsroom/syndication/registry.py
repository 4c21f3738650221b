"""Every channel type, by the name used in SYNDICATION_CHANNELS. A new network is one line here."""

from __future__ import annotations

from .channel import Channel
from .channels.bluesky import BlueskyChannel
from .channels.email import EmailChannel
from .channels.mastodon import MastodonChannel
from .channels.outbox import OutboxChannel
from .channels.slack import SlackChannel

CHANNEL_TYPES: dict[str, type[Channel]] = {
    cls.type_name: cls
    for cls in (
        OutboxChannel,
        MastodonChannel,
        BlueskyChannel,
        EmailChannel,
        SlackChannel,
    )
}
