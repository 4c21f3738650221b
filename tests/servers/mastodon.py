"""A Mastodon instance on 127.0.0.1 that enforces what the real one documents for posting statuses.

Enforced: bearer token (401 otherwise); `status` required; the instance's character limit counted in
graphemes with every URL as 23 (422 otherwise); Idempotency-Key de-duplication for one hour (a repeat returns
the original status); X-RateLimit-* headers and 429 when the budget is spent. Faults can be scripted for the
next POSTs: an HTTP error, or "drop" (create the status, then close the connection without answering), or
"hold" (create it and wait until released, for tests that kill the client mid-request).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import regex

URL = regex.compile(r"https?://[^\s<>\"]+")


def mastodon_length(text: str, url_weight: int = 23) -> int:
    position, total = 0, 0
    for match in URL.finditer(text):
        total += len(regex.findall(r"\X", text[position : match.start()])) + url_weight
        position = match.end()
    return total + len(regex.findall(r"\X", text[position:]))


@dataclass
class Fault:
    status: int = 0  # an HTTP error to answer with
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    action: str = ""  # "drop" or "hold"


class MastodonServer:
    def __init__(self, token: str = "test-token", max_characters: int = 500, rate_limit: int = 300):
        self.token = token
        self.max_characters = max_characters
        self.rate_limit = rate_limit
        self.statuses: list[dict] = []
        self.requests: list[dict] = []  # every POST as received: headers and body
        self.faults: list[Fault] = []
        self.idempotency: dict[tuple[str, str], tuple[float, dict]] = {}
        self.received = threading.Event()  # set when a "hold" fault has created its status
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> MastodonServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def _post_status(self, headers, raw: bytes) -> tuple[int, dict, dict, str]:
        """Returns (status, body, extra headers, action)."""
        remaining = self.rate_limit - len(self.statuses)
        limit_headers = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 3)),
        }
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": "The access token is invalid"}, {}, ""
        if remaining <= 0:
            return 429, {"error": "Too many requests"}, limit_headers, ""
        if "json" in headers.get("Content-Type", ""):
            data = json.loads(raw or b"{}")
        else:
            data = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        text = data.get("status", "")
        if not text.strip():
            return 422, {"error": "Validation failed: Text can't be blank"}, {}, ""
        if mastodon_length(text) > self.max_characters:
            return 422, {"error": f"Validation failed: Text character limit of {self.max_characters} exceeded"}, {}, ""
        key = headers.get("Idempotency-Key")
        if key and (self.token, key) in self.idempotency:
            created, status = self.idempotency[(self.token, key)]
            if time.time() - created < 3600:
                return 200, status, limit_headers, ""
        number = len(self.statuses) + 1
        status = {
            "id": str(100000 + number),
            "url": f"{self.url}/@larkspur/{100000 + number}",
            "uri": f"{self.url}/users/larkspur/statuses/{100000 + number}",
            "content": text,
            "visibility": data.get("visibility", "public"),
            "language": data.get("language"),
        }
        self.statuses.append(status)
        if key:
            self.idempotency[(self.token, key)] = (time.time(), status)
        return 200, status, limit_headers, ""

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/api/v2/instance":
                    self._answer(
                        200,
                        {
                            "domain": "127.0.0.1",
                            "configuration": {
                                "statuses": {"max_characters": server.max_characters, "characters_reserved_per_url": 23}
                            },
                        },
                    )
                else:
                    self._answer(404, {"error": "Record not found"})

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/api/v1/statuses":
                    return self._answer(404, {"error": "Record not found"})
                with server._lock:
                    server.requests.append({"headers": dict(self.headers), "body": raw.decode()})
                    fault = server.faults.pop(0) if server.faults else None
                    if fault and fault.status:
                        return self._answer(fault.status, fault.body, fault.headers)
                    status, body, headers, _ = server._post_status(self.headers, raw)
                if fault and fault.action == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault and fault.action == "hold":
                    server.received.set()
                    server.release.wait(30)
                    self.close_connection = True
                    self.connection.close()
                    return
                self._answer(status, body, headers)

        return Handler
