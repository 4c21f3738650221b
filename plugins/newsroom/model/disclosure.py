"""The disclosure channels page's data, read from the configuration so the page can never drift from it.

Investors must be told in advance where material news will appear (SEC 2013, Netflix report). The page lists
the newsroom, the disclosure audiences' feeds, the email alerts (NEWSROOM_ALERTS: one line, however many lists)
and every other public channel in SYNDICATION_CHANNELS marked `disclosure: True`, each with its public address
(`account_url`) and what readers see (`label`, `account`). The channels that post to the alert lists (type
`email`, or any channel marked `alerts: True`) are the email alerts line: its sign-up page is the subscribe page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


def disclosure_channels(
    settings: Mapping, type_labels: Mapping[str, str]
) -> tuple[tuple[DisclosureChannel, ...], list[str]]:
    """The channels marked `disclosure: True`, in configuration order, and a problem per unusable entry.
    `type_labels` names each channel type for readers (syndication's registry: one label per type), for the
    channels configured without a `label`."""
    entries = settings.get("SYNDICATION_CHANNELS") or []
    has_alerts = bool((settings.get("NEWSROOM_ALERTS") or {}).get("lists"))
    channels, problems = [], []
    for index, entry in enumerate(entries if isinstance(entries, list | tuple) else []):
        if not isinstance(entry, Mapping) or entry.get("disclosure") is not True:
            continue  # the syndication settings check reports malformed entries
        where = f"SYNDICATION_CHANNELS[{index}]"
        url = entry.get("account_url")
        if entry.get("internal"):
            problems.append(
                f"{where}.disclosure: an internal channel cannot be a disclosure channel "
                "(expected disclosure: False: the public cannot follow it)"
            )
            continue
        if is_alerts_channel(entry):
            if not has_alerts:
                problems.append(
                    f"{where}: an email alerts channel is a disclosure channel, but NEWSROOM_ALERTS names no lists "
                    "(expected NEWSROOM_ALERTS, so that the subscribe and disclosure pages say how to sign up)"
                )
            continue  # the page's email alerts line, generated from NEWSROOM_ALERTS
        if not isinstance(url, str) or not PUBLIC_ADDRESS.match(url):
            problems.append(
                f"{where}.account_url: {url!r} is not a public address (expected the http(s) page investors "
                "follow or subscribe at, or a mailto: address; the disclosure channels page links to it)"
            )
            continue
        kind = str(entry.get("type", ""))
        label = entry.get("label") or type_labels.get(kind, kind)
        account = entry.get("account") or url.removeprefix("mailto:")
        channels.append(
            DisclosureChannel(
                name=str(entry.get("name", "")),
                label=str(label),
                account=str(account),
                url=url,
                kind=kind,
                audiences=tuple(entry.get("audiences") or ()),
            )
        )
    return tuple(channels), problems


def is_alerts_channel(entry: Mapping) -> bool:
    """Does this SYNDICATION_CHANNELS entry post to the NEWSROOM_ALERTS lists?"""
    return entry.get("alerts") is True or entry.get("type") == "email"


def alerts_disclosed(settings: Mapping) -> bool:
    """Are the email alerts a disclosure channel (some public alerts channel marked `disclosure: True`)?"""
    entries = settings.get("SYNDICATION_CHANNELS") or []
    return any(
        isinstance(entry, Mapping)
        and entry.get("disclosure") is True
        and not entry.get("internal")
        and is_alerts_channel(entry)
        for entry in (entries if isinstance(entries, list | tuple) else [])
    )
