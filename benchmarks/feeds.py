"""Benchmark: the share of a whole public build spent producing the feeds, on a generated 5,000-post corpus.

Times the feeds generator (generate_context + generate_output: selection, item HTML, RSS/Atom/JSON, OPML)
inside one real build, against the whole build (checks, reading, rendering, writing), in wall time and in
process CPU time, and prints the ratio. Target: feeds <= 5% of the build.

    python benchmarks/feeds.py                # 5,000 posts
    python benchmarks/feeds.py --posts 1000
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(Path(__file__).resolve().parent)]

from corpus import write_corpus  # noqa: E402

from newsroom.feeds.generator import FeedsGenerator  # noqa: E402
from newsroom.site.build import build, load_settings  # noqa: E402

spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # step -> [wall, cpu]


def timed(name: str, method):
    """Wrap a generator method so its wall and CPU time add up under `name`."""

    def wrapper(self, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return method(self, *args)
        finally:
            spent[name][0] += time.perf_counter() - wall
            spent[name][1] += time.process_time() - cpu

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        content = write_corpus(root, posts=args.posts)
        print(f"Generated {args.posts} posts in {time.perf_counter() - started:.1f} s")
        settings = load_settings(
            ROOT / "publishconf.py",
            {
                "PATH": str(content),
                "OUTPUT_PATH": str(root / "output"),
                "CACHE_PATH": str(root / "cache"),
                "NEWSROOM_NOW": "2026-10-15 12:00 UTC",
            },
        )
        FeedsGenerator.generate_context = timed("context", FeedsGenerator.generate_context)
        FeedsGenerator.generate_output = timed("output", FeedsGenerator.generate_output)

        wall, cpu = time.perf_counter(), time.process_time()
        build(settings, verbosity=logging.ERROR)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

        feed_files = [p for p in (root / "output" / "feeds").rglob("*") if p.is_file()]
        feeds_wall = spent["context"][0] + spent["output"][0]
        feeds_cpu = spent["context"][1] + spent["output"][1]
        print(f"Whole build:  {wall:7.2f} s wall, {cpu:7.2f} s CPU")
        print(
            f"Feeds:        {feeds_wall:7.2f} s wall, {feeds_cpu:7.2f} s CPU "
            f"(generate_context {spent['context'][0]:.3f} s, generate_output {spent['output'][0]:.2f} s; "
            f"{len(feed_files)} files, {sum(p.stat().st_size for p in feed_files) / 1e6:.1f} MB)"
        )
        print(f"Feeds/build:  {feeds_wall / wall:.1%} wall, {feeds_cpu / cpu:.1%} CPU (target <= 5%)")


if __name__ == "__main__":
    main()
