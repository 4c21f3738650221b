"""Publish only the tip of the publishing branch: a re-run of an old workflow run, or a checkout of an old
commit, would deploy an older site (undoing corrections and withdrawals, lifting a postponed embargo early).

The branch is fetched fresh; the checkout's HEAD must be its tip, or an ancestor of it that differs only in
the publish state files (the publish's own commits of the ledger land on the branch between runs), with no
tracked file changed but those state files, no file git does not track in content/, no submodule other than
its commit holds, and the whole history (the checks read it: a shallow clone is refused). A publish checks this
when it starts, again right before each deploy (the branch may move on while it builds), and, when it resumes
after a deploy (`--after deploy`), for the commit its verified build was made from: a re-run of an old announce
job must not announce what was withdrawn since.

A deploy also compares its build's commit with the one the live site was built from (`descends_from`): it never
replaces a site with one built from an older commit, whatever the checks above could see.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.publishing.config import SourceConfig
from newsroom.publishing.git_store import git_reason, run_git


class NotTheTip(NewsroomError):
    """The checkout is not what the publishing branch holds now; the message says what to do."""


def check_tip(
    project: Path,
    source: SourceConfig,
    state_files: Sequence[Path],
    environ: Mapping[str, str],
    commit: str = "HEAD",
    nothing: str = "Nothing was built or deployed",
    content: Path | None = None,
) -> str:
    """One line saying which commit is published, or NotTheTip. `commit`: the commit whose build is published
    (the checkout's HEAD, or the one a verified build was made from); `nothing` says what was not done;
    `content`: the content folder, where no file git does not track may be (it would be built as the tip's)."""
    branch = f"{source.remote}/{source.branch}"
    environ = {**os.environ, **environ}

    def git(*args: str, cwd: Path | None = None) -> tuple[int, str]:
        result = run_git(*args, cwd=cwd or repo, environ=environ, token_env=source.token_env)
        return result.returncode, (result.stdout if result.returncode == 0 else result.stderr).decode().strip()

    repo = project
    code, top = git("rev-parse", "--show-toplevel")
    if code != 0:
        raise NotTheTip(
            f"{project} is not a git checkout, so it cannot be shown to be the tip of {branch}. Publish from a "
            "checkout of that branch, or set NEWSROOM_PUBLISH['source'] = None for a folder without git."
        )
    repo = Path(top)
    tracking = f"refs/newsroom-source/{source.remote}/{source.branch}"
    code, said = git("fetch", "--quiet", "--no-tags", source.remote, f"+refs/heads/{source.branch}:{tracking}")
    if code != 0:
        raise NotTheTip(f"cannot fetch {branch} to check that this is its tip: {git_reason(said)}. {nothing}.")
    code, head = git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")
    subject = "this checkout" if commit == "HEAD" else "the commit this build was made from"
    if code != 0:
        raise NotTheTip(
            f"{subject} ({commit[:10]}) is not in this checkout's history, so it cannot be shown to be the tip of "
            f"{branch}. {nothing}; publish from a fresh checkout of {branch}."
        )
    _, shallow = git("rev-parse", "--is-shallow-repository")
    if shallow == "true":
        # The checks read history: every line the archive register ever held must still be in it, and each post's
        # revision history is its commits. A clone holding only the last few commits would pass what it cannot see.
        raise NotTheTip(
            "this checkout holds only part of the repository's history (a shallow clone), and the archive "
            f"register's check and each post's revision history read all of it. {nothing}; fetch it all (`git "
            "fetch --unshallow`, or `fetch-depth: 0` on the workflow's checkout) and publish again."
        )
    _, tip = git("rev-parse", "--verify", tracking)
    state = {_relative(file, repo) for file in state_files}
    # Tracked files changed, staged or not; and a submodule (the theme, say) whose checkout is not the commit
    # recorded, or holds changes or files its repository does not track: whatever .gitmodules or the person's
    # configuration says to ignore, they would be built as the tip's.
    _, changed = git("diff", "--name-only", "--ignore-submodules=none", "HEAD")
    # and files git does not track in the content folder (ignored ones too: Pelican reads by its own rules): a
    # post left in the checkout would be built and published as the tip's
    untracked = ""
    if content is not None and content.resolve().is_relative_to(repo.resolve()):
        _, untracked = git("ls-files", "--others", "--", content.resolve().relative_to(repo.resolve()).as_posix())
    edited = sorted((set(changed.splitlines()) | set(untracked.splitlines())) - state)
    if edited:
        raise NotTheTip(
            f"this checkout has uncommitted changes or files git does not track ({', '.join(edited[:5])}), so it "
            f"is not what {branch} holds. "
            f"{nothing}; publish from a clean checkout."
        )
    if head == tip:
        return f"publishing {branch} at its tip ({tip[:10]})"
    ancestor, _ = git("merge-base", "--is-ancestor", head, tip)
    _, since = git("diff", "--name-only", head, tip)
    if ancestor == 0 and set(since.splitlines()) <= state:
        return f"publishing {branch} ({tip[:10]}): only the publish state changed since this checkout ({head[:10]})"
    raise NotTheTip(
        f"{subject} ({head[:10]}) is not the tip of {branch} ({tip[:10]}): publishing it could bring back "
        "what later commits corrected or withdrew, or lift a postponed embargo early. "
        f"{nothing}; publish from a fresh checkout of {branch}."
    )


def descends_from(project: Path, commit: str, ancestor: str, environ: Mapping[str, str]) -> bool:
    """Whether `commit` is `ancestor` or comes after it in history (False when either is not in this checkout)."""
    found = run_git("merge-base", "--is-ancestor", ancestor, commit, cwd=project, environ={**os.environ, **environ})
    return found.returncode == 0


def _relative(file: Path, repo: Path) -> str:
    try:
        return Path(file).resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return str(file)
