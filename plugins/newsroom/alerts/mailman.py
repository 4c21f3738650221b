"""Create the email alert lists in GNU Mailman 3 from NEWSROOM_ALERTS, through its REST API (`invoke alerts-lists`).

Every list, in every language that has its own (NEWSROOM_ALERTS `translations`), is announce-only, named in its
language, and has that language as Mailman's preferred one: the double opt-in's confirmation mail to a reader of
the French list is in French. Mailman's styles do not make a list announce-only by themselves: `legacy-announce`
only sets List-Post: NO, and members may post unless told otherwise (default_member_action "defer"). So every
post is discarded (members' and strangers' alike) except from the newsroom's sender, the one accepted nonmember.
Running it again re-applies the same settings; it never removes a list or a subscriber.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsroom.kit.credentials import redact
from newsroom.kit.errors import NewsroomError
from newsroom.kit.loopback import is_this_machine
from newsroom.kit.settings import SettingsProblems
from newsroom.model.alerts import EVERYTHING, AlertSettings
from newsroom.model.settings import Newsroom
from newsroom.model.wording import (
    LIST_FOR_AUDIENCE,
    LIST_FOR_AUDIENCE_ABOUT,
    LIST_FOR_EVERYTHING,
    LIST_FOR_EVERYTHING_ABOUT,
    Wording,
    wording,
)


@dataclass(frozen=True)
class PlannedList:
    """One list as Mailman should have it: its posting address and the configuration to PATCH."""

    address: str
    config: dict

    @property
    def list_id(self) -> str:
        return self.address.replace("@", ".", 1)

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]


def plan_lists(newsroom: Newsroom, settings: Mapping) -> tuple[PlannedList, ...]:
    """The lists NEWSROOM_ALERTS names in every language, each with the announce-only configuration, its name
    and description in its language, and that language as the one Mailman writes to its readers in."""
    planned = []
    for lists in newsroom.alerts.every_language():
        language = lists.language or newsroom.languages.default.code
        say = wording(settings, language)
        for audience, address in lists.lists:
            planned.append(PlannedList(address, _configuration(newsroom, lists, audience, language, say)))
    return tuple(planned)


def _configuration(newsroom: Newsroom, lists: AlertSettings, audience: str, language: str, say: Wording) -> dict:
    company = newsroom.company.name
    if audience == EVERYTHING:
        name = say.say(LIST_FOR_EVERYTHING, company=company)
        description = say.say(LIST_FOR_EVERYTHING_ABOUT, company=company)
    else:
        entry = newsroom.audience_by_slug[audience]
        name = say.say(LIST_FOR_AUDIENCE, company=company, audience=say.text(entry, "name").lower())
        description = say.say(LIST_FOR_AUDIENCE_ABOUT, description=say.text(entry, "description"))
    return {
        "display_name": name,
        "description": name,  # the List-Id header's phrase: short
        "info": description,
        # The language Mailman writes in: the double opt-in's confirmation mail, the welcome and goodbye.
        "preferred_language": mailman_language(language),
        "subject_prefix": "",  # the email channel's own subject_prefix, never two
        "allow_list_posts": False,  # List-Post: NO
        "default_member_action": "discard",  # subscribers cannot post to the other subscribers
        "default_nonmember_action": "discard",
        "accept_these_nonmembers": [lists.sender],  # only the newsroom's alerts go out
        "subscription_policy": "confirm",  # double opt-in: the confirmation mail's reply subscribes
        "unsubscription_policy": "open",
        "send_welcome_message": True,
        "include_rfc2369_headers": True,  # List-Unsubscribe and friends
        "archive_policy": "never",  # the newsroom itself is the archive
        "advertised": True,
    }


# Mailman names a language by its ISO 639 code, and a region only for these (its [language.*] sections).
MAILMAN_REGIONAL = ("pt_BR", "zh_CN", "zh_TW")


def mailman_language(code: str) -> str:
    """Mailman's code for a language tag: 'fr-CA' is 'fr' (Mailman has no Canadian French), 'pt-BR' 'pt_BR'."""
    primary, _, region = code.partition("-")
    regional = f"{primary.lower()}_{region.upper()}"
    return regional if regional in MAILMAN_REGIONAL else primary.lower()


DEFAULT_REST_URL = "http://localhost:8001"  # where Mailman's REST API listens unless told otherwise


class MailmanError(NewsroomError):
    """Mailman's REST API refused or could not be reached; the message says what to check."""


class MailmanRest:
    """Just the calls creating lists needs, over Mailman's REST API (version 3.1) with HTTP basic auth."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], url: str | None = None) -> MailmanRest:
        """The API at `url` (else $MAILMAN_REST_URL, else Mailman's default), with the login the environment
        holds in MAILMAN_REST_USER and MAILMAN_REST_PASSWORD."""
        missing = [name for name in ("MAILMAN_REST_USER", "MAILMAN_REST_PASSWORD") if not environ.get(name)]
        if missing:
            raise SettingsProblems(
                [f"environment variable {' and '.join(missing)} not set (expected Mailman's REST login)"]
            )
        url = url or environ.get("MAILMAN_REST_URL") or DEFAULT_REST_URL
        return cls(url, environ["MAILMAN_REST_USER"], environ["MAILMAN_REST_PASSWORD"])

    def __init__(self, base_url: str, user: str, password: str, timeout: float = 10.0):
        self.base = base_url.rstrip("/")
        address = urlsplit(self.base)
        if address.scheme not in ("http", "https") or not address.hostname:
            raise MailmanError(
                f"Mailman's REST address {self.base!r} is not an http(s) address (expected e.g. {DEFAULT_REST_URL})"
            )
        if address.scheme == "http" and not is_this_machine(address.hostname):
            raise MailmanError(
                f"Mailman's REST address {self.base} is http:// on another machine, so the REST password would "
                "travel unencrypted (expected https://, or http:// on this machine)"
            )
        self._password = password
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.timeout = timeout

    def call(self, method: str, path: str, body: Mapping | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}/3.1/{path}", data=data, method=method)
        request.add_unredirected_header("Authorization", self._auth)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _NEVER_REDIRECTED.open(request, timeout=self.timeout) as response:
                return response.status, self._answer(response.status, response.read())
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                where = urlsplit(error.headers.get("Location", "")).netloc or "an address it does not give"
                raise MailmanError(
                    f"{self.base} answered {error.code}, redirecting to {self._hidden(where)}; a redirect is never "
                    "followed (the REST login would go with it): set MAILMAN_REST_URL to where the API is"
                ) from None
            detail = error.read().decode("utf-8", "replace")
            if error.code == 401:
                raise MailmanError(
                    f"{self.base} refused the REST login (401); check the user and password variables"
                ) from None
            return error.code, {"description": self._hidden(_description(detail))}
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise MailmanError(
                f"cannot reach Mailman's REST API at {self.base} ({self._hidden(str(reason))})"
            ) from None

    def _answer(self, status: int, body: bytes) -> dict:
        """Mailman's answer: a JSON object, or nothing. Anything else (a proxy's sign-in page, a cut-off answer, a
        JSON list) is not Mailman's API, and says so in one line."""
        text = body.decode("utf-8", "replace")
        if not text.strip():
            return {}
        try:
            answer = json.loads(text)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise MailmanError(
                f"{self.base} answered {status} with something that is not Mailman's JSON "
                f"({self._hidden(' '.join(text.split()))[:80]!r}); check that MAILMAN_REST_URL is Mailman's REST API"
            )
        return answer

    def _hidden(self, text: str) -> str:
        """What Mailman (or a proxy before it) said, without the REST password, raw or in the login it quotes."""
        return redact(text, [self._password])[:200]


class _RedirectRefused(urllib.request.HTTPRedirectHandler):
    """A 3xx comes back as an HTTPError: urllib would otherwise send the request again where it points."""

    def redirect_request(self, *args, **kwargs):
        return None


_NEVER_REDIRECTED = urllib.request.build_opener(_RedirectRefused)


def create_lists(rest: MailmanRest, planned: tuple[PlannedList, ...]) -> list[str]:
    """Create each domain and list that is missing and apply the configuration; one line per list."""
    lines = []
    for domain in sorted({item.domain for item in planned}):
        status, answer = rest.call("POST", "domains", {"mail_host": domain})
        if status not in (201, 400) or (status == 400 and "Duplicate" not in answer.get("description", "")):
            raise MailmanError(
                f"cannot create the domain {domain} at {rest.base}: {status} {answer.get('description', '')}"
            )
    for item in planned:
        status, answer = rest.call("POST", "lists", {"fqdn_listname": item.address, "style_name": "legacy-announce"})
        exists = status == 400 and "exists" in answer.get("description", "")
        if status != 201 and not exists:
            raise MailmanError(
                f"cannot create the list {item.address} at {rest.base}: {status} {answer.get('description', '')}"
            )
        status, answer = rest.call("PATCH", f"lists/{item.list_id}/config", item.config)
        if status != 204:
            raise MailmanError(
                f"cannot configure the list {item.address} at {rest.base}: {status} {answer.get('description', '')}"
            )
        lines.append(
            f"{'configured' if exists else 'created'}  {item.address} (announce-only; posts from "
            f"{item.config['accept_these_nonmembers'][0]} only; in {item.config['preferred_language']})"
        )
    return lines


def _description(text: str) -> str:
    try:
        return str(json.loads(text).get("description", text))
    except (ValueError, AttributeError):
        return text
