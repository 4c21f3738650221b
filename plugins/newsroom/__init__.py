"""The newsroom: audiences, content checks and leak-safe editions for a corporate Pelican site.

The plugin is grouped by concern into packages, each a pure core with thin edges to Pelican, HTTP and files.
LAYERS lists them from the bottom up: a package imports only from packages below it (tests/test_layout.py holds
every module to that), so each one can be read, and tested, knowing only what lies beneath it.
"""

from newsroom.site.plugin import register

LAYERS = (
    "kit",  # settings kit, credentials, atomic file writes, the content cache's fingerprint
    "model",  # the content model: validated settings, post classification, visibility, the allowlists
    "checks",  # what a post must pass before any build
    "feeds",  # writing RSS, Atom, JSON Feed and OPML; WebSub
    "alerts",  # the email alert lists in GNU Mailman
    "search",  # the Pagefind index, deterministic
    "syndication",  # each post on each channel exactly once, through the ledger
    "editor",  # the browser editor (Decap CMS)
    "site",  # the Pelican plugin: signal receivers, reader, generators, running a build
    "publishing",  # invoke publish: build, verify, deploy, register, WebSub, syndicate, remember
)

__all__ = ["LAYERS", "register"]
