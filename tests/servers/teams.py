"""A Teams Workflows webhook on 127.0.0.1 ("When a Teams webhook request is received"), enforcing what Microsoft
documents for it.

Enforced: only the flow's path (404 WorkflowNotFound) with its `sig` (401 DirectApiAuthorizationRequired when
missing, 401 DirectApiInvalidAuthorizationSignature when wrong); a JSON message of type "message" with exactly
one Adaptive Card attachment; the card's schema as far as we use it (version 1.0–1.5; RichTextBlock of TextRuns,
TextBlock, FactSet, Image with an https URL; Action.OpenUrl with a title and an http(s) URL) (400
InvalidRequestContent); at most 28 KB (413). A success answers 202 Accepted, with no body.
"""

from __future__ import annotations

import json
import secrets

from servers.loopback import Fault, LoopbackServer, Reply, Request

__all__ = ["Fault", "TeamsWorkflow", "check_card"]

SIZE_LIMIT = 28 * 1024
VERSIONS = {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def check_card(message: dict) -> str:
    """'' when `message` is a card Teams can show, else what is wrong."""
    if message.get("type") != "message":
        return "type must be 'message'"
    attachments = message.get("attachments")
    if not isinstance(attachments, list) or len(attachments) != 1:
        return "exactly one attachment"
    attachment = attachments[0]
    if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
        return "contentType"
    card = attachment.get("content") or {}
    if card.get("type") != "AdaptiveCard" or card.get("version") not in VERSIONS:
        return "AdaptiveCard and version"
    body = card.get("body")
    if not isinstance(body, list) or not body:
        return "body"
    for element in body:
        kind = element.get("type")
        if kind == "RichTextBlock":
            inlines = element.get("inlines")
            if not inlines or any(
                i.get("type") != "TextRun" or not isinstance(i.get("text"), str) or not i["text"] for i in inlines
            ):
                return "RichTextBlock inlines"
        elif kind == "TextBlock":
            if not isinstance(element.get("text"), str) or not element["text"]:
                return "TextBlock text"
        elif kind == "FactSet":
            facts = element.get("facts")
            if not facts or any(
                not isinstance(f.get("title"), str) or not isinstance(f.get("value"), str) for f in facts
            ):
                return "FactSet facts"
        elif kind == "Image":
            if not str(element.get("url", "")).startswith("https://"):
                return "Image url"
        else:
            return f"unknown element {kind!r}"
    for action in card.get("actions", []):
        if action.get("type") != "Action.OpenUrl" or not action.get("title"):
            return "actions"
        if not str(action.get("url", "")).startswith(("https://", "http://")):
            return "action url"
    return ""


class TeamsWorkflow(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.path = f"/workflows/{secrets.token_hex(16)}/triggers/manual/paths/invoke"
        self.sig = secrets.token_urlsafe(32)
        self.cards: list[dict] = []  # messages the flow accepted

    @property
    def webhook_url(self) -> str:
        """The secret URL."""
        return f"{self.url}{self.path}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={self.sig}"

    def handle(self, request: Request) -> Reply:
        if request.method != "POST" or request.path != self.path:
            return Reply(404, _error("WorkflowNotFound", "The workflow could not be found."))
        if "sig" not in request.query:
            return Reply(401, _error("DirectApiAuthorizationRequired", "The request must be authenticated."))
        if request.query["sig"] != self.sig:
            return Reply(401, _error("DirectApiInvalidAuthorizationSignature", "The provided signature is not valid."))
        if len(request.body) > SIZE_LIMIT:
            return Reply(413, _error("MessageSizeExceeded", f"The message is larger than {SIZE_LIMIT} bytes."))
        try:
            message = json.loads(request.body)
        except ValueError:
            return Reply(400, _error("InvalidRequestContent", "The request content is not valid JSON."))
        problem = check_card(message) if isinstance(message, dict) else "not an object"
        if problem:
            return Reply(400, _error("InvalidRequestContent", f"The card is not valid: {problem}."))
        self.cards.append(message)
        return Reply(202, "")
