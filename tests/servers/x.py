"""X's `POST /2/tweets` on 127.0.0.1, enforcing what X documents.

Enforced: a valid OAuth 1.0a signature in user context, checked with oauthlib's server side (consumer key and
access token known, HMAC-SHA1 signature over method, URL and OAuth parameters, nonce never reused: 401
otherwise); a JSON body with `text`; at most 280 weighted characters by the published twitter-text v3 rules
(400): NFC; each URL 23, where twitter-text's own extractor finds one (X's rules for where a URL ends, before
CJK text or a closing bracket, and for a URL without a scheme, `example.com`, are that extractor's: nothing else
models them faithfully); the rest weighed here, independently of the client's library, from the published
configuration (code points in 0–4351, 8192–8205, 8208–8223 and 8242–8247 weigh 1, others 2; an emoji sequence
weighs 2); no duplicate text (403); a
15-minute window and a 24-hour user limit, with `x-rate-limit-*` and `x-user-limit-24hour-*` headers (429).
A success answers 201 `{"data": {"id", "text"}}`.
"""

from __future__ import annotations

import string
import time
import unicodedata
import warnings

import regex
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint
from servers.loopback import Fault, LoopbackServer, Reply, Request

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # it reads its emoji table with pkg_resources
    from twitter_text import extract_urls_with_indices

__all__ = ["Fault", "XServer", "x_weighted_length"]

# An emoji sequence: a pictograph, a flag's regional indicators, or a keycap (1️⃣ is a digit, then U+FE0F, U+20E3).
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\N{COMBINING ENCLOSING KEYCAP}")
LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for url in extract_urls_with_indices(text):  # with and without a scheme, as X links them
        start, end = url["indices"]
        total += _plain(text[position:start]) + 23
        position = end
    return total + _plain(text[position:])


def _plain(text: str) -> int:
    weight = 0
    for grapheme in regex.findall(r"\X", text):
        if EMOJI.search(grapheme):
            weight += 2
        else:
            weight += sum(1 if any(low <= ord(c) <= high for low, high in LIGHT) else 2 for c in grapheme)
    return weight


class _Validator(RequestValidator):
    """oauthlib's server side, knowing one app and one account."""

    def __init__(self, server: XServer):
        super().__init__()
        self.server = server
        self.nonces: set[tuple[str, str]] = set()

    enforce_ssl = False  # loopback
    allowed_signature_methods = ("HMAC-SHA1",)
    safe_characters = set(string.ascii_letters + string.digits + "-_")  # X's access tokens are "<user id>-<…>"
    client_key_length = access_token_length = (8, 64)
    dummy_client = "dummy-consumer-key"
    dummy_access_token = "dummy-access-token"

    def validate_client_key(self, client_key, request):
        return client_key == self.server.consumer_key

    def validate_access_token(self, client_key, token, request):
        return token == self.server.access_token

    def get_client_secret(self, client_key, request):
        return self.server.consumer_secret if client_key == self.server.consumer_key else "dummy"

    def get_access_token_secret(self, client_key, token, request):
        return self.server.access_token_secret if token == self.server.access_token else "dummy"

    def validate_timestamp_and_nonce(
        self, client_key, timestamp, nonce, request, request_token=None, access_token=None
    ):
        if (timestamp, nonce) in self.nonces:
            return False
        self.nonces.add((timestamp, nonce))
        return True


class XServer(LoopbackServer):
    def __init__(
        self,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_token_secret: str,
        window_limit: int = 100,
        day_limit: int = 17,
    ):
        super().__init__()
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.access_token, self.access_token_secret = access_token, access_token_secret
        self.window_limit, self.day_limit = window_limit, day_limit
        self.endpoint = SignatureOnlyEndpoint(_Validator(self))
        self.tweets: list[dict] = []
        self.attempts = 0  # signed requests in the current window

    def handle(self, request: Request) -> Reply:
        if request.method != "POST" or request.path != "/2/tweets":
            return Reply(404, {"title": "Not Found Error", "type": "about:blank", "status": 404, "detail": "Not Found"})
        try:
            valid, _ = self.endpoint.validate_request(
                self.url + request.path, "POST", body=None, headers={"Authorization": request.header("Authorization")}
            )
        except ValueError:  # no OAuth header at all, or a malformed one
            valid = False
        if not valid:
            return Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        now = int(time.time())
        self.attempts += 1
        window = {
            "x-rate-limit-limit": str(self.window_limit),
            "x-rate-limit-remaining": str(max(0, self.window_limit - self.attempts)),
            "x-rate-limit-reset": str(now + 900),
        }
        day = {
            "x-user-limit-24hour-limit": str(self.day_limit),
            "x-user-limit-24hour-remaining": str(max(0, self.day_limit - len(self.tweets))),
            "x-user-limit-24hour-reset": str(now + 86_400),
        }
        if self.attempts > self.window_limit:
            return Reply(
                429,
                {"title": "Too Many Requests", "type": "about:blank", "status": 429, "detail": "Too Many Requests"},
                {**window, **day},
            )
        if len(self.tweets) >= self.day_limit:
            return Reply(
                429,
                {"title": "Too Many Requests", "type": "about:blank", "status": 429, "detail": "Too Many Requests"},
                {**window, **day},
            )
        if "json" not in request.header("Content-Type"):
            return Reply(
                415,
                {
                    "title": "Unsupported Media Type",
                    "type": "about:blank",
                    "status": 415,
                    "detail": "Unsupported Media Type",
                },
            )
        text = request.json().get("text")
        if not isinstance(text, str) or not text.strip():
            return Reply(400, _invalid("text", "The `text` field is required."))
        if x_weighted_length(text) > 280:
            return Reply(400, _invalid("text", "Your Tweet text is too long."))
        if any(tweet["text"] == text for tweet in self.tweets):
            return Reply(
                403,
                {
                    "detail": "You are not allowed to create a Tweet with duplicate content.",
                    "type": "about:blank",
                    "title": "Forbidden",
                    "status": 403,
                },
            )
        tweet = {"id": str(1_900_000_000_000_000_000 + len(self.tweets) + 1), "text": text}
        self.tweets.append(tweet)
        day["x-user-limit-24hour-remaining"] = str(max(0, self.day_limit - len(self.tweets)))
        return Reply(201, {"data": tweet}, {**window, **day})


def _invalid(parameter: str, message: str) -> dict:
    return {
        "errors": [{"parameters": {parameter: []}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
