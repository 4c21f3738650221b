"""A git submodule's files are another repository's: the newsroom publishes only what its own repository holds.

A submodule is one entry in git (a gitlink naming a commit of another repository). A checkout made without
submodules (GitHub's actions/checkout, by default) leaves its folder empty: a submodule under content/ would be
published by a writer's build and silently dropped by CI's, so the checks refuse it by name wherever it is or is
not checked out. And a publish from a checkout whose submodule (under content/ or not, such as a theme) holds
changes or files nobody committed would build them as the tip's: it is refused, whatever .gitmodules says.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import TinySite, files_containing, git_environment
from newsroom.publishing.config import SourceConfig
from newsroom.publishing.source import NotTheTip, check_tip
from refusals import lines_naming, problems, refused_build

ENV = git_environment()
PARTNER = (
    "Title: Partner news\nDate: 2026-06-01 10:00 UTC\nAudience: media\nCategory: News\n"
    "Summary: A partner post.\n\nPARTNERMARKER body.\n"
)


def git(cwd: Path, *args: str) -> str:
    # protocol.file.allow: git refuses a submodule from a local path unless told it may
    return subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def newsroom_with_a_submodule(tmp_path: Path, at: str) -> tuple[Path, Path]:
    """origin.git (main), whose folder `at` is a submodule holding one post; and a checkout of it with the
    submodule checked out, as a writer's machine (or `git clone --recursive`) has it."""
    partner = tmp_path / "partner"
    partner.mkdir()
    git(partner, "init", "-q")
    (partner / "partner.md").write_text(PARTNER)
    git(partner, "add", "-A")
    git(partner, "commit", "-qm", "Partner post")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(origin))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    site = TinySite(work)
    site.post("own", Title="Own post")
    git(work, "submodule", "add", "-q", str(partner), at)
    git(work, "add", "-A")
    git(work, "commit", "-qm", "Newsroom")
    git(work, "push", "-q", "origin", "HEAD:main")
    return origin, work


def test_a_submodule_in_content_is_refused_by_name_where_the_checkout_left_it_empty(tmp_path):
    """CI's checkout has no submodules: the folder is empty and the partner's post would silently be missing."""
    origin, _ = newsroom_with_a_submodule(tmp_path, "content/posts/partner")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(origin), str(ci))
    assert not any((ci / "content/posts/partner").iterdir())  # as actions/checkout leaves it
    found = lines_naming(problems(TinySite(ci)), "posts/partner", "file")
    assert len(found) == 1 and "is a git submodule" in found[0] and "copy them into content/" in found[0], found


def test_a_submodule_in_content_is_refused_by_the_build_where_it_is_checked_out(tmp_path):
    """A writer's checkout holds the partner's files; they are still not this repository's, and not published."""
    _, work = newsroom_with_a_submodule(tmp_path, "content/posts/partner")
    site = TinySite(work)
    message = refused_build(site)
    assert lines_naming(message, "posts/partner", "file") and "is a git submodule" in message, message
    output = work / "output"
    assert not output.exists() or files_containing(output, "PARTNERMARKER") == []


@pytest.mark.parametrize("at", ["content/posts/partner", "theme-extras"])
@pytest.mark.parametrize("ignored_by_gitmodules", [False, True], ids=["", "ignore-all-in-gitmodules"])
@pytest.mark.parametrize("left", ["an untracked post", "an edited file"])
def test_changes_left_in_a_submodule_are_not_published_as_the_tips(tmp_path, at, ignored_by_gitmodules, left):
    """`git diff HEAD` leaves out a submodule's untracked files (and all of it, when .gitmodules says `ignore =
    all`), and `git ls-files --others` does not look inside one: files nobody committed would be built as main's."""
    _, work = newsroom_with_a_submodule(tmp_path, at)
    if ignored_by_gitmodules:
        git(work, "config", "-f", ".gitmodules", f"submodule.{at}.ignore", "all")
        git(work, "commit", "-qam", "Ignore the submodule's changes")
        git(work, "push", "-q", "origin", "HEAD:main")
    if left == "an untracked post":
        (work / at / "unreviewed.md").write_text(PARTNER.replace("Partner news", "Unreviewed"))
    else:
        (work / at / "partner.md").write_text(PARTNER.replace("PARTNERMARKER", "EDITEDMARKER"))
    with pytest.raises(NotTheTip, match=f"files git does not track \\({at}\\)"):
        check_tip(work, SourceConfig(), [], ENV, content=work / "content")


def test_a_checkout_with_its_submodule_as_committed_is_the_tip(tmp_path):
    """The refusal is for what differs from the commit, not for a submodule as such (outside content/)."""
    _, work = newsroom_with_a_submodule(tmp_path, "theme-extras")
    assert "at its tip" in check_tip(work, SourceConfig(), [], ENV, content=work / "content")
