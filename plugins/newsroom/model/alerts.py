"""Email alerts: which mailing list serves which audience, and how a reader joins it from a static page.

NEWSROOM_ALERTS names one list per public audience and one for everything ("all"), all at one provider. A
newsroom in several languages may give a language lists of its own (`translations`, as the settings' texts do):
its pages offer them, and its email channels post that language's versions to them. A language without lists of
its own offers the default language's, marked as being in that language. The provider decides how a page with
no server behind it signs people up:

- mailman (GNU Mailman 3, the default): a mailto button to `<list>-join@<host>`, which starts Mailman's double
  opt-in (it mails a confirmation; the reply subscribes), and a link to the list's Postorius page if there is one;
- listmonk, mailchimp, buttondown: a plain HTML form posting the fields each one's own signup form posts.

The syndication `email` channels post the alerts to the lists; the list manager delivers them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

from newsroom.kit.settings import SettingsReader, did_you_mean
from newsroom.kit.translated import TRANSLATIONS_KEY

EVERYTHING = "all"  # the list that gets every public post
PROVIDERS = ("mailman", "listmonk", "mailchimp", "buttondown")
# What each provider's lists are called in the settings, and the other keys it takes (required, optional).
LIST_VALUE = {
    "mailman": "the list's posting address, e.g. 'investor-alerts@lists.example.com'",
    "listmonk": "the list's UUID (listmonk: Lists → the list → UUID)",
    "mailchimp": "the embedded form's action URL, 'https://<dc>.list-manage.com/subscribe/post?u=…&id=…'",
    "buttondown": "the newsletter's Buttondown username",
}
PROVIDER_KEYS = {
    "mailman": ({"sender"}, {"postorius"}),
    "listmonk": ({"url"}, set()),
    "mailchimp": (set(), set()),
    "buttondown": (set(), {"url"}),
}
BUTTONDOWN_FORM = "https://buttondown.com/api/emails/embed-subscribe/"
EMAIL = re.compile(r"^[^@\s<>\"']+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$", re.I)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HTTPS_URL = re.compile(r"^https://[^/\s?#]+(?:/\S*)?$")
MAILCHIMP_ACTION = re.compile(r"^https://(?:[a-z0-9-]+\.)+list-manage\.com/subscribe/post\?\S+$")
USERNAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class SignUp:
    """How a reader joins one list from a static page: a mailto link and web page, or a form to POST."""

    audience: str  # an audience slug, or "all"
    mailto: str = ""  # mailman: mailto:<list>-join@<host>?subject=join
    page: str = ""  # mailman with Postorius: the list's web subscribe page
    action: str = ""  # a form's action URL (it is POSTed with `email_field` and `hidden`)
    email_field: str = ""
    hidden: tuple[tuple[str, str], ...] = ()
    honeypot: str = ""  # the field a bot fills in and a person never sees; must stay empty
    language: str = ""  # the list's language, when it is not the page's (a language without lists of its own)


@dataclass(frozen=True)
class AlertSettings:
    """NEWSROOM_ALERTS, validated. `lists` maps "all" and public audience slugs to the provider's list id, in
    the default language; `other_languages` holds the lists of each language that has its own."""

    provider: str = ""
    lists: tuple[tuple[str, str], ...] = ()
    sender: str = ""  # mailman: the only address the lists accept posts from (the email channels' sender)
    postorius: str = ""  # mailman: Postorius's root URL, if the company runs it
    url: str = ""  # listmonk: its root URL; buttondown: the embed-subscribe URL
    language: str = ""  # the language of `lists` (the alerts they carry); "" on a site in one language
    other_languages: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # Set on the lists a page offers in place of its language's own (it has none): the language they are in.
    fallback_language: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.lists)

    def every_language(self) -> tuple[AlertSettings, ...]:
        """The lists of each language that has its own, the default language's first."""
        own = replace(self, other_languages=())
        return (own, *(replace(own, lists=lists, language=code) for code, lists in self.other_languages))

    def language_of(self, value: str) -> str | None:
        """The language whose list `value` is (a list's posting address, for Mailman), or None for no list."""
        wanted = value.casefold()  # list names are not case-sensitive: 'Investor-Alerts@…' is the same list
        return next(
            (
                lists.language
                for lists in self.every_language()
                if any(wanted == own.casefold() for _, own in lists.lists)
            ),
            None,
        )

    def audience_of(self, value: str) -> str | None:
        """Whom the list `value` serves, in any language: an audience slug, "all", or None for no list."""
        wanted = value.casefold()
        return next(
            (audience for lists in self.every_language() for audience, own in lists.lists if own.casefold() == wanted),
            None,
        )

    def in_language(self, code: str | None) -> AlertSettings:
        """The lists a page in `code` offers: that language's own, else the default language's, marked with
        their language (`fallback_language`) so that the page says so; never another language's silently."""
        wanted = (code or self.language).casefold()
        for lists in self.every_language():
            if lists.language.casefold() == wanted:
                return lists
        default = self.every_language()[0]
        return replace(default, fallback_language=default.language) if default.language else default

    def form_origins(self) -> tuple[str, ...]:
        """The origins (`https://host`) the sign-up forms of every language post to, each once, in order: the
        pages' Content-Security-Policy must allow them as form actions, or browsers refuse to send the form."""
        return self._form_origins  # worked out once: every page of the site asks (its policy, base.html)

    @cached_property
    def _form_origins(self) -> tuple[str, ...]:
        actions = (
            signup.action
            for lists in self.every_language()
            for audience, _ in lists.lists
            if (signup := lists._sign_up(audience)) is not None and signup.action
        )
        return tuple(dict.fromkeys(_origin(action) for action in actions))

    def list_for(self, audience: str) -> str:
        return dict(self.lists).get(audience, "")

    def sign_up(self, audience: str) -> SignUp | None:
        """How to join the list for `audience` ("all" for everything), or None when it has none."""
        signup = self._sign_up(audience)
        return replace(signup, language=self.fallback_language) if signup else None

    def leave_address(self, value: str) -> str:
        """Where a reader of the list `value` writes to leave it: mailman's `<list>-leave@<host>` ("" otherwise)."""
        if self.provider != "mailman" or "@" not in value:
            return ""
        local, host = value.rsplit("@", 1)
        return f"{local}-leave@{host}"

    def _sign_up(self, audience: str) -> SignUp | None:
        value = self.list_for(audience)
        if not value:
            return None
        if self.provider == "mailman":
            local, host = value.rsplit("@", 1)
            page = f"{self.postorius.rstrip('/')}/lists/{local}.{host}/" if self.postorius else ""
            return SignUp(audience, mailto=f"mailto:{local}-join@{host}?subject=join", page=page)
        if self.provider == "listmonk":
            return SignUp(
                audience,
                action=f"{self.url.rstrip('/')}/subscription/form",
                email_field="email",
                hidden=(("l", value),),
                honeypot="nonce",
            )
        if self.provider == "mailchimp":
            query = parse_qs(urlsplit(value).query)
            honeypot = f"b_{query['u'][0]}_{query['id'][0]}"
            return SignUp(audience, action=value, email_field="EMAIL", honeypot=honeypot)
        return SignUp(  # buttondown
            audience, action=f"{self.url or BUTTONDOWN_FORM}{value}", email_field="email", hidden=(("embed", "1"),)
        )


def _origin(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def read_alerts(
    raw: object, public_audiences: set[str], languages: Sequence[tuple[str, str]] = ()
) -> tuple[AlertSettings, list[str]]:
    """NEWSROOM_ALERTS as AlertSettings, and one problem line per mistake (all of them). `languages`: the
    newsroom's (code, name) pairs, the default first, on a site in several languages."""
    where = "NEWSROOM_ALERTS"
    if raw is None or raw == {}:
        return AlertSettings(), []
    if not isinstance(raw, Mapping):
        return AlertSettings(), [f"{where}: {raw!r} must be a dictionary (or leave it out: no email alerts)"]
    provider = raw.get("provider", "mailman")
    if provider not in PROVIDERS:
        return AlertSettings(), [
            f"{where}.provider: {provider!r} is not a provider (expected one of: {', '.join(PROVIDERS)})"
        ]
    problems = []
    required, optional = PROVIDER_KEYS[provider]
    known = {"provider", "lists", TRANSLATIONS_KEY, *required, *optional}
    for key in sorted(set(raw) - known):
        problems.append(f"{where}.{key}: unknown setting for {provider} (expected one of: {', '.join(sorted(known))})")
    for key in sorted(required - set(raw)):
        problems.append(f"{where}.{key}: missing (expected {_describe(provider, key)})")
    values = {key: raw.get(key, "") for key in ("sender", "postorius", "url")}
    for key in sorted((required | optional) & set(raw)):
        problems.extend(_check_value(where, provider, key, raw[key]))

    default = languages[0][0] if len(languages) > 1 else ""
    lists = _read_lists(raw.get("lists"), f"{where}.lists", provider, public_audiences, problems)
    others = _other_languages(raw, where, provider, public_audiences, languages, problems)
    problems.extend(_shared_lists(where, (default, lists), others, dict(languages)))
    if problems:
        return AlertSettings(), problems
    return AlertSettings(
        provider=provider,
        lists=_ordered(lists),
        language=default,
        other_languages=tuple((code, _ordered(found)) for code, found in others),
        **values,
    ), []


def _read_lists(
    lists: object, where: str, provider: str, public_audiences: set[str], problems: list[str]
) -> dict[str, str]:
    """One language's lists: "all" and public audience slugs, each to a list the provider knows."""
    if not isinstance(lists, Mapping) or not lists:
        problems.append(f"{where}: {lists!r} must map 'all' and public audience slugs to {LIST_VALUE[provider]}")
        return {}
    allowed = {EVERYTHING, *public_audiences}
    for audience, value in lists.items():
        if audience not in allowed:
            problems.append(
                f"{where}.{audience}: not a public audience (expected some of: {', '.join(sorted(allowed))}; "
                "anyone can sign up to an alert list, so internal audiences have none)"
            )
        elif not isinstance(value, str) or not _list_value_ok(provider, value):
            problems.append(f"{where}.{audience}: {value!r} is not {LIST_VALUE[provider]}")
    if provider == "mailman":
        addresses = [value.casefold() for value in lists.values() if isinstance(value, str)]
        for address in sorted({a for a in addresses if addresses.count(a) > 1}):
            problems.append(f"{where}: {address!r} is named twice (expected one list per audience)")
    return dict(lists)


def _other_languages(
    raw: Mapping,
    where: str,
    provider: str,
    public_audiences: set[str],
    languages: Sequence[tuple[str, str]],
    problems: list[str],
) -> list[tuple[str, dict[str, str]]]:
    """The lists of each other language that has its own (`translations: {"fr": {"lists": {…}}}`), checked
    as the default language's are. A one-language newsroom has no other language: any is refused."""
    read = SettingsReader()
    others = [code for code, _ in languages[1:]]
    shape = "{'lists': {'all': …, <audience>: …}}"
    found = []
    for language, code, values in read.language_entries(raw, where, others, shape, what="these lists"):
        name = f"{where}.{TRANSLATIONS_KEY}.{code}"
        for key in sorted(set(values) - {"lists"}, key=str):
            hint = (
                did_you_mean(str(key), ["lists"]) or " (expected only 'lists': the other settings serve every language)"
            )
            read.problem(name, f"unknown key {key!r}{hint}")
        found.append(
            (language, _read_lists(values.get("lists"), f"{name}.lists", provider, public_audiences, problems))
        )
    problems.extend(read.problems)
    return found


def _shared_lists(
    where: str, default: tuple[str, dict[str, str]], others: list[tuple[str, dict[str, str]]], names: Mapping
) -> list[str]:
    """A problem for each list another language already has: its readers would get both languages' alerts."""
    owner: dict[str, tuple[str, str]] = {}
    problems = []
    for language, lists in (default, *others):
        for audience, value in lists.items():
            if not isinstance(value, str):
                continue
            key = value.casefold()  # no provider tells two lists apart by case alone
            if key in owner and owner[key][0] != language:
                first, first_audience = owner[key]
                problems.append(
                    f"{where}.{TRANSLATIONS_KEY}.{language}.lists.{audience}: {value!r} is already the "
                    f"{names.get(first, first)} ({first}) list for {first_audience!r} (expected a list of its "
                    f"own: the {names.get(language, language)} alerts would reach the {names.get(first, first)} "
                    "list's readers)"
                )
            owner.setdefault(key, (language, audience))
    return problems


def _ordered(lists: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(lists.items(), key=lambda item: (item[0] != EVERYTHING, item[0])))


def _list_value_ok(provider: str, value: str) -> bool:
    if provider == "mailman":
        return bool(EMAIL.match(value))
    if provider == "listmonk":
        return bool(UUID.match(value))
    if provider == "mailchimp":
        query = parse_qs(urlsplit(value).query)
        return bool(MAILCHIMP_ACTION.match(value)) and bool(query.get("u")) and bool(query.get("id"))
    return bool(USERNAME.match(value))


def _describe(provider: str, key: str) -> str:
    return {
        "sender": "the address the newsroom's email channels send from: the only one the lists accept posts from",
        "postorius": "Postorius's https root URL, e.g. 'https://lists.example.com/postorius/'",
        "url": "listmonk's https root URL, e.g. 'https://listmonk.example.com'"
        if provider == "listmonk"
        else f"the embed-subscribe URL, ending in '/' (default {BUTTONDOWN_FORM!r})",
    }[key]


def _check_value(where: str, provider: str, key: str, value: object) -> list[str]:
    good = EMAIL.match if key == "sender" else HTTPS_URL.match
    if (
        not isinstance(value, str)
        or not good(value)
        or (key == "url" and provider == "buttondown" and not value.endswith("/"))
    ):
        return [f"{where}.{key}: {value!r} is not valid (expected {_describe(provider, key)})"]
    return []
