"""A git submodule under content/ is refused: its files are another repository's, not this one's.

Git records a submodule as one entry (a gitlink, mode 160000) naming a commit of another repository; none of that
repository's files are in this one. A checkout made without submodules (GitHub's actions/checkout, by default)
leaves the folder empty, so CI would publish without its posts while a writer's checkout, holding them, builds
and checks them: a post silently dropped, or one published from files nobody reviewed here. So a gitlink under
content/ is one problem naming it, wherever it is checked out or not. Outside a git repository there are no
gitlinks, and nothing to refuse.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from newsroom.kit.git import git_command

GITLINK_MODE = "160000"
SUBMODULE_PROBLEM = (
    "is a git submodule: a submodule's files are another repository's, and a checkout without submodules (CI's) "
    "holds none of them (expected the files themselves: copy them into content/ and `git rm` the submodule)"
)


def submodules_under(content_root: Path) -> list[str]:
    """The path under `content_root` of every gitlink git's index records there (none outside a git repository)."""
    try:
        listed = subprocess.run(
            # Run inside content/, ls-files names each file relative to it.
            git_command("ls-files", "--stage", "-z", "--", "."),
            cwd=content_root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    found = []
    for entry in listed.split(b"\0"):
        fields, _, path = entry.partition(b"\t")
        if fields.split(b" ", 1)[0] == GITLINK_MODE.encode():
            found.append(path.decode("utf-8", "surrogateescape"))
    return sorted(found)
