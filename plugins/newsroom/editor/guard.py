"""The door in front of the local git proxy: only the editor's own page, at this machine's address, gets through.

decap-server writes whatever file a request names inside the repository, `.git/config` included (and a git
setting such as core.fsmonitor is a command git runs), and it looks at neither the Host nor the Origin of a
request: its CORS headers tell a browser what a page may read, not what the server accepts. So any web page the
writer opens could reach it, by DNS rebinding (a name of the page's own that turns into 127.0.0.1: the browser
then treats the proxy as the page's own server) or by a request a browser sends cross-site without asking. This
door answers only requests addressed to this machine by its own name (Host: 127.0.0.1 or localhost, with the
door's port), and, when a browser says which page sent them (Origin), from the editor's page alone; everything
else is refused with 403 before decap-server sees it.
"""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsroom.kit.loopback import addressed_here

# Headers that belong to one connection, not to the request: never passed on (RFC 9110, section 7.6.1).
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"}
)


def allowed(host: str, origin: str | None, port: int, editor_origin: str) -> str | None:
    """None when a request with these headers may reach the proxy; else why it may not (one line)."""
    if not addressed_here(host, port):
        return f"addressed to {host or 'no host'!r}, not to this machine's 127.0.0.1:{port}"
    if origin is not None and origin != editor_origin:
        return f"sent by the page {origin!r}, not by the editor ({editor_origin})"
    return None


class ProxyGuard:
    """Listens on 127.0.0.1:`port` and passes what `allowed` lets through to decap-server on `upstream`."""

    def __init__(self, port: int, upstream: int, editor_origin: str, host: str = "127.0.0.1"):
        self.port, self.upstream, self.editor_origin = port, upstream, editor_origin
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="editor-proxy-guard", daemon=True)

    def start(self) -> ProxyGuard:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        guard = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                refused = allowed(
                    self.headers.get("Host", ""), self.headers.get("Origin"), guard.port, guard.editor_origin
                )
                if refused is not None:
                    self._answer(403, {"Content-Type": "application/json"}, json.dumps({"error": refused}).encode())
                    return
                headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
                connection = http.client.HTTPConnection("127.0.0.1", guard.upstream, timeout=120)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                    kept = {key: value for key, value in response.getheaders() if key.lower() not in HOP_BY_HOP}
                    self._answer(response.status, kept, answer)
                except OSError as error:
                    self._answer(
                        502, {"Content-Type": "text/plain"}, f"the local proxy did not answer ({error})".encode()
                    )
                finally:
                    connection.close()

            def _answer(self, status: int, headers: dict, body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _relay

            def log_message(self, *args) -> None:  # decap-server logs what it does; the door is quiet
                pass

        return Handler
