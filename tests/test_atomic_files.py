"""One atomic write (kit/files.py) for every state file: a crash or a failure mid-write leaves the old file whole."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from newsroom.kit import files
from newsroom.kit.files import write_bytes_atomically, write_text_atomically

OLD, NEW = b"old\n" * 1000, b"new\n" * 250_000  # the new content takes many write calls


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_the_new_content_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "deep" / "state.json"
    write_text_atomically(path, "first\n")
    write_text_atomically(path, "second ✓\n")
    assert path.read_text(encoding="utf-8") == "second ✓\n"
    assert leftovers(path.parent) == []


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_before_the_rename_leaves_the_old_content_and_no_temporary_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "ledger.jsonl"
    write_bytes_atomically(path, OLD)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, broken)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomically(path, NEW)
    monkeypatch.undo()
    assert path.read_bytes() == OLD
    assert leftovers(tmp_path) == []


# A child process that writes NEW over OLD, and back, forever; "hang" stops it after writing and fsyncing the new
# content, before the rename.
CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from newsroom.kit import files
path, hang = Path(sys.argv[2]), sys.argv[3] == "hang"
OLD, NEW = Path(sys.argv[4]).read_bytes(), Path(sys.argv[5]).read_bytes()
if hang:
    real_fsync = files.os.fsync
    def fsync_then_hang(handle):
        real_fsync(handle)
        print("written", flush=True)
        time.sleep(600)
    files.os.fsync = fsync_then_hang
while True:
    files.write_bytes_atomically(path, NEW)
    files.write_bytes_atomically(path, OLD)
"""


def child(path, mode):
    contents = []
    for name, data in (("old", OLD), ("new", NEW)):
        (path.parent / name).write_bytes(data)
        contents.append(str(path.parent / name))
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT / "plugins"), str(path), mode, *contents],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_a_process_killed_between_write_and_rename_leaves_the_old_content(tmp_path):
    path = tmp_path / "ledger.jsonl"
    write_bytes_atomically(path, OLD)
    process = child(path, "hang")
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready and process.stdout.readline() == "written\n"  # the whole new content is in the temporary file
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert path.read_bytes() == OLD
    write_bytes_atomically(path, NEW)  # the stray temporary file never blocks the next write
    assert path.read_bytes() == NEW


def test_a_process_killed_at_any_moment_leaves_one_whole_version(tmp_path):
    path = tmp_path / "ledger.jsonl"
    write_bytes_atomically(path, OLD)
    pick = random.Random(15)
    for _ in range(8):
        process = child(path, "loop")
        time.sleep(pick.uniform(0.05, 0.4))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert path.read_bytes() in (OLD, NEW)
