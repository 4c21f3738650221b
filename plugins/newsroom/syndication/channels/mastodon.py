"""Mastodon: `POST /api/v1/statuses` with a bearer token, de-duplicated by an Idempotency-Key.

Limits come from the instance (`/api/v2/instance`: 500 characters by default, every URL counting 23).
Mastodon keeps an Idempotency-Key for one hour: within that hour a repeated attempt returns the original
status instead of posting again, so an unknown outcome is retried; after it, a person decides.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ..channel import Attempt, Message, Receipt, Rejected
from ..config import Option
from ..http import HttpChannel, send
from ..ledger import Record
from ..published import PublishedPost
from ..text import fit, grapheme_count

IDEMPOTENCY_WINDOW = timedelta(minutes=55)  # Mastodon keeps keys for 1 hour; keep a margin


class MastodonChannel(HttpChannel):
    type_name = "mastodon"
    network = "public"
    safe_to_retry = True
    length_unit = "characters (URLs count 23)"
    credentials = {"token": "access token of the company account (scope write:statuses)"}
    options = {
        "base_url": Option(str, "the instance's address, e.g. 'https://mastodon.social'", required=True),
        "visibility": Option(str, "who sees the posts", default="public", choices=("public", "unlisted", "private")),
        "language": Option(str, "the posts' ISO 639-1 language code", default="en"),
        "max_length": Option(int, "the character limit until the instance says otherwise", default=500),
        "hashtags": Option(bool, "True to add the post's tags as hashtags when they fit", default=True),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = self.settings["max_length"]
        self.url_weight = 23

    @property
    def base(self) -> str:
        return self.settings["base_url"].rstrip("/")

    def start(self) -> None:
        response = send(self.session, "GET", f"{self.base}/api/v2/instance", timeout=self.timeout)
        statuses = response.json().get("configuration", {}).get("statuses", {})
        self.limit = int(statuses.get("max_characters", self.limit))
        self.url_weight = int(statuses.get("characters_reserved_per_url", self.url_weight))

    def render(self, post: PublishedPost) -> Message:
        def measure(text: str) -> int:
            return grapheme_count(text, url_weight=self.url_weight)

        custom = post.custom_text(self.name)
        tags = " ".join(hashtag(tag) for tag in post.tags if hashtag(tag)) if self.settings["hashtags"] else ""
        fitted = fit(
            custom or post.title,
            "" if custom else post.summary,
            post.url,
            lambda text: measure(text) <= self.limit,
            tail="" if custom else tags,
        )
        return Message(self.name, post.id, fitted.text, measure(fitted.text), self.limit)

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        response = send(
            self.session,
            "POST",
            f"{self.base}/api/v1/statuses",
            timeout=self.timeout,
            secrets=[self.secrets.get("token", "")],
            headers={"Authorization": f"Bearer {self.secrets['token']}", "Idempotency-Key": attempt.key},
            json={
                "status": message.text,
                "visibility": self.settings["visibility"],
                "language": self.settings["language"],
            },
        )
        try:
            status = response.json()
            return Receipt(remote_id=str(status["id"]), url=status.get("url") or status["uri"])
        except (ValueError, KeyError, TypeError):
            raise Rejected("the instance answered without a status id") from None

    def can_resume(self, record: Record) -> bool:
        """Only while the instance still remembers the Idempotency-Key."""
        try:
            started = datetime.fromisoformat(record.started_at)
        except ValueError:
            return False
        return datetime.now(UTC) - started < IDEMPOTENCY_WINDOW


def hashtag(tag: str) -> str:
    """'quarterly results' -> '#QuarterlyResults'; '' when nothing usable is left."""
    words = re.findall(r"\w+", tag)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    return f"#{joined}" if joined and not joined.isdigit() else ""
