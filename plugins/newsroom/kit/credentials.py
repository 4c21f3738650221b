"""Credentials by name: settings name the environment variables that hold secrets, never the secrets themselves.

Shared by the syndication channels and the deploy targets, which both configure
`"credentials": {role: "ENVIRONMENT_VARIABLE"}` and read the secrets only when they are about to use them, and
both pass whatever a server answered through `redact` before it is shown (a server may echo a secret back).
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

from newsroom.kit.settings import SettingsProblems

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def check_credentials(
    credentials: object,
    roles: Mapping[str, str],
    where: str,
    owner: str,
    example: str,
    required: Iterable[str] = (),
) -> tuple[dict[str, str], list[str]]:
    """Check a `credentials` setting against the secret `roles` (role -> what it is) that `owner` ('mastodon',
    'a s3 target') takes. Returns the mapping (empty when it is not one) and a problem per mistake, the missing
    `required` roles first."""
    problems = []
    if not isinstance(credentials, Mapping):
        problems.append(f"{where}.credentials: {credentials!r} must map each secret to an environment variable name")
        credentials = {}
    problems.extend(
        f"{where}.credentials.{role}: missing (expected the name of the environment variable holding the {roles[role]})"
        for role in sorted(set(required) - set(credentials))
    )
    for role, variable in credentials.items():
        if role not in roles:
            problems.append(
                f"{where}.credentials.{role}: unknown secret for {owner} (expected: {', '.join(roles) or 'none'})"
            )
        elif not isinstance(variable, str) or not ENV_NAME.match(variable):
            problems.append(
                f"{where}.credentials.{role}: {variable!r} must be the NAME of an environment variable "
                f"(e.g. {example!r}), never the secret itself"
            )
    return dict(credentials), problems


def read_secrets(credentials: Mapping[str, str], environ: Mapping[str, str]) -> tuple[dict[str, str], list]:
    """The secrets by role, or ({}, [(role, variable), ...]) naming every configured variable that is not set."""
    missing = [(role, variable) for role, variable in credentials.items() if not environ.get(variable)]
    if missing:
        return {}, missing
    return {role: environ[variable] for role, variable in credentials.items()}, []


def require_secrets(
    credentials: Mapping[str, str], environ: Mapping[str, str], missing: Callable[[str, str], str]
) -> dict[str, str]:
    """The secrets by role, or SettingsProblems with `missing(role, variable)` for every variable not set."""
    secrets, unset = read_secrets(credentials, environ)
    if unset:
        raise SettingsProblems([missing(role, variable) for role, variable in unset])
    return secrets


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` without any of `secrets`, as written or as a URL writes it (percent-encoded in a path or query), as
    base64 writes it inside a longer value (HTTP Basic's `user:password`, SMTP's AUTH PLAIN and LOGIN: a server
    may quote the credential it refused; the whole encoded value goes, as its edges hold the secret's first and
    last characters), nor any line of a secret of several lines (a private key: a tool may echo one of its lines)."""
    secrets = [secret for secret in secrets if secret]
    forms = {form for secret in secrets for form in _written_forms(secret)}
    # Longest first: a secret's part (a webhook's path) must not break up the whole (its URL) before it is found.
    for secret in sorted(forms, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    cores = sorted({core for secret in secrets for core in _base64_forms(secret)}, key=len, reverse=True)
    if cores and _BASE64_RUN.search(text):
        inside = "|".join(re.escape(core) for core in cores)
        text = re.sub(rf"[A-Za-z0-9+/_-]*(?:{inside})[A-Za-z0-9+/_-]*=*", "[redacted]", text)
    return text


_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{8}")


class SecretsInUse:
    """Every secret this process has read or been given (a channel's credentials, a session token a login
    answered), so that whatever is shown or kept can be cleared of all of them at one place, whoever forgot to
    name them (syndication's ChannelError, the HTTP log filter). Thread-safe: channels run in parallel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()

    def hide(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._secrets = self._secrets | {secret for secret in secrets if secret}

    def redact(self, text: str, also: Iterable[str] = ()) -> str:
        return redact(text, [*self._secrets, *also])


SECRETS_IN_USE = SecretsInUse()


def _written_forms(secret: str) -> set[str]:
    lines = {line.strip() for line in secret.splitlines()} if "\n" in secret.strip() else set()
    return {secret, quote(secret), quote(secret, safe=""), quote_plus(secret), *lines}


def _base64_forms(secret: str) -> set[str]:
    """What base64 writes of `secret` wherever it sits in a longer value: at each of the three byte alignments,
    the characters that depend on the secret's bytes alone (a group of four shared with what comes before or after
    differs from value to value), in both alphabets. Too short a secret gives no such run (then nothing)."""
    data, found = secret.encode("utf-8"), set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        whole_groups = (shift + len(data)) // 3
        core = encoded[(4 if shift else 0) : whole_groups * 4]
        if len(core) >= 8:
            found |= {core, core.replace("+", "-").replace("/", "_")}
    return found
