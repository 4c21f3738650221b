"""The benchmarks still run: each one, on a corpus small enough for the suite, ends cleanly and prints the ratio it
exists to print. (A benchmark is run by hand, so nothing else notices when a refactor breaks one; the layout
regroup once did.) The figures themselves are measured by hand and reported in docs/benchmarks.md, never here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

CASES = {
    "build": (
        ["build.py", "--posts", "30", "--rebuild", "0", "--no-hugo", "--repeat", "1"],
        ["full production build / vanilla Pelican"],
    ),
    # The newsroom's build runs the content checks first: a French version that fails them stops the benchmark with
    # a non-zero exit. The CI rebuild of the two-language site must equal its cold build, search index included.
    "build, two languages": (
        ["build.py", "--posts", "30", "--languages", "2", "--rebuild", "30", "--no-hugo", "--repeat", "1"],
        [
            "full production build / vanilla Pelican, two languages:",
            "newsroom, CPU: two languages",
            "per language edition",
            "each French post adds",
            "CI rebuild, 30 posts in two languages",
            "outputs byte-identical, search index included",
        ],
    ),
    "feeds": (["feeds.py", "--posts", "30"], ["Feeds/build:"]),
    "history": (["history.py", "--posts", "30", "--commits", "2"], ["content checks with the full register"]),
    "syndication": (["syndication.py"], ["ratio parallel / sequential:"]),
    # Pagefind given the marked article alone must write the same bundle as Pagefind given whole pages.
    "search cut": (
        ["search_cut.py", "--posts", "30", "--repeat", "1"],
        ["cut / whole: wall", "bundles: byte-identical"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_benchmark_runs_and_prints_its_ratio(name, tmp_path):
    args, expected = CASES[name]
    script, *options = args
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    for line in expected:
        assert line in run.stdout, run.stdout[-2000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
