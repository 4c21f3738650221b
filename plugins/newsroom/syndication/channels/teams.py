"""Microsoft Teams (internal): an Adaptive Card per post, through a Workflows webhook ("When a Teams webhook
request is received"). Office 365 connectors are retired; Workflows took their place.

The webhook URL carries its own credential (`sig=`), so all of it is secret: never printed, logged or stored.
A Workflows webhook answers 202 Accepted: the flow took the card and posts it on its own; it returns no message
id, and it has no idempotency, so an unanswered request is recorded as uncertain for a person to check.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import requests

from newsroom.kit.credentials import redact
from newsroom.model import wording as phrases
from newsroom.syndication.channel import Attempt, AuthFailed, Message, Receipt
from newsroom.syndication.channel_types import TEAMS
from newsroom.syndication.channels.secret_webhook import SecretWebhookChannel
from newsroom.syndication.http import outcome_for
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import DoesNotFit, fit, grapheme_count, utf8_length

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"  # what Teams renders everywhere (desktop, web and mobile)
# Teams refuses a message over 28 KB, card included: measured on the JSON sent, with a margin for the envelope.
PAYLOAD_LIMIT = 28_000
TITLE_LIMIT = 300  # graphemes; the content checks keep titles far shorter
# Answers meaning the flow itself is gone or switched off: no post can get through until someone fixes it.
FLOW_GONE = {"WorkflowNotFound", "WorkflowTriggerIsNotEnabled", "WorkflowDisabled", "TriggerNotFound"}


def card(
    title: str,
    summary: str,
    facts: list[tuple[str, str]],
    url: str,
    image: tuple[str, str] | None,
    button: str = phrases.READ_THE_POST,
) -> dict:
    """The message Teams expects: one Adaptive Card attachment.

    Every text is a RichTextBlock's text runs, which Teams shows as plain text: a TextBlock or a FactSet would
    read them as Markdown (an underscore or asterisk becomes italics), and Teams clients disagree on how a
    backslash escape is shown (microsoft/AdaptiveCards#5590, #4677)."""
    body: list[dict] = [
        {
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": title, "size": "Large", "weight": "Bolder"}],
        }
    ]
    if summary:
        body.append({"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": summary}]})
    # Each fact a line of text runs, not a FactSet: Teams reads Markdown in a fact's title and value, and the
    # category's name is a settings text ("[x](y)" would be a link).
    for name, value in facts:
        inlines = [{"type": "TextRun", "text": name, "weight": "Bolder"}, {"type": "TextRun", "text": f" {value}"}]
        body.append({"type": "RichTextBlock", "inlines": inlines})
    if image:
        body.append({"type": "Image", "url": image[0], "altText": image[1], "size": "Stretch"})
    content = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": button, "url": url}],
    }
    return {"type": "message", "attachments": [{"contentType": CARD_TYPE, "contentUrl": None, "content": content}]}


def payload_size(message: dict) -> int:
    return utf8_length(json.dumps(message, ensure_ascii=False))


class TeamsChannel(SecretWebhookChannel):
    channel_type = TEAMS
    min_interval = 1.0  # Teams throttles webhooks that post several messages a second
    length_unit = "bytes of card JSON"

    def render(self, post: PublishedPost) -> Message:
        words = post.words  # the words around the post, in its language
        title = fit(" ".join(post.title.split()), "", "", lambda text: grapheme_count(text) <= TITLE_LIMIT).text
        summary = post.custom_text(self.name) or post.summary
        facts = [
            (words.say(name), value)
            for name, value in ((phrases.CATEGORY, words.category), (phrases.PUBLISHED, words.time(post.published)))
            if value
        ]
        button = words.say(phrases.READ_THE_POST)
        image = None
        if post.image and post.image.url.startswith("https://"):  # Teams fetches images itself, over https only
            image = (post.image.url, post.image.alt or title)

        def build(text: str) -> dict:
            return card(title, text, facts, post.url, image, button)

        if payload_size(build("")) > PAYLOAD_LIMIT:
            raise DoesNotFit(f"even without its summary the card is over Teams's {PAYLOAD_LIMIT} bytes")
        summary = fit("", summary, "", lambda text: payload_size(build(text)) <= PAYLOAD_LIMIT).text if summary else ""
        message = build(summary)
        text = "\n\n".join(part for part in (title, summary, f"[{button}] {post.url}") if part)
        return Message(self.name, post.id, text, payload_size(message), PAYLOAD_LIMIT, {"payload": message})

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        response = self.post(message)
        if response.status_code in (200, 202):
            # Accepted: the flow posts the card itself and names no message; the attempt key identifies this send.
            return Receipt(remote_id=attempt.key, url="")
        code = _error_code(response)
        if response.status_code in (401, 403, 404, 410) or code in FLOW_GONE:
            answer = redact(code or response.reason or "", self.secret_parts())
            raise AuthFailed(
                f"Teams refused the webhook ({response.status_code} {answer}): the flow was deleted or turned "
                f"off, or its URL changed; put the flow's current URL in {self.variable()}"
            )
        raise outcome_for(response, self.secret_parts())

    def secret_parts(self) -> list[str]:
        """The URL, and the parts of it an error text could quote on their own (path, query, signature)."""
        url = self.secrets.get("webhook_url", "")
        parts = urlsplit(url)
        signatures = parse_qs(parts.query).get("sig", [])
        return [url, parts.path, parts.query, *signatures]


def _error_code(response: requests.Response) -> str:
    """The Logic Apps error code in `{"error": {"code": …, "message": …}}`, or ''."""
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        return ""
    return str(error.get("code", "")) if isinstance(error, dict) else ""
