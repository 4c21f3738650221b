"""Benchmark: one new post to 8 channels whose servers each take 300 ms to answer.

Prints the wall time of a real syndication run (channels in parallel) beside the sequential sum of the same
8 requests, measured in the same run on the same loopback servers. Target: wall time <= 1 s.

    python benchmarks/syndication.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests")]

import requests  # noqa: E402
from servers.mastodon import MastodonServer  # noqa: E402

from newsroom.syndication.channels.mastodon import MastodonChannel  # noqa: E402
from newsroom.syndication.config import ChannelConfig  # noqa: E402
from newsroom.syndication.engine import run  # noqa: E402
from newsroom.syndication.ledger import Ledger  # noqa: E402
from newsroom.syndication.planning import plan  # noqa: E402
from newsroom.syndication.published import PublishedPost  # noqa: E402

CHANNELS, DELAY = 8, 0.3


class SlowMastodon(MastodonServer):
    def _post_status(self, request):
        time.sleep(DELAY)
        return super()._post_status(request)


def channel(name: str, url: str) -> MastodonChannel:
    config = ChannelConfig(
        name,
        "mastodon",
        ("media",),
        False,
        {"base_url": url, "visibility": "public", "language": "en", "max_length": 500, "hashtags": False},
        {"token": "T"},
    )
    return MastodonChannel(config, {"token": "token"})


def main() -> None:
    post = PublishedPost(
        id="bench",
        title="Benchmark post",
        url="https://news.example/bench/",
        summary="Summary.",
        published=datetime(2026, 1, 1, tzinfo=UTC),
        audiences=("media",),
        category="News",
    )
    servers = [SlowMastodon(token="token").__enter__() for _ in range(CHANNELS)]
    try:
        # Sequential baseline: the same 8 POSTs, one after the other.
        started = time.perf_counter()
        for server in servers:
            requests.post(
                f"{server.url}/api/v1/statuses",
                json={"status": "baseline"},
                headers={"Authorization": "Bearer token"},
                timeout=10,
            ).raise_for_status()
        sequential = time.perf_counter() - started

        with tempfile.TemporaryDirectory() as folder:
            ledger = Ledger.open(Path(folder) / "ledger.jsonl")
            channels = {f"ch{i}": channel(f"ch{i}", server.url) for i, server in enumerate(servers)}
            ledger.know(set(channels))
            started = time.perf_counter()
            report = run(plan([post], [], channels, ledger, cap=5), channels, ledger)
            parallel = time.perf_counter() - started
        assert [o.status for o in report.outcomes] == ["posted"] * CHANNELS, report.summary()
    finally:
        for server in servers:
            server.__exit__(None, None, None)

    print(f"channels: {CHANNELS}, server delay: {DELAY * 1000:.0f} ms each")
    print(f"sequential sum of the 8 requests: {sequential:.2f} s")
    print(f"syndication run (parallel):       {parallel:.2f} s (includes reading each instance's limits)")
    print(f"ratio parallel / sequential:      {parallel / sequential:.2f}")
    print(f"target wall time <= 1.00 s:       {'met' if parallel <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
