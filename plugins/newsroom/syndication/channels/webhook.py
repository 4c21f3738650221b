"""Signed webhook: the post's data as JSON to any URL, for tools we do not support (a mailing service, an
intranet, a wire service). Signed in the style of Stripe's webhooks so that a receiver can tell it came from us:

    X-Newsroom-Timestamp: 1780000000
    X-Newsroom-Signature: t=1780000000,v1=<hex HMAC-SHA256 of "1780000000." + body, keyed with the shared secret>
    X-Newsroom-Delivery:  nr-…  (the same for every try of one post, so a receiver can de-duplicate)

The timestamp is signed with the body, so a captured request cannot be replayed after the receiver's window
(`REPLAY_WINDOW`). `verify_signature` below is the receiver's side, written to be copied.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests

from newsroom.syndication.channel import Attempt, AuthFailed, Message, Receipt, Rejected
from newsroom.syndication.channel_types import WEBHOOK
from newsroom.syndication.channels.common import is_loopback
from newsroom.syndication.http import HttpChannel, outcome_for, send
from newsroom.syndication.ledger import Record
from newsroom.syndication.published import PublishedPost

SIGNATURE_HEADER = "X-Newsroom-Signature"
TIMESTAMP_HEADER = "X-Newsroom-Timestamp"
DELIVERY_HEADER = "X-Newsroom-Delivery"
EVENT_HEADER = "X-Newsroom-Event"
EVENT = "post.published"
REPLAY_WINDOW = 300  # seconds a receiver should accept a timestamp either side of its clock


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str, headers: Mapping[str, str], body: bytes, now: float, tolerance: float = REPLAY_WINDOW
) -> bool:
    """For receivers: True when `body` was signed with `secret` less than `tolerance` seconds from `now`.

    `body` must be the raw bytes received (parsing and re-serialising JSON changes them). Uses only the
    standard library; copy it as it is."""
    lowered = {name.lower(): value for name, value in headers.items()}
    fields = [item.split("=", 1) for item in lowered.get(SIGNATURE_HEADER.lower(), "").split(",") if "=" in item]
    timestamps = [value for key, value in fields if key.strip() == "t"]
    if len(timestamps) != 1 or not timestamps[0].strip().isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > tolerance:
        return False  # too old (a replay) or from a clock far ahead
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    # Several v1 values may come while a secret is being rotated; any one that matches will do.
    return any(hmac.compare_digest(expected, value.strip()) for key, value in fields if key.strip() == "v1")


def payload(post: PublishedPost, delivery: str, channel: str) -> dict:
    """Everything a receiver needs to announce the post, with the exact publication time and its zone; its texts
    are in the version's language, which a newsroom in several languages names."""
    image = {"url": post.image.url, "alt": post.image.alt} if post.image else None
    language = {"language": post.language} if post.language else {}
    return {
        "event": EVENT,
        "delivery": delivery,
        "post": {
            "id": post.id,
            "title": post.title,
            "url": post.url,
            "summary": post.summary,
            "text": post.custom_text(channel) or "",  # the comms team's own wording, if any
            "published": post.published.isoformat(),
            "published_text": post.words.time(post.published),
            "audiences": list(post.audiences),
            "category": post.words.category,
            "tags": list(post.tags),
            "image": image,
            "material": post.material,
            **language,
        },
    }


class WebhookChannel(HttpChannel):
    channel_type = WEBHOOK
    length_unit = "bytes of JSON"

    def render(self, post: PublishedPost) -> Message:
        # The delivery id is only known when sending; a placeholder of the same length keeps the size honest.
        body = _body(payload(post, "nr-" + "0" * 32, self.name))
        if len(body) > self.settings["max_bytes"]:
            raise ValueError(f"the JSON is {len(body)} bytes; the receiver takes at most {self.settings['max_bytes']}")
        text = f"POST {self.settings['url']}\n{EVENT}: {post.title}\n{post.url}"
        return Message(self.name, post.id, text, len(body), self.settings["max_bytes"], {"post": post})

    def start(self) -> None:
        parts = urlsplit(self.settings["url"])
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname or "")):
            raise Rejected("the webhook url must start with https:// (http:// only for a receiver on this machine)")

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        body = _body(payload(message.extras["post"], attempt.key, self.name))  # the same bytes on every try
        timestamp = int(time.time())  # fresh on every try, so a retry is not mistaken for a replay
        response = send(
            self.session,
            "POST",
            self.settings["url"],
            timeout=self.timeout,
            secrets=[self.secrets.get("secret", "")],
            ok=range(100, 600),
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(self.secrets["secret"], timestamp, body),
                TIMESTAMP_HEADER: str(timestamp),
                DELIVERY_HEADER: attempt.key,
                EVENT_HEADER: EVENT,
            },
            data=body,
        )
        if 200 <= response.status_code < 300:
            answer = _json(response)
            return Receipt(remote_id=str(answer.get("id") or attempt.key), url=str(answer.get("url") or ""))
        if response.status_code in (401, 403):
            raise AuthFailed(
                f"the receiver refused the signature ({response.status_code}); check that it uses the same "
                f"secret as {self.config.credentials.get('secret', 'the secret variable')}"
            )
        if response.status_code in (404, 410):
            raise AuthFailed(f"nothing receives webhooks at the url any more ({response.status_code}); fix the url")
        raise outcome_for(response, [self.secrets.get("secret", "")])

    def can_resume(self, record: Record) -> bool:
        """A receiver that de-duplicates by delivery id makes a repeat harmless; otherwise a person checks."""
        return self.settings["receiver_deduplicates"]


def _body(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
