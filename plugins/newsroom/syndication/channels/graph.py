"""Meta's Graph API (Facebook Pages, Threads): its answers mapped to the engine's outcomes.

Graph errors come as `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`, mostly with HTTP
400, rate limits included, so the error code decides, not the status. The codes and what to do about each are
from developers.facebook.com/docs/graph-api/guides/error-handling and …/overview/rate-limiting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import requests

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.syndication.channel import AuthFailed, RateLimited, Rejected, Retryable
from newsroom.syndication.http import failed_after_sending, outcome_for, retry_after_seconds

RETRYABLE = {1, 2}  # API Unknown, API Service: temporary, "wait and retry the operation"
# Too many calls by the app (4), the user (17), the Page (32), a rate-limited API (613), the app's limit (341),
# the Page's business-use-case limit (80001).
THROTTLED = {4, 17, 32, 341, 613, 80001}
# The token expired or was revoked (190, 102), or lacks a permission (10, 200–299) or capability (3): the
# channel cannot post at all until someone fixes it.
NOT_ALLOWED = {3, 10, 102, 190, *range(200, 300)}
# Everything else refuses this post (100 invalid parameter, 368 blocked for a policy violation, 506 duplicate
# post, 1609005 link error…): recorded as failed for a person to look at. 368 says "wait and retry", but
# retrying a post Meta holds against the Page's standing can prolong the block; a person decides.
USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")


def graph_error(response: requests.Response) -> dict:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def graph_outcome(response: requests.Response, secrets: Iterable[str], platform: str) -> Exception:
    """The engine outcome for a Graph API error answer."""
    error = graph_error(response)
    if not error:
        return outcome_for(response, secrets)
    code = error.get("code")
    subcode = f"/{error['error_subcode']}" if error.get("error_subcode") else ""
    trace = f", fbtrace_id {error['fbtrace_id']}" if error.get("fbtrace_id") else ""
    message = SECRETS_IN_USE.redact(str(error.get("message", "no explanation")), secrets)[:200]
    detail = f"{message} (code {code}{subcode}{trace})"
    if response.status_code >= 500:  # sent, and failed while answering: it may have posted, whatever its code says
        return failed_after_sending(response.status_code, f"{platform}: {detail}")
    if code in THROTTLED or response.status_code == 429:
        return RateLimited(f"{platform} rate limit: {detail}", regain_seconds(response.headers))
    if code in NOT_ALLOWED:
        return AuthFailed(f"{platform} refused the token: {detail}; create a new token with the permissions it names")
    if code in RETRYABLE or error.get("is_transient"):  # refused with a 4xx: nothing was done, try again
        return Retryable(f"{platform} failed: {detail}")
    return Rejected(f"{platform} refused the post: {detail}")


def regain_seconds(headers: Mapping[str, str]) -> float:
    """Seconds until calls are allowed again: the longest `estimated_time_to_regain_access` (minutes) in the
    usage headers, else Retry-After, else a minute."""
    minutes = [minute for name in USAGE_HEADERS for minute in _regain_minutes(headers.get(name, ""))]
    if minutes and max(minutes) > 0:
        return 60.0 * max(minutes)
    return retry_after_seconds(headers)


def _regain_minutes(value: str) -> list[float]:
    """Every estimated_time_to_regain_access in a usage header (a JSON object, per id for business use cases)."""
    try:
        data = json.loads(value) if value else {}
    except ValueError:
        return []
    found: list[float] = []

    def walk(node) -> None:
        if isinstance(node, Mapping):
            for key, item in node.items():
                if key == "estimated_time_to_regain_access" and isinstance(item, int | float):
                    found.append(float(item))
                else:
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found
