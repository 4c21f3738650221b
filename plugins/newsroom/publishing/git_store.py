"""Keep the publish state in a git branch, so a fresh CI checkout starts from what the last run did.

`restore` fetches the branch and writes its state files into the working tree: always the branch's tip,
not the commit the run was started for (an earlier run may have committed the ledger since). `save`
commits exactly the state files on top of the branch's tip and pushes; it never touches the checkout's
HEAD or other files (the commit is built with plumbing in a private index). In a checkout of the state
branch itself (a server that keeps its clone between runs), both also record the state files in the index
as the branch now has them, so a later `git pull` fast-forwards over them instead of aborting on "local
changes". If someone else
changed a state file on the branch meanwhile, it stops instead of overwriting; if only other files moved
(a merge landed), it rebuilds the commit on the new tip and pushes again.

Each save also moves a ref of its own on the remote, `refs/newsroom/state/<branch>`, in the same atomic push: the
last state saved. A force-push that rewrites the branch (taking out a bad merge made before the publish's own
commits) leaves that ref where it was, so `restore` can tell: when the branch no longer holds the last saved
state and its state files differ from it, it stops rather than restore an older ledger, which would announce
again every post it forgot. The branch can also fall behind without being rewritten: a commit that puts an older
copy back (a revert of a publish's commit, a merge that took the older side). For the files that say what
"behind" means (`behind`: the ledger's `forgotten`), a tip whose copy has forgotten anything of the last saved
one stops the restore the same way; every other change since (a person's `--resolve` pushed, a hand merge that
kept both sides) only adds, and is restored.

A token for HTTPS pushes is handed to git by a credential helper that reads it from the environment at
the moment git asks: it is never on a command line, in a URL, in .git/config or in a message.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, partial
from pathlib import Path

from newsroom.kit.files import write_bytes_atomically
from newsroom.kit.git import git_command
from newsroom.publishing.config import StateConfig
from newsroom.publishing.state import StateError

TIMEOUT = 120  # seconds for one git command that talks to the remote
ATTEMPTS = 4  # pushes tried while other commits keep landing on the branch

# What a later copy of a state file has forgotten of an earlier one (the earlier's bytes, the later's or None
# when it is gone): one description per thing forgotten, none when it has only added and moved on.
Behind = Callable[[bytes, bytes | None], list[str]]


class GitStore:
    def __init__(
        self,
        project: Path,
        files: Sequence[Path],
        config: StateConfig,
        environ: Mapping[str, str],
        behind: Mapping[Path, Behind] | None = None,
    ):
        self.config = config
        self.environ = {**os.environ, **environ, "GIT_TERMINAL_PROMPT": "0"}
        found = self._run("rev-parse", "--show-toplevel", cwd=project)
        if found.returncode != 0:
            raise StateError(
                f"{project} is not in a git repository (the 'git' state store commits the ledger to one; "
                "expected a checkout, or NEWSROOM_PUBLISH['state'] = {'store': 'local'})"
            )
        self.repo = Path(found.stdout.decode().strip())
        self.files = tuple(Path(f) for f in files)
        self._relative = {}
        for file in self.files:
            try:
                self._relative[file] = file.resolve().relative_to(self.repo.resolve()).as_posix()
            except ValueError:
                raise StateError(
                    f"{file} is outside the repository {self.repo}; the git state store cannot commit it"
                ) from None
        self._behind = {self._relative[Path(file)]: check for file, check in (behind or {}).items()}
        self._tracking = f"refs/newsroom-state/{config.remote}/{config.branch}"
        self._saved_ref = f"refs/newsroom/state/{config.branch}"  # on the remote: the last state saved
        self._saved_tracking = f"refs/newsroom-saved/{config.remote}/{config.branch}"
        self._base: dict[str, str | None] | None = None  # blob of each file at the tip we started from

    @property
    def branch(self) -> str:
        return f"{self.config.remote}/{self.config.branch}"

    def restore(self) -> list[str]:
        tip = self._fetch()
        self._check_saved_state_kept(tip)
        base, lines = {}, []
        synced = self._synced()
        for file, relative in self._relative.items():
            blob = self._blob(tip, relative) if tip else None
            base[relative] = blob
            if blob is None:
                continue  # not on the branch yet: this checkout's file (if any) is the starting point
            ours = self._ok("hash-object", "--", str(file), what=f"read {relative}") if file.is_file() else None
            if ours == blob:
                continue
            if ours is not None and synced.get(relative) not in (None, ours):
                # Changed here since this checkout was last in step with the branch: a save that never reached it
                # (a refused push, a network failure). Those are the newest records: never overwrite them.
                if blob != synced[relative]:
                    raise StateError(
                        f"{relative} has changes this checkout never pushed (a save that failed), and {self.branch} "
                        "changed it too; nothing was overwritten. Merge the two by hand (the ledger has one line per "
                        "post and channel: keep both sides' lines), commit, and publish again"
                    )
                lines.append(
                    f"kept {relative}: this checkout's changes are not pushed yet; this run's save pushes them"
                )
                continue
            data = self._ok("cat-file", "blob", blob, what=f"read {relative} from {self.branch}", text=False)
            self._write(file, data)
            lines.append(f"restored {relative} from {self.branch} ({tip[:10]})")
        self._base = base
        self._remember_synced({relative: blob for relative, blob in base.items() if blob})
        self._stage_in_checkout(tip, {relative: blob for relative, blob in base.items() if blob})
        if tip is None:
            lines.append(
                f"{self.branch} does not exist yet: starting from this checkout's state; the first save creates it"
            )
        elif not lines:
            lines.append(f"state is up to date with {self.branch} ({tip[:10]})")
        return lines

    def save(self, message: str) -> str:
        if self._base is None:
            raise StateError("the state was saved before it was restored (a bug: restore() must come first)")
        ours = {
            relative: self._ok("hash-object", "-w", "--", str(file), what=f"store {relative} in git")
            for file, relative in self._relative.items()
            if file.exists()
        }
        changed = sorted(relative for relative, blob in ours.items() if blob != self._base.get(relative))
        if not changed:
            return f"state unchanged; nothing to commit to {self.branch}"
        for _ in range(ATTEMPTS):
            tip = self._fetch()
            for relative in changed:
                theirs = self._blob(tip, relative) if tip else None
                if theirs not in (self._base.get(relative), ours[relative]):
                    raise StateError(
                        f"{relative} was changed on {self.branch} by someone else while this run was publishing; "
                        "nothing was overwritten. Merge the two versions by hand (the ledger has one line per post "
                        "and channel: keep both sides' lines, one for each post and channel), commit, and publish again"
                    )
            commit = self._commit(tip, {relative: ours[relative] for relative in changed}, message)
            pushed = self._run(
                "push", "--porcelain", "--atomic", self.config.remote,
                f"{commit}:refs/heads/{self.config.branch}", f"+{commit}:{self._saved_ref}",
            )  # fmt: skip
            if pushed.returncode == 0:
                self._base.update({relative: ours[relative] for relative in changed})
                self._remember_synced({relative: ours[relative] for relative in changed})
                self._stage_in_checkout(commit, {relative: ours[relative] for relative in changed})
                return f"committed {', '.join(changed)} to {self.branch} ({commit[:10]})"
            output = (pushed.stdout + pushed.stderr).decode(errors="replace")
            if not any(reason in output for reason in ("(non-fast-forward)", "(fetch first)", "stale info")):
                raise StateError(f"cannot push the state to {self.branch}: {git_reason(output)}")
        raise StateError(f"{self.branch} kept moving; the state was not pushed after {ATTEMPTS} attempts")

    def _check_saved_state_kept(self, tip: str | None) -> None:
        """StateError when the branch's state is older than the last saved state: the branch was rewritten past
        it (it no longer holds that commit, and its state files differ from the ones saved there), or a commit
        since then put back a state file that has forgotten part of the saved one (`behind`)."""
        saved = self._fetch_ref(self._saved_ref, self._saved_tracking)
        if not saved or not tip:
            return
        if self._run("merge-base", "--is-ancestor", saved, tip).returncode == 0:
            self._check_not_behind(saved, tip)
            return
        state = self._relative.values()
        lost = [relative for relative in state if self._blob(saved, relative) != self._blob(tip, relative)]
        if lost:
            raise StateError(
                f"{self.branch} was rewritten (a force-push?): it no longer holds the last saved publish state "
                f"({saved[:10]}, kept at {self._saved_ref}), and its {', '.join(lost)} differ from it; restoring "
                "them would forget what was announced, and announce it again. Nothing was built or sent. Put the "
                f"saved state back: `git fetch {self.config.remote} {self._saved_ref} && git checkout FETCH_HEAD -- "
                f"{' '.join(lost)}`, commit, push to {self.config.branch}, and publish again"
            )

    def _check_not_behind(self, saved: str, tip: str) -> None:
        """StateError when a state file at `tip` has forgotten part of its copy at `saved` (a commit since put an
        older copy back): restoring it would announce again what it forgot."""
        for relative, behind in self._behind.items():
            was, now = self._blob(saved, relative), self._blob(tip, relative)
            if was is None or was == now:
                continue
            read = partial(self._ok, "cat-file", "blob", text=False)
            lost = behind(
                read(was, what=f"read {relative} as last saved"), read(now, what=f"read {relative}") if now else None
            )
            if lost:
                more = f", and {len(lost) - 3} more" if len(lost) > 3 else ""
                raise StateError(
                    f"{self.branch}'s {relative} is older than the last saved publish state ({saved[:10]}, kept at "
                    f"{self._saved_ref}): a commit since put back a copy that forgets {len(lost)} record(s): "
                    f"{'; '.join(lost[:3])}{more}. Restoring it would announce them again. Nothing was built or sent. "
                    f"Put the saved records back (`git fetch {self.config.remote} {self._saved_ref} && git show "
                    f"FETCH_HEAD:{relative}` has them; keep each post and channel's newer line), commit, push to "
                    f"{self.config.branch}, and publish again"
                )

    def _synced(self, data: Mapping | None = None) -> dict[str, str]:
        """Each state file's blob when this checkout was last in step with the branch (restored or pushed): kept in
        the git folder, so a checkout kept between runs knows which of its changes never reached the branch."""
        mine = (self._synced_file() if data is None else data).get(self.branch)
        return {str(k): str(v) for k, v in mine.items()} if isinstance(mine, dict) else {}

    def _remember_synced(self, blobs: Mapping[str, str]) -> None:
        if blobs:
            data = self._synced_file()
            data[self.branch] = {**self._synced(data), **blobs}
            self._write(self._synced_path, json.dumps(data, indent=1, sort_keys=True).encode())

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_bytes_atomically(path, data)
        except OSError as error:
            raise StateError(
                f"{path} could not be written ({error.strerror or type(error).__name__}): free space on that disk or "
                "make the checkout writable, then publish again (what was pushed to the branch is kept there)"
            ) from None

    def _synced_file(self) -> dict:
        try:
            data = json.loads(self._synced_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @cached_property
    def _synced_path(self) -> Path:
        """In the checkout's git folder (asked of git once: a worktree's is elsewhere)."""
        where = Path(self._ok("rev-parse", "--git-path", "newsroom-state-synced.json", what="find the git folder"))
        return where if where.is_absolute() else self.repo / where

    def _stage_in_checkout(self, tip: str | None, blobs: Mapping[str, str]) -> None:
        """When this checkout's HEAD is on the state branch (an ancestor of its tip), record the state files in
        the index as the tip has them (they already are so in the working tree): `git pull` then finds no local
        change to protect. Anything else (another branch checked out) is left alone; a failure here (the index
        locked by another git command) costs only that convenience, never the state."""
        if not tip or not blobs:
            return
        if self._run("merge-base", "--is-ancestor", "HEAD", tip).returncode != 0:
            return
        for relative, blob in blobs.items():
            self._run("update-index", "--add", "--cacheinfo", f"100644,{blob},{relative}")

    def _commit(self, parent: str | None, blobs: Mapping[str, str], message: str) -> str:
        """A commit of `parent`'s tree with `blobs` replaced, built in a private index."""
        with tempfile.TemporaryDirectory(prefix="newsroom-state-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self._ok("read-tree", *([parent] if parent else ["--empty"]), what="read the branch", env=env)
            for relative, blob in blobs.items():
                self._ok("update-index", "--add", "--cacheinfo", f"100644,{blob},{relative}", what="stage", env=env)
            tree = self._ok("write-tree", what="write the tree", env=env)
        author = {
            "GIT_AUTHOR_NAME": self.config.author_name,
            "GIT_AUTHOR_EMAIL": self.config.author_email,
            "GIT_COMMITTER_NAME": self.config.author_name,
            "GIT_COMMITTER_EMAIL": self.config.author_email,
        }
        parents = ["-p", parent] if parent else []
        return self._ok("commit-tree", tree, *parents, "-m", message, what="commit the state", env=author)

    def _fetch(self) -> str | None:
        """The branch's tip on the remote (fetched into a private ref), or None if it does not exist yet."""
        return self._fetch_ref(f"refs/heads/{self.config.branch}", self._tracking)

    def _fetch_ref(self, ref: str, tracking: str) -> str | None:
        """`ref`'s commit on the remote (fetched into the private ref `tracking`), or None if it does not exist."""
        listed = self._run("ls-remote", "--exit-code", self.config.remote, ref)
        if listed.returncode == 2:
            return None
        if listed.returncode != 0:
            raise StateError(
                f"cannot reach the git remote {self.config.remote!r}: "
                + git_reason(listed.stderr.decode(errors="replace"))
            )
        self._ok("fetch", "--quiet", "--no-tags", self.config.remote, f"+{ref}:{tracking}", what=f"fetch {ref}")
        return self._ok("rev-parse", "--verify", tracking, what=f"read {ref}")

    def _blob(self, commit: str, relative: str) -> str | None:
        found = self._run("rev-parse", "--verify", "--quiet", f"{commit}:{relative}")
        return found.stdout.decode().strip() if found.returncode == 0 else None

    def _ok(self, *args: str, what: str, env: Mapping[str, str] | None = None, text: bool = True):
        result = self._run(*args, env=env)
        if result.returncode != 0:
            raise StateError(f"git could not {what}: {git_reason(result.stderr.decode(errors='replace'))}")
        return result.stdout.decode().strip() if text else result.stdout

    def _run(self, *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None):
        return run_git(
            *args, cwd=cwd or getattr(self, "repo", None), environ={**self.environ, **(env or {})},
            token_env=self.config.token_env,
        )  # fmt: skip


def run_git(*args: str, cwd: Path | None, environ: Mapping[str, str], token_env: str = ""):
    """A git command; a token for HTTPS (the variable `token_env` names) is offered only when git asks."""
    helper = []
    if token_env and environ.get(token_env):
        # The helper is a shell function run by git; it prints the variable's value, read at that moment.
        script = (
            '!f() { test "$1" = get || return 0; echo username=x-access-token; '
            f'echo "password=${{{token_env}}}"; }}; f'
        )
        helper = ["-c", "credential.helper=", "-c", f"credential.helper={script}"]
    try:
        return subprocess.run(
            git_command(*helper, *args),
            cwd=cwd,
            env={**environ, "GIT_TERMINAL_PROMPT": "0"},
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise StateError(f"git {args[0]} did not answer within {TIMEOUT} s (is the remote reachable?)") from None
    except FileNotFoundError:
        raise StateError("the git state store needs git (Debian: `apt-get install git`)") from None


def git_reason(output: str) -> str:
    """The line of git's output that says why it failed."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    rejected = [line for line in lines if line.startswith("!") or "rejected" in line]
    chosen = rejected[0] if rejected else (lines[-1] if lines else "no message")
    return chosen.lstrip("!").replace("\t", " ").strip()
