"""rsync over SSH to a web server: the Pelican quick-start's deploy, made safe to run unattended.

The command compares files by checksum (a rebuild gives every file a new time), deletes files of deleted
posts, never sends or deletes dotfiles, and reports each change (`--itemize-changes`). The SSH key and the
server's host key come from environment variables, are written to private temporary files for the run,
and are never on the command line: host keys are always checked (no trust on first use).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..config import Option
from .common import Deployment, DeployReport, Target, TargetError

REMOTE = re.compile(r"^(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(?P<path>.*)$")
TIMEOUT = 1800  # seconds: a first deploy of a large archive over a slow link


class RsyncTarget(Target):
    type_name = "rsync"
    options = {
        "destination": Option(
            str, "'user@host:/path/to/site/' or a local folder, e.g. 'deploy@web1.example:/srv/site/'", required=True
        ),
        "port": Option(int, "the SSH port", default=22),
    }  # fmt: skip
    credentials = {
        "ssh_key": "private SSH key (the key's text)",
        "known_hosts": "server's host key line(s), as in ~/.ssh/known_hosts",
    }

    @classmethod
    def check(cls, options: Mapping) -> list[str]:
        problems = []
        destination = options["destination"]
        remote = REMOTE.match(destination)
        path = remote["path"] if remote else destination
        if path.strip("/") in ("", ".", "~"):
            problems.append(
                f"destination: {destination!r} would make the site's folder a whole disk or home folder, and "
                "`--delete` would empty it (expected a folder of its own, e.g. 'deploy@web1.example:/srv/newsroom/')"
            )
        if not 0 < options["port"] < 65536:
            problems.append(f"port: {options['port']!r} must be a port number (1-65535)")
        return problems

    @classmethod
    def destination(cls, options: Mapping) -> str:
        destination = options["destination"]
        return f"rsync://{destination}" if REMOTE.match(destination) else f"file://{destination}"

    @property
    def remote(self) -> bool:
        return REMOTE.match(self.settings["destination"]) is not None

    def command(self, output: Path, key_file: Path | None = None, known_hosts_file: Path | None = None) -> list[str]:
        """The rsync command line; the key and host keys are named by file, never included."""
        destination = self.settings["destination"]
        if not self.remote:
            destination = str(self.project / destination)
        command = [
            "rsync",
            "--recursive",
            "--checksum",  # a rebuild touches every file: compare contents, not times
            "--compress",
            "--delete",  # files of deleted posts go too
            "--delete-delay",  # …but only after everything new has arrived
            "--exclude=.*",  # never send dotfiles (.newsroom/manifest.json), never delete the server's own
            "--chmod=D755,F644",
            "--itemize-changes",
        ]
        if self.remote:
            ssh = ["ssh", "-p", str(self.settings["port"]), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
            if key_file:
                ssh += ["-i", str(key_file), "-o", "IdentitiesOnly=yes"]
            if known_hosts_file:
                ssh += ["-o", f"UserKnownHostsFile={known_hosts_file}"]
            command += ["-e", " ".join(ssh)]
        return [*command, f"{str(output).rstrip('/')}/", destination.rstrip("/") + "/"]

    def deploy(self, deployment: Deployment) -> DeployReport:
        if shutil.which("rsync") is None:
            raise TargetError(
                "the rsync target needs the rsync program (Debian: `apt-get install rsync openssh-client`)"
            )
        with tempfile.TemporaryDirectory(prefix="newsroom-ssh-") as private:
            key_file = _secret_file(Path(private) / "key", self.secrets.get("ssh_key"))
            known_hosts = _secret_file(Path(private) / "known_hosts", self.secrets.get("known_hosts"))
            command = self.command(deployment.output, key_file, known_hosts)
            if not self.remote:
                try:
                    Path(command[-1]).mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise TargetError(f"{self.where}: cannot create the folder ({error.strerror})") from None
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
            except subprocess.TimeoutExpired:
                raise TargetError(f"{self.where}: rsync did not finish within {TIMEOUT} s") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise TargetError(
                f"{self.where}: rsync failed (exit code {result.returncode}): {detail[-1] if detail else 'no output'}"
            )
        uploaded, deleted = parse_itemized(result.stdout)
        return DeployReport(
            destination=self.where,
            uploaded=tuple(uploaded),
            deleted=tuple(deleted),
            unchanged=len(deployment.files) - len(uploaded),
        )


def parse_itemized(text: str) -> tuple[list[str], list[str]]:
    """Files sent and files deleted, from `rsync --itemize-changes` output."""
    uploaded, deleted = [], []
    for line in text.splitlines():
        if line.startswith("*deleting "):
            path = line.removeprefix("*deleting ").strip()
            if not path.endswith("/"):
                deleted.append(path)
        elif len(line) > 12 and line[0] in "<>" and line[1] == "f":
            uploaded.append(line[12:].strip())
    return uploaded, deleted


def _secret_file(path: Path, value: str | None) -> Path | None:
    """Write a secret to a file only its owner can read (ssh refuses keys others can read)."""
    if not value:
        return None
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value.strip() + "\n")
    return path
