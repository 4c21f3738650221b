"""The git state store against real repositories: a bare "origin" and fresh clones, as CI has them."""

from __future__ import annotations

import base64
import os
import subprocess
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from servers.background import BackgroundServer

from newsroom.publishing.config import StateConfig
from newsroom.publishing.git_store import GitStore
from newsroom.publishing.state import StateError

IDENTITY = ["-c", "user.name=Comms", "-c", "user.email=comms@example.com"]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def origin(tmp_path) -> Path:
    """A bare repository with one commit on main: a post and a ledger."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--bare", "--initial-branch=main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", str(bare), str(seed))
    (seed / "content").mkdir()
    (seed / "content/post.md").write_text("Title: A post\n")
    (seed / "syndication").mkdir()
    (seed / "syndication/ledger.jsonl").write_text("v1\n")
    git(seed, "add", ".")
    git(seed, "commit", "-m", "Initial site")
    git(seed, "push", "origin", "HEAD:main")
    return bare


def clone(origin: Path, where: Path) -> Path:
    git(where.parent, "clone", "--quiet", str(origin), str(where))
    return where


def store(checkout: Path, branch: str = "main", **config) -> GitStore:
    files = [checkout / "syndication/ledger.jsonl", checkout / "publishing/websub.json"]
    return GitStore(checkout, files, StateConfig("git", branch=branch, **config), {})


def commits(origin: Path, branch: str = "main") -> list[str]:
    return git(origin, "log", "--format=%s", branch).splitlines()


def test_restore_takes_the_ledger_from_the_branch_tip_not_from_the_older_checkout(origin, tmp_path):
    stale = clone(origin, tmp_path / "stale")  # the commit this run was started for
    first = clone(origin, tmp_path / "first")
    one = store(first)
    one.restore()
    (first / "syndication/ledger.jsonl").write_text("v2: posted\n")
    one.save("Ledger after run 1 [skip ci]")

    lines = store(stale).restore()
    assert (stale / "syndication/ledger.jsonl").read_text() == "v2: posted\n"
    assert lines[0].startswith("restored syndication/ledger.jsonl from origin/main (")
    assert git(stale, "status", "--porcelain") == "M  syndication/ledger.jsonl"  # staged as the branch has it
    assert git(stale, "log", "-1", "--format=%s") == "Initial site"  # HEAD untouched


def test_a_checkout_kept_between_runs_pulls_cleanly_over_the_state_files_the_publish_changed(origin, tmp_path):
    kept = clone(origin, tmp_path / "kept")  # a server that publishes from its own clone, run after run
    for run in ("v2: posted\n", "v3: posted again\n"):
        state = store(kept)
        state.restore()
        (kept / "syndication/ledger.jsonl").write_text(run)
        state.save("Ledger [skip ci]")
    human = clone(origin, tmp_path / "human")
    (human / "content/news.md").write_text("Title: Merged between runs\n")
    git(human, "add", ".")
    git(human, "commit", "-m", "Merge pull request #8")
    git(human, "push", "origin", "HEAD:main")

    git(kept, "pull", "--ff-only", "origin", "main")  # would abort on "local changes" to the ledger
    assert git(kept, "status", "--porcelain") == "" and (kept / "content/news.md").exists()
    assert (kept / "syndication/ledger.jsonl").read_text() == "v3: posted again\n"


def test_a_checkout_of_another_branch_keeps_its_index_as_it_was(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    state = store(work, branch="newsroom-state")
    state.restore()
    (work / "syndication/ledger.jsonl").write_text("v2\n")
    state.save("state [skip ci]")
    assert git(work, "status", "--porcelain") == "M syndication/ledger.jsonl"  # main's index: not staged


def test_save_commits_only_the_state_files_on_top_of_a_merge_that_landed_meanwhile(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    state = store(work)
    state.restore()
    human = clone(origin, tmp_path / "human")
    (human / "content/news.md").write_text("Title: Merged while publishing\n")
    git(human, "add", ".")
    git(human, "commit", "-m", "Merge pull request #7")
    git(human, "push", "origin", "HEAD:main")

    (work / "syndication/ledger.jsonl").write_text("v2\n")
    (work / "publishing").mkdir()
    (work / "publishing/websub.json").write_text("{}\n")
    (work / "content/post.md").write_text("an unrelated local edit that must not be committed\n")
    line = state.save("Newsroom publish state after syndicate [skip ci]")

    assert line.startswith("committed publishing/websub.json, syndication/ledger.jsonl to origin/main (")
    assert commits(origin) == [
        "Newsroom publish state after syndicate [skip ci]",
        "Merge pull request #7",
        "Initial site",
    ]
    assert git(origin, "show", "main:content/news.md") == "Title: Merged while publishing"
    assert git(origin, "show", "main:content/post.md") == "Title: A post"
    assert (
        git(origin, "log", "-1", "--format=%an <%ae>", "main")
        == "Newsroom publisher <newsroom-publisher@users.noreply.github.com>"
    )
    assert state.save("again [skip ci]") == "state unchanged; nothing to commit to origin/main"


def test_a_ledger_changed_on_the_branch_by_someone_else_is_never_overwritten(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    state = store(work)
    state.restore()
    person = clone(origin, tmp_path / "person")
    (person / "syndication/ledger.jsonl").write_text("v1 + resolved by a person\n")
    git(person, "commit", "-am", "Resolve an uncertain post")
    git(person, "push", "origin", "HEAD:main")

    (work / "syndication/ledger.jsonl").write_text("v2\n")
    with pytest.raises(StateError, match=r"syndication/ledger.jsonl was changed on origin/main by someone else"):
        state.save("state [skip ci]")
    assert commits(origin)[0] == "Resolve an uncertain post"


def test_a_dedicated_state_branch_is_created_with_only_the_state_files(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    state = store(work, branch="newsroom-state")
    assert state.restore() == [
        "origin/newsroom-state does not exist yet: starting from this checkout's state; the first save creates it"
    ]
    (work / "syndication/ledger.jsonl").write_text("v2\n")
    state.save("state [skip ci]")
    assert git(origin, "ls-tree", "-r", "--name-only", "newsroom-state") == "syndication/ledger.jsonl"
    assert commits(origin) == ["Initial site"]  # main itself is untouched


def test_a_branch_rewritten_past_the_last_saved_state_stops_the_restore_until_the_state_is_put_back(origin, tmp_path):
    merged = git(origin, "rev-parse", "main")
    first = clone(origin, tmp_path / "first")
    one = store(first)
    one.restore()
    (first / "syndication/ledger.jsonl").write_text("v1\nposted: the post\n")
    one.save("Ledger after run 1 [skip ci]")
    saved = git(origin, "rev-parse", "refs/newsroom/state/main")
    assert saved == git(origin, "rev-parse", "main")  # the same push moved both
    human = clone(origin, tmp_path / "human")
    git(human, "reset", "--quiet", "--hard", merged)
    git(human, "push", "--quiet", "--force", "origin", "HEAD:main")  # main rewritten, without the state commit

    later = clone(origin, tmp_path / "later")
    with pytest.raises(StateError) as stopped:
        store(later).restore()
    assert str(stopped.value) == (
        f"origin/main was rewritten (a force-push?): it no longer holds the last saved publish state ({saved[:10]}, "
        "kept at refs/newsroom/state/main), and its syndication/ledger.jsonl differ from it; restoring them would "
        "forget what was announced, and announce it again. Nothing was built or sent. Put the saved state back: "
        "`git fetch origin refs/newsroom/state/main && git checkout FETCH_HEAD -- syndication/ledger.jsonl`, "
        "commit, push to main, and publish again"
    )
    assert (later / "syndication/ledger.jsonl").read_text() == "v1\n"  # nothing restored

    git(human, "fetch", "--quiet", "origin", "refs/newsroom/state/main")  # as the message says
    git(human, "checkout", "--quiet", "FETCH_HEAD", "--", "syndication/ledger.jsonl")
    git(human, "commit", "--quiet", "-m", "Put back the publish state")
    git(human, "push", "--quiet", "origin", "HEAD:main")
    again = clone(origin, tmp_path / "again")
    state = store(again)
    state.restore()
    (again / "syndication/ledger.jsonl").write_text("v1\nposted: the post\nposted: the next\n")
    state.save("Ledger after run 2 [skip ci]")
    assert git(origin, "rev-parse", "refs/newsroom/state/main") == git(origin, "rev-parse", "main")


def a_refused_save(origin: Path, checkout: Path, ledger: str) -> Path:
    """`ledger` written in `checkout`, whose save the remote refuses (branch protection); returns the hook."""
    hook = origin / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch: pushes need a pull request' >&2\nexit 1\n")
    hook.chmod(0o755)
    state = store(checkout)
    state.restore()
    (checkout / "syndication/ledger.jsonl").write_text(ledger)
    with pytest.raises(StateError, match=r"^cannot push the state to origin/main: .*pre-receive hook declined"):
        state.save("state [skip ci]")
    return hook


def test_a_refused_push_and_an_unreachable_remote_are_clear_errors(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    a_refused_save(origin, work, "v2\n")

    git(work, "remote", "set-url", "origin", str(tmp_path / "nowhere.git"))
    with pytest.raises(StateError, match=r"^cannot reach the git remote 'origin': "):
        store(work).restore()


def test_a_save_that_could_not_push_is_kept_by_the_next_restore_and_pushed_by_the_next_save(origin, tmp_path):
    """A checkout kept between runs holds the results a refused push never delivered: the next run's restore must
    not overwrite them with the branch's older ledger (that would forget what was posted)."""
    kept = clone(origin, tmp_path / "kept")
    a_refused_save(origin, kept, "v2: posted\n").unlink()

    again = store(kept)
    lines = again.restore()
    assert (kept / "syndication/ledger.jsonl").read_text() == "v2: posted\n", lines
    assert any("not pushed yet" in line for line in lines), lines
    again.save("Ledger after run 2 [skip ci]")
    assert git(origin, "show", "main:syndication/ledger.jsonl") == "v2: posted"


def test_unpushed_state_and_a_branch_changed_meanwhile_stop_the_restore_overwriting_neither(origin, tmp_path):
    kept = clone(origin, tmp_path / "kept")
    state = store(kept)
    state.restore()
    (kept / "syndication/ledger.jsonl").write_text("v2: posted, not pushed\n")  # a run whose push failed
    other = clone(origin, tmp_path / "other")
    (other / "syndication/ledger.jsonl").write_text("v2: resolved by a person\n")
    git(other, "commit", "-am", "Resolve")
    git(other, "push", "origin", "HEAD:main")
    with pytest.raises(StateError, match=r"syndication/ledger.jsonl has changes this checkout never pushed"):
        store(kept).restore()
    assert (kept / "syndication/ledger.jsonl").read_text() == "v2: posted, not pushed\n"


def test_a_state_file_that_cannot_be_written_is_one_clear_error(origin, tmp_path):
    work = clone(origin, tmp_path / "work")
    first = clone(origin, tmp_path / "first")
    state = store(first)
    state.restore()
    (first / "syndication/ledger.jsonl").write_text("v2: posted\n")
    state.save("Ledger after run 1 [skip ci]")
    (work / "syndication/ledger.jsonl").unlink()
    (work / "syndication/ledger.jsonl").mkdir()  # the file cannot be replaced, as on a full or read-only disk
    with pytest.raises(StateError, match=r"ledger.jsonl could not be written \(Is a directory\): free space"):
        store(work).restore()


def test_a_checkout_that_is_not_a_repository_is_refused_with_the_alternative(tmp_path):
    (tmp_path / "site").mkdir()
    with pytest.raises(StateError, match=r"is not in a git repository .*'store': 'local'"):
        GitStore(tmp_path / "site", [], StateConfig("git"), {})


def test_the_push_token_reaches_the_server_only_through_the_credential_helper(origin, tmp_path):
    """A git HTTP server on loopback that demands a password: git asks the helper, which reads the variable."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(401 if not self.headers.get("Authorization") else 403)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with BackgroundServer(Handler) as server:
        work = clone(origin, tmp_path / "work")
        git(work, "remote", "set-url", "origin", f"{server.url}/larkspur/newsroom.git")
        token = "ghs_s3cret-token-value"
        state = GitStore(
            work,
            [work / "syndication/ledger.jsonl"],
            StateConfig("git", token_env="NEWSROOM_GIT_TOKEN"),
            {"NEWSROOM_GIT_TOKEN": token, "HOME": str(tmp_path)},
        )
        with pytest.raises(StateError) as error:
            state.restore()
    expected = "Basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode()
    assert expected in seen and token not in str(error.value)
    assert token not in (work / ".git/config").read_text()
    assert os.environ.get("NEWSROOM_GIT_TOKEN") is None  # handed to git only, never to the process environment
