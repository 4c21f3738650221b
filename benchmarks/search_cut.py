"""Benchmark: what giving Pagefind the marked article alone (search/documents.py) saves, against whole pages.

    python benchmarks/search_cut.py                    # a 5,000-post newsroom, indexed 3 times each way
    python benchmarks/search_cut.py --posts 1000 --repeat 5

The newsroom builds the corpus once (benchmarks/corpus.py, publishconf.py, as benchmarks/build.py builds it);
then the built site is indexed again and again, whole pages and cut pages alternating, each indexing in a
process of its own: its wall time, CPU time (Pagefind's service included) and peak memory (the largest process:
Pagefind's) come from os.wait4(). The two bundles are compared file by file: the cut must change nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "plugins"), str(HERE)]

from build import differences, median_run, newsroom_build, run_process, show  # noqa: E402
from corpus import write_corpus  # noqa: E402

WAYS = ("whole", "cut")


def index_child(way: str, site: str) -> None:
    """In the child process: index the built `site` into its pagefind/, giving Pagefind pages `way`."""
    import newsroom.search.index as search_index

    if way == "whole":  # the indexer as it was: every marked page sent as written
        search_index.search_document = lambda html: html
    search_index.SearchIndexer(Path(site), language="en", while_writing=False).finish()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="indexings of each kind to take the median of")
    parser.add_argument("--work-dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    parser.add_argument("--child", nargs=2, metavar=("WAY", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        index_child(*args.child)
        return
    work = Path(tempfile.mkdtemp(prefix="newsroom-search-cut-", dir=args.work_dir))
    try:
        content = write_corpus(work / "corpus", posts=args.posts)
        site = work / "site"
        show(newsroom_build("newsroom", content, site, None, work, languages=1))
        runs = {way: [] for way in WAYS}
        bundles = {}
        for _ in range(args.repeat):
            for way in WAYS:
                command = [sys.executable, __file__, "--child", way, str(site)]
                runs[way].append(run_process(f"index, {way} pages", command, work / f"{way}.log"))
                bundles[way] = work / f"bundle-{way}"
                shutil.rmtree(bundles[way], ignore_errors=True)
                shutil.copytree(site / "pagefind", bundles[way])
        print(f"Search index of {args.posts:,} posts, medians of {args.repeat}:")
        whole, cut = (median_run(runs[way]) for way in WAYS)
        for run in (whole, cut):
            show(run)
        print(
            f"  cut / whole: wall {cut.wall / whole.wall:.2f}, CPU {cut.cpu / whole.cpu:.2f}, "
            f"peak memory {cut.peak_mb / whole.peak_mb:.2f}"
        )
        differing = differences(bundles["whole"], bundles["cut"])
        print(f"  bundles: {'byte-identical' if not differing else f'{len(differing)} files DIFFER'}")
        if differing:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
