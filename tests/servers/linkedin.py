"""LinkedIn's Posts API on 127.0.0.1, enforcing what LinkedIn documents for `POST /rest/posts`.

Enforced: the bearer token (401); `LinkedIn-Version` present (400 VERSION_MISSING) and active (426
NONEXISTENT_VERSION); `X-Restli-Protocol-Version: 2.0.0`; the author is the organization the token administers
(403 ACCESS_DENIED); PUBLIC, MAIN_FEED, PUBLISHED, and an article with a source URL and a title (422); the
commentary at most 3000 characters as sent, escapes included (400, LinkedIn's message); the same commentary
twice (422 DUPLICATE_POST); a daily limit (429). A success answers 201 with the post's URN in `x-restli-id`.

Like LinkedIn, it reads the commentary in the "little" format and silently cuts it at the first reserved
character that is not escaped: `displayed` is what readers would see.
"""

from __future__ import annotations

import regex
from servers.loopback import Fault, LoopbackServer, Reply, Request

__all__ = ["Fault", "LinkedInServer", "read_little"]

RESERVED = set("\\|{}@[]()<>#*_~")
HASHTAG = regex.compile(r"#\w+")


def read_little(commentary: str) -> tuple[str, bool]:
    """What LinkedIn shows for `commentary`, and whether it was cut at an unescaped reserved character."""
    shown, index = [], 0
    while index < len(commentary):
        character = commentary[index]
        if character == "\\" and index + 1 < len(commentary):
            shown.append(commentary[index + 1])
            index += 2
            continue
        if character == "#" and (tag := HASHTAG.match(commentary, index)):
            shown.append(tag.group(0))  # a hashtag element
            index = tag.end()
            continue
        if character in RESERVED:
            return "".join(shown), True
        shown.append(character)
        index += 1
    return "".join(shown), False


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class LinkedInServer(LoopbackServer):
    def __init__(self, token: str, organization: str = "2414183", versions=("202510", "202601"), daily_limit=150):
        super().__init__()
        self.token, self.organization = token, organization
        self.versions, self.daily_limit = set(versions), daily_limit
        self.posts: list[dict] = []

    def handle(self, request: Request) -> Reply:
        if request.method != "POST" or request.path != "/rest/posts":
            return Reply(404, {"status": 404, "code": "NOT_FOUND", "message": "No resource found"})
        if request.header("Authorization") != f"Bearer {self.token}":
            return Reply(
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65600,
                    "code": "INVALID_ACCESS_TOKEN",
                    "message": "Invalid access token",
                },
            )
        version = request.header("LinkedIn-Version")
        if not version:
            return Reply(
                400,
                {
                    "status": 400,
                    "code": "VERSION_MISSING",
                    "message": "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                },
            )
        if version not in self.versions:
            return Reply(
                426,
                {"status": 426, "code": "NONEXISTENT_VERSION", "message": f"Requested version {version} is not active"},
            )
        if request.header("X-Restli-Protocol-Version") != "2.0.0":
            return Reply(400, {"status": 400, "message": "Protocol version 2.0.0 is required for this resource"})
        body = request.json()
        if body.get("author") != f"urn:li:organization:{self.organization}":
            return Reply(
                403,
                {
                    "status": 403,
                    "serviceErrorCode": 100,
                    "code": "ACCESS_DENIED",
                    "message": f"Not enough permissions to access: partnerApiPostsExternal.CREATE.{version}01",
                },
            )
        article = body.get("content", {}).get("article", {})
        problems = [
            field
            for field, ok in (
                ("visibility", body.get("visibility") == "PUBLIC"),
                ("distribution", body.get("distribution", {}).get("feedDistribution") == "MAIN_FEED"),
                ("lifecycleState", body.get("lifecycleState") == "PUBLISHED"),
                ("content.article.source", str(article.get("source", "")).startswith(("https://", "http://"))),
                ("content.article.title", bool(article.get("title"))),
            )
            if not ok
        ]
        if problems:
            return Reply(
                422,
                {
                    "status": 422,
                    "message": "Invalid fields",
                    "errorDetails": {
                        "inputErrors": [
                            {"input": {"inputPath": {"fieldPath": p}}, "code": "INVALID_VALUE"} for p in problems
                        ]
                    },
                },
            )
        commentary = body.get("commentary", "")
        if utf16(commentary) > 3000:
            return Reply(
                400,
                {
                    "status": 400,
                    "message": f"com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text length ({utf16(commentary)} characters) exceeded the maximum allowed (3000 characters)",
                },
            )
        for post in self.posts:
            if post["commentary"] == commentary:
                return Reply(
                    422,
                    {"status": 422, "code": "DUPLICATE_POST", "message": f"Content is a duplicate of {post['urn']}"},
                )
        if len(self.posts) >= self.daily_limit:
            return Reply(
                429,
                {
                    "status": 429,
                    "code": "TOO_MANY_REQUESTS",
                    "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
                },
            )
        urn = f"urn:li:share:{7400000000000000000 + len(self.posts) + 1}"
        displayed, cut = read_little(commentary)
        self.posts.append(
            {
                "urn": urn,
                "commentary": commentary,
                "displayed": displayed,
                "cut": cut,
                "article": article,
                "version": version,
            }
        )
        return Reply(201, "", {"x-restli-id": urn, "x-linkedin-id": urn})
