"""Every kind of channel SYNDICATION_CHANNELS can name, as plain data: what readers call it, whom it may reach,
and the options and secrets its settings take.

The settings are validated against these alone (config.py), so a build checks every channel without loading a
network's code: the channels themselves (channels/, and requests, oauthlib… with them) load only to syndicate
(registry.py). Each channel class names its type here (`channel_type`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsroom.kit.settings import Option


@dataclass(frozen=True)
class ChannelType:
    """One kind of channel, as its settings are validated and its readers see it."""

    name: str  # the `type` in SYNDICATION_CHANNELS
    label: str  # what readers call this kind of channel ("LinkedIn"), unless a channel's settings give a `label`
    network: str  # "public" (a social network), "internal" (reaches employees only) or "any"
    options: Mapping[str, Option] = field(default_factory=dict)  # setting name -> Option
    credentials: Mapping[str, str] = field(default_factory=dict)  # secret role -> what it is: {"token": "…"}
    optional_credentials: frozenset[str] = frozenset()  # roles that may be left out (e.g. an SMTP relay's login)


HASHTAGS = Option(bool, "True to add the post's tags as hashtags when they fit", default=True)

OUTBOX = ChannelType(
    "outbox",
    "Outbox",
    "any",
    options={
        "folder": Option(str, "a folder for the message files, relative to the project", default="outbox", path=True),
        "max_length": Option(int, "the longest message, in graphemes", default=500),
    },
)

MASTODON = ChannelType(
    "mastodon",
    "Mastodon",
    "public",
    credentials={"token": "access token of the company account (scopes write:statuses, read:statuses and profile)"},
    options={
        "base_url": Option(str, "the instance's address, e.g. 'https://mastodon.social'", required=True),
        "visibility": Option(str, "who sees the posts", default="public", choices=("public", "unlisted", "private")),
        "language": Option(str, "the posts' ISO 639-1 language code", default="en"),
        "max_length": Option(int, "the character limit until the instance says otherwise", default=500),
        "hashtags": HASHTAGS,
    },
)

BLUESKY = ChannelType(
    "bluesky",
    "Bluesky",
    "public",
    credentials={"app_password": "app password of the company account (Settings → App passwords)"},
    options={
        "base_url": Option(str, "the account's PDS, e.g. 'https://bsky.social'", default="https://bsky.social"),
        "handle": Option(str, "the account's handle, e.g. 'larkspur-energy.bsky.social'", required=True),
        "language": Option(str, "the posts' language code", default="en"),
        "app_url": Option(str, "the web app that shows posts", default="https://bsky.app"),
        "hashtags": HASHTAGS,
    },
)

EMAIL = ChannelType(
    "email",
    "Email alerts",
    "any",  # a press list is public; a staff list is an internal channel (internal: True)
    options={
        "host": Option(str, "the SMTP server's host name, e.g. 'smtp.example.com'", required=True),
        "port": Option(int, "the SMTP port (default: 587 for starttls, 465 for ssl, 25 for none)"),
        "security": Option(
            str,
            "how the connection is encrypted: 'starttls' (port 587), 'ssl' (port 465), or "
            "'none' (only for an SMTP server on this machine, e.g. a local relay or a test server)",
            default="starttls",
            choices=("starttls", "ssl", "none"),
        ),
        "ca_file": Option(
            str,
            "a PEM file of the certificate authorities to trust, for a relay with a private "
            "certificate (default: the system's)",
            path=True,
        ),
        "sender": Option(
            str, "the From address, e.g. 'Larkspur Energy Newsroom <newsroom@larkspur-energy.example>'", required=True
        ),
        "to": Option(str, "the mailing-list address that receives the alerts", required=True),
        "reply_to": Option(str, "where replies go (default: the sender)"),
        "unsubscribe": Option(
            str,
            "the address subscribers write to in order to unsubscribe (List-Unsubscribe; default: for a "
            "NEWSROOM_ALERTS Mailman list, its '-leave' address, the only one accepted; else the reply-to "
            "address, else the sender)",
        ),
        "list_name": Option(
            str,
            "what subscribers signed up for, shown in the unsubscribe hint (default: the sender's name + ' alerts')",
        ),
        "subject_prefix": Option(str, "text before every subject, e.g. '[Larkspur Energy]'", default=""),
    },
    credentials={"username": "SMTP user name", "password": "SMTP password"},
    # A relay that takes mail without a login (e.g. postfix on the same host) needs neither.
    optional_credentials=frozenset({"username", "password"}),
)

# Slack and Teams reach employees only; their one secret is a webhook URL (channels/secret_webhook.py).
SLACK = ChannelType(
    "slack",
    "Slack",
    "internal",
    credentials={"webhook_url": "Slack incoming webhook URL (https://hooks.slack.com/services/…)"},
)

LINKEDIN = ChannelType(
    "linkedin",
    "LinkedIn",
    "public",
    credentials={"token": "access token of a page administrator (scope w_organization_social)"},
    options={
        "organization_id": Option(
            str, "the company page's numeric id, as in urn:li:organization:<id>", required=True, pattern=r"[0-9]+"
        ),
        "linkedin_version": Option(
            str,
            "the API version to pin, YYYYMM, e.g. '202510' (LinkedIn retires each version about a year later)",
            required=True,
            pattern=r"20[0-9]{2}(0[1-9]|1[0-2])",
        ),
        "token_expires": Option(
            str,
            "the day the access token expires, YYYY-MM-DD (tokens last 60 days; the run summary warns 14 days before)",
            pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
        ),
        "base_url": Option(str, "the API's address", default="https://api.linkedin.com"),
        "hashtags": HASHTAGS,
    },
)

X = ChannelType(
    "x",
    "X",
    "public",
    credentials={
        "consumer_key": "API key of the X app (OAuth 1.0a consumer key)",
        "consumer_secret": "API key secret of the X app",
        "access_token": "access token of the company account, generated with read and write permission",
        "access_token_secret": "access token secret of the company account",
    },
    options={
        "handle": Option(
            str, "the account's handle without @, for links to its posts", required=True, pattern=r"[A-Za-z0-9_]{1,15}"
        ),
        "base_url": Option(str, "the API's address", default="https://api.x.com"),
        "max_length": Option(int, "the weighted limit (280; more only for accounts allowed longer posts)", default=280),
        "hashtags": HASHTAGS,
    },
)

FACEBOOK = ChannelType(
    "facebook",
    "Facebook",
    "public",
    credentials={"page_token": "Page access token (permissions pages_manage_posts, pages_read_engagement)"},
    options={
        "page_id": Option(str, "the Page's numeric id, e.g. '104857600000000'", required=True, pattern=r"[0-9]+"),
        "graph_version": Option(
            str,
            "the Graph API version to pin, e.g. 'v24.0' (Meta keeps each about two years)",
            default="v24.0",
            pattern=r"v[0-9]+\.[0-9]+",
        ),
        "base_url": Option(str, "the Graph API's address", default="https://graph.facebook.com"),
        "hashtags": HASHTAGS,
    },
)

THREADS = ChannelType(
    "threads",
    "Threads",
    "public",
    credentials={"token": "Threads user access token (permissions threads_basic, threads_content_publish)"},
    options={
        "user_id": Option(
            str, "the Threads user id of the account, e.g. '17841400000000000'", required=True, pattern=r"[0-9]+"
        ),
        "handle": Option(str, "the account's handle without @, for a link when Threads gives none", required=True),
        "base_url": Option(str, "the API's address", default="https://graph.threads.net"),
        "api_version": Option(str, "the API version, e.g. 'v1.0'", default="v1.0", pattern=r"v[0-9]+\.[0-9]+"),
    },
)

TEAMS = ChannelType(
    "teams",
    "Microsoft Teams",
    "internal",
    credentials={"webhook_url": "Teams Workflows webhook URL (https://…/workflows/…/invoke?…&sig=…)"},
)

WEBHOOK = ChannelType(
    "webhook",
    "Webhook",
    "any",  # internal: True sends employee posts too (to an intranet, say)
    credentials={"secret": "shared secret the receiver uses to check the signature (at least 32 random characters)"},
    options={
        "url": Option(str, "the receiver's address, https://… (http:// only on this machine)", required=True),
        "receiver_deduplicates": Option(
            bool,
            # The header channels/webhook.py sends as DELIVERY_HEADER (tests/test_channel_webhook.py holds the two).
            "True only if the receiver ignores a repeated X-Newsroom-Delivery: then an unanswered delivery is "
            "sent again instead of being marked uncertain",
            default=False,
        ),
        "max_bytes": Option(int, "the largest body the receiver accepts", default=1_000_000),
    },
)

CHANNEL_TYPES: dict[str, ChannelType] = {
    channel_type.name: channel_type
    for channel_type in (OUTBOX, MASTODON, BLUESKY, EMAIL, SLACK, LINKEDIN, X, FACEBOOK, THREADS, TEAMS, WEBHOOK)
}
