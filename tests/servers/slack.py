"""A Slack incoming webhook on 127.0.0.1 that enforces what Slack documents for webhook messages.

Enforced: POST only, and only to the secret path (404 `no_service` otherwise); a JSON body (400
`invalid_payload`); `text` or `blocks` (400 `no_text`); `text` at most 40,000 characters; at most 50 blocks of
known types with their documented limits (header 150, section 3000, context 10 elements, image URL and alt
text, button label 75 and URL 3000) (400 `invalid_blocks`). Stricter than Slack, so that a missed escape
fails a test instead of garbling a message: in mrkdwn text every `&` must start `&amp;`/`&lt;`/`&gt;` and every
`<` must open a link such as `<https://…|label>` (400 `unescaped_text`). A success answers 200 `ok`.

Faults are scripted for the next valid POSTs: an HTTP answer (e.g. 429 with Retry-After, 500, 403
`invalid_token`), or "drop": the message is posted, then the connection closes without an answer.
The server never logs a request line: the path is the secret.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from servers.background import BackgroundServer

TEXT_LIMIT, SECTION_LIMIT, HEADER_LIMIT, URL_LIMIT, ALT_LIMIT, BUTTON_LIMIT = 40_000, 3000, 150, 3000, 2000, 75
ENTITY_OR_LINK = re.compile(r"&(?:amp|lt|gt);|<(?:https?://|mailto:|#C|@U|!)[^<>]*>")


@dataclass
class Fault:
    status: int = 0
    body: str = ""
    headers: dict = field(default_factory=dict)
    drop: bool = False
    acted: bool = False  # deliver the message, then answer `status` (a webhook that posted, then failed)


@dataclass
class Answer:
    """What the server answered to one POST (for asserting on refusals as well as deliveries)."""

    status: int
    body: str


class SlackWebhook(BackgroundServer):
    def __init__(self) -> None:
        super().__init__(self._handler(), poll_interval=0.05)
        self.path = f"/services/T{secrets.token_hex(4).upper()}/B{secrets.token_hex(4).upper()}/{secrets.token_hex(12)}"
        self.delivered: list[dict] = []  # payloads that reached the channel (including dropped answers)
        self.answers: list[Answer] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The secret webhook URL."""
        return f"{super().url}{self.path}"

    def _handler(self):
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # the request line holds the secret path
                pass

            def do_GET(self):
                self._answer(405, "invalid_method")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != webhook.path:
                    return self._answer(404, "no_service")
                if self.headers.get_content_type() != "application/json":
                    return self._answer(400, "invalid_payload")
                try:
                    payload = json.loads(body)
                except ValueError:
                    return self._answer(400, "invalid_payload")
                if not isinstance(payload, dict):
                    return self._answer(400, "invalid_payload")
                problem = check_payload(payload)
                if problem:
                    return self._answer(400, problem)
                with webhook._lock:
                    fault = webhook.faults.pop(0) if webhook.faults else Fault()
                    if fault.drop or fault.acted or not fault.status:
                        webhook.delivered.append(payload)
                if fault.drop:
                    self.close_connection = True  # posted, but the client never hears so
                    return None
                if fault.status:
                    return self._answer(fault.status, fault.body, fault.headers)
                return self._answer(200, "ok")

            def _answer(self, status: int, text: str, headers: dict | None = None):
                webhook.answers.append(Answer(status, text))
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def check_payload(payload: dict) -> str:
    """The Slack error code for a payload that breaks a documented rule, or '' when it is valid."""
    text, blocks = payload.get("text"), payload.get("blocks")
    if not text and not blocks:
        return "no_text"
    if text is not None and (not isinstance(text, str) or len(text) > TEXT_LIMIT):
        return "invalid_payload"
    if text and not _escaped(text):
        return "unescaped_text"
    if blocks is None:
        return ""
    if not isinstance(blocks, list) or not 0 < len(blocks) <= 50:
        return "invalid_blocks"
    for block in blocks:
        problem = _check_block(block)
        if problem:
            return problem
    return ""


def _check_block(block: dict) -> str:
    kind = block.get("type")
    if kind == "header":
        return _text(block.get("text"), HEADER_LIMIT, plain_only=True)
    if kind == "section":
        return _text(block.get("text"), SECTION_LIMIT)
    if kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 0 < len(elements) <= 10:
            return "invalid_blocks"
        return next((problem for element in elements if (problem := _text(element, SECTION_LIMIT))), "")
    if kind == "image":
        url, alt = block.get("image_url"), block.get("alt_text")
        if not _url(url) or not isinstance(alt, str) or not 0 < len(alt) <= ALT_LIMIT:
            return "invalid_blocks"
        return ""
    if kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 0 < len(elements) <= 25:
            return "invalid_blocks"
        for button in elements:
            if button.get("type") != "button" or not _url(button.get("url")):
                return "invalid_blocks"
            if problem := _text(button.get("text"), BUTTON_LIMIT, plain_only=True):
                return problem
        return ""
    if kind == "divider":
        return ""
    return "invalid_blocks"


def _text(obj, limit: int, plain_only: bool = False) -> str:
    if not isinstance(obj, dict) or obj.get("type") not in (
        ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    ):
        return "invalid_blocks"
    text = obj.get("text")
    if not isinstance(text, str) or not 0 < len(text) <= limit:
        return "invalid_blocks"
    if obj["type"] == "mrkdwn" and not _escaped(text):
        return "unescaped_text"
    return ""


def _url(url) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= URL_LIMIT


def _escaped(text: str) -> bool:
    """No bare '&' and no '<' or '>' outside a control sequence (Slack's escaping rule)."""
    rest = ENTITY_OR_LINK.sub("", text)
    return not any(character in rest for character in "&<>")
