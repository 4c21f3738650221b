"""Bluesky (AT Protocol): one session per run, a post record with link and hashtag facets and a link card.

Exactly once: the record key is a TID derived from the attempt key alone, which is itself derived from
(post, channel, generation), and it is written with `putRecord` and `swapRecord: null`. Every repeat, in this
run or any later one, whatever the ledger remembers, targets the same record: the PDS answers 400 InvalidSwap
instead of storing a second post. After an unknown outcome the record is read back by that key first.

Facets follow the official client's detection (`@atproto/api` rich-text): a link is one of the text's links
(`text.links`, the same ones no cut goes inside) that starts at the start of the text, after a space or after `(`;
a tag starts after the start of the text or a space (so never inside a link) and drops trailing punctuation.
Offsets are UTF-8 bytes.
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime
from io import BytesIO
from pathlib import Path

import regex
import requests

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.syndication.channel import Attempt, Message, Receipt, Rejected
from newsroom.syndication.channel_types import BLUESKY
from newsroom.syndication.http import HttpChannel, outcome_for, send
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, grapheme_count, hashtags, links, utf8_length, within

MAX_GRAPHEMES, MAX_BYTES = 300, 3000
MAX_THUMB_BYTES = 1_000_000
THUMB_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
FACET = "app.bsky.richtext.facet"
# What may come right before a link Bluesky's client detects: the start of the text, a space or "(".
LINK_OPENERS = regex.compile(r"[\s(]")
INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"  # zero-width characters a tag must not include
TAG = regex.compile(
    rf"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s{INVISIBLE}]*[^\d\s\p{{P}}{INVISIBLE}]+[^\s{INVISIBLE}]*)", regex.VERSION1
)
TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
MAX_TAG_UTF16 = 64
# Record keys are TIDs whose time part lies in this past span, so they never claim to come from the future.
TID_EPOCH_MICROS, TID_SPAN_MICROS = 1_672_531_200_000_000, 2 * 365 * 86_400_000_000  # 2023-01-01, two years


class BlueskyChannel(HttpChannel):
    channel_type = BLUESKY
    safe_to_retry = True
    reads_back = True
    length_unit = f"graphemes (and at most {MAX_BYTES} bytes)"

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
        # The session's tokens post as the account until they expire: secrets like the app password that got them.
        SECRETS_IN_USE.hide([data.get("accessJwt", ""), data.get("refreshJwt", "")])
        self.did = data["did"]
        self.auth = {"Authorization": f"Bearer {data['accessJwt']}"}

    def render(self, post: PublishedPost) -> Message:
        custom = post.custom_text(self.name)
        tags = hashtags(post.tags) if self.settings["hashtags"] else ""
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
        rkey = record_key(attempt.key)
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
            earlier = self.find_earlier(message, attempt)  # a record has this key: it must be this post's
            if earlier is None:
                raise Rejected(f"record key {rkey} already holds a different post; nothing was posted")
            return earlier
        return self._receipt(rkey)

    def find_earlier(self, message: Message, attempt: Attempt) -> Receipt | None:
        """The record at this attempt's key, if one is there and announces this post (links to it). An attempt
        begun before record keys depended on the attempt key alone is also looked for at its old key."""
        link = message.extras["card"]["uri"]
        announced = {link, attempt.link} - {""}  # the post's address then, and now if it was edited since
        for rkey in (record_key(attempt.key), *_legacy_record_keys(attempt)):
            response = send(
                self.session,
                "GET",
                self.xrpc("com.atproto.repo.getRecord"),
                timeout=self.timeout,
                headers=self.auth,
                params={"repo": self.did, "collection": "app.bsky.feed.post", "rkey": rkey},
                ok=(200, 400),
            )
            if response.status_code == 400:
                if _json(response).get("error") == "RecordNotFound":
                    continue
                raise outcome_for(response)
            value = _json(response).get("value", {})
            links = {feature.get("uri") for facet in value.get("facets", []) for feature in facet.get("features", [])}
            if value.get("embed", {}).get("external", {}).get("uri") not in announced and not announced & links:
                raise Rejected(f"record key {rkey} holds a post that does not link to {link}; check the account")
            return self._receipt(rkey)
        return None

    def _receipt(self, rkey: str) -> Receipt:
        return Receipt(
            remote_id=f"at://{self.did}/app.bsky.feed.post/{rkey}",
            url=f"{self.settings['app_url'].rstrip('/')}/profile/{self.settings['handle']}/post/{rkey}",
        )

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
    """Link and tag facets as Bluesky's own client detects them, with UTF-8 byte offsets (the PDS checks none
    of this). Facets never overlap: a tag needs a space before it, which no link contains."""
    found = []
    for start, end in links(text):
        if start == 0 or LINK_OPENERS.fullmatch(text[start - 1]):
            found.append(_facet(text, start, end, {"$type": f"{FACET}#link", "uri": text[start:end]}))
    for match in TAG.finditer(text):
        tag = TRAILING_PUNCTUATION.sub("", match.group(1).strip())
        if not tag or len(tag.encode("utf-16-le")) // 2 > MAX_TAG_UTF16:
            continue
        found.append(_facet(text, match.start(), match.start() + 1 + len(tag), {"$type": f"{FACET}#tag", "tag": tag}))
    return sorted(found, key=lambda facet: facet["index"]["byteStart"])


def record_key(key: str) -> str:
    """A valid TID (13 base32-sortable characters) that depends on the attempt key alone: the same for every
    try of (post, channel, generation), in any run, and different for any other (odds of a clash: 1 in 2^55)."""
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return _tid(TID_EPOCH_MICROS + digest % TID_SPAN_MICROS, (digest >> 128) % 1024)


def _tid(micros: int, clock: int) -> str:
    """atproto.com/specs/tid: a zero bit, 53 bits of microseconds, 10 bits of clock id, in sortable base32."""
    value = ((micros & ((1 << 53) - 1)) << 10) | clock
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _legacy_record_keys(attempt: Attempt) -> list[str]:
    """The record key an attempt got from earlier versions (its start second mixed in), so that an attempt left
    pending across the upgrade is still found instead of being posted again under its new key."""
    try:
        seconds = int(datetime.fromisoformat(attempt.started_at).timestamp())
    except ValueError:
        return []
    digest = int(hashlib.sha256(attempt.key.encode()).hexdigest(), 16)
    return [_tid(seconds * 1_000_000 + digest % 1_000_000, (digest >> 64) % 1024)]


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
