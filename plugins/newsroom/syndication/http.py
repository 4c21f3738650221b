"""HTTP for channels: one `send` that turns every response and network failure into an engine outcome.

The distinction that matters is whether the request may have reached the platform: a refused connection
posted nothing (Unreachable), a timeout after sending might have posted (Unknown). Messages never include
URLs, headers or bodies that could hold a secret (a webhook URL is a credential). Redirects are never followed
(`redirect_outcome`): the platform's answer is about the address the request was sent to, and nothing else.
"""

from __future__ import annotations

import email.utils
import logging
import math
import ssl
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import requests
from requests import exceptions as rx

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.syndication.channel import (
    AuthFailed,
    Channel,
    RateLimited,
    Redirected,
    Rejected,
    Unknown,
    Unreachable,
)

USER_AGENT = "newsroom-syndication/1 (+https://getpelican.com)"
# Bad Gateway and Gateway Timeout: answered by a proxy in front of the platform, which cannot know whether the
# platform carried the request out.
GATEWAY_FAILURES = frozenset({502, 504})


class _HideSecrets(logging.Filter):
    """urllib3 logs every request line at DEBUG, path included, and a webhook's path is its secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = SECRETS_IN_USE.redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


HIDE_SECRETS = _HideSecrets()
logging.getLogger("urllib3.connectionpool").addFilter(HIDE_SECRETS)


class HttpChannel(Channel):
    """A Channel that talks to its platform over HTTP: one requests session per run, so connections are reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = requests.Session()


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float,
    secrets: Iterable[str] = (),
    ok: Iterable[int] = (200, 201, 202, 204),
    **kwargs,
) -> requests.Response:
    """Send one request; return the response when its status is in `ok`, else raise the matching outcome.
    A redirect is an outcome whatever `ok` says: it is never followed."""
    secrets = list(secrets)
    SECRETS_IN_USE.hide(secrets)
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        response = session.request(method, url, headers=headers, timeout=timeout, allow_redirects=False, **kwargs)
    except (rx.ConnectTimeout, rx.InvalidURL, rx.MissingSchema) as error:
        raise Unreachable(f"could not connect ({type(error).__name__}); this try sent nothing") from None
    except rx.ConnectionError as error:
        if _never_sent(error):
            raise Unreachable(f"could not connect ({type(error).__name__}); this try sent nothing") from None
        raise Unknown(f"the connection broke after the request was sent ({type(error).__name__})") from None
    except rx.Timeout as error:
        raise Unknown(f"no answer within {timeout:g} s after the request was sent ({type(error).__name__})") from None
    except rx.RequestException as error:
        raise Unknown(f"request failed ({type(error).__name__})") from None
    if 300 <= response.status_code < 400:
        raise redirect_outcome(method, response, secrets)
    if response.status_code in set(ok):
        return response
    raise outcome_for(response, secrets)


def redirect_outcome(method: str, response: requests.Response, secrets: Iterable[str] = ()) -> Exception:
    """A 3xx answer, not followed. Following it would send the request again to the host the answer names: a
    307/308 with its body and headers (Facebook's token, Bluesky's app password, a webhook's signature), a
    301/302 as a GET whose 200 would be taken for a post. Only 303 See Other to a request that changes something
    says it was carried out (its result is elsewhere), so it may have posted; every other redirect acted on
    nothing."""
    status = response.status_code
    host = urlsplit(response.headers.get("Location", "")).netloc or "an address it does not give"
    where = SECRETS_IN_USE.redact(f"redirecting to {host}", secrets)
    if status == 303 and method.upper() != "GET":
        return Unknown(f"the platform answered 303 ({where}) after the request was sent: it may have posted")
    return Redirected(
        f"the platform answered {status} ({where}) instead of acting; redirects are never followed, so nothing "
        "was sent there: set the channel's address (base_url, url or webhook URL) to where the API is now"
    )


def outcome_for(response: requests.Response, secrets: Iterable[str] = ()) -> Exception:
    """The engine outcome for an unsuccessful response, with the platform's own explanation."""
    status = response.status_code
    detail = SECRETS_IN_USE.redact(_explanation(response), secrets)[:200]  # cut after: a cut secret is not found
    if status == 429:
        return RateLimited(f"rate limited (429): {detail}", retry_after_seconds(response.headers))
    if status in (401, 403):
        return AuthFailed(f"not authorised ({status}): {detail}; check the channel's credentials")
    if 500 <= status < 600:
        return failed_after_sending(status, detail)
    return Rejected(f"the platform refused the post ({status}): {detail}")


def failed_after_sending(status: int, detail: str) -> Unknown:
    """A 5xx: the request was sent, and the answer does not say whether the work was done. The platform's own
    500 or 503 may come after it stored the post (a failure while answering); a gateway's 502 or 504 may come
    after its upstream stored it. Only an answer that proves nothing was done (a refused connection, a 4xx, a
    429) may be sent again on a channel that can neither read back nor de-duplicate; the engine decides that
    from the channel, for every Unknown alike."""
    if status in GATEWAY_FAILURES:
        what = "timed out" if status == 504 else "failed"
        return Unknown(f"the platform's gateway {what} ({status}) after the request was sent: {detail}")
    return Unknown(f"the platform failed ({status}) after the request was sent, so it may have posted: {detail}")


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float:
    """Seconds to wait, from Retry-After (seconds or an HTTP date) or a rate-limit reset header; a minute when
    none can be read. A 429 posted nothing, so a malformed, negative or endless value must neither stop the run
    nor turn the answer into an unknown outcome: it is ignored like a missing header."""
    now = time.time() if now is None else now
    waits = [_retry_after(headers.get("Retry-After", ""), now)]
    waits += [_reset(headers.get(name, ""), now) for name in RESET_HEADERS]
    return next((wait for wait in waits if wait is not None), 60.0)


# Epoch seconds (X, Bluesky, Mastodon's ISO time) or seconds from now (IETF RateLimit-Reset), first found wins.
RESET_HEADERS = ("X-RateLimit-Reset", "x-rate-limit-reset", "RateLimit-Reset", "ratelimit-reset")


def _retry_after(value: str, now: float) -> float | None:
    """Retry-After: delay-seconds or an HTTP date (RFC 9110); None when it is neither."""
    seconds = _number(value)
    if seconds is not None:
        return seconds if seconds >= 0 else None
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value.strip()).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        return None


def _reset(value: str, now: float) -> float | None:
    number = _number(value)
    if number is None:
        parsed = _iso_timestamp(value) if value else None
        return None if parsed is None else max(0.0, parsed - now)
    if number > 1_000_000_000:  # an epoch time: in the past means no wait
        return max(0.0, number - now)
    return number if number >= 0 else None


def _number(value: str) -> float | None:
    """A finite number, or None (NaN and infinity are no number of seconds)."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _explanation(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        text = " ".join(response.text.split())
        return text or response.reason or "no explanation"
    if isinstance(data, Mapping):
        for key in ("error_description", "message", "error", "detail", "title"):
            if isinstance(data.get(key), str):
                return data[key]
            if isinstance(data.get(key), Mapping) and isinstance(data[key].get("message"), str):
                return data[key]["message"]
    return str(data)


def _never_sent(error: Exception) -> bool:
    """True when a ConnectionError happened while connecting (refused, DNS, the TLS handshake), before any byte
    of the request was sent. A TLS error after the handshake (a corrupted record, an alert while the answer was
    read) came after the request went, so it is not one: the platform may have carried the request out."""
    seen, current = set(), error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):  # the standard library's own: its traceback says where it happened
            return _in_handshake(current)
        name = type(current).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError"):
            return True
        if name in ("ProtocolError", "RemoteDisconnected", "ReadTimeoutError"):
            return False
        current = (
            getattr(current, "reason", None)
            or current.__context__
            or (current.args[0] if current.args and isinstance(current.args[0], Exception) else None)
        )
    text = str(error)
    return "Failed to establish a new connection" in text or "Connection refused" in text


def _in_handshake(error: ssl.SSLError) -> bool:
    """Whether this TLS error was raised while the connection was being set up (no request sent yet)."""
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_name == "do_handshake":
            return True
        frame = frame.tb_next
    return False


def _iso_timestamp(value: str) -> float | None:
    from datetime import datetime

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
