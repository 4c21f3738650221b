"""Which Chromium the browser tests drive: the one NEWSROOM_CHROMIUM names, else the first of the usual names on
PATH (Debian's `chromium`, Ubuntu's `chromium-browser`, Google Chrome as GitHub's hosted runners have it).

install.sh asks this before installing anything (a browser that is there is never installed again), and the
harness asks it for the executable Playwright launches. Run as a script, it prints the path, or the remedy and
exits 1. Standard library only: install.sh runs it before any virtualenv exists."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

VARIABLE = "NEWSROOM_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ChromiumNotFound(LookupError):
    """No usable Chromium; the message says what was looked for and how to provide one."""


def find_chromium(environ: Mapping[str, str] = os.environ) -> Path:
    """The Chromium to drive, found through `environ` (its NEWSROOM_CHROMIUM, then its PATH)."""
    search_path = environ.get("PATH", os.defpath)
    named = environ.get(VARIABLE, "").strip()
    if named:  # a person's explicit choice is used or refused, never quietly replaced by another browser
        found = shutil.which(named, path=search_path)
        if found is None:
            raise ChromiumNotFound(
                f"{VARIABLE}={named!r} is not an executable (expected the path of a Chromium or Chrome, "
                "or a name on PATH)"
            )
        return Path(found)
    for name in NAMES:
        found = shutil.which(name, path=search_path)
        if found is not None:
            return Path(found)
    raise ChromiumNotFound(
        f"no Chromium on PATH (looked for {', '.join(NAMES)}): run `bash tests/browser/install.sh` (Debian's "
        f"chromium), install Chromium or Google Chrome another way, or set {VARIABLE} to its path"
    )


if __name__ == "__main__":
    try:
        print(find_chromium())
    except ChromiumNotFound as error:
        print(f"find_chromium: {error}", file=sys.stderr)
        sys.exit(1)
