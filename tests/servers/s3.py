"""A real S3-compatible server on 127.0.0.1: moto's server mode (its WSGI app under werkzeug), in a thread.

It can "hold" the PUT of a chosen object: the object is stored, then the answer waits until released, so a
test can kill a deploy that is in flight. It can also answer chosen requests with an S3 error of the test's
choosing (`fault`), as a failing or odd S3-compatible service would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import boto3
import requests
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

CREDENTIALS = {"aws_access_key_id": "testing-key-id", "aws_secret_access_key": "testing-secret-key"}


class _QuietHandler(MotoRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class S3Server:
    def __init__(self) -> None:
        self.hold_keys: set[str] = set()  # object keys whose PUT answer waits for `release`
        self.received = threading.Event()
        self.release = threading.Event()
        self.puts: list[str] = []
        # (method, key) -> (HTTP status, S3 error code, message) to answer instead of the real answer, or None
        self.fault: Callable[[str, str], tuple[int, str, str] | None] = lambda method, key: None
        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server("127.0.0.1", 0, self._middleware(app), threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> S3Server:
        self._thread.start()
        requests.post(f"{self.url}/moto-api/reset", timeout=10)  # moto's state is per process: start clean
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", **CREDENTIALS)

    def objects(self, bucket: str, prefix: str = "") -> dict[str, bytes]:
        """Every object in the bucket under `prefix`: key -> bytes."""
        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        return found

    def _middleware(self, app):
        server = self

        def middleware(environ, start_response):
            key = environ.get("PATH_INFO", "").split("/", 2)[-1]
            fault = server.fault(environ["REQUEST_METHOD"], key)
            if fault is not None:
                return _error(start_response, *fault)
            if environ["REQUEST_METHOD"] != "PUT":
                return app(environ, start_response)
            server.puts.append(key)
            response = app(environ, start_response)
            if key in server.hold_keys:
                server.received.set()
                server.release.wait(60)
            return response

        return middleware


def _error(start_response, status: int, code: str, message: str) -> list[bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message>'
        "<RequestId>1</RequestId></Error>"
    ).encode()
    start_response(f"{status} Error", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]
