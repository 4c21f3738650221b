"""The common part of the platform servers on 127.0.0.1: a ThreadingHTTPServer in a thread that keeps every
request it received and can be told how to fail the next ones.

A platform server subclasses `LoopbackServer` and implements `handle(request) -> Reply` with that platform's
documented rules. Scripted faults apply to the next request that changes something (or, with `on`, to the next
one whose path ends with that text): an HTTP answer instead of the work, or "drop" (do the work, then close the
connection without answering), "down" (do the work, then stop listening and close the connection: the answer is
lost and every later connection is refused until `come_back()`), "hold" (do the work, then wait until
released: for tests that kill the client mid-request), "acted" (do the work, then answer the fault's status
instead of the work's: a gateway whose upstream carried the request out, then failed it) or "garble" (do the
work, then write bytes that are neither TLS nor HTTP, and close: a connection corrupted after the request went).
`serve_tls(cert, key)` makes it an https server. Request lines are never logged: a webhook's path or query is its secret.
"""

from __future__ import annotations

import email.utils
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from servers.background import BackgroundServer


@dataclass
class Fault:
    status: int = 0
    body: object = None  # a dict or list is sent as JSON, a str as text
    headers: dict = field(default_factory=dict)
    action: str = ""  # "drop", "down", "hold", "acted" or "garble"
    on: str = ""  # only for a request whose path ends with this


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode("utf-8")).items()}

    def header(self, name: str) -> str:
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), "")


@dataclass
class Reply:
    status: int
    body: object = None
    headers: dict = field(default_factory=dict)


class LoopbackServer(BackgroundServer):
    def __init__(self) -> None:
        super().__init__(self._handler(), poll_interval=0.05)  # `received` is set when a "hold" fault has done its work
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.replies: list[Reply] = []
        self.lock = threading.RLock()

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def now(self) -> float:
        """The server's clock (epoch seconds), as its Date header says it; a platform server may move it."""
        return time.time()

    def serve_tls(self, cert, key) -> str:
        """Answer over TLS with this certificate (call before `with`); returns the https address."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        return self.url.replace("http://", "https://")

    def _fault_for(self, request: Request) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if (fault.on and request.path.endswith(fault.on)) or (not fault.on and request.method != "GET"):
                return self.faults.pop(index)
        return None

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # the request line may hold a secret
                pass

            def date_time_string(self, timestamp=None):  # the Date header, by the server's own clock
                return email.utils.formatdate(server.now() if timestamp is None else timestamp, usegmt=True)

            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def _serve(self):
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Request(
                    self.command,
                    parts.path,
                    {key: values[0] for key, values in parse_qs(parts.query).items()},
                    dict(self.headers),
                    body,
                )
                with server.lock:
                    server.requests.append(request)
                    fault = server._fault_for(request)
                    if fault and fault.status and fault.action != "acted":
                        return self._answer(Reply(fault.status, fault.body, fault.headers))
                    reply = server.handle(request)
                if fault and fault.action == "acted":
                    return self._answer(Reply(fault.status, fault.body, fault.headers))
                if fault and fault.action == "garble":
                    socket.socket.sendall(self.connection, b"\x00garbled, neither TLS nor HTTP\r\n\r\n")  # past TLS
                    self.close_connection = True
                    return None
                if fault and fault.action in ("drop", "down"):
                    if fault.action == "down":
                        server.go_down()
                    self.close_connection = True  # done, but the client never hears so
                    return None
                if fault and fault.action == "hold":
                    server.received.set()
                    server.release.wait(30)
                    self.close_connection = True
                    return None
                return self._answer(reply)

            def _answer(self, reply: Reply):
                server.replies.append(reply)
                if isinstance(reply.body, dict | list):
                    data, kind = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
                else:
                    data, kind = str(reply.body or "").encode(), "text/plain; charset=utf-8"
                self.send_response(reply.status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
