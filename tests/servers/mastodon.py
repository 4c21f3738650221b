"""A Mastodon instance on 127.0.0.1 that enforces what the real one documents for posting statuses.

Enforced: bearer token (401 otherwise); `status` required; the instance's character limit counted as
Mastodon's StatusLengthValidator counts it: graphemes, every URL twitter-text finds without a protocol-less
match counting 23, so trailing `).` counts as text (422 otherwise); Idempotency-Key de-duplication for one hour
of the instance's clock, after which the key is forgotten and a repeat posts again; X-RateLimit-* headers and
429 when the budget is spent. A status's `content` is HTML, as Mastodon's text formatter makes it: paragraphs,
each URL a link (`<a href>` with its scheme in an invisible span), each hashtag a link to the instance's tag
page with the class `mention hashtag`; each mention (Account::MENTION_RE) is in the status's `mentions`, the
accounts Mastodon notifies; `text_of(status)` gives what was posted. Reading back:
`verify_credentials` and the account's statuses, newest first,
`limit` (at most 40) and `max_id` paging. `advance(seconds)` moves the instance's clock (an outage longer than
the idempotency window, or a clock that differs from the runner's; its Date header follows it), `forget_keys()`
ends the window alone. Faults (an HTTP error, "drop", "down", "hold") are scripted with `faults`, as for every
server built on `loopback.LoopbackServer`.
"""

from __future__ import annotations

import html
import re
import time
import warnings

import regex
from servers.loopback import Fault, LoopbackServer, Reply, Request

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from twitter_text import extract_urls_with_indices

__all__ = ["Fault", "MastodonServer", "mastodon_length"]

IDEMPOTENCY_SECONDS = 3600
ACCOUNT_ID = "109000000000000001"


def mastodon_length(text: str, url_weight: int = 23) -> int:
    position, total = 0, 0
    for url in extract_urls_with_indices(text, extract_urls_without_protocol=False):
        start, end = url["indices"]
        total += len(regex.findall(r"\X", text[position:start])) + url_weight
        position = end
    return total + len(regex.findall(r"\X", text[position:]))


HASHTAG = re.compile(r"(?<![\w/#])#(\w+)")
# Account::MENTION_RE: `@user` or `@user@domain`, not after "=", "/" or a word character ([[:word:]] is Unicode's).
MENTION = re.compile(r"(?<![=/\w])@(([a-z0-9_]+)(?:@[\w.\-]+\w+)?)", re.IGNORECASE)


def as_html(text: str, instance: str) -> str:
    """`text` as Mastodon's TextFormatter returns it in a status's `content`."""
    parts, position = [], 0
    for url in extract_urls_with_indices(text, extract_urls_without_protocol=False):
        start, end = url["indices"]
        parts.append(_escaped_with_hashtags(text[position:start], instance))
        scheme, _, rest = url["url"].partition("://")
        parts.append(
            f'<a href="{html.escape(url["url"])}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
            f'<span class="invisible">{scheme}://</span><span class="">{html.escape(rest)}</span></a>'
        )
        position = end
    parts.append(_escaped_with_hashtags(text[position:], instance))
    paragraphs = "".join(parts).split("\n\n")
    return "".join(f"<p>{paragraph.replace(chr(10), '<br />')}</p>" for paragraph in paragraphs)


def _escaped_with_hashtags(text: str, instance: str) -> str:
    return HASHTAG.sub(
        lambda tag: (
            f'<a href="{instance}/tags/{tag[1].lower()}" class="mention hashtag" rel="tag">#<span>{tag[1]}</span></a>'
        ),
        html.escape(text, quote=False),
    )


class MastodonServer(LoopbackServer):
    def __init__(self, token: str = "test-token", max_characters: int = 500, rate_limit: int = 300):
        super().__init__()
        self.token = token
        self.max_characters = max_characters
        self.rate_limit = rate_limit
        self.statuses: list[dict] = []
        self.texts: dict[str, str] = {}  # status id -> the text posted (the API gives its HTML, `content`)
        self.idempotency: dict[tuple[str, str], tuple[float, dict]] = {}
        self.offset = 0.0  # seconds the instance's clock is ahead of the real one

    def text_of(self, status: dict) -> str:
        return self.texts[status["id"]]

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def forget_keys(self) -> None:
        """An hour has passed for the keys, not for the clocks: every Idempotency-Key is forgotten."""
        self.idempotency.clear()

    def handle(self, request: Request) -> Reply:
        if request.method == "GET" and request.path == "/api/v2/instance":
            return Reply(
                200,
                {
                    "domain": "127.0.0.1",
                    "configuration": {
                        "statuses": {"max_characters": self.max_characters, "characters_reserved_per_url": 23}
                    },
                },
            )
        if request.method == "POST" and request.path == "/api/v1/statuses":
            return self._post_status(request)
        if request.method == "GET" and request.path.startswith("/api/v1/accounts/"):
            if request.header("Authorization") != f"Bearer {self.token}":
                return Reply(401, {"error": "The access token is invalid"})
            if request.path == "/api/v1/accounts/verify_credentials":
                return Reply(200, {"id": ACCOUNT_ID, "username": "larkspur", "acct": "larkspur"})
            if request.path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
                return Reply(200, self._statuses_page(request.query))
        return Reply(404, {"error": "Record not found"})

    def _statuses_page(self, query: dict[str, str]) -> list[dict]:
        limit = min(int(query.get("limit", 20)), 40)
        newest_first = sorted(self.statuses, key=lambda status: int(status["id"]), reverse=True)
        if "max_id" in query:
            newest_first = [status for status in newest_first if int(status["id"]) < int(query["max_id"])]
        return newest_first[:limit]

    def _post_status(self, request: Request) -> Reply:
        remaining = self.rate_limit - len(self.statuses)
        limits = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 3)),
        }
        if request.header("Authorization") != f"Bearer {self.token}":
            return Reply(401, {"error": "The access token is invalid"})
        if remaining <= 0:
            return Reply(429, {"error": "Too many requests"}, limits)
        data = request.json() if "json" in request.header("Content-Type") else request.form
        text = data.get("status", "")
        if not text.strip():
            return Reply(422, {"error": "Validation failed: Text can't be blank"})
        if mastodon_length(text) > self.max_characters:
            return Reply(422, {"error": f"Validation failed: Text character limit of {self.max_characters} exceeded"})
        key = request.header("Idempotency-Key")
        if key and (self.token, key) in self.idempotency:
            created, status = self.idempotency[(self.token, key)]
            if self.now() - created < IDEMPOTENCY_SECONDS:
                return Reply(200, status, limits)
        number = 100000 + len(self.statuses) + 1
        status = {
            "id": str(number),
            "url": f"{self.url}/@larkspur/{number}",
            "uri": f"{self.url}/users/larkspur/statuses/{number}",
            "content": as_html(text, self.url),
            "mentions": [{"acct": mention.group(1)} for mention in MENTION.finditer(text)],
            "visibility": data.get("visibility", "public"),
            "language": data.get("language"),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(self.now())),
        }
        self.statuses.append(status)
        self.texts[status["id"]] = text
        if key:
            self.idempotency[(self.token, key)] = (self.now(), status)
        return Reply(200, status, limits)
