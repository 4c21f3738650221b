"""Slack incoming webhook (internal): one Block Kit message per post, in the channel the webhook belongs to.

The webhook URL is the only credential and all of it is secret: it is never printed, logged or stored.
(requests puts URLs in its exceptions; `http.send` never repeats them, and Slack's answers are redacted.)
"""

from __future__ import annotations

from collections.abc import Callable

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.model import wording as phrases
from newsroom.syndication.channel import Attempt, AuthFailed, Message, Receipt, Unknown
from newsroom.syndication.channel_types import SLACK
from newsroom.syndication.channels.secret_webhook import SecretWebhookChannel
from newsroom.syndication.http import outcome_for
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import DoesNotFit, fit

# Slack's documented limits, in characters: the whole `text`, a section's text, a header, an image's alt text,
# a URL in a block, and a button's label.
TEXT_LIMIT, SECTION_LIMIT, HEADER_LIMIT, ALT_LIMIT, URL_LIMIT, BUTTON_LIMIT = 40_000, 3000, 150, 2000, 3000, 75
# Answers meaning the webhook itself no longer works (revoked, its channel archived or deleted, posting not
# allowed): no post can succeed, so the channel stops for this run instead of failing each post for good.
WEBHOOK_GONE = {
    "no_service",
    "no_service_id",
    "no_team",
    "team_disabled",
    "invalid_token",
    "channel_not_found",
    "channel_is_archived",
    "action_prohibited",
    "posting_to_general_channel_denied",
}


def slack_length(text: str) -> int:
    """Characters as Slack's JavaScript clients count them (UTF-16 units): an emoji counts 2, never less."""
    return len(text.encode("utf-16-le")) // 2


def mrkdwn(text: str) -> str:
    """Slack's documented escaping: only &, < and > are control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped_within(limit: int) -> Callable[[str], bool]:
    """A fit test on the text as it will be sent, escapes included."""
    return lambda text: slack_length(mrkdwn(text)) <= limit


class SlackChannel(SecretWebhookChannel):
    channel_type = SLACK
    min_interval = 1.0  # Slack allows about one message per second per webhook, then answers 429
    length_unit = "characters of text"

    def render(self, post: PublishedPost) -> Message:
        words = post.words  # the words around the post, in its language
        title = " ".join(post.title.split())
        summary = post.custom_text(self.name) or post.summary
        if slack_length(post.url) > URL_LIMIT:
            raise DoesNotFit(f"the link ({slack_length(post.url)} characters) is longer than Slack's {URL_LIMIT}")
        # Fit the raw text, measured as it will be once escaped, so a cut never lands inside '&amp;'.
        text = mrkdwn(fit(title, summary, post.url, _escaped_within(TEXT_LIMIT)).text)
        # Slack refuses a block whose text is empty (invalid_blocks), and a fit leaves "" when not even one
        # grapheme fits (one letter with thousands of accents): such a block is left out, never sent empty. The
        # post's link is in the button, which is always there, and at the end of the notification's text.
        header = fit(title, "", "", lambda candidate: slack_length(candidate) <= HEADER_LIMIT).text if title else ""
        section = mrkdwn(fit("", summary, "", _escaped_within(SECTION_LIMIT)).text) if summary else ""
        # Plain text: the category's name is a settings text, and mrkdwn would read its *, _, ~ and ` (Slack has
        # no escape for them); the context line needs no formatting of its own.
        context = " · ".join(part for part in (words.category, words.time(post.published)) if part)
        blocks: list[dict] = []
        if header:  # a header is plain text: nothing to escape, and it cannot hold a link (the button does)
            blocks.append({"type": "header", "text": {"type": "plain_text", "text": header, "emoji": True}})
        if section:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": section}})
        if context:
            blocks.append({"type": "context", "elements": [{"type": "plain_text", "text": context, "emoji": True}]})
        image = post.image
        if image and image.url.startswith(("https://", "http://")) and slack_length(image.url) <= URL_LIMIT:
            alt = fit(" ".join((image.alt or title).split()), "", "", lambda c: slack_length(c) <= ALT_LIMIT).text
            if alt or header:
                blocks.append({"type": "image", "image_url": image.url, "alt_text": alt or header})
        button = fit(words.say(phrases.READ_THE_POST), "", "", lambda c: slack_length(c) <= BUTTON_LIMIT).text
        blocks.append(
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": button}, "url": post.url}],
            }
        )
        # Our own image and button replace Slack's link preview, which would repeat them.
        payload = {"text": text, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}
        return Message(self.name, post.id, text, slack_length(text), TEXT_LIMIT, {"payload": payload})

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        response = self.post(message)
        answer = SECRETS_IN_USE.redact(" ".join(response.text.split()), self.secret_parts())[:200]  # cut after
        if response.status_code == 200 and answer == "ok":
            # A webhook returns no message id or link; the attempt key is what identifies this send.
            return Receipt(remote_id=attempt.key, url="")
        if response.status_code == 200:
            raise Unknown(f"Slack answered 200 but not 'ok' ({answer or 'empty'}); check the Slack channel")
        if response.status_code in (404, 410) or answer in WEBHOOK_GONE:
            raise AuthFailed(
                f"Slack refused the webhook ({response.status_code} {answer}): it was removed, its "
                f"channel archived, or posting is not allowed; put a working webhook URL in "
                f"{self.variable()}"
            )
        raise outcome_for(response, self.secret_parts())
