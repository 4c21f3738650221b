"""The archive register as the one record of what has been public: what it records of a post is one-way, and every
line it has ever held in git's history must still be in it, whatever the history looks like.

Each test that needs history makes its own git repository in tmp_path, with a fixed identity and no configuration
of the machine's."""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pytest
from test_history import RESULTS

from conftest import TinySite, files_containing, git_environment, run_invoke
from newsroom.checks.register_history import HISTORY_FILE, ids_ever_committed
from newsroom.checks.sources import register_published
from newsroom.kit.git_blobs import GitBlobs
from newsroom.model.settings import load_newsroom
from newsroom.publishing.config import SourceConfig
from newsroom.publishing.source import NotTheTip, check_tip
from newsroom.site.build import BuildFailed

WITHDRAWN = "2026-11-02 10:00 America/New_York | Withdrawn at the request of the court."
BODY = "WITHDRAWNBODYMARKER figures the court ordered taken down."


def publish(site):
    """Record the posts now public in the register, as the publish step does after each deploy."""
    settings = site.settings()
    return register_published(settings, load_newsroom(settings))[0]


def published_then_withdrawn(site):
    """A post published, then withdrawn, each state recorded by a publish."""
    site.post("results", BODY, **RESULTS)
    publish(site)
    site.post("results", BODY, **RESULTS, Withdrawn=WITHDRAWN)
    path = publish(site)
    assert json.loads(path.read_text())["withdrawn"] == "2026-11-02T10:00:00-05:00"
    return path


# --- what the register records of a post is one-way ----------------------------------------------------------


def test_a_withdrawal_taken_back_by_a_later_commit_is_refused_and_the_text_is_never_republished(site):
    """A `git revert` of the withdrawal, a merge that kept the older side, or the file restored from before it all
    leave a file without its `Withdrawn:` line: the check was silent and the build put the withdrawn body back on
    the page, in the feeds and in search. The register recorded the withdrawal, so it is what decides."""
    published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS)  # the withdrawal undone

    assert [p[p.index("content/") :] for p in site.check()] == [
        "content/posts/results.md:1: withdrawn: published post '2026-10-29-q3-results' was withdrawn at "
        "2026-11-02T10:00:00-05:00 (the register records it), but the file no longer says so and would publish the "
        "withdrawn text again (expected 'Withdrawn: 2026-11-02T10:00:00-05:00 | <reason>' written back: a post "
        "cannot be un-withdrawn; to publish the text again, publish a new post with a new Id)"
    ]
    with pytest.raises(BuildFailed):
        site.build()
    assert not (site.root / "output").exists() or files_containing(site.root / "output", "WITHDRAWNBODYMARKER") == []


def test_a_withdrawal_written_back_as_the_register_gives_it_passes(site):
    """The fix the message gives works: the recorded time, written as the register has it, and any reason."""
    published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-02T10:00:00-05:00 | Withdrawn by court order.")
    assert site.check() == []


def test_a_withdrawal_moved_to_another_time_is_refused_and_the_register_keeps_the_first(site):
    """The withdrawal time is what the notice, the feeds' `updated` and the channels gave. A later publish used to
    overwrite it with whatever the file said; now the register keeps the first, and the check names the change.
    The same instant written in another zone is the same withdrawal."""
    path = published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-20 10:00 UTC | Withdrawn at the request of the court.")
    problems = site.check()
    assert [p[p.index("content/") :] for p in problems] == [
        "content/posts/results.md:1: withdrawn: published post '2026-10-29-q3-results' was withdrawn at "
        "2026-11-02T10:00:00-05:00 (the register records it), now at 2026-11-20T10:00:00+00:00 (expected the "
        "withdrawal time never to change: the notice, the feeds and the channels gave it; write "
        "'Withdrawn: 2026-11-02T10:00:00-05:00 | <reason>' back)"
    ]
    publish(site)
    assert json.loads(path.read_text())["withdrawn"] == "2026-11-02T10:00:00-05:00"

    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-02 15:00 UTC | Withdrawn at the request of the court.")
    assert site.check() == []


# --- every line the register ever held in git's history stays ------------------------------------------------


def git(root, *args: str) -> subprocess.CompletedProcess:
    """Run git in `root` with a fixed identity and none of the machine's configuration."""
    return subprocess.run(["git", *args], cwd=root, env=git_environment(), check=True, capture_output=True, text=True)


def registered_and_committed(site):
    """Two published posts, registered and committed in a new repository."""
    site.post("results", **RESULTS)
    site.post("older", Title="Plant opens", Date="2021-03-01 10:00 UTC", Id="2021-03-01-plant-opens")
    path = publish(site)
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Publish")
    return path


def delete_older_with_its_line(site, path):
    """The careless (or hostile) change: a post and its register line go together, so the register agrees."""
    (site.content / "posts" / "older.md").unlink()
    path.write_text("".join(line + "\n" for line in path.read_text().splitlines() if "plant-opens" not in line))


def removed_lines(problems):
    return [p for p in problems if "register: the line for '2021-03-01-plant-opens' was removed" in p]


@pytest.mark.parametrize("attribute", ["-diff", "binary"])
def test_a_register_git_shows_no_diff_of_still_keeps_every_line(site, attribute):
    """Teams mark generated files `-diff` or `binary` to keep pull requests readable. The rule read the register's
    history as `git log -p` text, which then says only "Binary files differ": it found no line, and passed. Each
    version is now read as git stores it."""
    path = registered_and_committed(site)
    (site.root / ".gitattributes").write_text(f"archive/register.jsonl {attribute}\n")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Keep generated files out of review diffs")
    delete_older_with_its_line(site, path)
    assert len(removed_lines(site.check())) == 1


def test_a_line_dropped_by_a_merge_that_kept_the_other_sides_register_is_found(site):
    """A branch started before a publish, merged with its own (older) register: the merge's register is the
    branch's, so git's simplified history of the file follows the branch alone and never shows the version on
    main that held the line. Every version in the history is read, on every side of every merge."""
    site.post("results", **RESULTS)
    path = publish(site)
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Publish the results")
    git(site.root, "checkout", "-q", "-b", "old-branch")
    site.file("pages/about.md", "Title: About\n\nAbout us.\n")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "An about page")
    git(site.root, "checkout", "-q", "main")
    site.post("older", Title="Plant opens", Date="2021-03-01 10:00 UTC", Id="2021-03-01-plant-opens")
    publish(site)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Publish the plant opening")
    git(site.root, "merge", "-q", "--no-ff", "--no-commit", "old-branch")
    git(site.root, "checkout", "old-branch", "--", "archive/register.jsonl")
    git(site.root, "rm", "-q", "content/posts/older.md")
    git(site.root, "commit", "-q", "-m", "Merge old-branch")
    assert "plant-opens" not in path.read_text()
    assert len(removed_lines(site.check())) == 1


def test_a_line_only_a_merge_commit_wrote_is_found_once_removed(site):
    """A line added while a merge was being made (a publish's register resolved by hand in the merge) is in no
    commit's diff but the merge's. Read as the branches' diffs alone, its later removal went unseen."""
    site.post("results", **RESULTS)
    path = publish(site)
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Publish the results")
    git(site.root, "checkout", "-q", "-b", "about-page")
    site.file("pages/about.md", "Title: About\n\nAbout us.\n")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "An about page")
    git(site.root, "checkout", "-q", "main")
    git(site.root, "commit", "-q", "--allow-empty", "-m", "Meanwhile on main")
    git(site.root, "merge", "-q", "--no-ff", "--no-commit", "about-page")
    site.post("older", Title="Plant opens", Date="2021-03-01 10:00 UTC", Id="2021-03-01-plant-opens")
    publish(site)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Merge about-page")
    assert "plant-opens" in path.read_text()
    delete_older_with_its_line(site, path)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Tidy the archive")
    assert len(removed_lines(site.check())) == 1


def test_a_publish_from_a_shallow_clone_is_refused_with_one_line_saying_the_history_is_missing(site, tmp_path):
    """A clone of depth 1 (actions/checkout's default) has only the tip: a line removed by an earlier commit is in
    no history the check can read. No site is published from such a checkout: the publish refuses it before
    anything is built, with the fix; with the whole history fetched, the check finds the removed line."""
    path = registered_and_committed(site)
    delete_older_with_its_line(site, path)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Tidy the archive")
    git(site.root, "commit", "-q", "--allow-empty", "-m", "Another change")
    assert len(removed_lines(site.check())) == 1  # the full history has it
    git(site.root, "branch", "-q", "-M", "main")

    clone = TinySite(tmp_path / "clone")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{site.root}", str(clone.root))
    with pytest.raises(NotTheTip) as refused:
        check_tip(clone.root, SourceConfig(), [], {}, content=clone.content)
    assert str(refused.value) == (
        "this checkout holds only part of the repository's history (a shallow clone), and the archive register's "
        "check and each post's revision history read all of it. Nothing was built or deployed; fetch it all (`git "
        "fetch --unshallow`, or `fetch-depth: 0` on the workflow's checkout) and publish again."
    )
    git(clone.root, "fetch", "-q", "--unshallow")
    assert len(removed_lines(clone.check())) == 1
    assert "at its tip" in check_tip(clone.root, SourceConfig(), [], {}, content=clone.content)


def test_a_register_once_committed_with_a_byte_that_is_not_utf8_is_read_never_a_traceback(site):
    """A register committed once with a Latin-1 byte (a hand edit) stays in git's history. The check decoded the
    history strictly, and every run after stopped with a UnicodeDecodeError. Such a version is read for what can
    be read: the line with the byte still gives its id, so removing that line (here the only version that held
    it) is still found."""
    site.post("results", **RESULTS)
    site.post("older", Title="Plant opens", Date="2021-03-01 10:00 UTC", Id="2021-03-01-plant-opens")
    path = publish(site)
    good = path.read_bytes()
    path.write_bytes(good.replace(b'"path": "posts/older.md"', b'"note": "caf\xe9", "path": "posts/older.md"'))
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Publish, with a hand edit")
    path.write_bytes(good)
    delete_older_with_its_line(site, path)
    git(site.root, "commit", "-q", "-am", "Tidy the archive")

    settings_file = site.settings_file("publishconf.py", NEWSROOM_NOW="2026-11-26 12:00 UTC")
    result = run_invoke("check", "--settings", str(settings_file))
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1 and len(removed_lines(result.stderr.splitlines())) == 1, result.stderr[-2000:]


def test_a_line_removed_after_the_register_was_once_deleted_is_found_whatever_the_registers_name(site):
    """A register whose name holds a space (NEWSROOM_ARCHIVE takes any path), deleted by one commit and put back
    by the next. Asked for `<commit>:<path>`, git answered "<commit>:archive/press register.jsonl missing" for the
    deleted version; read as "<id> <type> <size>", that answer stopped the reading and the rule passed in
    silence. Versions are now asked for by their ids, so no answer holds a path, and a deletion is no version."""
    site.overrides["NEWSROOM_ARCHIVE"] = {"register": "archive/press register.jsonl", "retention_years": 5}
    path = registered_and_committed(site)
    assert path.name == "press register.jsonl"
    kept = path.read_text()
    git(site.root, "rm", "-q", "--", "archive/press register.jsonl")
    git(site.root, "commit", "-q", "-m", "Oops")
    path.parent.mkdir(exist_ok=True)
    path.write_text(kept)
    delete_older_with_its_line(site, path)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Put the register back")
    assert len(removed_lines(site.check())) == 1


def test_a_history_git_cannot_read_is_a_problem_never_a_pass(site):
    """The rule passed whenever git's answers could not be read: exactly when a removed line could not be seen.
    Inside a repository, a history that cannot be read (here the version that held the line is gone from the
    object store) is one line naming the register and what to do."""
    path = registered_and_committed(site)
    held = git(site.root, "rev-parse", "HEAD:archive/register.jsonl").stdout.strip()
    commit = git(site.root, "rev-parse", "HEAD").stdout.strip()
    delete_older_with_its_line(site, path)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Tidy the archive")
    (site.root / ".git" / "objects" / held[:2] / held[2:]).unlink()

    problems = site.check()
    assert [p[p.index("archive/") :] for p in problems] == [
        f"archive/register.jsonl:1: register: its history in git could not be read (the version {held} that "
        f"commit {commit} left is missing from the repository), so a line removed in an earlier commit would go unseen "
        "(expected a repository git can read: run `git fsck`, or check the repository out again, and check again)"
    ]


def test_a_repository_before_its_first_commit_has_no_register_history_to_compare(site):
    """`git init` and no commit yet: a history with nothing in it, not one that cannot be read."""
    site.post("results", **RESULTS)
    publish(site)
    git(site.root, "init", "-q", "-b", "main")
    assert site.check() == []


# --- the history is read once: each run reads only the versions committed since the last ----------------------


def kept_history(site):
    """The register's history as the last check kept it in the content cache."""
    (path,) = (site.root / "cache").glob(f"content-*/{HISTORY_FILE}")
    return pickle.loads(path.read_bytes())


@pytest.fixture
def versions_read(monkeypatch) -> list[bytes]:
    """Each version of the register the checks read from git."""
    read: list[bytes] = []
    original = GitBlobs.read

    def reading(self, blob):
        data = original(self, blob)
        read.append(data)
        return data

    monkeypatch.setattr(GitBlobs, "read", reading)
    return read


def registered_many_times(root, versions: int) -> Path:
    """A repository whose register was committed `versions` times, one post more each time (as publishes do)."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    lines, stream = [], []
    for number in range(versions):
        lines.append(json.dumps({"id": f"post-{number:05d}", "path": f"posts/p{number:05d}.md"}))
        data = ("\n".join(lines) + "\n").encode()
        stream.append(b"commit refs/heads/main\ncommitter C <c@example.com> %d +0000\ndata 7\npublish\n" % number)
        stream.append(b"M 100644 inline archive/register.jsonl\ndata %d\n%s\n" % (len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    git(root, "checkout", "-q", "main")
    return root / "archive" / "register.jsonl"


def test_a_run_that_kept_its_cache_reads_only_the_versions_committed_since_the_last(tmp_path, versions_read):
    """Every version of the register is read whole, and each publish commits one more, each one post longer:
    reading them all on every check and build read 2.2 GB at 5,000 publishes. A run keeps the commit it read up
    to, and the ids held by then; the next reads only what was committed since, and finds what a cold run finds."""
    path = registered_many_times(tmp_path / "repository", 300)
    kept = tmp_path / "cache" / HISTORY_FILE
    ever = ids_ever_committed(path, kept)
    assert len(versions_read) == 300 and len(ever) == 300
    lines = path.read_text().splitlines()
    for number in (300, 301):  # two more publishes
        lines.append(json.dumps({"id": f"post-{number:05d}", "path": f"posts/p{number:05d}.md"}))
        path.write_text("\n".join(lines) + "\n")
        git(tmp_path / "repository", "commit", "-q", "-am", "publish")
    versions_read.clear()

    warm = ids_ever_committed(path, kept)
    assert [version.count(b"\n") for version in versions_read] == [301, 302]
    assert warm == ids_ever_committed(path) and len(warm) == 302
    assert ids_ever_committed(path, kept) == warm and len(versions_read) == 2 + 302  # (the cold run's reads)


def test_a_line_held_before_the_kept_commit_and_removed_after_it_is_still_found(site, versions_read):
    """The kept ids stand for every version up to the kept commit: a removal after it is found by them, though
    this run reads only the version that removed the line."""
    path = registered_and_committed(site)
    assert site.check() == []
    assert "2021-03-01-plant-opens" in kept_history(site)["first_held"]
    delete_older_with_its_line(site, path)
    git(site.root, "commit", "-q", "-am", "Tidy the archive")
    versions_read.clear()
    assert len(removed_lines(site.check())) == 1
    assert len(versions_read) == 1 and b"plant-opens" not in versions_read[0]


def test_a_cache_kept_on_a_branch_never_merged_neither_reports_nor_hides_a_removed_line(site):
    """CI's cache is shared between branches. A pull request that published a post (its line committed on the
    branch only) kept ids that main's history never held; on main, that line is not "removed". The kept commit is
    used only when it is an ancestor of HEAD, so the check reads main's whole history instead: what it reports is
    what main's history says, nothing more, nothing less."""
    path = registered_and_committed(site)
    git(site.root, "checkout", "-q", "-b", "pull-request")
    site.post("news", Title="Wind farm", Date="2026-11-01 10:00 UTC", Id="2026-11-01-wind-farm")
    publish(site)
    git(site.root, "add", "content", "archive")
    git(site.root, "commit", "-q", "-m", "Publish the wind farm")
    assert site.check() == []
    assert "2026-11-01-wind-farm" in kept_history(site)["first_held"]

    git(site.root, "checkout", "-q", "main")
    assert site.check() == []  # the wind farm's line was never main's
    delete_older_with_its_line(site, path)
    git(site.root, "commit", "-q", "-am", "Tidy the archive")
    git(site.root, "checkout", "-q", "pull-request")
    assert site.check() == []  # the cache is main's now, and the branch never removed a line
    git(site.root, "checkout", "-q", "main")
    assert len(removed_lines(site.check())) == 1


def test_nothing_is_kept_from_a_shallow_clone_whose_history_is_only_part_of_one(site, tmp_path):
    """A check in a clone of depth 1 sees only the tip's version. Kept, what it found would stand for the whole
    history once the rest is fetched, and the line removed before the tip would never be found."""
    path = registered_and_committed(site)
    delete_older_with_its_line(site, path)
    git(site.root, "commit", "-q", "-am", "Tidy the archive")
    clone = TinySite(tmp_path / "clone")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{site.root}", str(clone.root))
    assert clone.check() == []  # the tip's version is all it has
    git(clone.root, "fetch", "-q", "--unshallow")
    assert len(removed_lines(clone.check())) == 1
