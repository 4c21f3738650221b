"""An HTTP server on 127.0.0.1 (a free port) serving from a daemon thread for the length of a `with` block.

The test servers build on it: each gives it a request handler and keeps its own record of what arrived.
`received` and `release` are for servers that can hold a request until the test lets it go. `go_down()` and
`come_back()` stop and restart listening on the same port, keeping the server's state: while it is down, every
connection is refused, as from a platform whose server is down or restarting.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class BackgroundServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler], poll_interval: float = 0.5) -> None:
        self.received = threading.Event()
        self.release = threading.Event()
        self._poll_interval = poll_interval
        self._listen(handler, 0)

    def _listen(self, handler: type[BaseHTTPRequestHandler], port: int) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(self._poll_interval,), daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self._thread.start()
        return self

    def go_down(self) -> None:
        """Stop listening: from now on every connection is refused (callable from a request handler)."""
        self._server.shutdown()
        self._server.server_close()

    def come_back(self) -> None:
        """Listen again on the same port, with the state the server had."""
        self._listen(self._server.RequestHandlerClass, self.port)
        self._thread.start()

    def __exit__(self, *exc) -> None:
        self.release.set()  # a held request must not keep shutdown() waiting
        self._server.shutdown()
        self._server.server_close()
