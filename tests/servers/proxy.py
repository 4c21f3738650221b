"""An HTTP reverse proxy on 127.0.0.1 that forwards to a real server and can lose answers on purpose.

For one chosen path it can "drop" (forward the request, then close the connection without answering: an
unknown outcome), "down" (the same, and the proxy stops listening, so every later connection is refused until
`come_back()`) or "hold" (forward it, signal `received`, and keep the client waiting until released, so a
test can kill the client between the server's success and the client's ledger write).
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import requests
from servers.background import BackgroundServer


class FaultyProxy(BackgroundServer):
    def __init__(self, upstream: str):
        super().__init__(self._handler())
        self.upstream = upstream.rstrip("/")
        self.faults: dict[str, list[str]] = {}  # path -> actions for its next requests
        self.forwarded: list[str] = []

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                response = requests.request(
                    self.command, proxy.upstream + self.path, headers=headers, data=body, timeout=60
                )
                path = self.path.split("?")[0]
                proxy.forwarded.append(path)
                queue = proxy.faults.get(path, [])
                action = queue.pop(0) if queue else ""
                if action in ("drop", "down", "hold"):
                    if action == "down":
                        proxy.go_down()
                    if action == "hold":
                        proxy.received.set()
                        proxy.release.wait(60)
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            do_GET = do_POST = _forward

        return Handler
