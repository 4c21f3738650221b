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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsroom.kit.credentials import ENV_NAME, check_credentials, read_secrets
from newsroom.kit.settings import SettingsProblems
from newsroom.syndication.config import Option

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


class PublishConfigError(SettingsProblems):
    """NEWSROOM_PUBLISH is wrong; one line per problem, each naming the key, the value and the fix."""


@dataclass(frozen=True)
class TargetConfig:
    """One deploy target, validated: its type, its options and the names of its secrets' variables."""

    key: str  # "target" or "internal_target"
    type: str
    options: Mapping
    credentials: Mapping[str, str]  # role -> name of the environment variable holding it

    def read_secrets(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The secrets that are set; a configured variable that is missing is an error naming it."""
        secrets, missing = read_secrets(self.credentials, environ)
        if missing:
            raise PublishConfigError(
                [
                    f"NEWSROOM_PUBLISH.{self.key}: environment variable {variable} is not set "
                    f"(expected the {role} for the {self.type} target)"
                    for role, variable in missing
                ]
            )
        return secrets


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
    """Validate NEWSROOM_PUBLISH against the target types; raise PublishConfigError with every problem."""
    problems: list[str] = []
    raw = settings.get("NEWSROOM_PUBLISH", {})
    if not isinstance(raw, Mapping):
        raise PublishConfigError([f"NEWSROOM_PUBLISH: {raw!r} must be a dictionary"])
    for key in sorted(set(raw) - set(DEFAULTS)):
        problems.append(f"NEWSROOM_PUBLISH: unknown key {key!r} (expected one of: {', '.join(DEFAULTS)})")
    values = {**DEFAULTS, **raw}

    target = _target(values["target"], "target", target_types, problems)
    internal = None
    if values["internal_target"] is not None:
        internal = _target(values["internal_target"], "internal_target", target_types, problems)
    if internal and target_types.get(internal.type) and target_types[internal.type].public_only:
        problems.append(
            f"NEWSROOM_PUBLISH.internal_target.type: {internal.type!r} publishes to the public web "
            "(expected a target only employees can reach, e.g. rsync to the intranet server or a private bucket)"
        )
    if target and internal:
        public_at = target_types[target.type].destination(target.options)
        internal_at = target_types[internal.type].destination(internal.options)
        if _overlap(public_at, internal_at):
            problems.append(
                f"NEWSROOM_PUBLISH.internal_target: {internal_at!r} is the public target {public_at!r} or inside "
                "it (expected its own destination: internal posts must never reach the public site)"
            )

    state = _state(values["state"], problems)
    state_dir = values["state_dir"]
    if not isinstance(state_dir, str) or not state_dir.strip() or Path(state_dir).is_absolute():
        problems.append(
            f"NEWSROOM_PUBLISH.state_dir: {state_dir!r} must be a folder inside the project, e.g. 'publishing'"
        )
        state_dir = DEFAULTS["state_dir"]

    source = _source(values["source"], state.token_env, problems)
    if problems:
        raise PublishConfigError(problems)
    project = Path(settings.get("PATH", ".")).resolve().parent
    return PublishConfig(
        target=target,
        internal_target=internal,
        state=state,
        project=project,
        state_dir=project / state_dir,
        source=source,
    )


def _target(entry, key: str, target_types: Mapping, problems: list[str]) -> TargetConfig | None:
    where = f"NEWSROOM_PUBLISH.{key}"
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: {entry!r} must be a dictionary such as {{'type': 'github-pages'}}")
        return None
    kind = entry.get("type")
    target_type = target_types.get(kind)
    if target_type is None:
        problems.append(f"{where}.type: unknown target type {kind!r} (expected one of: {', '.join(target_types)})")
        return None
    before = len(problems)
    allowed = {"type", "credentials", *target_type.options}
    for name in sorted(set(entry) - allowed):
        problems.append(
            f"{where}.{name}: unknown setting for a {kind} target (expected one of: {', '.join(sorted(allowed))})"
        )
    options = {}
    for name, option in target_type.options.items():
        value = entry.get(name, option.default)
        if value is None:
            if option.required:
                problems.append(f"{where}.{name}: missing (expected {option.help})")
            options[name] = None
            continue
        if not isinstance(value, option.kind) or (isinstance(value, bool) and option.kind in (int, float)):
            problems.append(f"{where}.{name}: {value!r} is not valid (expected {option.help})")
        elif option.choices and value not in option.choices:
            problems.append(f"{where}.{name}: {value!r} is not one of: {', '.join(map(str, option.choices))}")
        options[name] = value
    credentials, credential_problems = check_credentials(
        entry.get("credentials", {}),
        target_type.credentials,
        where,
        f"a {kind} target",
        "NEWSROOM_S3_SECRET_ACCESS_KEY",
    )
    problems.extend(credential_problems)
    if len(problems) == before:
        problems.extend(f"{where}.{problem}" for problem in target_type.check(options))
    if len(problems) > before:
        return None
    return TargetConfig(key=key, type=kind, options=options, credentials=dict(credentials))


def _state(entry, problems: list[str]) -> StateConfig:
    where = "NEWSROOM_PUBLISH.state"
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: {entry!r} must be a dictionary such as {{'store': 'git', 'branch': 'main'}}")
        return StateConfig("local")
    for key in sorted(set(entry) - set(STATE_DEFAULTS)):
        problems.append(f"{where}: unknown key {key!r} (expected one of: {', '.join(STATE_DEFAULTS)})")
    values = {**STATE_DEFAULTS, **entry}
    if values["store"] not in STORES:
        problems.append(f"{where}.store: {values['store']!r} is not one of: {', '.join(STORES)}")
    _check_remote_and_branch(values, where, problems)
    token = values["token_env"]
    if not isinstance(token, str) or (token and not ENV_NAME.match(token)):
        problems.append(
            f"{where}.token_env: {token!r} must be the NAME of an environment variable, e.g. 'GITHUB_TOKEN'"
        )
    author = AUTHOR.match(values["author"]) if isinstance(values["author"], str) else None
    if not author:
        problems.append(f"{where}.author: {values['author']!r} must look like 'Name <email@example.com>'")
    return StateConfig(
        store=values["store"],
        remote=values["remote"],
        branch=values["branch"],
        token_env=token if isinstance(token, str) else "",
        author_name=author["name"] if author else "",
        author_email=author["email"] if author else "",
    )


def _source(entry, token_env: str, problems: list[str]) -> SourceConfig | None:
    where = "NEWSROOM_PUBLISH.source"
    if entry is None:
        return None
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: {entry!r} must be a dictionary such as {{'remote': 'origin', 'branch': 'main'}}")
        return None
    for key in sorted(set(entry) - set(SOURCE_DEFAULTS)):
        problems.append(f"{where}: unknown key {key!r} (expected one of: {', '.join(SOURCE_DEFAULTS)})")
    values = {**SOURCE_DEFAULTS, **entry}
    _check_remote_and_branch(values, where, problems)
    return SourceConfig(str(values["remote"]), str(values["branch"]), token_env)


def _check_remote_and_branch(values: Mapping, where: str, problems: list[str]) -> None:
    if not isinstance(values["remote"], str) or not re.match(r"^[A-Za-z0-9._-]+$", values["remote"]):
        problems.append(f"{where}.remote: {values['remote']!r} must be the name of a git remote, e.g. 'origin'")
    if not isinstance(values["branch"], str) or not BRANCH.match(values["branch"]):
        problems.append(f"{where}.branch: {values['branch']!r} must be a branch name, e.g. 'main' or 'newsroom-state'")


def _overlap(first: str, second: str) -> bool:
    """True when one destination is the other or inside it (so one deploy could overwrite the other)."""
    a, b = first.rstrip("/") + "/", second.rstrip("/") + "/"
    return a.startswith(b) or b.startswith(a)


__all__ = [
    "Option",
    "PublishConfig",
    "PublishConfigError",
    "SourceConfig",
    "StateConfig",
    "TargetConfig",
    "load_publish_config",
]
