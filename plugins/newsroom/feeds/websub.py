"""WebSub: after a deploy, tell the hub which feeds changed, so subscribers hear of a post within seconds.

The build never pings (a preview must not announce anything); the deploy step calls `ping_changed_feeds`
once the new files are live, because the hub fetches each feed it is told about.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import requests

from newsroom.kit.errors import NewsroomError
from newsroom.kit.files import write_text_atomically

STATE_VERSION = 1
TIMEOUT = (5.0, 20.0)  # seconds to connect, seconds to wait for the answer
Timeout = float | tuple[float, float]


class WebSubStateError(NewsroomError, ValueError):
    """The state file from the previous run cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class PingReport:
    """What one run did: feeds the hub accepted, feeds it did not (with why), and feeds left alone."""

    pinged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (feed URL, reason)
    unchanged: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        return [
            *(f"pinged {url}" for url in self.pinged),
            *(f"FAILED {url}: {reason}" for url, reason in self.failed),
            f"{len(self.pinged)} pinged, {len(self.failed)} failed, {len(self.unchanged)} unchanged",
        ]


def feed_hashes(output: Path, base_url: str, feeds: Iterable[str]) -> dict[str, str | None]:
    """The sha256 of each of `feeds` (paths in the built site, every language's: language_editions.feed_files)
    keyed by the URL it is published at; None for one the output lacks. Only the feeds the newsroom plans are
    announced: a stray file under feeds/ (a feed of an audience since removed) is never pinged."""
    hashes: dict[str, str | None] = {}
    for relative in feeds:
        path = output / relative
        url = f"{base_url.rstrip('/')}/{relative}"
        hashes[url] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return hashes


def load_state(path: Path) -> dict[str, str]:
    """Feed URL -> sha256 as of the last successful ping; empty before the first run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise WebSubStateError(f"{path}: cannot read the WebSub state ({error}); fix or delete it") from None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION or not isinstance(data.get("feeds"), dict):
        raise WebSubStateError(f"{path}: not a WebSub state file (expected version {STATE_VERSION}); fix or delete it")
    return dict(data["feeds"])


def save_state(path: Path, feeds: dict[str, str]) -> None:
    """Replace the state file atomically: a run stopped half-way leaves the old or the new file, never half."""
    write_text_atomically(
        path, json.dumps({"version": STATE_VERSION, "feeds": dict(sorted(feeds.items()))}, indent=2) + "\n"
    )


def ping(hub: str, feed_url: str, session: requests.Session, timeout: Timeout = TIMEOUT) -> str | None:
    """Tell `hub` that `feed_url` changed; None when it accepted (any 2xx), else the reason."""
    try:
        response = session.post(hub, data={"hub.mode": "publish", "hub.url": feed_url}, timeout=timeout)
    except requests.RequestException as error:
        return f"{type(error).__name__}: {error}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text.strip()[:200]}"


def ping_changed_feeds(
    output: Path, base_url: str, hub: str, state_path: Path, feeds: Iterable[str], *, timeout: Timeout = TIMEOUT
) -> PingReport:
    """Ping the hub for each of `feeds` that is new or changed since the last run; remember only what succeeded.

    A feed whose ping failed keeps its old hash (or none), so the next run pings it again; so does a feed the
    output lacks (it is not this newsroom's build: nothing of it is announced as done).
    """
    current = feed_hashes(Path(output), base_url, feeds)
    previous = load_state(Path(state_path))
    # Feeds that no longer exist are forgotten; a feed that comes back is then pinged as new.
    state = {url: digest for url, digest in previous.items() if url in current}
    pinged, failed, unchanged = [], [], []
    with requests.Session() as session:
        for url, digest in current.items():
            if digest is None:
                failed.append((url, f"not in {output} (expected the build of these settings there)"))
                continue
            if previous.get(url) == digest:
                unchanged.append(url)
                continue
            reason = ping(hub, url, session, timeout)
            if reason:
                failed.append((url, reason))
                continue
            pinged.append(url)
            state[url] = digest
            save_state(Path(state_path), state)  # after each success: an interrupted run keeps its progress
    if state != previous:
        save_state(Path(state_path), state)
    return PingReport(tuple(pinged), tuple(failed), tuple(unchanged))
