"""How long the revision history and the archive check take on a 5,000-post newsroom in git.

    python benchmarks/history.py [--posts 5000] [--commits 50]

Writes the benchmark corpus into a temporary git repository (one import commit, then `--commits` commits of
20 edited posts each and a rename), then times: the single `git log` pass and its parsing
(newsroom.site.history.revision_history), the per-post histories as an edition shows them, reading every version
of the edited posts (the build reads some of them to find when an edition first showed a post), and `invoke check`'s
content checks with and without a full archive register. Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "benchmarks")]

from corpus import write_corpus  # noqa: E402

from newsroom.checks.content_check import check_content  # noqa: E402
from newsroom.checks.sources import register_published  # noqa: E402
from newsroom.model.settings import load_newsroom  # noqa: E402
from newsroom.site.build import load_settings  # noqa: E402
from newsroom.site.history import FileVersions, public_history, revision_history  # noqa: E402

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<48} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_corpus(root, posts=options.posts)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "Import the archive")
        posts = sorted((content / "posts").rglob("*.md"))
        for number in range(options.commits):
            for post in posts[number * 20 : (number + 1) * 20]:
                post.write_text(post.read_text(encoding="utf-8") + f"\nEdit {number}.\n", encoding="utf-8")
            git(root, "commit", "-qam", f"Edit batch {number}")
        git(root, "mv", str(posts[0]), str(posts[0].with_name("renamed.md")))
        git(root, "commit", "-qm", "Rename one post")

        histories = timed("git log pass + parse (revision_history)", lambda: revision_history(content))
        verdicts: dict = {}
        timed(
            "histories as an edition shows them",
            lambda: [public_history(revisions, lambda *_: True, verdicts) for revisions in histories.values()],
        )
        # The build reads a post's versions only when it has a commit after its first: the edited posts here.
        edited = [(path, revisions) for path, revisions in histories.items() if len(revisions) > 1]
        with FileVersions(content) as versions:
            timed(
                f"every version of the {len(edited)} edited files (FileVersions)",
                lambda: [versions.text(r.blob(path)) for path, revisions in edited for r in revisions if r.blob(path)],
            )
        settings = load_settings(ROOT / "publishconf.py", {"PATH": str(content)})
        newsroom = load_newsroom(settings)
        timed("content checks, no register", lambda: check_content(settings, newsroom))
        timed("invoke register (every public post)", lambda: register_published(settings, newsroom))
        timed("content checks with the full register", lambda: check_content(settings, newsroom))


if __name__ == "__main__":
    main()
