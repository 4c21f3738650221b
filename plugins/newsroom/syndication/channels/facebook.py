"""Facebook Page: `POST /{page-id}/feed` with the message and the link (Facebook builds the link card itself).

The Graph API version is pinned in the settings: Meta keeps each version about two years. Posting needs a Page
access token with pages_manage_posts and pages_read_engagement. There is no idempotency: an unanswered request
is recorded as uncertain.
"""

from __future__ import annotations

import regex

from newsroom.syndication.channel import Attempt, Message, Receipt, Unknown
from newsroom.syndication.channel_types import FACEBOOK
from newsroom.syndication.channels.graph import graph_outcome
from newsroom.syndication.http import HttpChannel, send
from newsroom.syndication.mentions import WORD_JOINER
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, hashtags, utf16_length

MESSAGE_LIMIT = 63_206  # characters in a Facebook post
# In a Graph API message, '@[<numeric id>]' tags that Page or person; a word joiner keeps such text literal.
MENTION = regex.compile(r"@(?=\[\d+\])")


def literal(text: str) -> str:
    return MENTION.sub("@" + WORD_JOINER, text)


class FacebookChannel(HttpChannel):
    channel_type = FACEBOOK
    safe_to_retry = False  # no idempotency: after an unknown outcome a person checks the Page
    length_unit = "characters (the link goes in the card)"

    def render(self, post: PublishedPost) -> Message:
        custom = post.custom_text(self.name)
        fitted = fit(
            literal(custom or post.title),
            "" if custom else literal(post.summary),
            "",
            lambda text: utf16_length(text) <= MESSAGE_LIMIT,
        ).text
        tags = hashtags(post.tags) if self.settings["hashtags"] else ""
        if tags and not custom and utf16_length(f"{fitted}\n\n{tags}") <= MESSAGE_LIMIT:
            fitted = f"{fitted}\n\n{tags}"  # on their own line, and only when they fit
        return Message(self.name, post.id, fitted, utf16_length(fitted), MESSAGE_LIMIT, {"link": post.url})

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        token = self.secrets.get("page_token", "")
        base = self.settings["base_url"].rstrip("/")
        response = send(
            self.session,
            "POST",
            f"{base}/{self.settings['graph_version']}/{self.settings['page_id']}/feed",
            timeout=self.timeout,
            secrets=[token],
            ok=range(100, 600),
            # The token goes in the form body, never the URL, which proxies and logs keep.
            data={"message": message.text, "link": message.extras["link"], "access_token": token},
        )
        if response.status_code != 200:
            raise graph_outcome(response, [token], self.channel_type.label)
        try:
            post_id = str(response.json()["id"])  # "<page id>_<post id>"
        except (ValueError, KeyError, TypeError):
            raise Unknown("Facebook accepted the post but sent no id; find it on the Page") from None
        return Receipt(remote_id=post_id, url=f"https://www.facebook.com/{post_id}")
