"""Every channel's code, by the type name used in SYNDICATION_CHANNELS: what syndicating runs.

Importing it loads every network's client (requests, oauthlib…), so only syndicating does; the settings are
validated against channel_types.py, which a build reads instead. A new network is one line here and its type
there.
"""

from __future__ import annotations

from newsroom.syndication.channel import Channel
from newsroom.syndication.channels.bluesky import BlueskyChannel
from newsroom.syndication.channels.email import EmailChannel
from newsroom.syndication.channels.facebook import FacebookChannel
from newsroom.syndication.channels.linkedin import LinkedInChannel
from newsroom.syndication.channels.mastodon import MastodonChannel
from newsroom.syndication.channels.outbox import OutboxChannel
from newsroom.syndication.channels.slack import SlackChannel
from newsroom.syndication.channels.teams import TeamsChannel
from newsroom.syndication.channels.threads import ThreadsChannel
from newsroom.syndication.channels.webhook import WebhookChannel
from newsroom.syndication.channels.x import XChannel

CHANNEL_CLASSES: dict[str, type[Channel]] = {
    cls.channel_type.name: cls
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
