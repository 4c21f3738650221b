"""A deploy with the real rsync, killed (SIGKILL, the whole process group) in each of its phases: the target
never holds a half-written or temporary file, a page never arrives before the assets it uses, and the next
deploy converges on the build.

A wrapper on PATH slows rsync's transfers (`--bwlimit`) so that a large file is still being written when the
kill comes, and holds the deletion pass so it can be killed there.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from servers.sshd import SshServer

from conftest import ROOT
from newsroom.publishing.config import TargetConfig
from newsroom.publishing.targets import Deployment, content_digest, deployable_files
from newsroom.publishing.targets.common import DOCUMENT_SUFFIXES
from newsroom.publishing.targets.rsync import RsyncTarget

DEPLOY = """\
import os
import sys
sys.path.insert(0, {plugins!r})
from pathlib import Path
from newsroom.publishing.config import TargetConfig
from newsroom.publishing.targets import Deployment, content_digest, deployable_files
from newsroom.publishing.targets.rsync import RsyncTarget

output = Path({output!r})
files = deployable_files(output)
secrets = {{"ssh_key": os.environ.get("TEST_SSH_KEY", ""), "known_hosts": os.environ.get("TEST_KNOWN_HOSTS", "")}}
options = {{"destination": {www!r}, "port": {port!r}}}
target = RsyncTarget(TargetConfig("target", "rsync", options, {{}}), output, {{k: v for k, v in secrets.items() if v}})
target.deploy(Deployment("public", output, files, content_digest(files)))
"""

SLOW_RSYNC = """\
#!/bin/sh
case " $* " in
  *" --existing "*) touch "{signals}/deleting"; sleep 60;;
esac
exec {rsync} --bwlimit=256 "$@"
"""


def deploy(output: Path, www: Path):
    files = deployable_files(output)
    target = RsyncTarget(TargetConfig("target", "rsync", {"destination": str(www), "port": 22}, {}), output, {})
    return target.deploy(Deployment("public", output, files, content_digest(files)))


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("phase", ["assets", "documents", "deletions"])
def test_a_deploy_killed_in_any_phase_leaves_no_stray_file_and_the_next_one_converges(site, tmp_path, phase):
    rsync = subprocess.run(["sh", "-c", "command -v rsync"], capture_output=True, text=True).stdout.strip()
    assert rsync, "rsync is missing (invoke test installs it)"
    site.post("wind", Title="Wind farm opens", Slug="wind")
    site.post("solar", Title="Solar park approved", Slug="solar")
    www = tmp_path / "www"
    deploy(site.build(), www)
    old = contents(www)

    (site.content / "posts/solar.md").unlink()  # a deleted post: its page goes in the deletion pass
    site.post("hydro", Title="Hydro plant upgraded", Slug="hydro")
    site.file("images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = site.build()
    big = "downloads/annual-report.pdf" if phase == "assets" else "downloads/annual-report.txt"
    (out / "downloads").mkdir(exist_ok=True)
    (out / big).write_bytes(os.urandom(3 * 1024 * 1024))  # at 256 KiB/s: 12 s, the moment to kill
    new = {file.path: (out / file.path).read_bytes() for file in deployable_files(out)}  # no dotfiles

    signals, wrapper = tmp_path / "signals", tmp_path / "bin"
    signals.mkdir()
    wrapper.mkdir()
    (wrapper / "rsync").write_text(SLOW_RSYNC.format(signals=signals, rsync=rsync))
    (wrapper / "rsync").chmod(0o755)
    script = tmp_path / "deploy.py"
    script.write_text(DEPLOY.format(plugins=str(ROOT / "plugins"), output=str(out), www=str(www), port=22))
    partial = tmp_path / ".www.newsroom-partial"
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env={**os.environ, "PATH": f"{wrapper}{os.pathsep}{os.environ['PATH']}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if phase == "deletions":
        reached = (signals / "deleting").exists
    else:  # rsync is writing the big file, as `<name>.<random>` in the partial folder

        def reached():
            return partial.is_dir() and any(p.name.startswith(f"{Path(big).name}.") for p in partial.iterdir())

    deadline = time.monotonic() + 60
    while not reached():
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, "the deploy never reached the phase"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    held = contents(www)
    assert not [path for path in held if any(part.startswith(".") for part in path.split("/"))]  # no temp file
    for path, data in held.items():  # every file whole: the old version or the new one, nothing in between
        assert data in (old.get(path), new.get(path)), path
    if phase != "assets":  # the pages' pass never starts before every new asset is in place
        assets = {path: data for path, data in new.items() if not path.endswith(DOCUMENT_SUFFIXES)}
        assert all(held.get(path) == data for path, data in assets.items())
    if phase == "deletions":
        assert all(held.get(path) == data for path, data in new.items())

    again = deploy(out, www)
    assert contents(www) == new and "news/2026/solar/index.html" in old
    assert big in again.uploaded or phase == "deletions"
    assert list(partial.iterdir()) == []  # what the kill left beside the target is gone


def files_holding(text: str, since: float, under: list[Path], besides: Path) -> list[Path]:
    """Files changed since `since` under the folders `under` (not `besides`) whose bytes contain `text`. Below
    each of `under`, only folders changed since are entered: a deploy writing a secret makes a folder of its
    own for it (tempfile), which changes the folder it is made in; other people's old folders are passed by."""
    found = []
    for root in under:
        for directory, folders, names in os.walk(root):
            folders[:] = [
                f for f in folders if Path(directory, f) != besides and _changed_since(Path(directory, f), since)
            ]
            for name in names:
                path = Path(directory, name)
                try:
                    if path.stat().st_mtime >= since and path.stat().st_size < 1_000_000:
                        found += [path] if text.encode() in path.read_bytes() else []
                except OSError:
                    continue  # a file that went away or cannot be read (a socket) holds nothing
    return found


def test_a_deploy_over_ssh_killed_mid_transfer_leaves_no_key_and_no_host_key_on_disk(site, tmp_path):
    started = time.time() - 1
    site.post("wind", Title="Wind farm opens", Slug="wind")
    out = site.build()
    (out / "downloads").mkdir(exist_ok=True)
    (out / "downloads/annual-report.pdf").write_bytes(os.urandom(3 * 1024 * 1024))
    with SshServer(tmp_path / "sshd") as sshd:
        wrapper = tmp_path / "bin"
        wrapper.mkdir()
        (wrapper / "rsync").write_text(SLOW_RSYNC.format(signals=tmp_path, rsync=shutil.which("rsync")))
        (wrapper / "rsync").chmod(0o755)
        www = tmp_path / "www"
        script = tmp_path / "deploy.py"
        script.write_text(
            DEPLOY.format(plugins=str(ROOT / "plugins"), output=str(out), www=sshd.destination(www), port=sshd.port)
        )
        environ = {
            **os.environ,
            "PATH": f"{wrapper}{os.pathsep}{os.environ['PATH']}",
            "TEST_SSH_KEY": sshd.client_key,
            "TEST_KNOWN_HOSTS": sshd.known_hosts,
        }
        process = subprocess.Popen([sys.executable, str(script)], env=environ, start_new_session=True)
        partial = tmp_path / ".www.newsroom-partial"
        deadline = time.monotonic() + 60
        while not (partial.is_dir() and any(p.name.startswith("annual-report.pdf.") for p in partial.iterdir())):
            assert process.poll() is None and time.monotonic() < deadline, "the deploy never reached the transfer"
            time.sleep(0.02)
        key_line = sshd.client_key.splitlines()[1]  # a line of the private key's body
        host_key = sshd.known_hosts.split()[-1]
        places = [Path(tempfile.gettempdir()), tmp_path, Path.home()]
        assert files_holding(key_line, started, places, sshd.folder) == []  # while the deploy runs…
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert files_holding(key_line, started, places, sshd.folder) == []  # …and after a kill
        assert files_holding(host_key, started, places, sshd.folder) == []
        assert not [p for p in www.rglob("*") if p.name.startswith(".")]

        files = deployable_files(out)
        options = {"destination": sshd.destination(www), "port": sshd.port}
        secrets = {"ssh_key": sshd.client_key, "known_hosts": sshd.known_hosts}
        target = RsyncTarget(TargetConfig("target", "rsync", options, {}), out, secrets)
        target.deploy(Deployment("public", out, files, content_digest(files)))
        assert contents(www) == {file.path: (out / file.path).read_bytes() for file in files}
        assert files_holding(key_line, started, places, sshd.folder) == []


def _changed_since(path: Path, since: float) -> bool:
    try:
        return path.stat().st_mtime >= since
    except OSError:
        return False
