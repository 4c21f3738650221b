"""SYNDICATION_* settings, validated once: every channel's problems reported together, with the fix."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..credentials import check_credentials, read_secrets
from ..settings import Newsroom
from ..settings_kit import SettingsProblems

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

DEFAULTS = {
    "SYNDICATION_LEDGER": "syndication/ledger.jsonl",
    "SYNDICATION_CAP": 5,  # posts per run; the rest wait for the next run
    "SYNDICATION_MAX_WAIT": 60,  # seconds a channel may sleep for a rate limit before deferring
    "SYNDICATION_RETRIES": 3,  # tries for a request that failed before anything was posted
    "SYNDICATION_BACKOFF": 2.0,  # seconds before the first retry, doubled each time
    "SYNDICATION_TIMEOUT": 20,  # seconds for each HTTP request
    "SYNDICATION_ATTENTION_DAYS": 7,  # an open item fails every run for this long, then is only warned about
}


class ConfigError(SettingsProblems):
    """Syndication settings are wrong; one line per problem."""


@dataclass(frozen=True)
class Option:
    """A channel setting: its type, whether it is required, its default, and what it is for."""

    kind: type | tuple[type, ...]
    help: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    path: bool = False  # a file or folder, relative to the project
    pattern: str = ""  # a regular expression a text value must match in full, e.g. r"\d{6}" for a YYYYMM version


@dataclass(frozen=True)
class ChannelConfig:
    """One configured channel, validated: where it posts, for whom, and the names of its secrets."""

    name: str
    type: str
    audiences: tuple[str, ...]
    internal: bool
    options: Mapping
    credentials: Mapping[str, str]  # role -> name of the environment variable holding it
    disclosure: bool = False
    language: str = ""  # the language it posts in (NEWSROOM_LANGUAGES); "" for the newsroom's default

    def read_secrets(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The secrets from the environment, or ConfigError naming each missing variable."""
        secrets, missing = read_secrets(self.credentials, environ)
        if missing:
            raise ConfigError(
                [
                    f"channel {self.name!r}: environment variable {variable} is not set "
                    f"(expected the {role} for this {self.type} channel)"
                    for role, variable in missing
                ]
            )
        return secrets


@dataclass(frozen=True)
class SyndicationConfig:
    channels: tuple[ChannelConfig, ...]
    ledger: Path
    cap: int
    max_wait: float
    retries: int
    backoff: float
    timeout: float
    internal_output: Path
    attention_days: float = 7.0
    alert_channel: str = ""  # the internal channel told about each item that needs a person, if any


def load_config(settings: Mapping, newsroom: Newsroom, channel_types: Mapping) -> SyndicationConfig:
    """Validate SYNDICATION_* settings against the channel types; raise ConfigError with every problem."""
    problems: list[str] = []
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ("SYNDICATION_CAP", "SYNDICATION_RETRIES"):
        if not isinstance(values[key], int) or values[key] < 1:
            problems.append(f"{key}: {values[key]!r} must be a whole number of at least 1")
    for key in ("SYNDICATION_MAX_WAIT", "SYNDICATION_BACKOFF", "SYNDICATION_TIMEOUT"):
        if not isinstance(values[key], int | float) or values[key] < 0:
            problems.append(f"{key}: {values[key]!r} must be a number of seconds, 0 or more")
    days = values["SYNDICATION_ATTENTION_DAYS"]
    if isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
        problems.append(f"SYNDICATION_ATTENTION_DAYS: {days!r} must be a number of days, 0 or more (default 7)")

    entries = settings.get("SYNDICATION_CHANNELS", [])
    if not isinstance(entries, list | tuple):
        problems.append(f"SYNDICATION_CHANNELS: {entries!r} must be a list of dictionaries")
        entries = []
    channels, names = [], set()
    for index, entry in enumerate(entries):
        where = f"SYNDICATION_CHANNELS[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: {entry!r} must be a dictionary")
            continue
        channel = _channel(entry, where, newsroom, channel_types, problems)
        if channel and channel.name in names:
            problems.append(f"{where}.name: {channel.name!r} is used twice (each channel needs its own name)")
        if channel:
            names.add(channel.name)
            channels.append(channel)

    alert = settings.get("SYNDICATION_ALERT_CHANNEL")
    internal = [channel.name for channel in channels if channel.internal]
    if alert is not None and alert not in internal:
        problems.append(
            f"SYNDICATION_ALERT_CHANNEL: {alert!r} is not an internal channel of SYNDICATION_CHANNELS (expected one "
            f"of: {', '.join(internal) or 'none; add one with internal: True'}); alerts name unpublished problems"
        )

    if problems:
        raise ConfigError(problems)
    base = Path(settings.get("PATH", ".")).resolve().parent  # paths are relative to the project
    for channel in channels:
        for key, option in channel_types[channel.type].options.items():
            if option.path and channel.options.get(key):
                channel.options[key] = str(base / channel.options[key])
    return SyndicationConfig(
        channels=tuple(channels),
        ledger=base / values["SYNDICATION_LEDGER"],
        cap=values["SYNDICATION_CAP"],
        max_wait=float(values["SYNDICATION_MAX_WAIT"]),
        retries=values["SYNDICATION_RETRIES"],
        backoff=float(values["SYNDICATION_BACKOFF"]),
        timeout=float(values["SYNDICATION_TIMEOUT"]),
        attention_days=float(values["SYNDICATION_ATTENTION_DAYS"]),
        alert_channel=settings.get("SYNDICATION_ALERT_CHANNEL") or "",
        # The internal edition's manifest: where `invoke preview --internal` writes that edition.
        internal_output=base
        / settings.get("NEWSROOM_EDITIONS", {}).get("internal", {}).get("OUTPUT_PATH", "output-internal"),
    )


def _channel(
    entry: Mapping, where: str, newsroom: Newsroom, channel_types: Mapping, problems: list[str]
) -> ChannelConfig | None:
    before = len(problems)
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(f"{where}.name: {name!r} must be a lower-case name such as 'mastodon' or 'bluesky-ir'")
    kind = entry.get("type")
    channel_type = channel_types.get(kind)
    if channel_type is None:
        problems.append(
            f"{where}.type: unknown channel type {kind!r} (expected one of: {', '.join(sorted(channel_types))})"
        )
        return None

    audiences = entry.get("audiences")
    known = newsroom.audience_by_slug
    if not isinstance(audiences, list | tuple) or not audiences:
        problems.append(f"{where}.audiences: {audiences!r} must list one or more of: {', '.join(known)}")
        audiences = []
    for slug in audiences:
        if slug not in known:
            problems.append(f"{where}.audiences: unknown audience {slug!r} (expected one of: {', '.join(known)})")

    internal = entry.get("internal", channel_type.network == "internal")
    if not isinstance(internal, bool):
        problems.append(f"{where}.internal: {internal!r} must be True or False")
    elif internal and channel_type.network == "public":
        problems.append(f"{where}.internal: a {kind} channel is a public network and cannot be internal")
    elif not internal and channel_type.network == "internal":
        problems.append(f"{where}.internal: a {kind} channel only reaches employees (expected internal: True)")
    internal_audiences = [slug for slug in audiences if slug in known and known[slug].internal]
    if internal_audiences and not internal:
        problems.append(
            f"{where}.audiences: internal audience {internal_audiences[0]!r} on a public channel "
            f"(internal posts must never reach {kind}: remove it, or use an internal channel)"
        )

    credentials, credential_problems = check_credentials(
        entry.get("credentials", {}),
        channel_type.credentials,
        where,
        kind,
        "MASTODON_TOKEN",
        required=set(channel_type.credentials) - set(channel_type.optional_credentials),
    )
    problems.extend(credential_problems)

    options = {}
    # label, account and account_url are what readers see: "Also on" links and the disclosure channels page;
    # alerts: True marks a channel that posts to the NEWSROOM_ALERTS lists (newsroom/disclosure.py).
    allowed = {
        "name", "type", "label", "account", "account_url", "audiences", "internal", "credentials", "disclosure",
        "alerts", "language", *channel_type.options,
    }  # fmt: skip
    for key in sorted(set(entry) - allowed):
        problems.append(
            f"{where}.{key}: unknown setting for a {kind} channel (expected one of: {', '.join(sorted(allowed))})"
        )
    for key, option in channel_type.options.items():
        value = entry.get(key, option.default)
        if value is None:
            if option.required:
                problems.append(f"{where}.{key}: missing (expected {option.help})")
            continue
        if not isinstance(value, option.kind) or (isinstance(value, bool) and option.kind in (int, float)):
            problems.append(f"{where}.{key}: {value!r} is not valid (expected {option.help})")
        elif option.choices and value not in option.choices:
            problems.append(f"{where}.{key}: {value!r} is not one of: {', '.join(map(str, option.choices))}")
        elif option.pattern and isinstance(value, str) and not re.fullmatch(option.pattern, value):
            problems.append(f"{where}.{key}: {value!r} is not valid (expected {option.help})")
        options[key] = value
    disclosure = entry.get("disclosure", False)
    if not isinstance(disclosure, bool):
        problems.append(f"{where}.disclosure: {disclosure!r} must be True or False")
    elif disclosure and internal is True:
        problems.append(f"{where}.disclosure: an internal channel cannot carry disclosures (the public cannot see it)")

    # What the channel posts in: a channel type's own `language` option (Mastodon's) means the same. Checked
    # against the newsroom's languages only when it has several: a newsroom in one language routes every post.
    language = entry.get("language", "")
    codes = newsroom.languages.codes
    if newsroom.languages.several and language not in ("", *codes):
        problems.append(
            f"{where}.language: {language!r} is not one of the newsroom's languages (expected one of: "
            f"{', '.join(codes)}; see NEWSROOM_LANGUAGES)"
        )

    if len(problems) > before:
        return None
    return ChannelConfig(
        name=name,
        type=kind,
        audiences=tuple(audiences),
        internal=internal,
        options=options,
        credentials=dict(credentials),
        disclosure=disclosure,
        language=language,
    )
