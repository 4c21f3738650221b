"""A client for `pagefind --service`: Pagefind's indexer as a long-running process that takes pages one at a time.

The pagefind package's own Python API talks to the same service but reads one response per 0.1 s (it polls), so
indexing 5,000 pages through it takes over eight minutes. This client writes requests as they come and reads the
responses on a thread of its own, so the service parses pages on the second core while the build renders more.

The protocol (the service of the pinned Pagefind version): each message is base64 of a JSON object
`{"message_id": n, "payload": {...}}` followed by a comma, in both directions.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
from pathlib import Path

from newsroom.kit.errors import NewsroomError


class PagefindServiceError(NewsroomError):
    """The service could not start, stopped, or refused a request; the message says which."""


class PagefindService:
    """One `pagefind --service` process holding one index; use it as a context manager."""

    def __init__(self, working_dir: Path, config: dict):
        from pagefind.service import get_executable  # late: a build without search never needs it

        executable = get_executable()
        if executable is None:
            raise PagefindServiceError("Pagefind is not installed (expected `pip install -r requirements.txt`)")
        try:
            # The service resolves each page's path, and so its URL, against its working folder.
            self._process = subprocess.Popen(
                [str(executable), "--service"],
                cwd=working_dir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise PagefindServiceError(f"Pagefind could not run ({error})") from None
        self._sent = 0
        self._answered = threading.Condition()
        self._responses: dict[int, dict] = {}
        self._closed = False
        self._reader = threading.Thread(target=self._read_responses, name="pagefind-responses", daemon=True)
        self._reader.start()
        self._index_id = self.request({"type": "NewIndex", "config": config})["index_id"]

    def add_html(self, relative_path: str, html: str) -> int:
        """Send one page (its path under the site folder gives its URL) without waiting; returns its message id."""
        return self._send(
            {
                "type": "AddFile",
                "index_id": self._index_id,
                "file_path": relative_path,
                "url": None,
                "file_contents": html,
            }
        )

    def get_files(self) -> dict[str, bytes]:
        """Wait for every page sent so far, then build the index: {path under the bundle folder: bytes}.

        The files come back in the response rather than being written by the service: its WriteFiles answers
        before the writes have reached the disk, so a file could still be empty when the service is stopped."""
        self.wait_all()
        files = self.request({"type": "GetFiles", "index_id": self._index_id})["files"]
        return {file["path"]: base64.b64decode(file["content"]) for file in files}

    @property
    def requests_sent(self) -> int:
        """How many requests this index has been sent: an index built earlier is current while this is unchanged."""
        return self._sent

    def request(self, payload: dict) -> dict:
        return self._wait(self._send(payload))

    def wait_all(self) -> None:
        """Wait for the answer to every request sent; the first refusal raises."""
        for message_id in range(1, self._sent + 1):
            self._wait(message_id)

    def close(self) -> None:
        self._closed = True
        if self._process.stdin:
            # Closing flushes what is left to send; to a service that has died that fails, and must not hide why
            # it was being closed (the error being raised says that).
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        self._process.terminate()
        self._process.wait()
        self._reader.join(timeout=5)

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise PagefindServiceError(f"Pagefind stopped (exit code {self._process.poll()})") from None
        return self._sent

    def _wait(self, message_id: int) -> dict:
        with self._answered:
            self._answered.wait_for(lambda: message_id in self._responses or self._process.poll() is not None)
            payload = self._responses.get(message_id)
        if payload is None:
            raise PagefindServiceError(f"Pagefind stopped (exit code {self._process.poll()})")
        if payload.get("type") == "Error":
            raise PagefindServiceError(f"Pagefind refused a request: {payload.get('message')}")
        return payload

    def _read_responses(self) -> None:
        stream, pending = self._process.stdout, []
        while chunk := stream.read1(1 << 16):
            *complete, rest = chunk.split(b",")
            if complete:  # the bundle's files come in one message of many megabytes: join its chunks once
                self._received([b"".join([*pending, complete[0]]), *complete[1:]])
                pending = []
            pending.append(rest)
        with self._answered:  # the service ended: wake anyone still waiting
            self._answered.notify_all()

    def _received(self, messages: list[bytes]) -> None:
        with self._answered:
            for message in messages:
                response = json.loads(base64.b64decode(message))
                # A message the service could not parse comes back without its id, inside the error.
                message_id = response.get("message_id")
                if message_id is None:
                    original = response["payload"].get("original_message") or "{}"
                    message_id = json.loads(original).get("message_id")
                self._responses[message_id] = response["payload"]
            self._answered.notify_all()
