"""The channel contract: every network is one class with `render` (pure) and `publish` (HTTP)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.kit.errors import NewsroomError
from newsroom.syndication.channel_types import ChannelType
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.ledger import Record
from newsroom.syndication.published import PublishedPost


@dataclass(frozen=True)
class Message:
    """Exactly what a channel will send for one post: the text as counted by the platform, and extras."""

    channel: str
    post_id: str
    text: str
    length: int  # measured the platform's way (graphemes, weighted characters, bytes…)
    limit: int
    extras: Mapping = field(default_factory=lambda: MappingProxyType({}))  # link card, subject, blocks…


@dataclass(frozen=True)
class Attempt:
    """What the ledger remembers about a send before it happens, so a retry repeats it exactly."""

    key: str  # stable per (post, channel): idempotency key, record key, Message-ID…
    started_at: str  # ISO time of the first try; platforms that take a creation time get this one
    link: str = ""  # the post's address as the first try announced it (a read back looks for it, and for today's)
    state: Mapping = field(default_factory=lambda: MappingProxyType({}))  # steps already done, e.g. a container id
    # Saves a finished step (e.g. {"container_id": …}) to the ledger before the next step is sent, so that a
    # crash between two calls resumes after the step instead of repeating it.
    checkpoint: Callable[[Mapping], None] = field(default=lambda state: None, compare=False, repr=False)


@dataclass(frozen=True)
class Receipt:
    """Proof of a post: the platform's id for it and where people can see it."""

    remote_id: str
    url: str


# What can go wrong, in the terms the engine acts on. Channels raise these; nothing else escapes `publish`.
class ChannelError(NewsroomError):
    """Base of the outcomes below; the message never contains a secret: it is cleared of every secret in use as it
    is made (a platform's answer may quote one), whichever channel raised it and whatever it passed."""

    def __init__(self, message: str = "", *args):
        super().__init__(SECRETS_IN_USE.redact(str(message)), *args)


class RateLimited(ChannelError):
    """429: nothing was posted; wait `retry_after` seconds, then try again."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class Retryable(ChannelError):
    """This try certainly posted nothing, and a later one may succeed: a temporary refusal (an SMTP 4xx, a
    Graph transient error answered with a 4xx) or a connection that failed before the request was sent. Never a
    5xx: that answer comes after the request was sent, so it is Unknown (http.failed_after_sending)."""


class Unreachable(Retryable):
    """The connection was refused before any byte of this try left: the server is down, so the channel stops
    for this run instead of paying a timeout for every post."""


class ChannelStopped(ChannelError):
    """This channel cannot post at all as it is configured, and nothing of this try was carried out: stop it
    for this run (its posts wait for the next one) until a person fixes its settings or secrets."""


class AuthFailed(ChannelStopped):
    """401/403: this channel cannot post with its credentials; stop it for this run."""


class Redirected(ChannelStopped):
    """3xx (but 303): the configured address sends requests elsewhere. Redirects are never followed: a 307/308
    would carry the body and headers (a token, a password) to whatever host the answer names, and a 301/302
    would turn the post into a GET whose 200 looks like success."""


class Rejected(ChannelError):
    """Any other 4xx: the platform refuses this message, and will refuse it again. Never loop on it."""


class Unknown(ChannelError):
    """The request was sent and no answer says what became of it (none came, a 5xx, an unreadable success): it
    may or may not have been posted. The engine repeats it only on a channel that reads back or de-duplicates."""


class Channel(ABC):
    """One configured destination. Subclasses describe themselves with the class attributes below."""

    # Its type (channel_types.py): the `type` name, the label readers see, the network it may reach and the
    # settings it takes; plain data, which the settings are validated against without loading this class.
    channel_type: ChannelType
    # True when sending the same Attempt twice can never create two posts (Mastodon Idempotency-Key,
    # Bluesky record key): after an Unknown outcome the engine retries instead of asking a person.
    safe_to_retry: bool = False
    # True when `find_earlier` can tell whether an earlier try of an attempt reached the platform: the engine
    # then looks before it sends that attempt again, and an unknown outcome never needs a person.
    reads_back: bool = False
    min_interval: float = 0.0  # seconds between two posts on this channel (the platform's pace)
    length_unit: str = "characters"  # what Message.length counts, as the dry run prints it: the platform's way

    def __init__(self, config: ChannelConfig, secrets: Mapping[str, str], timeout: float = 20.0):
        self.config = config
        self.name = config.name
        self.settings = config.options
        self.secrets = secrets
        self.timeout = timeout
        SECRETS_IN_USE.hide(secrets.values())

    @abstractmethod
    def render(self, post: PublishedPost) -> Message:
        """The message for `post`, within the platform's length and formatting rules. Pure."""

    @abstractmethod
    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        """Send `message`; return a Receipt or raise one of the ChannelError outcomes above."""

    def start(self) -> None:  # noqa: B027 - an optional hook
        """Prepare for a run (log in once, read the instance's limits). Raise a ChannelError on failure."""

    def can_resume(self, record: Record) -> bool:
        """After an unknown outcome or a crash mid-send (`record` is the pending ledger record, with its
        start time and checkpointed steps), may the same attempt be sent again without risking a duplicate?"""
        return self.safe_to_retry or self.reads_back

    def find_earlier(self, message: Message, attempt: Attempt) -> Receipt | None:
        """For channels that read back: the post an earlier try of `attempt` made, or None when the platform
        certainly does not hold one. Raise a ChannelError when the platform cannot be asked right now."""
        raise NotImplementedError(f"{self.channel_type.name} cannot read its posts back")

    def warnings(self) -> list[str]:
        """Things a person should act on soon (e.g. a token about to expire), shown in the run summary."""
        return []
