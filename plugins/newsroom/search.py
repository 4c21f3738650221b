"""Archive search: index a built site with Pagefind, a static search tool whose PyPI package ships its binary.

Runs after Pelican, on the output folder, so it indexes exactly the files the edition wrote: a post this edition
withholds (draft, hidden, internal, embargoed) is not in the output, so it cannot enter the index. Only pages
marked `data-pagefind-body` (published article pages) are indexed; listings are not. Filters: audience,
category and year (`data-pagefind-filter` in theme/templates/article.html).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BUNDLE_DIR = "pagefind"  # under the output folder; the search page loads pagefind-ui.js from here


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the message says why and what to do."""


def index_site(output: Path, *, language: str = "en") -> str:
    """Write the search index and Pagefind's UI files into `output`/pagefind/; return Pagefind's summary."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise SearchIndexFailed(f"{output}: no built site to index (expected `invoke build` to have written it)")
    # Pagefind leaves the files of earlier runs in place: a fragment of a post since withdrawn or made a draft
    # would stay on the server. Start from nothing, so the bundle holds exactly this build.
    shutil.rmtree(output / BUNDLE_DIR, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(output),
        "--output-subdir",
        BUNDLE_DIR,
        # One language for the whole archive: otherwise a page's lang attribute would split the index.
        "--force-language",
        language,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexFailed(f"Pagefind could not run ({error})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        if "No module named pagefind" in result.stderr:
            raise SearchIndexFailed("Pagefind is not installed (expected `pip install -r requirements.txt`)")
        raise SearchIndexFailed(f"Pagefind failed: {detail[-1] if detail else f'exit code {result.returncode}'}")
    return result.stdout
