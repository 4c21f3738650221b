"""NEWSROOM_PUBLISH, validated once: where each edition is deployed and where the publish state is kept.

NEWSROOM_PUBLISH = {
    "target": {"type": "github-pages"},          # the public site
    "internal_target": {"type": "rsync", ...},   # the intranet edition; None: not deployed by `invoke publish`
    "state": {"store": "git", "branch": "main"}, # where the ledger and the other state files are persisted
    "state_dir": "publishing",                   # WebSub and deploy state, beside the ledger
    "source": {"remote": "origin", "branch": "main"},  # only this branch's tip is published; None: no git
}
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsroom.kit.credentials import ENV_NAME, check_credentials, require_secrets
from newsroom.kit.loopback import is_this_machine
from newsroom.kit.settings import SettingsReader

DEFAULTS = {
    "target": {"type": "github-pages"},
    "internal_target": None,
    "state": {"store": "local"},
    "state_dir": "publishing",
    "source": {"remote": "origin", "branch": "main"},
}
SOURCE_DEFAULTS = {"remote": "origin", "branch": "main"}
STATE_DEFAULTS = {
    "store": "local",
    "remote": "origin",
    "branch": "main",
    "token_env": "",
    "author": "Newsroom publisher <newsroom-publisher@users.noreply.github.com>",
}
STORES = ("local", "git")
AUTHOR = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>$")
BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/-]+(?<!\.lock)(?<!/)$")


@dataclass(frozen=True)
class TargetConfig:
    """One deploy target, validated: its type, its options and the names of its secrets' variables."""

    key: str  # "target" or "internal_target"
    type: str
    options: Mapping
    credentials: Mapping[str, str]  # role -> name of the environment variable holding it

    def read_secrets(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The secrets that are set; a configured variable that is missing is an error naming it."""
        return require_secrets(
            self.credentials,
            environ,
            lambda role, variable: (
                f"NEWSROOM_PUBLISH.{self.key}: environment variable {variable} is not set "
                f"(expected the {role} for the {self.type} target)"
            ),
        )


@dataclass(frozen=True)
class StateConfig:
    """Where the state that must survive a fresh checkout (ledger, WebSub and deploy state) is kept."""

    store: str  # "local": the files stay where they are; "git": committed and pushed to `branch`
    remote: str = "origin"
    branch: str = "main"
    token_env: str = ""  # the variable holding a token for HTTPS pushes (e.g. GITHUB_TOKEN), if any
    author_name: str = "Newsroom publisher"
    author_email: str = "newsroom-publisher@users.noreply.github.com"


@dataclass(frozen=True)
class SourceConfig:
    """The branch whose tip alone may be published, fetched fresh at the start of each publish."""

    remote: str = "origin"
    branch: str = "main"
    token_env: str = ""  # as the state store's: a token for HTTPS fetches, if any


@dataclass(frozen=True)
class PublishConfig:
    target: TargetConfig
    internal_target: TargetConfig | None
    state: StateConfig
    project: Path  # the folder holding content/; relative paths are relative to it
    state_dir: Path
    source: SourceConfig | None = None  # None: not a git checkout, nothing to check
    content: Path | None = None  # the content folder (PATH): no file git does not track may be published from it

    @property
    def websub_state(self) -> Path:
        return self.state_dir / "websub.json"

    @property
    def deploy_state(self) -> Path:
        return self.state_dir / "deployed.json"

    @property
    def last_publish(self) -> Path:
        """What the last finished publish published, and when (see due.py)."""
        return self.state_dir / "last-publish.json"


def load_publish_config(settings: Mapping, target_types: Mapping) -> PublishConfig:
    """Validate NEWSROOM_PUBLISH against the target types; raise SettingsProblems with every problem."""
    read = SettingsReader()
    values = read.dictionary(settings, "NEWSROOM_PUBLISH", DEFAULTS)

    target = _target(values["target"], "target", target_types, read)
    internal = None
    if values["internal_target"] is not None:
        internal = _target(values["internal_target"], "internal_target", target_types, read)
    if internal and target_types.get(internal.type) and target_types[internal.type].public_only:
        read.problem(
            "NEWSROOM_PUBLISH.internal_target.type",
            f"{internal.type!r} publishes to the public web (expected a target only employees can reach, e.g. "
            "rsync to the intranet server or a private bucket)",
        )
    if target and internal:
        public_at = target_types[target.type].destination(target.options)
        internal_at = target_types[internal.type].destination(internal.options)
        project = Path(settings.get("PATH", ".")).resolve().parent
        if _overlap(_place(public_at, project), _place(internal_at, project)):
            read.problem(
                "NEWSROOM_PUBLISH.internal_target",
                f"{internal_at!r} is the public target {public_at!r} or inside it (expected its own destination: "
                "internal posts must never reach the public site)",
            )

    state = _state(values["state"], read)
    state_dir = values["state_dir"]
    if not isinstance(state_dir, str) or not state_dir.strip() or Path(state_dir).is_absolute():
        read.problem(
            "NEWSROOM_PUBLISH.state_dir", f"{state_dir!r} must be a folder inside the project, e.g. 'publishing'"
        )
        state_dir = DEFAULTS["state_dir"]

    source = _source(values["source"], state.token_env, read)
    read.check()
    project = Path(settings.get("PATH", ".")).resolve().parent
    return PublishConfig(
        target=target,
        internal_target=internal,
        state=state,
        project=project,
        state_dir=project / state_dir,
        source=source,
        content=Path(settings.get("PATH", ".")).resolve(),
    )


def _target(entry, key: str, target_types: Mapping, read: SettingsReader) -> TargetConfig | None:
    where = f"NEWSROOM_PUBLISH.{key}"
    if not isinstance(entry, Mapping):
        read.problem(where, f"{entry!r} must be a dictionary such as {{'type': 'github-pages'}}")
        return None
    kind = entry.get("type")
    target_type = target_types.get(kind) if isinstance(kind, str) else None
    if target_type is None:
        read.problem(f"{where}.type", f"unknown target type {kind!r} (expected one of: {', '.join(target_types)})")
        return None
    before = len(read.problems)
    options = read.options(entry, target_type.options, where, f"a {kind} target", ("type", "credentials"))
    credentials, credential_problems = check_credentials(
        entry.get("credentials", {}),
        target_type.credentials,
        where,
        f"a {kind} target",
        "NEWSROOM_S3_SECRET_ACCESS_KEY",
    )
    read.problems += credential_problems
    if len(read.problems) == before:
        read.problems += [f"{where}.{problem}" for problem in target_type.check(options)]
    if len(read.problems) > before:
        return None
    return TargetConfig(key=key, type=kind, options=options, credentials=dict(credentials))


def _state(entry, read: SettingsReader) -> StateConfig:
    where = "NEWSROOM_PUBLISH.state"
    values = read.dictionary({where: entry}, where, STATE_DEFAULTS)
    if values["store"] not in STORES:
        read.problem(f"{where}.store", f"{values['store']!r} is not one of: {', '.join(STORES)}")
    _check_remote_and_branch(values, where, read)
    token = values["token_env"]
    if not isinstance(token, str) or (token and not ENV_NAME.match(token)):
        read.problem(
            f"{where}.token_env", f"{token!r} must be the NAME of an environment variable, e.g. 'GITHUB_TOKEN'"
        )
    author = AUTHOR.match(values["author"]) if isinstance(values["author"], str) else None
    if not author:
        read.problem(f"{where}.author", f"{values['author']!r} must look like 'Name <email@example.com>'")
    return StateConfig(
        store=values["store"],
        remote=values["remote"],
        branch=values["branch"],
        token_env=token if isinstance(token, str) else "",
        author_name=author["name"] if author else "",
        author_email=author["email"] if author else "",
    )


def _source(entry, token_env: str, read: SettingsReader) -> SourceConfig | None:
    where = "NEWSROOM_PUBLISH.source"
    if entry is None:
        return None
    values = read.dictionary({where: entry}, where, SOURCE_DEFAULTS)
    _check_remote_and_branch(values, where, read)
    return SourceConfig(str(values["remote"]), str(values["branch"]), token_env)


def _check_remote_and_branch(values: Mapping, where: str, read: SettingsReader) -> None:
    if not isinstance(values["remote"], str) or not re.match(r"^[A-Za-z0-9._-]+$", values["remote"]):
        read.problem(f"{where}.remote", f"{values['remote']!r} must be the name of a git remote, e.g. 'origin'")
    if not isinstance(values["branch"], str) or not BRANCH.match(values["branch"]):
        read.problem(f"{where}.branch", f"{values['branch']!r} must be a branch name, e.g. 'main' or 'newsroom-state'")


def _overlap(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """True when one place (_place) is the other or inside it (so one deploy could overwrite the other)."""
    (where, path), (other_where, other_path) = first, second
    a, b = path.rstrip("/") + "/", other_path.rstrip("/") + "/"
    return where == other_where and (a.startswith(b) or b.startswith(a))


def _place(destination: str, project: Path) -> tuple[str, str]:
    """A target's destination (as its type writes it: rsync://[user@]host:path, file://path, s3://bucket/prefix)
    as (the machine or bucket, the absolute normalised path on it), so that two spellings of one folder compare
    equal: another user on the same host, `./`, `x/..`, a host name in capitals, a relative local path."""
    scheme, _, rest = destination.partition("://")
    if scheme == "rsync":  # the settings require the server's folder by its full path
        login, _, path = rest.partition(":")
        host = login.rpartition("@")[2].lower().rstrip(".")  # `web1.example.` is web1.example, fully qualified
        if is_this_machine(host.removeprefix("[").removesuffix("]")):  # over SSH to this machine: file://
            return "file://", os.path.realpath(posixpath.normpath("/" + path))
        return f"rsync://{host}", posixpath.normpath("/" + path)
    if scheme == "file":
        return "file://", os.path.realpath(project / rest)
    if scheme == "s3":
        bucket, _, prefix = rest.partition("/")
        return f"s3://{bucket}", posixpath.normpath("/" + prefix)
    return destination, "/"


__all__ = [
    "PublishConfig",
    "SourceConfig",
    "StateConfig",
    "TargetConfig",
    "load_publish_config",
]
