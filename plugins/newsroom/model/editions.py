"""The site's editions besides the public one (NEWSROOM_EDITIONS): each is the settings, changed by its entry.

The internal edition shows employees-only posts and the embargo preview shows embargoed ones, so an edition must
never write where the public one does: each entry names its own OUTPUT_PATH, and every key of an entry is a
setting something reads (a misspelt `OUTPUT_PTH` would otherwise leave OUTPUT_PATH as the public site's, and the
internal edition would be built into it).
"""

from __future__ import annotations

from collections.abc import Mapping

from newsroom.kit.settings import did_you_mean

EDITIONS = ("internal", "embargo-preview")
EXAMPLE = "{'internal': {'OUTPUT_PATH': 'output-internal'}}"
# Where another edition's settings keep the public site's SITEURL, which its entry replaces (lower case: the
# build's state, not a setting; site/build.load_settings puts it there).
PUBLIC_SITEURL = "newsroom_public_siteurl"


def edition_problems(settings: Mapping, known: frozenset[str]) -> list[str]:
    """A line for every problem of NEWSROOM_EDITIONS; `known` names the settings something reads (Pelican's and
    the newsroom's), besides those the settings file itself defines."""
    editions = settings.get("NEWSROOM_EDITIONS", {})
    if editions is None or not isinstance(editions, Mapping):
        return [f"NEWSROOM_EDITIONS: {editions!r} must map each edition to the settings it changes, e.g. {EXAMPLE}"]
    names = known | {name for name in settings if isinstance(name, str) and name.isupper()}
    problems = []
    for edition, entry in editions.items():
        where = f"NEWSROOM_EDITIONS[{edition!r}]"
        if edition not in EDITIONS:
            hint = did_you_mean(str(edition), EDITIONS) or f" (expected one of: {', '.join(EDITIONS)})"
            problems.append(f"{where}: unknown edition{hint}")
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: {entry!r} must be the settings this edition changes, e.g. {EXAMPLE}")
            continue
        for key in entry:
            if not isinstance(key, str) or key not in names:
                hint = did_you_mean(str(key), names) or ""
                problems.append(f"{where}.{key}: unknown setting{hint}; a setting nothing reads would be ignored")
        output = entry.get("OUTPUT_PATH")
        if not isinstance(output, str) or not output.strip():
            problems.append(
                f"{where}.OUTPUT_PATH: {output!r}; the edition needs a folder of its own, never the public site's "
                f"(expected e.g. 'output-{edition}')"
            )
    return problems


def edition_output(settings: Mapping, edition: str) -> str:
    """The OUTPUT_PATH an edition's entry names (as written), or its default folder."""
    editions = settings.get("NEWSROOM_EDITIONS") or {}
    entry = editions.get(edition) if isinstance(editions, Mapping) else None
    output = entry.get("OUTPUT_PATH") if isinstance(entry, Mapping) else None
    return output if isinstance(output, str) and output.strip() else f"output-{edition}"


def site_addresses(settings: Mapping) -> tuple[str, ...]:
    """Every base address the newsroom is served at: this edition's SITEURL, the public site's, and each one an
    entry of NEWSROOM_EDITIONS names (an empty one, a local build's, names none). Each edition shows a post at
    the same path under its own address, so a link under any of them is a link into this newsroom."""
    editions = settings.get("NEWSROOM_EDITIONS")
    entries = (
        [entry for entry in editions.values() if isinstance(entry, Mapping)] if isinstance(editions, Mapping) else []
    )
    found = (settings.get("SITEURL"), settings.get(PUBLIC_SITEURL), *(entry.get("SITEURL") for entry in entries))
    return tuple(dict.fromkeys(address for address in found if isinstance(address, str) and address))
