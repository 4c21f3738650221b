"""SYNDICATION_* settings, validated once: every channel's problems reported together, with the fix."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from newsroom.kit.credentials import check_credentials, require_secrets
from newsroom.kit.settings import SettingsReader
from newsroom.model.alerts import EVERYTHING
from newsroom.model.disclosure import PUBLIC_ADDRESS
from newsroom.model.editions import edition_output
from newsroom.model.settings import Newsroom
from newsroom.syndication.channel_types import CHANNEL_TYPES

BUILD_KEY = "newsroom_syndication"  # where a build keeps the validated SyndicationConfig (site/validated.py)
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
# What every channel entry may say besides its type's own options. label, account and account_url are what
# readers see: "Also on" links and the disclosure channels page; alerts: True marks a channel that posts to the
# NEWSROOM_ALERTS lists (model/disclosure.py).
CHANNEL_KEYS = (
    *("name", "type", "label", "account", "account_url", "audiences", "internal", "credentials", "disclosure"),
    *("alerts", "language"),
)


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
    label: str = ""  # what readers call it ("Also on", the disclosure page): the entry's label, else its type's
    account: str = ""  # the address as shown, e.g. "@larkspur@mastodon.example"
    account_url: str = ""  # the public page to follow or subscribe at
    alerts: bool = False  # posts to the NEWSROOM_ALERTS lists (an email channel always does)
    language: str = ""  # the language it posts in (NEWSROOM_LANGUAGES); "" for the newsroom's default

    def read_secrets(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The secrets from the environment, or SettingsProblems naming each missing variable."""
        return require_secrets(
            self.credentials,
            environ,
            lambda role, variable: (
                f"channel {self.name!r}: environment variable {variable} is not set "
                f"(expected the {role} for this {self.type} channel)"
            ),
        )


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


def load_config(settings: Mapping, newsroom: Newsroom) -> SyndicationConfig:
    """Validate SYNDICATION_* settings against the channel types; raise SettingsProblems with every problem."""
    read = SettingsReader()
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ("SYNDICATION_CAP", "SYNDICATION_RETRIES"):
        read.whole_number(values[key], key)
    for key in ("SYNDICATION_MAX_WAIT", "SYNDICATION_BACKOFF", "SYNDICATION_TIMEOUT"):
        read.amount(values[key], key, "seconds")
    read.amount(values["SYNDICATION_ATTENTION_DAYS"], "SYNDICATION_ATTENTION_DAYS", "days", default=7)
    if not isinstance(values["SYNDICATION_LEDGER"], str) or not values["SYNDICATION_LEDGER"].strip():
        read.problem(
            "SYNDICATION_LEDGER",
            f"{values['SYNDICATION_LEDGER']!r} must be the ledger file's path, relative to the project "
            f"(e.g. {DEFAULTS['SYNDICATION_LEDGER']!r})",
        )

    has_alerts = bool((settings.get("NEWSROOM_ALERTS") or {}).get("lists"))
    channels, names = [], set()
    for where, entry in read.entries(settings, "SYNDICATION_CHANNELS"):
        channel = _channel(entry, where, newsroom, has_alerts, read)
        if channel and channel.name in names:
            read.problem(f"{where}.name", f"{channel.name!r} is used twice (each channel needs its own name)")
        if channel:
            names.add(channel.name)
            channels.append(channel)

    alert = settings.get("SYNDICATION_ALERT_CHANNEL")
    internal = [channel.name for channel in channels if channel.internal]
    if alert is not None and alert not in internal:
        read.problem(
            "SYNDICATION_ALERT_CHANNEL",
            f"{alert!r} is not an internal channel of SYNDICATION_CHANNELS (expected one of: "
            f"{', '.join(internal) or 'none; add one with internal: True'}); alerts name unpublished problems",
        )
    read.check()
    base = Path(settings.get("PATH", ".")).resolve().parent  # paths are relative to the project
    for channel in channels:
        for key, option in CHANNEL_TYPES[channel.type].options.items():
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
        internal_output=base / edition_output(settings, "internal"),
    )


def _channel(
    entry: Mapping, where: str, newsroom: Newsroom, has_alerts: bool, read: SettingsReader
) -> ChannelConfig | None:
    before = len(read.problems)
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        read.problem(f"{where}.name", f"{name!r} must be a lower-case name such as 'mastodon' or 'bluesky-ir'")
    kind = entry.get("type")
    channel_type = CHANNEL_TYPES.get(kind) if isinstance(kind, str) else None
    if channel_type is None:
        read.problem(
            f"{where}.type", f"unknown channel type {kind!r} (expected one of: {', '.join(sorted(CHANNEL_TYPES))})"
        )
        return None

    audiences = entry.get("audiences")
    known = newsroom.audience_by_slug
    if not isinstance(audiences, list | tuple) or not audiences:
        read.problem(f"{where}.audiences", f"{audiences!r} must list one or more of: {', '.join(known)}")
        audiences = []
    for slug in audiences:
        if not isinstance(slug, str) or slug not in known:
            read.problem(f"{where}.audiences", f"unknown audience {slug!r} (expected one of: {', '.join(known)})")
    audiences = [slug for slug in audiences if isinstance(slug, str)]  # reported above: only names from here on

    internal = entry.get("internal", channel_type.network == "internal")
    if not isinstance(internal, bool):
        read.problem(f"{where}.internal", f"{internal!r} must be True or False")
    elif internal and channel_type.network == "public":
        read.problem(f"{where}.internal", f"a {kind} channel is a public network and cannot be internal")
    elif not internal and channel_type.network == "internal":
        read.problem(f"{where}.internal", f"a {kind} channel only reaches employees (expected internal: True)")
    address = entry.get("to")
    if (
        internal is True
        and isinstance(address, str)
        and newsroom.alerts.language_of(parseaddr(address)[1] or address) is not None
    ):
        read.problem(
            f"{where}.to",
            f"{address!r} is an alert list of NEWSROOM_ALERTS, which anyone can join on the subscribe page "
            "(internal posts must never reach it: expected an address only employees receive)",
        )
    internal_audiences = [slug for slug in audiences if slug in known and known[slug].internal]
    if internal_audiences and not internal:
        read.problem(
            f"{where}.audiences",
            f"internal audience {internal_audiences[0]!r} on a public channel "
            f"(internal posts must never reach {kind}: remove it, or use an internal channel)",
        )

    credentials, credential_problems = check_credentials(
        entry.get("credentials", {}),
        channel_type.credentials,
        where,
        kind,
        "MASTODON_TOKEN",
        required=set(channel_type.credentials) - set(channel_type.optional_credentials),
    )
    read.problems += credential_problems
    options = read.options(entry, channel_type.options, where, f"a {kind} channel", CHANNEL_KEYS)
    disclosure = read.flag(entry, "disclosure", where)
    alerts = read.flag(entry, "alerts", where) or kind == "email"
    label, account = (read.text(entry, key, where, required=False) for key in ("label", "account"))
    account_url = entry.get("account_url") or ""
    if disclosure and internal is True:
        read.problem(f"{where}.disclosure", "an internal channel cannot carry disclosures (the public cannot see it)")
    elif disclosure and alerts and not has_alerts:
        read.problem(
            where,
            "an email alerts channel is a disclosure channel, but NEWSROOM_ALERTS names no lists "
            "(expected NEWSROOM_ALERTS, so that the subscribe and disclosure pages say how to sign up)",
        )
    elif disclosure and not alerts and not (isinstance(account_url, str) and PUBLIC_ADDRESS.match(account_url)):
        read.problem(
            f"{where}.account_url",
            f"{entry.get('account_url')!r} is not a public address (expected the http(s) page investors "
            "follow or subscribe at, or a mailto: address; the disclosure channels page links to it)",
        )

    language = _channel_language(entry, where, newsroom, read)
    _check_list_language(entry, where, newsroom, language, read)
    _check_list_sender(entry, where, newsroom, read)
    _check_list_audiences(entry, where, newsroom, audiences, read)
    list_options = _list_unsubscribe(entry, where, newsroom, read)
    if len(read.problems) > before:
        return None
    return ChannelConfig(
        name=name,
        type=kind,
        audiences=tuple(audiences),
        internal=internal,
        options={key: value for key, value in {**options, **list_options}.items() if value is not None},
        credentials=dict(credentials),
        disclosure=disclosure,
        label=label or channel_type.label,
        account=account,
        account_url=account_url if isinstance(account_url, str) else "",
        alerts=alerts,
        language=language,
    )


def _channel_language(entry: Mapping, where: str, newsroom: Newsroom, read: SettingsReader) -> str:
    """The language a channel posts in ("" for the newsroom's default), which must be one the newsroom publishes
    in, however many it has: a newsroom in one language routes every post to every channel, so a French channel
    left configured after French was dropped would announce the English posts, all at once. A channel type's own
    `language` option (Mastodon's) is the same setting."""
    language = entry.get("language", "")
    codes = newsroom.languages.codes
    if language not in ("", *codes):
        read.problem(
            f"{where}.language",
            f"{language!r} is not one of the newsroom's languages (expected one of: {', '.join(codes)}; see "
            f"NEWSROOM_LANGUAGES): channel {entry.get('name')!r} would announce posts in a language they are not "
            f"in; add {language!r} to NEWSROOM_LANGUAGES, or remove the channel or its language",
        )
    return language


def _check_list_language(entry: Mapping, where: str, newsroom: Newsroom, language: str, read: SettingsReader) -> None:
    """An email channel posting to one language's alert list posts in that language: otherwise the French list's
    readers would get the English versions (or the English list's the French ones)."""
    address = entry.get("to")
    if entry.get("type") != "email" or not isinstance(address, str) or not newsroom.languages.several:
        return
    list_language = newsroom.alerts.language_of(parseaddr(address)[1] or address)  # 'Name <list@host>' too
    languages = newsroom.languages
    posts_in = languages.find(language)  # None for a language the newsroom lacks: refused above
    if list_language is None or posts_in is None or list_language.casefold() == posts_in.code.casefold():
        return
    owner = languages.find(list_language)
    read.problem(
        f"{where}.to",
        f"{address!r} is the {owner.name} ({owner.code}) alert list of NEWSROOM_ALERTS, but this channel posts in "
        f"{posts_in.name} ({posts_in.code}) (expected language: {owner.code!r} on this channel, or the "
        f"{posts_in.name} list as its 'to')",
    )


# --- an email channel posting to a NEWSROOM_ALERTS list: the list's settings are the one source of truth ---------


def _alert_list(entry: Mapping, newsroom: Newsroom) -> str | None:
    """The NEWSROOM_ALERTS list (in any language) an email channel's `to` names, or None for another address."""
    address = entry.get("to")
    if entry.get("type") != "email" or not isinstance(address, str):
        return None
    wanted = parseaddr(address)[1] or address  # 'Name <list@host>' too
    return wanted if newsroom.alerts.language_of(wanted) is not None else None


def _check_list_sender(entry: Mapping, where: str, newsroom: Newsroom, read: SettingsReader) -> None:
    """A channel posting to a Mailman alert list sends as NEWSROOM_ALERTS.sender: the lists accept posts from that
    address only (`invoke alerts-lists`) and discard every other, so another sender's alerts would never arrive."""
    listed, accepted, sender = _alert_list(entry, newsroom), newsroom.alerts.sender, entry.get("sender")
    if not listed or not accepted or not isinstance(sender, str):
        return
    if (parseaddr(sender)[1] or sender).casefold() != accepted.casefold():
        read.problem(
            f"{where}.sender",
            f"{sender!r} is not NEWSROOM_ALERTS.sender {accepted!r}, the only address the alert list {listed!r} "
            f"accepts posts from: Mailman would discard every alert (expected the address {accepted!r}, with any "
            "name, e.g. 'Newsroom <" + accepted + ">')",
        )


def _check_list_audiences(
    entry: Mapping, where: str, newsroom: Newsroom, audiences: list[str], read: SettingsReader
) -> None:
    """A channel posting to an alert list carries exactly the audience its readers signed up for (the list for
    everything: every public audience): fewer drops posts they expect without a word, more mails them others."""
    listed = _alert_list(entry, newsroom)
    if not listed:
        return
    serves = newsroom.alerts.audience_of(listed)
    wanted = [audience.slug for audience in newsroom.public_audiences] if serves == EVERYTHING else [serves]
    if set(audiences) != set(wanted):
        whom = "every public audience" if serves == EVERYTHING else f"the {serves!r} audience"
        read.problem(
            f"{where}.audiences",
            f"{audiences!r} is not whom the alert list {listed!r} serves: NEWSROOM_ALERTS names it the list for "
            f"{whom} (expected audiences: {wanted!r})",
        )


def _list_unsubscribe(entry: Mapping, where: str, newsroom: Newsroom, read: SettingsReader) -> dict[str, str]:
    """The `unsubscribe` option of a channel posting to a Mailman alert list: the list's own `-leave` address,
    the one that unsubscribes (a reader writing to the sender or the reply-to address stays on the list)."""
    listed = _alert_list(entry, newsroom)
    leave = newsroom.alerts.leave_address(listed) if listed else ""
    if not leave:
        return {}
    given = entry.get("unsubscribe")
    if isinstance(given, str) and (parseaddr(given)[1] or given).casefold() != leave.casefold():  # else: typed
        read.problem(
            f"{where}.unsubscribe",
            f"{given!r} does not unsubscribe from the alert list {listed!r} (expected its leave address "
            f"{leave!r}, or leave unsubscribe out: it is derived from the list)",
        )
    return {"unsubscribe": leave}
