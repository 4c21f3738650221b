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
    # For the comms team only, served from their machine (`invoke preview --embargo`, `invoke serve --embargo`):
    # relative links, no public hub. Never deployed anywhere by `invoke publish`.
    "embargo-preview": {
        "OUTPUT_PATH": "output-embargo-preview",
        "SITEURL": "",
        "RELATIVE_URLS": True,
        "NEWSROOM_FEEDS": {**NEWSROOM_FEEDS, "hub": ""},  # noqa: F405
    },
}

# Publishing (`invoke publish`, README "Publishing"): where each edition is deployed and where the state that
# must survive a fresh CI checkout (the syndication ledger, WebSub and deploy state) is kept.
NEWSROOM_PUBLISH = {
    # The public site: GitHub Pages. `invoke publish --until deploy` prepares _site/; the workflow uploads it.
    "target": {"type": "github-pages", "folder": "_site"},
    # The intranet edition needs a target of its own, never the public one (None: it is not deployed, and the
    # internal syndication channels wait). See the examples below.
    "internal_target": None,
    # CI sets NEWSROOM_STATE_STORE=git: each run commits the state files back to the branch ([skip ci]).
    # "local" keeps them in this checkout, for a server that publishes from its own clone.
    "state": {
        "store": os.environ.get("NEWSROOM_STATE_STORE", "local"),
        "branch": os.environ.get("NEWSROOM_STATE_BRANCH", "main"),
        "token_env": "GITHUB_TOKEN",
    },
    "state_dir": "publishing",
}
# Other targets. Secrets are named by their environment variables, never written here.
#
#     # S3-compatible storage (AWS S3, MinIO, Cloudflare R2…), `aws s3 sync --delete` semantics. Without
#     # credentials, boto3 uses AWS_* variables or a role (aws-actions/configure-aws-credentials with OIDC).
#     "target": {"type": "s3", "bucket": "newsroom-larkspur", "prefix": "", "region": "us-east-1",
#                "endpoint_url": None,
#                "credentials": {"access_key_id": "NEWSROOM_S3_ACCESS_KEY_ID",
#                                "secret_access_key": "NEWSROOM_S3_SECRET_ACCESS_KEY"}},
#     # rsync over SSH to the intranet web server (the key and the server's host key come from variables).
#     "internal_target": {"type": "rsync", "destination": "deploy@intranet.larkspur-energy.example:/srv/newsroom/",
#                         "port": 22, "credentials": {"ssh_key": "NEWSROOM_SSH_KEY",
#                                                     "known_hosts": "NEWSROOM_SSH_KNOWN_HOSTS"}},

# Nothing unfinished is ever written: no drafts folder, no hidden posts, no embargoed posts.
NEWSROOM_PREVIEW_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# Example channels (not active): email alerts and Slack. To use them, copy the entries into pelicanconf.py's
# SYNDICATION_CHANNELS, set the environment variables they name, and record what is already published
# once, without posting: `invoke syndicate --bootstrap --channel NAME`.
#
#     # Email alerts to a mailing list over SMTP. security: "starttls" (port 587), "ssl" (port 465), or
#     # "none", which is refused unless the SMTP server runs on this machine (a local relay, a test server).
#     # To an alert list of NEWSROOM_ALERTS, the sender is NEWSROOM_ALERTS.sender, the audiences the list's, and
#     # the unsubscribe address the list's -leave address (derived; docs/email-alerts.md).
#     {"name": "email-media", "type": "email", "audiences": ["media"],
#      "host": "smtp.larkspur-energy.example", "security": "starttls",
#      "sender": "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>",
#      "to": "press-alerts@lists.larkspur-energy.example", "reply_to": "press@larkspur-energy.example",
#      "list_name": "Larkspur Energy press alerts", "subject_prefix": "[Larkspur Energy]",
#      "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"}},
#     # The French versions to the French list (NEWSROOM_ALERTS translations): a channel posts to the lists
#     # of its own language only.
#     {"name": "email-media-fr", "type": "email", "audiences": ["media"], "language": "fr",
#      "host": "smtp.larkspur-energy.example", "security": "starttls",
#      "sender": "Salle de presse Larkspur Energy <newsroom@larkspur-energy.example>",
#      "to": "alertes-presse@lists.larkspur-energy.example", "reply_to": "press@larkspur-energy.example",
#      "list_name": "les alertes presse de Larkspur Energy", "subject_prefix": "[Larkspur Energy]",
#      "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"}},
#     # Slack, for employees only. The whole webhook URL is a secret: only its variable's name goes here.
#     {"name": "slack-staff", "type": "slack", "audiences": ["employees"],
#      "credentials": {"webhook_url": "NEWSROOM_SLACK_WEBHOOK_URL"}},
