"""No text the newsroom posts calls on an account: each platform's rule for what it reads as a mention, the guard
that writes every such `@name` inert, and the check that none is left in what is sent.

A post's title, summary or custom text is news, never a way to call on an account: `@everyone` or a regulator's
handle in it would otherwise notify them from the company's account. A platform reads mentions in its own view of
the text, so the guard takes the same view: it finds the links where the platform finds them (twitter-text's
extractor, as X and Mastodon do), and writes a word joiner (invisible) after every `@` outside them that the
platform would read as a mention. Mastodon also reads mentions inside links (ProcessMentionsService scans the whole
text with Account::MENTION_RE), so there such an `@` is written `%40`, which is the same address. The guard runs
before the text is fitted; `check` then reads the text as sent, by the same rule, and refuses it if a mention is
left: such a post is refused for that channel with the reason, never posted.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from newsroom.kit.errors import NewsroomError
from newsroom.syndication.text import twitter_text

# Invisible, and breaks no word: after an "@" it keeps the name from being read as a mention.
WORD_JOINER = "\u2060"
ENCODED_AT = "%40"  # an "@" in a link's path or query, as the link's own address writes it (RFC 3986)
NAME = regex.compile(r"[A-Za-z0-9_.]{0,30}")


class MentionLeft(NewsroomError, ValueError):
    """The text as sent would still notify an account."""


@dataclass(frozen=True)
class MentionRule:
    platform: str
    at: regex.Pattern  # an "@" the platform reads as the start of a mention
    links_without_scheme: bool  # the platform links "example.com/…" too
    reads_links: bool  # the platform reads mentions inside links as well

    def links(self, text: str) -> list[tuple[int, int]]:
        """Where the platform sees links in `text` (code point offsets)."""
        found = twitter_text().extract_urls_with_indices(text, extract_urls_without_protocol=self.links_without_scheme)
        return [(url["indices"][0], url["indices"][1]) for url in found]

    def mentions(self, text: str) -> list[str]:
        """The names in `text` the platform would notify."""
        links = [] if self.reads_links else self.links(text)
        return [
            at.group(0) + NAME.match(text, at.end()).group(0)
            for at in self.at.finditer(text)
            if not any(start <= at.start() < end for start, end in links)
        ]


# Account::MENTION_RE: `@name` or `@name@domain`, not after "=", "/" or a word character (Onigmo's [[:word:]]).
MASTODON_MENTIONS = MentionRule(
    "Mastodon", regex.compile(r"(?<![=/\p{L}\p{M}\p{Nd}\p{Pc}])@(?=[a-z0-9_])", regex.IGNORECASE), False, True
)
# twitter-text's valid mention: after the start, a character outside [A-Za-z0-9_!#$%&*@＠], or "RT" / "RT:".
X_MENTIONS = MentionRule(
    "X",
    regex.compile(r"(?:(?<![A-Za-z0-9_!#$%&*@＠])|(?<=(?:^|[^A-Za-z0-9_+~.-])(?i:rt):?))[@＠](?=[A-Za-z0-9_])"),
    True,
    False,
)
# Threads documents no rule: an "@" (either width) before a handle's letters, digits, dots or underscores, outside
# a word, and outside a link with a scheme, is taken as read.
THREADS_MENTIONS = MentionRule("Threads", regex.compile(r"(?<![A-Za-z0-9_])[@＠](?=[A-Za-z0-9_.])"), False, False)


def inert_mentions(text: str, rule: MentionRule) -> str:
    """`text` with every `@` that `rule`'s platform would read as a mention written as plain text. Links are left
    as written where the platform reads no mention in them (`https://mastodon.social/@larkspur`), and so are
    e-mail addresses (`ir@larkspur-energy.com`), which no platform reads as a mention."""
    links = rule.links(text)
    parts, position = [], 0
    for at in rule.at.finditer(text):
        in_link = any(start <= at.start() < end for start, end in links)
        if in_link and not rule.reads_links:
            continue
        parts += [text[position : at.start()], ENCODED_AT if in_link else at.group(0) + WORD_JOINER]
        position = at.end()
    return "".join([*parts, text[position:]])


def check(text: str, rule: MentionRule) -> str:
    """`text`, when `rule`'s platform would read no mention in it; MentionLeft otherwise. The guard runs on the
    parts before they are fitted and joined: this is the word on the text as it is sent."""
    left = rule.mentions(text)
    if left:
        raise MentionLeft(
            f"the text would notify {', '.join(sorted(set(left)))} on {rule.platform}; "
            "write the name without its @ in the title, summary or Syndicate-Text"
        )
    return text
