"""A real OpenSSH server on 127.0.0.1 (a free port) for the length of a `with` block: the rsync deploy target
is tested over SSH as a web server runs it, with a host key to check and a client key to log in with.

It runs as the current user with its own host key, and accepts only the client key it generated.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"  # Debian's openssh-server (`invoke test` installs it)


class SshServer:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.user = getpass.getuser()
        self._process: subprocess.Popen | None = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    def __enter__(self) -> SshServer:
        assert Path(SSHD).exists(), "sshd is missing (invoke test installs openssh-server)"
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.folder / name)], check=True)
        shutil.copyfile(self.folder / "client_key.pub", self.folder / "authorized_keys")
        config = self.folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.folder / 'host_key'}\n"
            f"PidFile {self.folder / 'sshd.pid'}\nAuthorizedKeysFile {self.folder / 'authorized_keys'}\n"
            "StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
        )
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder, when run as root
        self._process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self._process.poll() is None, self._process.stderr.read().decode()
                assert time.monotonic() < deadline, "sshd did not start"
                time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=10)

    @property
    def client_key(self) -> str:
        return (self.folder / "client_key").read_text()

    @property
    def known_hosts(self) -> str:
        """The host key line a client must have, as in ~/.ssh/known_hosts."""
        key_type, key = (self.folder / "host_key.pub").read_text().split()[:2]
        return f"[127.0.0.1]:{self.port} {key_type} {key}\n"

    def destination(self, path: Path) -> str:
        return f"{self.user}@127.0.0.1:{path}/"
