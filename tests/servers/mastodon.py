"""A Mastodon instance on 127.0.0.1 that enforces what the real one documents for posting statuses.

Enforced: bearer token (401 otherwise); `status` required; the instance's character limit counted in
graphemes with every URL as 23 (422 otherwise); Idempotency-Key de-duplication for one hour (a repeat returns
the original status); X-RateLimit-* headers and 429 when the budget is spent. Faults (an HTTP error, "drop",
"hold") are scripted with `faults`, as for every server built on `loopback.LoopbackServer`.
"""

from __future__ import annotations

import time

import regex
from servers.loopback import Fault, LoopbackServer, Reply, Request

__all__ = ["Fault", "MastodonServer", "mastodon_length"]

URL = regex.compile(r"https?://[^\s<>\"]+")


def mastodon_length(text: str, url_weight: int = 23) -> int:
    position, total = 0, 0
    for match in URL.finditer(text):
        total += len(regex.findall(r"\X", text[position : match.start()])) + url_weight
        position = match.end()
    return total + len(regex.findall(r"\X", text[position:]))


class MastodonServer(LoopbackServer):
    def __init__(self, token: str = "test-token", max_characters: int = 500, rate_limit: int = 300):
        super().__init__()
        self.token = token
        self.max_characters = max_characters
        self.rate_limit = rate_limit
        self.statuses: list[dict] = []
        self.idempotency: dict[tuple[str, str], tuple[float, dict]] = {}

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
        return Reply(404, {"error": "Record not found"})

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
            if time.time() - created < 3600:
                return Reply(200, status, limits)
        number = 100000 + len(self.statuses) + 1
        status = {
            "id": str(number),
            "url": f"{self.url}/@larkspur/{number}",
            "uri": f"{self.url}/users/larkspur/statuses/{number}",
            "content": text,
            "visibility": data.get("visibility", "public"),
            "language": data.get("language"),
        }
        self.statuses.append(status)
        if key:
            self.idempotency[(self.token, key)] = (time.time(), status)
        return Reply(200, status, limits)
