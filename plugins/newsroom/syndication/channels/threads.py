"""Threads: a text container with the post's link as its card (`POST /{user-id}/threads`), then publishing it
(`POST /{user-id}/threads_publish`). Two calls, one post, and no idempotency, so the ledger keeps the steps:

- the container id is checkpointed as soon as it exists, and "publishing" just before the publish call;
- a run that stopped before "publishing" is resumed: a container is invisible until published and expires
  after 24 hours unpublished, so creating another, or publishing the saved one, can never post twice;
- a run that stopped after it is uncertain: the publish call may have gone through, and a person checks.

Limits (developers.facebook.com/documentation/threads/posts): 500 characters, where an emoji counts its UTF-8
bytes; at most 5 links per post, the card's included.
"""

from __future__ import annotations

import regex

from newsroom.syndication.channel import (
    Attempt,
    ChannelError,
    ChannelStopped,
    Message,
    RateLimited,
    Receipt,
    Rejected,
    Retryable,
    Unknown,
)
from newsroom.syndication.channel_types import THREADS
from newsroom.syndication.channels.graph import graph_outcome
from newsroom.syndication.http import HttpChannel, send
from newsroom.syndication.ledger import Record
from newsroom.syndication.mentions import THREADS_MENTIONS, check, inert_mentions
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, graphemes, links

TEXT_LIMIT = 500
LINK_LIMIT = 5
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\N{COMBINING ENCLOSING KEYCAP}")
CONTAINER, PUBLISHING = "container_id", "publishing"


def threads_length(text: str) -> int:
    """Threads' count: one per character (grapheme), except that an emoji counts its UTF-8 bytes."""
    return sum(len(g.encode("utf-8")) if EMOJI.search(g) else 1 for g in graphemes(text))


class ThreadsChannel(HttpChannel):
    channel_type = THREADS
    safe_to_retry = False
    length_unit = "characters (an emoji counts its UTF-8 bytes)"

    def render(self, post: PublishedPost) -> Message:
        custom = post.custom_text(self.name)
        # The link is the card (link_attachment), not part of the text.
        fitted = fit(
            inert_mentions(custom or post.title, THREADS_MENTIONS),
            "" if custom else inert_mentions(post.summary, THREADS_MENTIONS),
            "",
            lambda t: threads_length(t) <= TEXT_LIMIT,
        )
        links_in_text = {fitted.text[start:end] for start, end in links(fitted.text)} | {post.url}
        if len(links_in_text) > LINK_LIMIT:
            raise ValueError(f"Threads takes at most {LINK_LIMIT} links in a post; this one has {len(links_in_text)}")
        text = check(fitted.text, THREADS_MENTIONS)  # what is sent notifies nobody, whatever the fit did
        return Message(self.name, post.id, text, threads_length(text), TEXT_LIMIT, {"link": post.url})

    def can_resume(self, record: Record) -> bool:
        """Until the publish call is sent, nothing can be visible: resuming cannot post twice. That the call was
        not sent is known only from a ledger that saw the attempt's every step (not a copy saved before it)."""
        return record.steps_known and not record.step.get(PUBLISHING)

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        container = attempt.state.get(CONTAINER)
        if container and not self._publishable(container):
            container = None  # expired (24 hours unpublished) or failed: it can never be published, make another
        if not container:
            data = {"media_type": "TEXT", "text": message.text, "link_attachment": message.extras["link"]}
            container = self._id(self._call("POST", f"{self.settings['user_id']}/threads", data=data))
            attempt.checkpoint({CONTAINER: container})
        attempt.checkpoint({PUBLISHING: True})  # from here on, a lost answer may mean a published post
        try:
            answer = self._call("POST", f"{self.settings['user_id']}/threads_publish", data={"creation_id": container})
        except (RateLimited, Retryable, ChannelStopped, Rejected):
            attempt.checkpoint({PUBLISHING: False})  # a definite answer: it was not published
            raise
        if not answer.get("id"):  # published, but unnamed: only a person can find which post it is
            raise Unknown("Threads published the post but sent no id; find it on the account")
        media = str(answer["id"])
        return Receipt(remote_id=media, url=self._permalink(media))

    def _publishable(self, container: str) -> bool:
        """Whether a saved container can still be published (FINISHED, or IN_PROGRESS for a moment)."""
        status = self._call("GET", container, params={"fields": "status,error_message"}).get("status")
        if status == "PUBLISHED":
            # Never sent by us (the ledger says so), yet published: only a person can say what happened.
            raise Unknown(f"container {container} is already published; check the Threads account")
        return status in ("FINISHED", "IN_PROGRESS")

    def _permalink(self, media: str) -> str:
        """The post's address; it only costs a lookup, so a failure leaves the profile's address instead."""
        try:
            link = self._call("GET", media, params={"fields": "permalink"}).get("permalink")
        except ChannelError:
            link = ""
        return str(link or f"https://www.threads.net/@{self.settings['handle']}")

    def _call(self, method: str, path: str, **kwargs) -> dict:
        token = self.secrets.get("token", "")
        if method == "GET":
            kwargs["params"] = {**kwargs.get("params", {}), "access_token": token}
        else:
            kwargs["data"] = {**kwargs.get("data", {}), "access_token": token}  # in the body, not the URL
        base = f"{self.settings['base_url'].rstrip('/')}/{self.settings['api_version']}"
        response = send(
            self.session, method, f"{base}/{path}", timeout=self.timeout, secrets=[token], ok=range(100, 600), **kwargs
        )
        if response.status_code != 200:
            raise graph_outcome(response, [token], self.channel_type.label)
        try:
            data = response.json()
        except ValueError:  # it answered 200: what was asked may have been done, so never a refusal
            raise Unknown(f"Threads answered {path.rsplit('/', 1)[-1]} with 200 but without JSON") from None
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _id(data: dict) -> str:
        if not data.get("id"):
            raise Rejected("Threads answered without an id; check the account")
        return str(data["id"])
