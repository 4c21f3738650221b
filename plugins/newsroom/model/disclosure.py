"""The disclosure channels page's data, read from the configuration so the page can never drift from it.

Investors must be told in advance where material news will appear (SEC 2013, Netflix report). The page lists
the newsroom, the disclosure audiences' feeds, the email alerts (NEWSROOM_ALERTS: one line, however many lists)
and every other public channel in SYNDICATION_CHANNELS marked `disclosure: True`, each with its public address
(`account_url`) and what readers see (`label`, `account`). The channels that post to the alert lists (type
`email`, or any channel marked `alerts: True`) are the email alerts line: its sign-up page is the subscribe page.

In a newsroom with several languages, each language's version of the page lists only the channels that carry that
language's versions of material news (a channel posts in its own `language`; the routing rule is syndication's),
and names the other languages whose news goes out on channels it does not list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PUBLIC_ADDRESS = re.compile(r"^(?:https?://[^/\s]+\S*|mailto:[^@\s]+@[^@\s]+)$")


@dataclass(frozen=True)
class DisclosureChannel:
    """One channel investors should follow: what it is, where to follow it and whom it serves."""

    name: str  # the channel's name in SYNDICATION_CHANNELS
    label: str  # e.g. "Mastodon", "Investor email alerts"
    account: str  # what to show for the address, e.g. "@larkspur@mastodon.example"
    url: str  # the public page to follow or subscribe
    kind: str  # the channel type
    audiences: tuple[str, ...]


def disclosure_channels(channels: Iterable) -> tuple[DisclosureChannel, ...]:
    """The validated channels (syndication.config.ChannelConfig) marked `disclosure: True` that have a page of
    their own, in configuration order; the alert lists' channels are the page's email alerts line instead."""
    return tuple(
        DisclosureChannel(
            name=channel.name,
            label=channel.label,
            account=channel.account or channel.account_url.removeprefix("mailto:"),
            url=channel.account_url,
            kind=channel.type,
            audiences=tuple(channel.audiences),
        )
        for channel in channels
        if channel.disclosure and not channel.internal and not channel.alerts
    )


def alerts_disclosed(channels: Iterable) -> bool:
    """Are the email alerts a disclosure channel (some public alerts channel marked `disclosure: True`)?"""
    return any(channel.disclosure and not channel.internal and channel.alerts for channel in channels)


@dataclass(frozen=True)
class DisclosureListing:
    """What one language's disclosure channels page lists: only channels that carry that language's versions."""

    channels: tuple[DisclosureChannel, ...]
    alerts: bool  # the email alerts line
    elsewhere: tuple[str, ...] = ()  # the other languages (codes) whose material news goes out on channels not here


def disclosure_listings(
    channels: Iterable, languages: Iterable[str], carries: Callable[[object, str], bool], alerts_enabled: bool
) -> dict[str, DisclosureListing]:
    """Each language's listing (by code): `carries(channel, code)` says whether a channel carries that language's
    versions of material news. The email alerts line is shown only where the alerts are enabled."""
    public = [channel for channel in channels if channel.disclosure and not channel.internal]
    languages = tuple(languages)
    carried = {code: [channel for channel in public if carries(channel, code)] for code in languages}
    return {
        code: DisclosureListing(
            disclosure_channels(carried[code]),
            alerts_disclosed(carried[code]) and alerts_enabled,
            tuple(
                other
                for other in languages
                if other != code and any(channel not in carried[code] for channel in carried[other])
            ),
        )
        for code in languages
    }
