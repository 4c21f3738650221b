"""A client for `pagefind --service`: Pagefind's indexer as a long-running process that takes pages one at a time.

The pagefind package's own Python API talks to the same service but reads one response per 0.1 s (it polls), so
indexing 5,000 pages through it takes over eight minutes. This client writes requests as they come and reads the
responses on a thread of its own, so the service parses pages on the second core while the build renders more.

The protocol (the service of the pinned Pagefind version): each message is base64 of a JSON object
`{"message_id": n, "payload": {...}}` followed by a comma, in both directions.

Memory matters here because the build's peak is reached while the pieces' indexes come back: an index's files
come in one message, the files' bytes as base64 inside base64, some 10 MB a piece at 5,000 posts, two pieces at
a time. So the message is decoded as it arrives (Frames), each file is decoded as the one before it is let go,
and an answer nobody will read (a page indexed) is not kept.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from newsroom.kit.errors import NewsroomError


class PagefindServiceError(NewsroomError):
    """The service could not start, stopped, or refused a request; the message says which."""


# How long the service may stay silent, counted from the later of its last word and the last request sent, while
# an answer is awaited, before it is taken as hung and stopped. Its longest silence is building a piece's index:
# about 2 s for 1,200 pages on a two-core machine, 10 s for 5,000; ten minutes is far beyond any of them and well
# within a CI job's limit, which would otherwise end a hung build with no word of why.
SILENCE_LIMIT = 600.0
# How long a stopped service has to exit before it is killed (a service that is itself stopped, SIGSTOP, or
# stuck, does not act on SIGTERM).
EXIT_GRACE = 5.0

# What is kept of an answer no caller reads (a page indexed): that it came and was not a refusal.
_ACKNOWLEDGED: Mapping[str, str] = MappingProxyType({"type": "Acknowledged"})


class Frames:
    """The service's messages out of the bytes it writes, in whatever chunks they arrive: `feed` returns each
    message completed so far, decoded from base64 (the JSON text).

    Each chunk is decoded as it comes, so an unfinished message is held once, decoded (three bytes for every four
    sent), never as its base64 too: a message of many megabytes (an index's files) costs no more than its JSON."""

    def __init__(self) -> None:
        self._decoded = bytearray()  # the unfinished message, decoded so far
        self._undecoded = b""  # its last base64 characters: fewer than four, which decode only with what follows

    def feed(self, chunk: bytes) -> list[bytearray]:
        *ended, rest = chunk.split(b",")
        messages = []
        for part in ended:
            self._decode(part, ends_message=True)
            messages.append(self._decoded)
            self._decoded = bytearray()
        self._decode(rest, ends_message=False)
        return messages

    @property
    def unfinished(self) -> int:
        """How many bytes of a message not yet ended by its comma are held."""
        return len(self._decoded) + len(self._undecoded)

    def _decode(self, part: bytes, *, ends_message: bool) -> None:
        text = self._undecoded + part
        whole = len(text) if ends_message else len(text) - len(text) % 4
        self._decoded += base64.b64decode(text[:whole], validate=True)  # a stray byte is an error, not skipped
        self._undecoded = text[whole:]


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
        self._responses: dict[int, dict] = {}  # by message id; _ACKNOWLEDGED for an answer not to be read
        self._read: set[int] = set()  # the requests whose whole answer a caller will read
        self._unreadable: str | None = None  # why the service's answers could not be read, once they could not
        self._closed = False
        self._last_heard = self._last_sent = time.monotonic()  # for SILENCE_LIMIT
        self._reader = threading.Thread(target=self._read_responses, name="pagefind-responses", daemon=True)
        self._reader.start()
        try:
            self._index_id = self.request({"type": "NewIndex", "config": config})["index_id"]
        except BaseException:
            self.close()  # a service that cannot start an index is not left running
            raise

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
        # Each file's base64 is let go as its bytes are made: the index is never held twice over.
        return {file["path"]: base64.b64decode(file.pop("content")) for file in files}

    @property
    def requests_sent(self) -> int:
        """How many requests this index has been sent: an index built earlier is current while this is unchanged."""
        return self._sent

    def request(self, payload: dict) -> Mapping:
        """Send `payload` and wait for its answer, which the service forgets once returned."""
        message_id = self._send(payload, read=True)
        answer = self._wait(message_id)
        with self._answered:
            self._responses[message_id] = _ACKNOWLEDGED
        return answer

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
        try:
            self._process.wait(timeout=EXIT_GRACE)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _send(self, payload: dict, *, read: bool = False) -> int:
        self._sent += 1
        if read:
            self._read.add(self._sent)
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise PagefindServiceError(f"Pagefind stopped (exit code {self._process.poll()})") from None
        self._last_sent = time.monotonic()
        return self._sent

    def _wait(self, message_id: int) -> Mapping:
        with self._answered:
            while not (message_id in self._responses or self._unreadable or self._process.poll() is not None):
                silent = time.monotonic() - max(self._last_heard, self._last_sent)
                if silent >= SILENCE_LIMIT:
                    break
                self._answered.wait(SILENCE_LIMIT - silent)
            payload = self._responses.get(message_id)
        if payload is None and not self._unreadable and self._process.poll() is None:
            self.close()
            raise PagefindServiceError(
                f"Pagefind gave no answer for {SILENCE_LIMIT:.0f} s and was stopped (expected one within seconds; "
                "run the build again, and should it hang again, reinstall Pagefind: pip install -r requirements.txt)"
            )
        if payload is None and self._unreadable:
            raise PagefindServiceError(
                f"Pagefind's answer could not be read ({self._unreadable}; expected base64 JSON from the pinned "
                "Pagefind: pip install -r requirements.txt)"
            )
        if payload is None:
            raise PagefindServiceError(f"Pagefind stopped (exit code {self._process.poll()})")
        if payload.get("type") == "Error":
            raise PagefindServiceError(f"Pagefind refused a request: {payload.get('message')}")
        return payload

    def _read_responses(self) -> None:
        stream, frames = self._process.stdout, Frames()
        try:
            while chunk := stream.read1(1 << 16):
                self._last_heard = time.monotonic()
                if messages := frames.feed(chunk):
                    self._received(messages)
        except (ValueError, LookupError, TypeError, AttributeError) as error:  # not base64, not JSON, not an answer
            self._unreadable = type(error).__name__
        finally:
            with self._answered:  # the service ended, or cannot be understood: wake anyone still waiting
                self._answered.notify_all()

    def _received(self, messages: list[bytearray]) -> None:
        with self._answered:
            while messages:
                response = json.loads(messages.pop(0))  # the JSON text goes as soon as it is parsed
                # A message the service could not parse comes back without its id, inside the error.
                message_id = response.get("message_id")
                payload = response["payload"]
                if message_id is None:
                    original = payload.get("original_message") or "{}"
                    message_id = json.loads(original).get("message_id")
                refused = payload.get("type") == "Error"
                self._responses[message_id] = payload if refused or message_id in self._read else _ACKNOWLEDGED
            self._answered.notify_all()
