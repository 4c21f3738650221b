"""Channels whose one credential is a webhook URL that is itself the secret (Slack, Microsoft Teams).

Whoever has the URL can post, so it travels only encrypted (or to a test server on this machine), and neither it
nor any part of it that an error text could quote (path, token, `sig`) may appear in a message, a log or the ledger.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.syndication.channel import Message, Rejected
from newsroom.syndication.channels.common import is_loopback
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.http import HttpChannel, send


class SecretWebhookChannel(HttpChannel):
    """A Channel that POSTs its JSON payload to `secrets["webhook_url"]`; subclasses read the answer."""

    safe_to_retry = False  # a webhook has no idempotency key: after an unknown outcome a person checks

    def __init__(self, config: ChannelConfig, secrets, timeout: float = 20.0):
        super().__init__(config, secrets, timeout)
        SECRETS_IN_USE.hide(self.secret_parts())

    def start(self) -> None:
        """Refuse a webhook URL that would send the secret unencrypted, without ever showing the URL."""
        parts = urlsplit(self.secrets["webhook_url"])
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname or "")):
            raise Rejected(
                f"the webhook URL in {self.variable()} must start with https:// "
                "(http:// is accepted only for a test server on this machine)"
            )

    def post(self, message: Message) -> requests.Response:
        """Send the payload; every answer comes back (the subclass maps it), network failures raise outcomes."""
        return send(
            self.session,
            "POST",
            self.secrets["webhook_url"],
            timeout=self.timeout,
            secrets=self.secret_parts(),
            ok=range(100, 600),
            json=message.extras["payload"],
        )

    def secret_parts(self) -> list[str]:
        """The URL, and the parts of it an error text could quote on their own (its path and last segment)."""
        url = self.secrets.get("webhook_url", "")
        path = urlsplit(url).path
        return [url, path, path.rstrip("/").rpartition("/")[2]]

    def variable(self) -> str:
        """The name of the environment variable that holds the URL (safe to show)."""
        return self.config.credentials.get("webhook_url", "the webhook_url variable")
