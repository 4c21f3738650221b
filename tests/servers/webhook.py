"""A webhook receiver on 127.0.0.1 that checks the newsroom's signature the way docs/feeds.md tells receivers to,
with its own code (not the channel's): `t=<unix>,v1=<hex>` in X-Newsroom-Signature, HMAC-SHA256 of
"<t>." + raw body with the shared secret, the timestamp within 300 seconds of now (401 otherwise). A receiver
created with `deduplicate=True` answers a repeated X-Newsroom-Delivery with the first answer and keeps nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from servers.loopback import Fault, LoopbackServer, Reply, Request

__all__ = ["Fault", "WebhookReceiver"]


class WebhookReceiver(LoopbackServer):
    path = "/hooks/newsroom"

    def __init__(self, secret: str, deduplicate: bool = False, tolerance: int = 300):
        super().__init__()
        self.secret, self.deduplicate, self.tolerance = secret, deduplicate, tolerance
        self.deliveries: list[dict] = []  # {"headers", "body" (raw), "data" (parsed)}
        self.refused: list[str] = []
        self._answers: dict[str, dict] = {}

    @property
    def hook_url(self) -> str:
        return self.url + self.path

    def handle(self, request: Request) -> Reply:
        if request.method != "POST" or request.path != self.path:
            return Reply(404, {"error": "not found"})
        problem = self._check(request)
        if problem:
            self.refused.append(problem)
            return Reply(401, {"error": problem})
        delivery = request.header("X-Newsroom-Delivery")
        if self.deduplicate and delivery in self._answers:
            return Reply(200, self._answers[delivery])
        answer = {"id": f"rcv-{len(self.deliveries) + 1}"}
        self._answers[delivery] = answer
        self.deliveries.append({"headers": request.headers, "body": request.body, "data": json.loads(request.body)})
        return Reply(200, answer)

    def _check(self, request: Request) -> str:
        header = request.header("X-Newsroom-Signature")
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        if "t" not in parts or "v1" not in parts:
            return "no signature"
        if request.header("X-Newsroom-Timestamp") != parts["t"]:
            return "timestamp header differs from the signed one"
        if abs(time.time() - int(parts["t"])) > self.tolerance:
            return "timestamp outside the replay window"
        expected = hmac.new(self.secret.encode(), parts["t"].encode() + b"." + request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            return "bad signature"
        if not request.header("X-Newsroom-Delivery"):
            return "no delivery id"
        return ""
