"""Mastodon: `POST /api/v1/statuses` with a bearer token, de-duplicated by an Idempotency-Key.

Limits come from the instance (`/api/v2/instance`: 500 characters by default, every URL counting 23).
Mastodon keeps an Idempotency-Key for one hour only, so after an unknown outcome the account's statuses are read
back first (`/api/v1/accounts/:id/statuses`, newest first, back to when the attempt started), matched by the
post's link as the attempt announced it (or as it is now): found, it is done; not found, the same attempt is sent
again with the same key. The link a status announces is its last one, as the newsroom composes them (the title,
the summary, the link, then only hashtags): another post's status that quotes this post's link (a correction, a
follow-up) announces its own, and is never taken for this one's.
"""

from __future__ import annotations

import email.utils
import html
import re
from datetime import UTC, datetime, timedelta

from newsroom.syndication.channel import Attempt, Message, Receipt, Rejected, Unknown
from newsroom.syndication.channel_types import MASTODON
from newsroom.syndication.http import HttpChannel, send
from newsroom.syndication.mentions import MASTODON_MENTIONS, check, inert_mentions
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, hashtags, mastodon_length

CLOCK_SKEW = timedelta(minutes=10)  # beyond the difference the Date header shows: look a little further back
MAX_AHEAD = timedelta(days=1)  # the most the instance's Date header may move the read back's start
PAGE, MAX_PAGES = 40, 25  # statuses per page (the API's maximum), pages read back at most
# A status's content is HTML: a link Mastodon recognises is an <a href>, a hashtag or a mention an <a> with the class
# `mention`; a link it does not recognise (a top-level domain outside its list, such as .example) stays text.
_WHOLE_ANCHOR = re.compile(r"<a\s[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_MENTION = re.compile(r"""\bclass\s*=\s*["'][^"']*\bmention\b""", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"https?://[^\s<>\"']+")


class MastodonChannel(HttpChannel):
    channel_type = MASTODON
    safe_to_retry = True
    reads_back = True
    length_unit = "characters (URLs count 23)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = self.settings["max_length"]
        self.url_weight = 23

    @property
    def base(self) -> str:
        return self.settings["base_url"].rstrip("/")

    def start(self) -> None:
        response = send(self.session, "GET", f"{self.base}/api/v2/instance", timeout=self.timeout)
        statuses = response.json().get("configuration", {}).get("statuses", {})
        self.limit = int(statuses.get("max_characters", self.limit))
        self.url_weight = int(statuses.get("characters_reserved_per_url", self.url_weight))

    def render(self, post: PublishedPost) -> Message:
        def measure(text: str) -> int:
            return mastodon_length(text, url_weight=self.url_weight)

        custom = post.custom_text(self.name)
        tags = hashtags(post.tags) if self.settings["hashtags"] else ""
        fitted = fit(
            inert_mentions(custom or post.title, MASTODON_MENTIONS),
            "" if custom else inert_mentions(post.summary, MASTODON_MENTIONS),
            post.url,
            lambda text: measure(text) <= self.limit,
            tail="" if custom else tags,
        )
        text = check(fitted.text, MASTODON_MENTIONS)  # what is sent notifies nobody, whatever the fit did
        return Message(self.name, post.id, text, measure(text), self.limit, {"link": post.url})

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        response = send(
            self.session,
            "POST",
            f"{self.base}/api/v1/statuses",
            timeout=self.timeout,
            secrets=[self.secrets.get("token", "")],
            headers={**self._auth(), "Idempotency-Key": attempt.key},
            json={
                "status": message.text,
                "visibility": self.settings["visibility"],
                "language": self.settings["language"],
            },
        )
        return _receipt(_json(response))

    def find_earlier(self, message: Message, attempt: Attempt) -> Receipt | None:
        """The account's status that links to this post, posted since the attempt started, or None."""
        credentials = self._get("/api/v1/accounts/verify_credentials", {})
        account = _json(credentials).get("id")
        if not account:
            raise Rejected("the instance did not say which account the token belongs to")
        # The attempt's start is by this machine's clock, the statuses' times by the instance's: when ours is
        # ahead, a status the instance dated earlier than our start is still this attempt's, so look back by
        # as much more (the instance's Date header says how much; an hour's outage later, its key is forgotten
        # and a status missed here would be posted again).
        ahead = _ours_ahead_of(credentials.headers.get("Date", ""))
        since = datetime.fromisoformat(attempt.started_at) - CLOCK_SKEW - ahead
        links = {link for link in (attempt.link, message.extras["link"]) if link}  # then, and now if edited since
        page: dict = {"limit": PAGE, "exclude_reblogs": "true"}
        for _ in range(MAX_PAGES):
            statuses = _json(self._get(f"/api/v1/accounts/{account}/statuses", page), list)
            for status in statuses:
                if _created_at(status) < since:
                    return None  # newest first: everything further back is older than the attempt
                if announced_link(str(status.get("content", ""))) in links:
                    return _receipt(status)
            if len(statuses) < PAGE:
                return None
            page = {**page, "max_id": statuses[-1]["id"]}
        raise Unknown(f"more than {PAGE * MAX_PAGES} statuses since the attempt started; look for the post by hand")

    def _get(self, path: str, params: dict):
        return send(
            self.session,
            "GET",
            f"{self.base}{path}",
            timeout=self.timeout,
            secrets=[self.secrets.get("token", "")],
            headers=self._auth(),
            params=params,
        )

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets['token']}"}


def announced_link(content: str) -> str:
    """The link a status announces: its last link that is not a hashtag or a mention ("" when it has none),
    whether Mastodon made it a link or left it as text."""

    def as_text(anchor: re.Match) -> str:
        opening = anchor.group(0)[: anchor.group(0).index(">") + 1]
        href = _HREF.search(opening)
        return " " if _MENTION.search(opening) or not href else f" {href.group(1) or href.group(2) or ''} "

    text = html.unescape(_ANY_TAG.sub(" ", _WHOLE_ANCHOR.sub(as_text, content)))
    links = _URL.findall(text)
    return links[-1] if links else ""


# A success whose answer cannot be read is an unknown outcome, never a refusal: the status may exist, and the
# engine then reads the account back instead of recording a failure.
def _receipt(status: dict) -> Receipt:
    try:
        return Receipt(remote_id=str(status["id"]), url=status.get("url") or status["uri"])
    except (KeyError, TypeError):
        raise Unknown("the instance answered without a status id") from None


def _json(response, kind: type = dict):
    try:
        data = response.json()
    except ValueError:
        raise Unknown(f"the instance answered {response.status_code} without JSON") from None
    if not isinstance(data, kind):
        raise Unknown(f"the instance answered {type(data).__name__} where {kind.__name__} was expected")
    return data


def _ours_ahead_of(date_header: str, now: datetime | None = None) -> timedelta:
    """How far this machine's clock is ahead of the instance's, by its Date header (none when it is behind, or
    the header cannot be read: then only CLOCK_SKEW covers a difference)."""
    try:
        theirs = email.utils.parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return timedelta(0)
    if theirs.tzinfo is None:
        return timedelta(0)
    # At most a day: an instance whose Date is further off is broken, and looking back that far could take a
    # re-shared post's earlier status (same link) for this attempt's.
    return min(MAX_AHEAD, max(timedelta(0), (now or datetime.now(UTC)) - theirs))


def _created_at(status: dict) -> datetime:
    try:
        return datetime.fromisoformat(str(status["created_at"]))
    except (KeyError, ValueError):
        raise Rejected("the instance listed a status without a valid created_at") from None
