"""A WebSub hub on 127.0.0.1 that records every publish ping; it can hold a ping (answer only when released)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from servers.background import BackgroundServer


class WebSubHub(BackgroundServer):
    def __init__(self) -> None:
        super().__init__(self._handler())
        self.pinged: list[str] = []  # feed URLs, in the order the hub accepted them
        self.hold = False  # when True, the next ping sets `received` and waits until `release` is set

    @property
    def url(self) -> str:
        return f"{super().url}/"

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                fields = {key: values[0] for key, values in parse_qs(body).items()}
                if fields.get("hub.mode") != "publish" or not fields.get("hub.url"):
                    self.send_response(400)
                    self.end_headers()
                    return
                if hub.hold:
                    hub.received.set()
                    hub.release.wait(60)
                hub.pinged.append(fields["hub.url"])
                self.send_response(204)
                self.end_headers()

        return Handler
