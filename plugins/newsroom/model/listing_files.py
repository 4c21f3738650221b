"""The files the site's listings are written to, derived from the settings the build writes them with: a page or
a post whose file is one of them would take a listing's place (checks/address_collisions.py).

Never listed by hand: each direct template (DIRECT_TEMPLATES, written to its `<NAME>_SAVE_AS`, else `<name>.html`,
as Pelican does), each of TEMPLATE_PAGES, the newsroom's own (the audience pages, material news) and every
`<KIND>_SAVE_AS` of a listing Pelican writes once per category, tag, author, audience or period, filled with what
the content gives. The first page of each: a later one (`page/2/`) is inside the listing's own folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from newsroom.model.site_folders import NEWSROOM_ADDRESSES

SAVE_AS = "_SAVE_AS"


def listing_files(settings: Mapping, slugs: Mapping[str, Iterable[str]], dates: Iterable[datetime]) -> dict[str, str]:
    """{file: what writes it, for a message}. `slugs`: {kind: slugs} for the listings written once per thing
    ("CATEGORY": the categories' slugs, "TAG", "AUTHOR", "AUDIENCE"); `dates`: the posts' dates, for the period
    archives (`YEAR_ARCHIVE_SAVE_AS`…). A pattern that is "" writes nothing (AUTHOR_SAVE_AS = "")."""
    found: dict[str, str] = {}
    for template in settings.get("DIRECT_TEMPLATES", ()):
        name = f"{template.upper()}{SAVE_AS}"
        _add(found, settings.get(name, f"{template}.html"), f"{name} {settings.get(name, f'{template}.html')!r}")
    for source, destination in (settings.get("TEMPLATE_PAGES") or {}).items():
        _add(found, destination, f"TEMPLATE_PAGES[{source!r}]")
    dates = tuple(dates)
    for name, pattern in {**settings, **NEWSROOM_ADDRESSES}.items():
        if not isinstance(name, str) or not name.endswith(SAVE_AS) or not isinstance(pattern, str):
            continue
        kind = name.removesuffix(SAVE_AS)
        what = f"{name} {pattern!r}"
        if kind in slugs:
            for slug in dict.fromkeys(slugs[kind]):
                _add(found, _filled(pattern, slug=slug, name=slug), f"{what} for the {kind.lower()} {slug!r}")
        elif kind.endswith("_ARCHIVE"):
            for date in dates:
                _add(found, _filled(pattern, date=date), f"{what} for {date:%Y}")
        elif name in NEWSROOM_ADDRESSES:
            _add(found, pattern, what)
    return found


def _filled(pattern: str, **values) -> str:
    """`pattern` with these values, or "" when it names a placeholder the listing is not filled with."""
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return ""


def _add(found: dict[str, str], file: str, what: str) -> None:
    if file:
        found.setdefault(file.lstrip("/"), what)
