"""A WebSub hub on 127.0.0.1 that records every publish ping; it can hold a ping (answer only when released)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class WebSubHub:
    def __init__(self) -> None:
        self.pinged: list[str] = []  # feed URLs, in the order the hub accepted them
        self.hold = False  # when True, the next ping waits until `release` is set
        self.received = threading.Event()
        self.release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> WebSubHub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

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
