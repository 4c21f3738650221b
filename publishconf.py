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

# Nothing unfinished is ever written: no drafts folder, no hidden posts, no embargoed posts.
NEWSROOM_PREVIEW_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
