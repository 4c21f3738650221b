"""One reader of git's stored file versions (kit/git_blobs.py): the register's history rule and each post's
revision history ask it for versions by id, and read every answer by the same rule.

Each test makes its own repository in tmp_path, with a fixed identity and none of the machine's configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_archive_register import git

import newsroom
from newsroom.kit.git_blobs import GitBlobs, GitBlobsUnreadable
from newsroom.site.history import FileVersions

PLUGIN = Path(newsroom.__file__).resolve().parent


@pytest.fixture
def repository(tmp_path):
    """A repository with one commit holding a file whose name has a space and a folder."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "q3 results.md").write_bytes(b"\xef\xbb\xbfTitle: Q3\n\nFigures.\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "A post")
    return tmp_path


def object_id(root, name: str) -> str:
    return git(root, "rev-parse", name).stdout.strip()


def test_a_version_is_read_by_its_id_and_an_id_git_lacks_or_that_names_no_file_is_none(repository):
    """A file's version is its bytes; an id the repository does not hold, a folder's or a commit's, and anything
    that is not an id at all (a `<commit>:<path>` request, whose answer would hold the path) hold no file's text."""
    with GitBlobs(repository) as blobs:
        assert blobs.read(object_id(repository, "HEAD:posts/q3 results.md")) == b"\xef\xbb\xbfTitle: Q3\n\nFigures.\n"
        assert blobs.read("0123456789abcdef0123456789abcdef01234567") is None
        assert blobs.read(object_id(repository, "HEAD:posts")) is None
        assert blobs.read(object_id(repository, "HEAD")) is None
        assert blobs.read("HEAD:posts/q3 results.md") is None
        assert blobs.read(object_id(repository, "HEAD:posts/q3 results.md")).endswith(b"Figures.\n")  # still in step


def test_git_that_cannot_be_asked_is_unreadable_and_stays_so(tmp_path, monkeypatch):
    """No git (or a process that died) is not "no such version": the caller decides what that means (the
    register's rule fails closed, a post's history takes the version as one nobody saw). After one answer that
    could not be read, no later answer can be trusted to start where it should."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no git here
    blobs = GitBlobs(tmp_path)
    blob = "0123456789abcdef0123456789abcdef01234567"
    for _ in range(2):
        with pytest.raises(GitBlobsUnreadable):
            blobs.read(blob)
    assert FileVersions(tmp_path).text(blob) is None


def test_a_content_files_version_is_its_text_as_the_checks_read_a_file(repository):
    """Each post's history reads earlier versions through the same reader: decoded as the checks decode a file."""
    with FileVersions(repository) as versions:
        assert versions.text(object_id(repository, "HEAD:posts/q3 results.md")) == "Title: Q3\n\nFigures.\n"
        assert versions.text(object_id(repository, "HEAD:posts")) is None


def test_only_the_blob_reader_speaks_git_cat_file_batch():
    """Two readers of one protocol drifted apart (one read a `missing` answer as a size). It has one home."""
    speakers = sorted(
        path.relative_to(PLUGIN).as_posix()
        for path in PLUGIN.rglob("*.py")
        if re.search(r'"cat-file",\s*"--batch', path.read_text(encoding="utf-8"))
    )
    assert speakers == ["kit/git_blobs.py"]
