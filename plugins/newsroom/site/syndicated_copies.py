"""Where each post was syndicated, read from the ledger at build time, for "Also on: Mastodon · Bluesky"."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from newsroom.syndication.ledger import Ledger
from newsroom.syndication.registry import TYPE_LABELS
from newsroom.syndication.states import State


def syndicated_copies(settings: Mapping) -> dict[str, list[tuple[str, str]]]:
    """post id -> [(channel label, public URL)] for every copy posted on the web, in channel order."""
    ledger_setting = settings.get("SYNDICATION_LEDGER")
    channels = settings.get("SYNDICATION_CHANNELS") or []
    if not ledger_setting:
        return {}
    path = Path(settings["PATH"]).resolve().parent / ledger_setting
    labels = {
        c.get("name"): c.get("label") or TYPE_LABELS.get(c.get("type"), str(c.get("type", "")))
        for c in channels
        if isinstance(c, Mapping)
    }
    order = list(labels)
    copies: dict[str, list[tuple[str, str]]] = {}
    for record in Ledger.open(path):
        if record.state == State.DONE and record.url.startswith(("https://", "http://")) and record.channel in labels:
            copies.setdefault(record.post, []).append((record.channel, record.url))
    return {
        post: [(labels[channel], url) for channel, url in sorted(found, key=lambda item: order.index(item[0]))]
        for post, found in copies.items()
    }
