"""SYNDICATION_ALERT_CHANNEL: one message to an internal channel for each item that needs a person, once.

The run's exit code and job summary already say it; this reaches the people who do not read CI logs. Each alert
is sent through the channel's own render and publish, as a small post of its own, and the ledger record keeps
when it went out, so an item is announced once however many runs list it. A failed alert never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from newsroom.syndication.attention import WHAT_IT_MEANS, OpenItem
from newsroom.syndication.channel import Attempt, Channel, ChannelError
from newsroom.syndication.engine import attempt_key
from newsroom.syndication.ledger import Ledger, utc_now
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import DoesNotFit


def send_alerts(
    items: list[OpenItem], channel: Channel, ledger: Ledger, links: dict[str, str], say: Callable[[str], None]
) -> None:
    """Announce each item not announced yet on `channel`; `links` maps a post id to its address."""
    fresh = [item for item in items if not ledger.get(item.post, item.channel).alerted]
    if not fresh:
        return
    try:
        channel.start()
    except ChannelError as error:
        say(f"alert channel {channel.name}: could not start ({error}); the alerts go out with the next run")
        return
    for item in fresh:
        alert = _alert_post(item, channel, links.get(item.post, ""))
        try:
            message = channel.render(alert)
            channel.publish(message, Attempt(key=attempt_key(alert.id, channel.name, 0), started_at=utc_now()))
        except (ChannelError, DoesNotFit, ValueError) as error:
            say(f"alert channel {channel.name}: the alert for {item.post} on {item.channel} failed ({error})")
            continue
        ledger.mark_alerted(item.post, item.channel)
        say(f"alert channel {channel.name}: told about {item.post} on {item.channel}")


def _alert_post(item: OpenItem, channel: Channel, link: str) -> PublishedPost:
    return PublishedPost(
        id=f"syndication-alert/{item.post}/{item.channel}/{item.since.isoformat()}",
        title=f"Syndication needs a person: {item.post} on {item.channel} is {item.state}",
        url=link,
        summary=f"It {WHAT_IT_MEANS[item.state]}. Resolve: {item.resolve_command()}",
        published=datetime.now(UTC),
        audiences=channel.config.audiences,
        category="Syndication",
    )
