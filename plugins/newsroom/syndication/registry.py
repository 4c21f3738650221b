"""Every channel type, by the name used in SYNDICATION_CHANNELS. A new network is one line here."""

from __future__ import annotations

from .channel import Channel
from .channels.bluesky import BlueskyChannel
from .channels.email import EmailChannel
from .channels.facebook import FacebookChannel
from .channels.linkedin import LinkedInChannel
from .channels.mastodon import MastodonChannel
from .channels.outbox import OutboxChannel
from .channels.slack import SlackChannel
from .channels.teams import TeamsChannel
from .channels.threads import ThreadsChannel
from .channels.webhook import WebhookChannel
from .channels.x import XChannel

CHANNEL_TYPES: dict[str, type[Channel]] = {
    cls.type_name: cls
    for cls in (
        OutboxChannel,
        MastodonChannel,
        BlueskyChannel,
        EmailChannel,
        SlackChannel,
        LinkedInChannel,
        XChannel,
        FacebookChannel,
        ThreadsChannel,
        TeamsChannel,
        WebhookChannel,
    )
}
