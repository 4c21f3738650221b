"""Every post id the archive register has held in any committed version: what makes the register append-only in
fact. Review alone would let a post and its line be deleted in one pull request; git's history of the file cannot.

The versions are listed by `git log --full-history --raw` (every side of every merge, each commit's version by its
blob id: a merge against its first parent, so a line only a merge wrote is there too) and each distinct version is
read once, as git stores it, never as a diff: a `.gitattributes` that marks the file `-diff` or `binary` changes
what `git log -p` prints, not what a version holds. A version that is not all UTF-8 JSON lines (a hand edit since
repaired) gives the ids of the lines that can be read.

Outside a git repository, or before its first commit, there is no history and nothing to compare. Inside one, a
history that cannot be read is RegisterHistoryUnreadable, never an empty history: a rule that passed whenever git
answered something unexpected would pass exactly when it is needed. A shallow clone has only part of the history,
and is compared with what it has: no site is published from one (publishing/source.py refuses it), and a pull
request's checks run on the whole history (the workflows fetch it all).

The cost: each version is read whole, and the publish commits one version more per post, so reading them all costs
the square of the posts published (5,000 versions: 2.2 GB read, about 10 s). A run that keeps its content cache
reads that once: it keeps, in the cache, the commit it read up to and every id the history held by then, each with
its first commit; the next run reads only the versions since (`<commit>..HEAD`, every side of every merge), so a
check or build costs the versions committed since the last. The kept commit is used only while it is an ancestor
of HEAD: then its whole history is HEAD's, and the ids it held are ids HEAD's history holds. A cache written on a
branch never merged (a pull request that added a line), or before history was rewritten, is not, and everything is
read again. Nothing is kept from a shallow clone, whose history is only part of one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from newsroom.kit.content_cache import load_kept, save_kept
from newsroom.kit.errors import NewsroomError
from newsroom.kit.git import git_command
from newsroom.kit.git_blobs import OBJECT_ID, GitBlobs, GitBlobsUnreadable

HISTORY_FILE = "register-history.pickle"  # in the content cache folder: what the last run found, and up to where
SHOWN_COMMIT = 12  # hex digits of a commit id in a message: enough to find it in any repository this size
NO_VERSION = frozenset({"0" * 40, "0" * 64})  # the blob id `--raw` gives a file's side of a deletion
GITLINK = "160000"  # a submodule at the register's path: a commit of another repository, not a file


class RegisterHistoryUnreadable(NewsroomError):
    """The repository's history of the register could not be read; the message says what git answered."""


def ids_ever_committed(path: Path, kept: Path | None = None) -> dict[str, str]:
    """post id -> the (abbreviated) commit whose version of the register at `path` first held it, for every
    version in the history of the repository that holds `path` ({} when there is none). With `kept` (a file in
    the content cache), what the last run found is taken up and this run's is kept for the next."""
    folder = next(parent for parent in path.parents if parent.is_dir())  # the register's own may be gone too
    try:
        prefix = _git_text(folder, "rev-parse", "--show-prefix").split("\n")[0]
    except (OSError, subprocess.CalledProcessError):
        return {}  # not a git repository (or no git): no history to compare with
    name = prefix + path.relative_to(folder).as_posix()
    try:
        head = _git(folder, "rev-parse", "--quiet", "--verify", "HEAD^{commit}", check=False)
        if head.returncode != 0:
            return {}  # a repository before its first commit: nothing committed yet
        head_id = head.stdout.decode("ascii").strip()
        # A shallow clone's history is only part of one: what it finds is never kept for a run with all of it.
        kept = None if _git_text(folder, "rev-parse", "--is-shallow-repository").strip() == "true" else kept
        since, first_held = _remembered(load_kept(kept, _REREAD) if kept else {}, name, head_id, folder)
        log = _git(folder, *_LOG, f"{since}..{head_id}" if since else head_id, "--", f":(literal,top){name}").stdout
        with GitBlobs(folder) as blobs:
            first_held = _first_held(versions_in(log, name), blobs, first_held)
    except (OSError, subprocess.CalledProcessError, GitBlobsUnreadable, ValueError) as error:
        raise RegisterHistoryUnreadable(_reason(error)) from None
    if kept:
        save_kept(kept, {"register": name, "commit": head_id, "first_held": first_held}, "the register's history")
    return first_held


_REREAD = "every version of the register is read again"


def _remembered(table: dict, name: str, head: str, folder: Path) -> tuple[str | None, dict[str, str]]:
    """(the commit the last run read up to, the ids its history held) when that commit is an ancestor of HEAD, so
    its whole history is HEAD's too; else (None, {}): everything is read. A run on a branch never merged (a pull
    request that added a line) or on a history since rewritten is never taken for part of this one."""
    commit, first_held = table.get("commit"), table.get("first_held")
    if table.get("register") != name or not isinstance(commit, str) or not OBJECT_ID.fullmatch(commit):
        return None, {}
    if not isinstance(first_held, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in first_held.items()
    ):
        return None, {}
    if _git(folder, "merge-base", "--is-ancestor", commit, head, check=False).returncode != 0:
        return None, {}  # not an ancestor, or a commit this repository does not hold
    return commit, dict(first_held)


# Each commit that changed the file, on every side of every merge, with the id of the version it left; NUL-ended
# fields, so a path is never quoted or split.
_LOG = ("log", "-z", "--full-history", "--diff-merges=first-parent", "--root", "--no-renames", "--raw",
        "--no-abbrev", "--format=%H")  # fmt: skip


def versions_in(log: bytes, name: str) -> list[tuple[str, str]]:
    """(commit, blob) for each version of the file `name` that `git log -z --raw --format=%H` output names, oldest
    first; a deletion leaves no version. Anything that is not that output is a ValueError."""
    fields = [field.lstrip(b"\n").decode("utf-8", errors="surrogateescape") for field in log.split(b"\0")]
    versions, commit, index = [], None, 0
    while index < len(fields):
        field = fields[index]
        if field.startswith(":"):  # ":<old mode> <new mode> <old blob> <new blob> <status>", then the path
            _, mode, _, blob, _ = field[1:].split(" ")
            if commit is None or index + 1 == len(fields):
                raise ValueError(f"git log gave a change outside a commit: {field[:80]!r}")
            if fields[index + 1] == name and blob not in NO_VERSION and mode != GITLINK:
                versions.append((commit, blob))  # (another path: a file in a folder of that name)
            index += 2
            continue
        if field:
            if not OBJECT_ID.fullmatch(field):
                raise ValueError(f"git log gave {field[:80]!r} where a commit id belongs")
            commit = field
        index += 1
    return versions[::-1]


def _first_held(versions: list[tuple[str, str]], blobs: GitBlobs, known: dict[str, str]) -> dict[str, str]:
    """`known` with the ids each of `versions` (oldest first) holds that it lacks, each with its commit."""
    first_held = dict(known)
    seen_blobs: set[str] = set()
    seen_lines: set[bytes] = set()  # each line parsed once, however many versions hold it
    for commit, blob in versions:
        if blob in seen_blobs:
            continue  # a version put back as it was: read once
        seen_blobs.add(blob)
        data = blobs.read(blob)
        if data is None:
            raise ValueError(f"the version {blob} that commit {commit} left is missing from the repository")
        for line in set(data.splitlines()) - seen_lines:
            seen_lines.add(line)
            if (post_id := _id_of(line)) is not None:
                first_held.setdefault(post_id, commit[:SHOWN_COMMIT])
    return first_held


def _id_of(line: bytes) -> str | None:
    """The id a register line holds, or None for a line that is not a JSON object with one. A byte that is not
    UTF-8 is read as U+FFFD: the rest of the line, its id most often, is still read."""
    try:
        return str(json.loads(line.decode("utf-8", errors="replace"))["id"])
    except (ValueError, TypeError, KeyError):
        return None


def _git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(git_command(*args), cwd=folder, capture_output=True, check=check)


def _git_text(folder: Path, *args: str) -> str:
    return _git(folder, *args).stdout.decode("utf-8", errors="replace")


def _reason(error: Exception) -> str:
    """What went wrong, in one line: git's own first line of complaint when it gave one."""
    if isinstance(error, subprocess.CalledProcessError):
        said = (error.stderr or b"").decode("utf-8", errors="replace").strip().splitlines()
        return f"git stopped with status {error.returncode}" + (f": {said[0]}" if said else "")
    return str(error)
