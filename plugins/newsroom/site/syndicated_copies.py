"""Where each post was syndicated, read from the ledger at build time, for "Also on: Mastodon · Bluesky"."""

from __future__ import annotations

from collections.abc import Mapping

from newsroom.model.visibility import Visibility, shown_in
from newsroom.syndication.config import SyndicationConfig
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.states import State


def syndicated_copies(settings: Mapping, config: SyndicationConfig, edition: str) -> dict[str, list[tuple[str, str]]]:
    """post id -> [(channel label, public URL)] for every copy posted on the web, in channel order; nothing
    when the settings name no ledger (a local build shows no copies). A copy on an internal channel (an intranet
    webhook's page) is for employees: only an edition that shows internal posts links to it."""
    if not settings.get("SYNDICATION_LEDGER"):
        return {}
    internal_shown = shown_in(edition, Visibility.INTERNAL)
    labels = {channel.name: channel.label for channel in config.channels if internal_shown or not channel.internal}
    order = list(labels)
    copies: dict[str, list[tuple[str, str]]] = {}
    for record in Ledger.open(config.ledger):
        if record.state == State.DONE and record.url.startswith(("https://", "http://")) and record.channel in labels:
            copies.setdefault(record.post, []).append((record.channel, record.url))
    return {
        post: [(labels[channel], url) for channel, url in sorted(found, key=lambda item: order.index(item[0]))]
        for post, found in copies.items()
    }
