"""LinkedIn company page: `POST /rest/posts`, an article post (commentary + link card) authored by the page.

LinkedIn retires API versions about a year after release (a retired one answers 426 NONEXISTENT_VERSION), so the
version is pinned in the settings and sent on every request. Commentary is in LinkedIn's "little" text format:
every reserved character must be backslash-escaped, or LinkedIn silently cuts the post at the first one
(learn.microsoft.com/linkedin/marketing/community-management/shares/little-text-format). Tokens live 60 days;
the run summary warns two weeks before the configured expiry date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import requests

from newsroom.syndication.channel import Attempt, AuthFailed, Message, RateLimited, Receipt, Rejected, Unknown
from newsroom.syndication.channel_types import LINKEDIN
from newsroom.syndication.http import HttpChannel, outcome_for, retry_after_seconds, send
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, hashtag, utf16_length

# LinkedIn answers 400 "ShareCommentary text length (N characters) exceeded the maximum allowed (3000 characters)".
# It counts Java characters (UTF-16 units); we count the commentary as sent, escapes included, which can only be
# more than what LinkedIn counts after reading the escapes.
COMMENTARY_LIMIT = 3000
# LinkedIn documents no limit for the link card's fields; its card shows about two lines of each. Ours.
CARD_TITLE_LIMIT, CARD_DESCRIPTION_LIMIT = 200, 300
RESERVED = set("\\|{}@[]()<>#*_~")
TOKEN_WARNING = timedelta(days=14)


def little(text: str) -> str:
    """Plain text in LinkedIn's little format: each reserved character backslash-escaped, the backslash too."""
    return "".join(f"\\{character}" if character in RESERVED else character for character in text)


def _fits(limit: int):
    return lambda text: utf16_length(text) <= limit


class LinkedInChannel(HttpChannel):
    channel_type = LINKEDIN
    safe_to_retry = False  # no idempotency: after an unknown outcome a person checks the page
    length_unit = "characters of commentary, escapes included"

    def render(self, post: PublishedPost) -> Message:
        custom = post.custom_text(self.name)
        # Fitted as plain text but measured as it will be sent (escaped), so a cut never separates an escape.
        fitted = fit(
            custom or post.title, "" if custom else post.summary, "", lambda text: len_little(text) <= COMMENTARY_LIMIT
        )
        commentary = little(fitted.text)
        tags = " ".join(filter(None, (hashtag(tag).replace("_", "") for tag in post.tags)))
        # Hashtags stay unescaped: '#Word' is the little format's hashtag element. Added only when they fit.
        if tags and self.settings["hashtags"] and not custom:
            tagged = f"{commentary}\n\n{tags}"
            if utf16_length(tagged) <= COMMENTARY_LIMIT:
                commentary = tagged
        article = {
            "source": post.url,
            "title": fit(post.title, "", "", _fits(CARD_TITLE_LIMIT)).text,
        }
        if post.summary:
            article["description"] = fit("", post.summary, "", _fits(CARD_DESCRIPTION_LIMIT)).text
        return Message(
            self.name,
            post.id,
            commentary,
            utf16_length(commentary),
            COMMENTARY_LIMIT,
            {"article": article},
        )

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        token = self.secrets.get("token", "")
        body = {
            "author": f"urn:li:organization:{self.settings['organization_id']}",
            "commentary": message.text,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "content": {"article": dict(message.extras["article"])},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        response = send(
            self.session,
            "POST",
            f"{self.settings['base_url'].rstrip('/')}/rest/posts",
            timeout=self.timeout,
            secrets=[token],
            ok=range(100, 600),
            headers={
                "Authorization": f"Bearer {token}",
                "LinkedIn-Version": self.settings["linkedin_version"],
                "X-Restli-Protocol-Version": "2.0.0",
            },
            json=body,
        )
        if response.status_code in (200, 201):
            urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id") or ""
            if not urn.startswith("urn:li:"):
                # Created (201) but unnamed: it is on the page, and only a person can find which post it is.
                raise Unknown("LinkedIn created the post but sent no id (x-restli-id); find it on the page")
            return Receipt(remote_id=urn, url=f"https://www.linkedin.com/feed/update/{quote(urn, safe=':')}/")
        raise self._outcome(response, token)

    def _outcome(self, response: requests.Response, token: str) -> Exception:
        code = _code(response)
        if response.status_code == 426 or code == "NONEXISTENT_VERSION":
            return AuthFailed(
                f"LinkedIn no longer serves version {self.settings['linkedin_version']} "
                f"(426 {code or 'Upgrade Required'}); set linkedin_version to a current one "
                "(learn.microsoft.com/linkedin/marketing/versioning)"
            )
        if response.status_code == 401:
            return AuthFailed(
                f"LinkedIn refused the token (401 {code}); tokens last 60 days: put a new one in "
                f"{self.config.credentials.get('token', 'the token variable')} and update token_expires"
            )
        if response.status_code == 422 and code == "DUPLICATE_POST":
            return Rejected(
                "LinkedIn says the page already has a post with this text (422 DUPLICATE_POST); if it is this post, "
                "record it with --resolve --posted URL"
            )
        if response.status_code == 429:
            # LinkedIn's daily limits reset at midnight UTC and the answer carries no Retry-After.
            wait = (
                retry_after_seconds(response.headers) if response.headers.get("Retry-After") else _until_midnight_utc()
            )
            return RateLimited(f"LinkedIn's daily limit is reached (429 {code})", wait)
        return outcome_for(response, [token])

    def warnings(self) -> list[str]:
        expires = self.settings.get("token_expires")
        if not expires:
            return []
        try:
            day = date.fromisoformat(expires)
        except ValueError:
            return [f"token_expires {expires!r} is not a date (expected YYYY-MM-DD)"]
        today = datetime.now(UTC).date()
        renew = "create a new token (Page admin, scope w_organization_social) and update token_expires"
        if day < today:
            return [f"the LinkedIn access token expired on {day.isoformat()}: {renew}"]
        if day - today <= TOKEN_WARNING:
            left = (day - today).days
            return [
                f"the LinkedIn access token expires on {day.isoformat()} (in {left} day{'s' * (left != 1)}): {renew}"
            ]
        return []


def len_little(text: str) -> int:
    return utf16_length(little(text))


def _until_midnight_utc() -> float:
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return (midnight - now).total_seconds()


def _code(response: requests.Response) -> str:
    """LinkedIn's error code, e.g. {"status": 426, "code": "NONEXISTENT_VERSION", "message": …}."""
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("code", "")) if isinstance(data, dict) else ""
