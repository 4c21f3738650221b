"""Bluesky (AT Protocol): one session per run, a post record with link and hashtag facets and a link card.

Exactly once: the record key is a TID derived from the attempt (its key and start time, both in the ledger),
written with `putRecord` and `swapRecord: null`. Repeating the attempt therefore targets the same record: an
identical repeat is a no-op and a changed one answers 400 InvalidSwap; neither creates a second post.
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime
from io import BytesIO
from pathlib import Path

import regex
import requests

from ..channel import Attempt, Message, Receipt, Rejected
from ..config import Option
from ..http import HttpChannel, outcome_for, send
from ..published import PublishedPost
from ..text import URL, fit, grapheme_count, utf8_length, within
from .mastodon import hashtag

MAX_GRAPHEMES, MAX_BYTES = 300, 3000
MAX_THUMB_BYTES = 1_000_000
THUMB_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
HASHTAG = regex.compile(r"(?<![\w#])#[^\s#\p{P}]+")


class BlueskyChannel(HttpChannel):
    type_name = "bluesky"
    network = "public"
    safe_to_retry = True
    length_unit = f"graphemes (and at most {MAX_BYTES} bytes)"
    credentials = {"app_password": "app password of the company account (Settings → App passwords)"}
    options = {
        "base_url": Option(str, "the account's PDS, e.g. 'https://bsky.social'", default="https://bsky.social"),
        "handle": Option(str, "the account's handle, e.g. 'larkspur-energy.bsky.social'", required=True),
        "language": Option(str, "the posts' language code", default="en"),
        "app_url": Option(str, "the web app that shows posts", default="https://bsky.app"),
        "hashtags": Option(bool, "True to add the post's tags as hashtags when they fit", default=True),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.did = ""
        self.auth: dict[str, str] = {}

    def xrpc(self, method: str) -> str:
        return f"{self.settings['base_url'].rstrip('/')}/xrpc/{method}"

    def start(self) -> None:
        """Log in once per run (logins are rate-limited: 30 per 5 minutes)."""
        response = send(
            self.session,
            "POST",
            self.xrpc("com.atproto.server.createSession"),
            timeout=self.timeout,
            secrets=[self.secrets.get("app_password", "")],
            json={"identifier": self.settings["handle"], "password": self.secrets["app_password"]},
        )
        data = response.json()
        self.did = data["did"]
        self.auth = {"Authorization": f"Bearer {data['accessJwt']}"}

    def render(self, post: PublishedPost) -> Message:
        custom = post.custom_text(self.name)
        tags = " ".join(filter(None, (hashtag(tag) for tag in post.tags))) if self.settings["hashtags"] else ""
        fitted = fit(
            custom or post.title,
            "" if custom else post.summary,
            post.url,
            within((grapheme_count, MAX_GRAPHEMES), (utf8_length, MAX_BYTES)),
            tail="" if custom else tags,
        )
        card = {"uri": post.url, "title": post.title, "description": post.summary}
        image = post.image.file if post.image else ""
        return Message(
            self.name,
            post.id,
            fitted.text,
            grapheme_count(fitted.text),
            MAX_GRAPHEMES,
            {"facets": facets(fitted.text), "card": card, "image": image},
        )

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        rkey = record_key(attempt.key, attempt.started_at)
        record = {
            "$type": "app.bsky.feed.post",
            "text": message.text,
            "createdAt": _zulu(attempt.started_at),  # the first attempt's time, so a repeat is identical
            "langs": [self.settings["language"]],
        }
        if message.extras["facets"]:
            record["facets"] = message.extras["facets"]
        external = dict(message.extras["card"])
        thumb = self._thumb(message.extras["image"])
        if thumb:
            external["thumb"] = thumb
        record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
        body = {
            "repo": self.did,
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": record,
            "swapRecord": None,
        }
        response = send(
            self.session,
            "POST",
            self.xrpc("com.atproto.repo.putRecord"),
            timeout=self.timeout,
            headers=self.auth,
            json=body,
            ok=(200, 400),
        )
        if response.status_code == 400:
            if _json(response).get("error") != "InvalidSwap":
                raise outcome_for(response)
            self._confirm_earlier_try(rkey, record["createdAt"])
        uri = _json(response).get("uri") or f"at://{self.did}/app.bsky.feed.post/{rkey}"
        return Receipt(
            remote_id=uri, url=f"{self.settings['app_url'].rstrip('/')}/profile/{self.settings['handle']}/post/{rkey}"
        )

    def _confirm_earlier_try(self, rkey: str, created_at: str) -> None:
        """InvalidSwap means a record already has this key: accept it only if an earlier try of this very
        attempt wrote it (same creation time); anything else is a collision to be looked at, not a success."""
        response = send(
            self.session,
            "GET",
            self.xrpc("com.atproto.repo.getRecord"),
            timeout=self.timeout,
            headers=self.auth,
            params={"repo": self.did, "collection": "app.bsky.feed.post", "rkey": rkey},
        )
        if _json(response).get("value", {}).get("createdAt") != created_at:
            raise Rejected(f"record key {rkey} already holds a different post; nothing was posted")

    def _thumb(self, file: str) -> dict | None:
        """Upload the lead image as the card's thumbnail, shrunk below 1,000,000 bytes; skip what cannot be."""
        if not file or not Path(file).is_file():
            return None
        kind = mimetypes.guess_type(file)[0] or ""
        data = Path(file).read_bytes()
        if kind not in THUMB_TYPES:
            return None  # e.g. SVG: Bluesky shows raster thumbnails only
        if len(data) > MAX_THUMB_BYTES:
            data, kind = shrink(data)
            if data is None:
                return None
        response = send(
            self.session,
            "POST",
            self.xrpc("com.atproto.repo.uploadBlob"),
            timeout=self.timeout,
            headers={**self.auth, "Content-Type": kind},
            data=data,
        )
        return _json(response).get("blob")


def shrink(data: bytes) -> tuple[bytes | None, str]:
    """Re-encode an image as JPEG, smaller each time, until it is under the thumbnail limit."""
    try:
        from PIL import Image
    except ImportError:
        return None, ""
    try:
        image = Image.open(BytesIO(data)).convert("RGB")
    except (OSError, ValueError):
        return None, ""
    width = min(image.width, 2000)
    for _ in range(8):
        image.thumbnail((width, width))
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=80, optimize=True)
        if buffer.tell() <= MAX_THUMB_BYTES:
            return buffer.getvalue(), "image/jpeg"
        width = int(width * 0.7)
    return None, ""


def facets(text: str) -> list[dict]:
    """Link and hashtag facets, with the UTF-8 byte offsets Bluesky requires (the server does not check them)."""
    found = []
    for match in URL.finditer(text):
        found.append(
            _facet(text, match.start(), match.end(), {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)})
        )
    for match in HASHTAG.finditer(text):
        found.append(
            _facet(
                text, match.start(), match.end(), {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(0)[1:]}
            )
        )
    return sorted(found, key=lambda facet: facet["index"]["byteStart"])


def record_key(key: str, started_at: str) -> str:
    """A valid TID (13 base32-sortable characters) that is the same for every try of one attempt and
    different for different attempts: the attempt's start second, then microseconds and a 10-bit clock id
    taken from its key (two attempts started in the same second collide with odds of one in a billion)."""
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    seconds = int(datetime.fromisoformat(started_at).timestamp())
    micros = seconds * 1_000_000 + digest % 1_000_000
    clock = (digest >> 64) % 1024
    value = ((micros & ((1 << 53) - 1)) << 10) | clock
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _facet(text: str, start: int, end: int, feature: dict) -> dict:
    byte_start = len(text[:start].encode("utf-8"))
    byte_end = byte_start + len(text[start:end].encode("utf-8"))
    return {"index": {"byteStart": byte_start, "byteEnd": byte_end}, "features": [feature]}


def _zulu(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise Rejected(f"the PDS answered {response.status_code} without JSON") from None
    return data if isinstance(data, dict) else {}
