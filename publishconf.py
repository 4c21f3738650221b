"""Production settings: what `invoke preview` builds and `invoke publish` deploys.

Everything in pelicanconf.py applies unless it is set again here.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address of the newsroom. CI may override it (e.g. a staging URL) with NEWSROOM_SITEURL.
SITEURL = os.environ.get("NEWSROOM_SITEURL", "https://newsroom.larkspur-energy.example")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# The intranet edition lives at its own address, and its feeds name no public WebSub hub (the public hub
# could not fetch intranet feeds anyway).
NEWSROOM_EDITIONS = {
    "internal": {
        "OUTPUT_PATH": "output-internal",
        "SITEURL": os.environ.get("NEWSROOM_INTERNAL_SITEURL", "https://intranet.larkspur-energy.example/newsroom"),
        "NEWSROOM_FEEDS": {**NEWSROOM_FEEDS, "hub": ""},  # noqa: F405
    },
}

# Nothing unfinished is ever written: no drafts folder, no hidden posts, no embargoed posts.
NEWSROOM_PREVIEW_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# Syndication: where each newly published post is announced after a deploy (`invoke syndicate`).
# Each channel names the ENVIRONMENT VARIABLES holding its secrets, never the secrets themselves.
# The sample newsroom posts to an outbox folder only, so the whole flow runs without any account.
SYNDICATION_LEDGER = "syndication/ledger.jsonl"
SYNDICATION_CAP = 5
SYNDICATION_CHANNELS = [
    {
        "name": "outbox",
        "type": "outbox",
        "audiences": ["investors", "media", "regulators", "communities"],
        "folder": "outbox",
    },
    {"name": "intranet-outbox", "type": "outbox", "audiences": ["employees"], "internal": True, "folder": "outbox"},
]

# Example channels (not active): email alerts and Slack. To use them, copy the entries into
# SYNDICATION_CHANNELS, set the environment variables they name, and record what is already published
# once, without posting: `invoke syndicate --bootstrap --channel NAME`.
#
#     # Email alerts to a mailing list over SMTP. security: "starttls" (port 587), "ssl" (port 465), or
#     # "none", which is refused unless the SMTP server runs on this machine (a local relay, a test server).
#     {"name": "email-media", "type": "email", "audiences": ["media"],
#      "host": "smtp.larkspur-energy.example", "security": "starttls",
#      "sender": "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>",
#      "to": "press-alerts@lists.larkspur-energy.example", "reply_to": "press@larkspur-energy.example",
#      "unsubscribe": "press-alerts-leave@lists.larkspur-energy.example",
#      "list_name": "Larkspur Energy press alerts", "subject_prefix": "[Larkspur Energy]",
#      "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"}},
#     # Slack, for employees only. The whole webhook URL is a secret: only its variable's name goes here.
#     {"name": "slack-staff", "type": "slack", "audiences": ["employees"],
#      "credentials": {"webhook_url": "NEWSROOM_SLACK_WEBHOOK_URL"}},
