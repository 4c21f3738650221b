"""Meta's Graph API on 127.0.0.1: a Facebook Page feed and a Threads account, enforcing what Meta documents.

Both answer errors the Graph way, `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}` with
HTTP 400, rate limits included (with an `X-Business-Use-Case-Usage` header saying when access comes back).

Facebook (`POST /{version}/{page-id}/feed`): a pinned version of the form vNN.N; the Page access token in the
form body (190 otherwise); `message` at most 63,206 characters and `link` an http(s) URL (100); the same message
and link twice (506); a Page call limit (32). Answers `{"id": "<page id>_<post id>"}`.

Threads (`POST /v1.0/{user-id}/threads`, `POST /v1.0/{user-id}/threads_publish`, `GET /v1.0/{id}`): the token
(190); TEXT containers with `text` of at most 500 characters, an emoji counting its UTF-8 bytes (100), and at
most 5 links with the link attachment (100 THREADS_API__LINK_LIMIT_EXCEEDED); a container is published at most
once, and not after it expired (24 hours; `expire()` does it now); container status FINISHED, PUBLISHED or
EXPIRED; a post's permalink; a 24-hour publishing quota (code 4).
"""

from __future__ import annotations

import json
import re

import regex
from servers.loopback import Fault, LoopbackServer, Reply, Request

__all__ = ["FacebookServer", "Fault", "ThreadsServer", "threads_length"]

EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\N{COMBINING ENCLOSING KEYCAP}")
LINK = re.compile(r"https?://[^\s<>\"]+")


def error(code: int, message: str, subcode: int | None = None, kind: str = "OAuthException") -> dict:
    body = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        body["error_subcode"] = subcode
    return {"error": body}


def threads_length(text: str) -> int:
    return sum(len(g.encode()) if EMOJI.search(g) else 1 for g in regex.findall(r"\X", text))


class FacebookServer(LoopbackServer):
    def __init__(self, page_id: str, token: str, calls_per_window: int = 100):
        super().__init__()
        self.page_id, self.token, self.calls_per_window = page_id, token, calls_per_window
        self.posts: list[dict] = []
        self.calls = 0

    def handle(self, request: Request) -> Reply:
        match = re.fullmatch(r"/(v\d+\.\d+)/(\d+)/feed", request.path)
        if request.method != "POST" or not match:
            return Reply(400, error(2500, f"Unknown path components: {request.path}"))
        form = request.form
        if form.get("access_token") != self.token:
            return Reply(400, error(190, "Invalid OAuth access token - Cannot parse access token"))
        if match.group(2) != self.page_id:
            return Reply(400, error(100, "(#100) The global id is not allowed for this call"))
        self.calls += 1
        if self.calls > self.calls_per_window:
            usage = {
                self.page_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 12,
                        "total_time": 14,
                        "estimated_time_to_regain_access": 7,
                    }
                ]
            }
            return Reply(400, error(32, "Page request limit reached"), {"X-Business-Use-Case-Usage": json.dumps(usage)})
        message, link = form.get("message", ""), form.get("link", "")
        if not message and not link:
            return Reply(400, error(100, "(#100) Missing message or attachment"))
        if len(message.encode("utf-16-le")) // 2 > 63_206:
            return Reply(400, error(100, "(#100) Param message must be at most 63206 characters long"))
        if link and not link.startswith(("https://", "http://")):
            return Reply(400, error(100, "(#100) link URL is not properly formatted"))
        if any(post["message"] == message and post["link"] == link for post in self.posts):
            return Reply(400, error(506, "Duplicate status message"))
        post_id = f"{self.page_id}_{1220000000000000 + len(self.posts) + 1}"
        self.posts.append({"id": post_id, "message": message, "link": link, "version": match.group(1)})
        return Reply(200, {"id": post_id})


class ThreadsServer(LoopbackServer):
    def __init__(self, user_id: str, token: str, handle: str = "larkspur", quota: int = 250):
        super().__init__()
        self.user_id, self.token, self.account, self.quota = user_id, token, handle, quota
        self.containers: dict[str, dict] = {}
        self.threads: list[dict] = []  # published posts

    def expire(self, container: str) -> None:
        self.containers[container]["status"] = "EXPIRED"

    def handle(self, request: Request) -> Reply:
        values = request.query if request.method == "GET" else {**request.query, **request.form}
        if values.get("access_token") != self.token:
            return Reply(400, error(190, "Invalid OAuth access token - Cannot parse access token"))
        path = request.path.removeprefix("/v1.0/")
        if request.method == "POST" and path == f"{self.user_id}/threads":
            return self._container(values)
        if request.method == "POST" and path == f"{self.user_id}/threads_publish":
            return self._publish(values.get("creation_id", ""))
        if request.method == "GET" and path in self.containers:
            container = self.containers[path]
            return Reply(200, {"id": path, "status": container["status"]})
        if request.method == "GET" and (thread := next((t for t in self.threads if t["id"] == path), None)):
            return Reply(200, {"id": path, "permalink": thread["permalink"]})
        return Reply(
            400, error(100, f"Unsupported request - method type: {request.method.lower()}", kind="THApiException")
        )

    def _container(self, values: dict) -> Reply:
        if values.get("media_type") != "TEXT":
            return Reply(400, error(100, "The parameter media_type is required", kind="THApiException"))
        text, link = values.get("text", ""), values.get("link_attachment", "")
        if not text:
            return Reply(400, error(100, "The parameter text is required for TEXT posts", kind="THApiException"))
        if threads_length(text) > 500:
            return Reply(400, error(100, "Param text must be at most 500 characters long", 4279024, "THApiException"))
        if link and not link.startswith(("https://", "http://")):
            return Reply(400, error(100, "Param link_attachment is not a valid URL", kind="THApiException"))
        if len(set(LINK.findall(text)) | ({link} if link else set())) > 5:
            return Reply(400, error(100, "THREADS_API__LINK_LIMIT_EXCEEDED", kind="THApiException"))
        container = str(18000000000000000 + len(self.containers) + 1)
        self.containers[container] = {"text": text, "link": link, "status": "FINISHED"}
        return Reply(200, {"id": container})

    def _publish(self, container_id: str) -> Reply:
        container = self.containers.get(container_id)
        if container is None:
            return Reply(400, error(24, "The requested resource does not exist", 4279009, "THApiException"))
        if container["status"] == "PUBLISHED":
            return Reply(400, error(100, "The media container has already been published", 4279026, "THApiException"))
        if container["status"] == "EXPIRED":
            return Reply(400, error(24, "The media container expired", 4279029, "THApiException"))
        if len(self.threads) >= self.quota:
            return Reply(
                400,
                error(4, "Application request limit reached"),
                {"X-App-Usage": json.dumps({"call_count": 100, "estimated_time_to_regain_access": 30})},
            )
        container["status"] = "PUBLISHED"
        media = str(17900000000000000 + len(self.threads) + 1)
        permalink = f"https://www.threads.net/@{self.account}/post/C{len(self.threads) + 1:09d}"
        self.threads.append(
            {
                "id": media,
                "container": container_id,
                "text": container["text"],
                "link": container["link"],
                "permalink": permalink,
            }
        )
        return Reply(200, {"id": media})
