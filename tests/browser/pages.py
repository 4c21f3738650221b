"""Which pages of the sample newsroom stand for which template, for the checks that run per template.

`TEMPLATE_PAGES` names one page for each template the theme promises; `representative_pages` adds one page
for every other page *structure* the build produced (grouped by the CSS classes inside <main>), so a template
added later (a new page type, another engineer's new listing) is checked without editing this list.
"""

from __future__ import annotations

import re
from pathlib import Path

# The article with a lead image, a correction and a table (test_template_pages_cover_what_they_claim checks it).
RICH_ARTICLE = "press-releases/2026/larkspur-energy-reports-third-quarter-2026-results/index.html"

TEMPLATE_PAGES = {
    "home": "index.html",
    "home-page-2": "page/2/index.html",
    "audience": "investors/index.html",
    "article": RICH_ARTICLE,
    "category": "press-releases/index.html",
    "categories": "categories/index.html",
    "tag": "tags/wind/index.html",
    "tags": "tags/index.html",
    "archive": "archive/index.html",
    "year-archive": "archive/2025/index.html",
    "page": "about/index.html",
    "contacts": "media-contacts/index.html",
    "subscribe": "subscribe/index.html",
    "disclosure": "disclosure/index.html",
    "404": "404.html",
}

_MAIN = re.compile(r"<main\b.*?</main>", re.S)
_BODY_CLASS = re.compile(r'<body class="([^"]*)"')
_CLASSES = re.compile(r'class="([^"]*)"')


def structure_of(html: str) -> tuple[str, frozenset[str]]:
    """A page's structure: its body class and the set of CSS classes used inside <main>."""
    main = _MAIN.search(html)
    body = _BODY_CLASS.search(html)
    classes = {name for value in _CLASSES.findall(main.group(0) if main else html) for name in value.split()}
    return (body.group(1) if body else "", frozenset(classes))


def representative_pages(output: Path, named: dict[str, str] = TEMPLATE_PAGES) -> dict[str, str]:
    """`named`, plus the first page (in path order) of every structure none of the named pages has."""
    chosen = dict(named)
    seen = {structure_of((output / page).read_text(encoding="utf-8")) for page in named.values()}
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        structure = structure_of(path.read_text(encoding="utf-8"))
        if structure not in seen:
            seen.add(structure)
            chosen[f"like {relative}"] = relative
    return chosen
