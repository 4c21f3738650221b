"""rsync over SSH to a web server: the Pelican quick-start's deploy, made safe to run unattended.

Each deploy first lists the target with rsync's own checksums (`--checksum`: a rebuild gives every file a new
time), so a file deleted or altered there is sent again. It then sends in three passes, so a reader never
meets a page that refers to a file not there yet: the assets (search index, images, enclosures), then the
pages and feeds, then the deletions of files no longer in the site. rsync writes each file into a folder
beside the target (`.<name>.newsroom-partial`) and renames it into place, so a killed deploy leaves no
half-written file in the target; the next deploy empties that folder. Dotfiles are never sent or deleted.

The SSH key is handed to an ssh-agent that lives only as long as the deploy, and the server's host key to
ssh through `KnownHostsCommand`, both from environment variables: neither is ever written to a file or put
on a command line. Host keys are always checked (no trust on first use).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from newsroom.kit.settings import Option
from newsroom.publishing.targets.common import DERIVED, Deployment, TargetError
from newsroom.publishing.targets.listed import ListedTarget, Sent
from newsroom.publishing.targets.plan import DeployPlan, RemoteFile

REMOTE = re.compile(r"^(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(?P<path>.*)$")
TIMEOUT = 1800  # seconds: a first deploy of a large archive over a slow link
KEY_VARIABLE = "NEWSROOM_RSYNC_SSH_KEY"  # how the key reaches ssh-add, in the environment of the deploy only
KNOWN_HOSTS_VARIABLE = "NEWSROOM_RSYNC_KNOWN_HOSTS"
# Run as `ssh-agent sh -c ADD_KEY sh rsync …`: the agent holds the key in memory and exits with rsync.
ADD_KEY = (
    f'printf "%s\\n" "${KEY_VARIABLE}" | ssh-add -q - || exit 255; unset {KEY_VARIABLE}; exec "$@"'
)  # fmt: skip
LISTED = re.compile(r"^(?P<md5>[0-9a-f]{32}) +(?P<size>\d+) (?P<path>.+)$")


class RsyncTarget(ListedTarget):
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
        elif remote and not path.startswith("/"):
            problems.append(
                f"destination: {destination!r} must name the server's folder by its full path (rsync keeps "
                "half-written files beside it, which needs the full path), e.g. 'deploy@web1.example:/srv/newsroom/'"
            )
        if not 0 < options["port"] < 65536:
            problems.append(f"port: {options['port']!r} must be a port number (1-65535)")
        return problems

    @classmethod
    def destination(cls, options: Mapping) -> str:
        destination = options["destination"]
        return f"rsync://{destination}" if REMOTE.match(destination) else f"file://{destination}"

    @classmethod
    def identity(cls, options: Mapping) -> str:
        where = cls.destination(options).rstrip("/") + "/"
        return f"{where} port {options['port']}" if REMOTE.match(options["destination"]) else where

    @property
    def remote(self) -> bool:
        return REMOTE.match(self.settings["destination"]) is not None

    @property
    def target_folder(self) -> str:
        """The site's folder, as rsync names it (`host:/srv/site/` or an absolute local path), with a '/'."""
        destination = self.settings["destination"]
        if not self.remote:
            destination = str(self.project / destination)
        return destination.rstrip("/") + "/"

    @property
    def partial_folder(self) -> str:
        """Beside the site's folder, on the same disk (so a finished file is renamed into place), but outside
        it (so a half-written one is never served)."""
        host, _, path = self.target_folder.rpartition(":") if self.remote else ("", "", self.target_folder)
        path = path.rstrip("/")
        partial = posixpath.join(posixpath.dirname(path), f".{posixpath.basename(path)}.newsroom-partial") + "/"
        return f"{host}:{partial}" if host else partial

    def command(self, *arguments: str) -> list[str]:
        """An rsync command line with the options every pass shares; secrets are never on it."""
        command = ["rsync", "--compress", "--chmod=D755,F644", "--exclude=.*"]
        if self.remote:
            ssh = ["ssh", "-p", str(self.settings["port"]), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
            if self.secrets.get("known_hosts"):
                printenv = shutil.which("printenv") or "/usr/bin/printenv"
                ssh += [
                    "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", f"'KnownHostsCommand={printenv} {KNOWN_HOSTS_VARIABLE}'",
                ]  # fmt: skip
            command += ["-e", " ".join(ssh)]
        return [*command, *arguments]

    def list_remote(self) -> dict[str, RemoteFile]:
        """What the target holds, by rsync's own checksums (MD5, computed where the files are); a folder that
        does not exist yet holds nothing. Changes nothing, so a dry run can list too."""
        if not self.remote and not Path(self.target_folder).is_dir():
            return {}
        with tempfile.TemporaryDirectory(prefix="newsroom-rsync-") as empty:
            listing = self._run(
                "--dry-run", "--recursive", "--checksum", "--checksum-choice=md5", "--out-format=%C %l %n",
                self.target_folder, f"{empty}/", missing_is_empty=True,
            )  # fmt: skip
        found = {}
        for line in listing.splitlines():
            listed = LISTED.match(line)
            if listed and not listed["path"].endswith("/"):
                found[listed["path"]] = RemoteFile(listed["md5"], int(listed["size"]))
        return found

    def send(self, deployment: Deployment, plan: DeployPlan, sent: Sent) -> None:
        self._prepare()
        source = f"{str(deployment.output).rstrip('/')}/"
        compare = "--ignore-times" if deployment.force else "--checksum"  # --force: send even identical files
        for files in (plan.assets, plan.documents):
            if files:
                shown = self._run(
                    compare, "--itemize-changes", f"--temp-dir={self._partial_path}", "--files-from=-",
                    source, self.target_folder, stdin="".join(f"{file.path}\n" for file in files),
                )  # fmt: skip
                sent.uploaded += parse_itemized(shown)[0]
        if plan.delete:
            # --existing --ignore-existing: this pass sends nothing, it only deletes what the site no longer has.
            keep = [f"--exclude=/{folder}" for folder in DERIVED] if plan.keeps_index else []
            shown = self._run(
                "--recursive", "--delete", "--existing", "--ignore-existing", "--itemize-changes", *keep,
                source, self.target_folder,
            )  # fmt: skip
            sent.deleted += parse_itemized(shown)[1]

    @property
    def _partial_path(self) -> str:
        return self.partial_folder.rpartition(":")[2] if self.remote else self.partial_folder

    def _prepare(self) -> None:
        """Create the site's folder if need be, and the partial folder beside it, emptied of what a killed
        deploy left there."""
        if not self.remote:
            try:
                Path(self.target_folder).mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise TargetError(f"{self.where}: cannot create the folder ({error.strerror}).") from None
        with tempfile.TemporaryDirectory(prefix="newsroom-rsync-") as empty:
            self._run("--recursive", f"{empty}/", self.target_folder)
            self._run("--recursive", "--delete", f"{empty}/", self.partial_folder)

    def _run(self, *arguments: str, stdin: str | None = None, missing_is_empty: bool = False) -> str:
        if shutil.which("rsync") is None:
            raise TargetError(
                "the rsync target needs the rsync program (Debian: `apt-get install rsync openssh-client`)."
            )
        command, environ = self.command(*arguments), dict(os.environ)
        if self.remote and self.secrets.get("known_hosts"):
            environ[KNOWN_HOSTS_VARIABLE] = self.secrets["known_hosts"].strip() + "\n"
        if self.remote and self.secrets.get("ssh_key"):
            environ[KEY_VARIABLE] = self.secrets["ssh_key"].strip() + "\n"
            command = ["ssh-agent", "sh", "-c", ADD_KEY, "sh", *command]
        try:
            result = subprocess.run(
                command, input=stdin, env=environ, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise TargetError(f"{self.where}: rsync did not finish within {TIMEOUT} s.") from None
        except FileNotFoundError as error:
            raise TargetError(f"{self.where}: {error.filename} is not installed (Debian: openssh-client).") from None
        if missing_is_empty and result.returncode == 23 and "No such file or directory" in result.stderr:
            return ""  # the site's folder on the server does not exist yet: the first deploy creates it
        if result.returncode != 0:
            detail = _reason(result.stderr or result.stdout)
            raise TargetError(f"{self.where}: rsync failed (exit code {result.returncode}): {detail}")
        return result.stdout


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


def _reason(text: str) -> str:
    """The line that says why, as a sentence: ssh's or rsync's own complaint, not rsync's closing summary."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    telling = [line for line in lines if not line.startswith("rsync error:") and "unexpectedly closed" not in line]
    last = (telling or lines or ["no output"])[-1]
    return last if last.endswith(".") else last + "."
