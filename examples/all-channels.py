"""Every syndication channel type, configured: a preview of what each network would get, and a model to copy.

    invoke preview && invoke preview --internal
    invoke syndicate --dry-run --settings examples/all-channels.py

The dry run needs no account and no secret: it prints, for every published post on every channel, the exact text
and its length against the platform's limit. Its ledger (all-channels-ledger.jsonl) knows these channels but
holds no record, so every post is planned; the five oldest show as SEND, the rest as DEFER (the per-run cap).

This file is for previews only: run it without --dry-run and, wherever the variables below are set, it would
post those five old posts. To go live, copy the entries you need into pelicanconf.py's SYNDICATION_CHANNELS,
set their variables, and record what is already published, once: `invoke syndicate --bootstrap --channel NAME`.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from publishconf import *  # noqa: E402, F403

# Pelican reads relative paths in a settings file against that file's folder: this one lives in examples/.
PATH = os.path.join(ROOT, "content")
OUTPUT_PATH = os.path.join(ROOT, "output")
THEME = os.path.join(ROOT, "theme")
PLUGIN_PATHS = [os.path.join(ROOT, "plugins")]

SYNDICATION_LEDGER = "examples/all-channels-ledger.jsonl"  # relative to the project
PUBLIC = ["investors", "media", "regulators", "communities"]

# The newsroom publishes in English and French (pelicanconf.py). A channel without `language` posts the English
# versions; one with `"language": "fr"` posts the French versions, with its words ("Lire la publication") in
# French. channel_fallback: True would also send it the English version of every post that has no French one
# (here: every post but the Halvorsen Hydro release); False keeps the French accounts in French.
NEWSROOM_TRANSLATION_RULES = {**NEWSROOM_TRANSLATION_RULES, "channel_fallback": False}  # noqa: F405

SYNDICATION_CHANNELS = [
    *SYNDICATION_CHANNELS,  # noqa: F405 - the sample's outboxes
    {
        "name": "mastodon",
        "type": "mastodon",
        "audiences": PUBLIC,
        "base_url": "https://mastodon.social",
        "credentials": {"token": "NEWSROOM_MASTODON_TOKEN"},
    },
    {
        "name": "bluesky",
        "type": "bluesky",
        "audiences": PUBLIC,
        "handle": "larkspur-energy.bsky.social",
        "credentials": {"app_password": "NEWSROOM_BLUESKY_APP_PASSWORD"},
    },
    {
        "name": "linkedin",
        "type": "linkedin",
        "audiences": PUBLIC,
        "organization_id": "2414183",
        "linkedin_version": "202510",  # pinned: LinkedIn retires each version about a year after release
        "token_expires": "2027-01-15",  # the run summary warns from 14 days before
        "credentials": {"token": "NEWSROOM_LINKEDIN_TOKEN"},
    },
    {
        # The French page of the company, for Québec and the rest of Canada: the French version of each post, and
        # a disclosure channel, so the French disclosure channels page (/fr/canaux-de-communication/) lists it.
        "name": "linkedin-fr",
        "type": "linkedin",
        "language": "fr",
        "audiences": PUBLIC,
        "organization_id": "2414184",
        "linkedin_version": "202510",
        "token_expires": "2027-01-15",
        "disclosure": True,
        "label": "LinkedIn",
        "account": "Larkspur Énergie Canada",
        "account_url": "https://www.linkedin.com/company/larkspur-energie-canada/",
        "credentials": {"token": "NEWSROOM_LINKEDIN_FR_TOKEN"},
    },
    {
        "name": "x",
        "type": "x",
        "audiences": ["investors", "media"],
        "handle": "LarkspurEnergy",
        "credentials": {
            "consumer_key": "NEWSROOM_X_CONSUMER_KEY",
            "consumer_secret": "NEWSROOM_X_CONSUMER_SECRET",
            "access_token": "NEWSROOM_X_ACCESS_TOKEN",
            "access_token_secret": "NEWSROOM_X_ACCESS_TOKEN_SECRET",
        },
    },
    {
        "name": "facebook",
        "type": "facebook",
        "audiences": ["media", "communities"],
        "page_id": "104857600000000",
        "graph_version": "v24.0",
        "credentials": {"page_token": "NEWSROOM_FACEBOOK_PAGE_TOKEN"},
    },
    {
        "name": "threads",
        "type": "threads",
        "audiences": ["media", "communities"],
        "user_id": "17841400000000000",
        "handle": "larkspur.energy",
        "credentials": {"token": "NEWSROOM_THREADS_TOKEN"},
    },
    {
        "name": "email-media",
        "type": "email",
        "audiences": ["media"],
        "host": "smtp.larkspur-energy.example",
        "security": "starttls",
        "sender": "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>",
        "to": "press-alerts@lists.larkspur-energy.example",
        "subject_prefix": "[Larkspur Energy]",
        "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
    },
    {  # the French versions to the French investors' list (NEWSROOM_ALERTS translations), said in French
        "name": "email-investors-fr",
        "type": "email",
        "audiences": ["investors"],
        "language": "fr",
        "host": "smtp.larkspur-energy.example",
        "security": "starttls",
        "sender": "Salle de presse Larkspur Energy <newsroom@larkspur-energy.example>",
        "to": "alertes-investisseurs@lists.larkspur-energy.example",
        "subject_prefix": "[Larkspur Energy]",
        "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
    },
    {
        "name": "wire",
        "type": "webhook",
        "audiences": ["investors", "regulators"],
        "url": "https://wire.example.com/newsroom/larkspur",
        "credentials": {"secret": "NEWSROOM_WIRE_WEBHOOK_SECRET"},
    },
    {
        "name": "slack-staff",
        "type": "slack",
        "audiences": ["employees"],
        "credentials": {"webhook_url": "NEWSROOM_SLACK_WEBHOOK_URL"},
    },
    {
        "name": "teams-staff",
        "type": "teams",
        "audiences": ["employees"],
        "credentials": {"webhook_url": "NEWSROOM_TEAMS_WEBHOOK_URL"},
    },
    {
        # The Canadian employees' channel, in French (the benefits notices for Canada have French versions).
        "name": "teams-staff-fr",
        "type": "teams",
        "language": "fr",
        "audiences": ["employees"],
        "credentials": {"webhook_url": "NEWSROOM_TEAMS_FR_WEBHOOK_URL"},
    },
    {
        "name": "intranet-hook",
        "type": "webhook",
        "audiences": ["employees"],
        "internal": True,
        "url": "https://intranet.larkspur-energy.example/hooks/newsroom",
        "credentials": {"secret": "NEWSROOM_INTRANET_WEBHOOK_SECRET"},
    },
]
