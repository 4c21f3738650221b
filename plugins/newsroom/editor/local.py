"""`invoke edit`: the local git proxy (decap-server) the editor saves through on this machine, no account needed.

decap-server listens on every interface unless told otherwise; here it is bound to 127.0.0.1, on a port of its
own, and the editor reaches it only through a door (guard.py) on the port the editor's config names, which lets
through only requests addressed to this machine by its own name and, from a browser, sent by the editor's page:
no other machine, and no other page the writer has open (DNS rebinding included), can write to the repository.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from newsroom.editor.config import LocalProxy
from newsroom.editor.guard import ProxyGuard
from newsroom.editor.page import EDITOR_DIR
from newsroom.kit.errors import NewsroomError

HOST = "127.0.0.1"
PROXY_SCRIPT = EDITOR_DIR / "node_modules" / "decap-server" / "dist" / "index.js"


class LocalEditorError(NewsroomError, RuntimeError):
    """The local proxy cannot start; the message says why and what to do."""


def local_proxy(repository: Path, port: int) -> LocalProxy:
    """The proxy the editor's config.yml names as its local_backend: its address, and the branch checked out
    in `repository`, which posts branch off and merge back into."""
    result = subprocess.run(
        ["git", "-C", str(repository), "symbolic-ref", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise LocalEditorError(f"{repository} has no branch checked out (check one out, e.g. `git switch main`)")
    return LocalProxy(url=f"http://{HOST}:{port}/api/v1", branch=result.stdout.strip())


def proxy_environment(repository: Path, port: int, site_origin: str) -> dict[str, str]:
    """decap-server's settings: this repository, git mode (a branch per post, as on GitHub), loopback only."""
    return {
        "GIT_REPO_DIRECTORY": str(repository),
        "MODE": "git",
        "PORT": str(port),
        "BIND_HOST": HOST,
        "ORIGIN": site_origin,
        "LOG_LEVEL": "warn",
    }


def repository_of(content: Path) -> Path:
    """The git checkout that holds the content folder (the proxy commits there)."""
    result = subprocess.run(
        ["git", "-C", str(content), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise LocalEditorError(f"{content} is not in a git checkout (the editor saves each post as a git branch)")
    return Path(result.stdout.strip())


def ensure_clean(repository: Path) -> None:
    """decap-server commits with `git add .`: a change left in the working tree would go into a post's branch."""
    result = subprocess.run(
        ["git", "-C", str(repository), "status", "--porcelain"], capture_output=True, text=True, check=False
    )
    changed = result.stdout.splitlines()
    if result.returncode != 0 or changed:
        shown = ", ".join(line[3:] for line in changed[:5]) + (" …" if len(changed) > 5 else "")
        raise LocalEditorError(
            f"{repository} has uncommitted changes ({shown or result.stderr.strip()}): the editor commits "
            "everything in the working tree with each post, so commit or stash them first"
        )


@dataclass
class RunningProxy:
    """decap-server, and the door in front of it."""

    process: subprocess.Popen
    guard: ProxyGuard


def start_proxy(repository: Path, port: int, site_origin: str, environ: dict[str, str]) -> RunningProxy:
    """Start decap-server on a free port of its own, and the door to it on `port`; wait until decap-server
    answers. Raises LocalEditorError with the remedy otherwise."""
    node = shutil.which("node")
    if node is None:
        raise LocalEditorError("node is not installed (the editor's local proxy needs Node.js 20 or later)")
    if not PROXY_SCRIPT.is_file():
        raise LocalEditorError("decap-server is not installed: run `bash editor/install.sh`")
    try:
        guard = ProxyGuard(port, _free_port(), site_origin, HOST)
    except OSError as error:
        raise LocalEditorError(
            f"cannot listen on {HOST}:{port} ({error.strerror}); choose another --proxy-port"
        ) from None
    process = subprocess.Popen(
        [node, str(PROXY_SCRIPT)],
        env={**environ, **proxy_environment(repository, guard.upstream, site_origin)},
        stdin=subprocess.DEVNULL,
    )
    running = RunningProxy(process, guard)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            guard.stop()
            raise LocalEditorError(f"the local proxy stopped at start (exit code {process.returncode}); see above")
        try:
            with socket.create_connection((HOST, guard.upstream), timeout=0.5):
                guard.start()
                return running
        except OSError:
            time.sleep(0.1)
    stop(running)
    raise LocalEditorError(f"the local proxy did not answer on {HOST}:{guard.upstream} within 20 seconds")


def stop(running: RunningProxy) -> None:
    running.guard.stop()
    running.process.terminate()
    try:
        running.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()


def _free_port() -> int:
    """A port nothing listens on now, for decap-server (which only the door talks to)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]
