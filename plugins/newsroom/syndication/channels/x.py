"""X: `POST /2/tweets`, signed with OAuth 1.0a in the company account's user context.

Length is X's weighted count (twitter-text v3: 280, every URL 23, CJK and emoji 2, counted after NFC), measured
with twitter-text-parser, the Python port of X's own rules, which passes the weighted-length conformance cases
of twitter/twitter-text. Its emoji table is Unicode 12: an emoji sequence added since counts a little more than
X counts it, never less, so a message may be cut a few characters early but is never refused as too long.
X has no idempotency for posts: an unanswered request is recorded as uncertain.
"""

from __future__ import annotations

import unicodedata

import requests
from oauthlib.oauth1 import Client

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.syndication.channel import Attempt, AuthFailed, Message, RateLimited, Receipt, Rejected, Unknown
from newsroom.syndication.channel_types import X
from newsroom.syndication.http import HttpChannel, outcome_for, retry_after_seconds, send
from newsroom.syndication.mentions import X_MENTIONS, check, inert_mentions
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, hashtags, twitter_text


def weighted_length(text: str) -> int:
    """X's count: URLs 23, most Latin text 1 per character, CJK and emoji 2 (twitter-text v3 configuration)."""
    return twitter_text().parse_tweet(text).weightedLength


class XChannel(HttpChannel):
    channel_type = X
    safe_to_retry = False  # no idempotency: after an unknown outcome a person checks the account
    length_unit = "weighted characters (URLs 23, CJK and emoji 2)"

    def render(self, post: PublishedPost) -> Message:
        limit = self.settings["max_length"]
        custom = post.custom_text(self.name)
        tags = hashtags(post.tags) if self.settings["hashtags"] else ""
        fitted = fit(
            inert_mentions(_nfc(custom or post.title), X_MENTIONS),
            "" if custom else inert_mentions(_nfc(post.summary), X_MENTIONS),
            post.url,
            lambda text: weighted_length(text) <= limit,
            tail="" if custom else tags,
        )
        # The text is sent in NFC, the form X counts, so what we measured is what X measures.
        text = check(fitted.text, X_MENTIONS)  # what is sent notifies nobody, whatever the fit did
        return Message(self.name, post.id, text, weighted_length(text), limit)

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        url = f"{self.settings['base_url'].rstrip('/')}/2/tweets"
        response = send(
            self.session,
            "POST",
            url,
            timeout=self.timeout,
            secrets=list(self.secrets.values()),
            ok=range(100, 600),
            headers=self._signed(url),
            json={"text": message.text},
        )
        if response.status_code in (200, 201):
            try:
                data = response.json()["data"]
                post_id = str(data["id"])
            except (ValueError, KeyError, TypeError):
                raise Unknown("X accepted the post but sent no id; find it on the account") from None
            return Receipt(remote_id=post_id, url=f"https://x.com/{self.settings['handle']}/status/{post_id}")
        raise self._outcome(response)

    def _signed(self, url: str) -> dict[str, str]:
        """The OAuth 1.0a Authorization header for a JSON POST: a JSON body is not part of the signature base
        string (RFC 5849 §3.4.1.3 signs only form-encoded bodies), so the URL, method and OAuth values are."""
        client = Client(
            self.secrets["consumer_key"],
            client_secret=self.secrets["consumer_secret"],
            resource_owner_key=self.secrets["access_token"],
            resource_owner_secret=self.secrets["access_token_secret"],
        )
        _, headers, _ = client.sign(url, http_method="POST", headers={"Content-Type": "application/json"})
        return headers

    def _outcome(self, response: requests.Response) -> Exception:
        detail = SECRETS_IN_USE.redact(_detail(response), self.secrets.values())[:200]
        status = response.status_code
        if status == 403 and "duplicate" in detail.lower():
            return Rejected(
                "X says the account already posted this exact text (403 duplicate content); if it is this post, "
                "record it with --resolve --posted URL"
            )
        if status in (401, 403):
            return AuthFailed(
                f"X refused the request ({status}: {detail}); check the four credentials and that the app has "
                "read and write permission (regenerate the access token after changing it)"
            )
        if status == 402:
            return AuthFailed(f"X refused to post until the account's API plan or credits allow it (402: {detail})")
        if status == 429:
            return RateLimited(f"X's rate limit is reached (429: {detail})", _reset_seconds(response.headers))
        if 400 <= status < 500:
            return Rejected(f"X refused the post ({status}): {detail}")
        return outcome_for(response, list(self.secrets.values()))


def _reset_seconds(headers) -> float:
    """The 24-hour posting limit has its own reset header; the 15-minute window uses x-rate-limit-reset."""
    for prefix in ("x-user-limit-24hour", "x-app-limit-24hour"):
        if headers.get(f"{prefix}-remaining") == "0" and headers.get(f"{prefix}-reset"):
            return retry_after_seconds({"x-rate-limit-reset": headers[f"{prefix}-reset"]})
    return retry_after_seconds(headers)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _detail(response: requests.Response) -> str:
    """X's problem details: {"title", "detail", "type", "status"} (or {"errors": [...]} on 400)."""
    try:
        data = response.json()
    except ValueError:
        return " ".join(response.text.split()) or response.reason or ""
    if not isinstance(data, dict):
        return ""
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict) and errors[0].get("message"):
        return str(errors[0]["message"])  # the specific reason, e.g. "Your Tweet text is too long."
    return str(data.get("detail") or data.get("title") or "")
