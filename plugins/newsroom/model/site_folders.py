"""The folders at the top of the site that its own files take: a language's prefix (/fr/) must be none of them.

Derived from the settings that place files, never listed by hand: each `*_SAVE_AS` / `*_URL` setting, the static
paths, the theme's folder, and the folders the newsroom writes itself (feeds, search index, material news,
audience pages, the editor). A pattern that begins with a placeholder (`{slug}/`, `{category}/`) takes the first
folder of everything it is filled with: the audience and category slugs here; pages and posts at check time
(checks/language_folders.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from newsroom.model.audiences import AUDIENCE_SAVE_AS, AUDIENCE_URL
from newsroom.model.feed_catalogue import FEEDS_DIR
from newsroom.model.material import MATERIAL_NEWS_SAVE_AS, MATERIAL_NEWS_URL
from newsroom.model.ownership import SEARCH_INDEX_DIR

EDITOR_FOLDER = "admin"  # the browser editor's page, in a build that has the editor
EDITOR_SETTING = "NEWSROOM_EDITOR"
THEME_STATIC_DIR = "theme"  # Pelican's default for THEME_STATIC_DIR
# The newsroom's own addresses, as the settings that place Pelican's files would name them.
NEWSROOM_ADDRESSES = {
    "AUDIENCE_URL": AUDIENCE_URL,
    "AUDIENCE_SAVE_AS": AUDIENCE_SAVE_AS,
    "MATERIAL_NEWS_URL": MATERIAL_NEWS_URL,
    "MATERIAL_NEWS_SAVE_AS": MATERIAL_NEWS_SAVE_AS,
}


def editor_place(file: str, settings: Mapping) -> str | None:
    """Who holds `file` whole when it is inside the browser editor's folder and the settings have the editor (the
    internal edition writes the folder's every file: a page there would take the editor's index.html)."""
    if settings.get(EDITOR_SETTING) and file.startswith(f"{EDITOR_FOLDER}/"):
        return f"browser editor: {EDITOR_SETTING}, which the internal edition writes whole"
    return None


def first_folder(path: str) -> str:
    """'tags' for 'tags/{slug}/' or '/tags/x'; '' for an address with no folder ('index.html', '')."""
    head, slash, _ = path.lstrip("/").partition("/")
    return head if slash else ""


def site_folders(settings: Mapping, audience_slugs: Iterable[str], category_slugs: Iterable[str]) -> dict[str, str]:
    """{first folder: what takes it, for a message} for every folder at the top of the site that is not a page's
    or a post's (those are known only once the content is read)."""
    audience_slugs, category_slugs = tuple(audience_slugs), tuple(category_slugs)
    found: dict[str, str] = {}
    for name, pattern in _address_settings(settings):
        folder = first_folder(pattern)
        if not folder.startswith("{"):
            found.setdefault(folder, f"the folder of {name} ({pattern!r})")
        elif name.startswith("AUDIENCE_") and folder == "{slug}":
            found.update(dict.fromkeys(audience_slugs, "an audience's slug (NEWSROOM_AUDIENCES)") | found)
        elif folder == "{category}" or (name.startswith("CATEGORY_") and folder == "{slug}"):
            found.update(dict.fromkeys(category_slugs, "a category's slug (NEWSROOM_CATEGORIES)") | found)
        # Any other placeholder is a page's or a post's: checks/language_folders.py, with the content.
    found.setdefault(FEEDS_DIR, "the feeds' folder (NEWSROOM_FEEDS)")
    found.setdefault(SEARCH_INDEX_DIR, "the search index's folder")
    found.setdefault(EDITOR_FOLDER, "the browser editor's folder")
    theme = str(settings.get("THEME_STATIC_DIR", THEME_STATIC_DIR))
    found.setdefault(first_folder(f"{theme}/"), f"the theme's folder (THEME_STATIC_DIR {theme!r})")
    for path in settings.get("STATIC_PATHS", ()) or ():
        found.setdefault(first_folder(f"{path}/"), f"a folder of static files (STATIC_PATHS {path!r})")
    for source, metadata in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        save_as = metadata.get("save_as", "") if isinstance(metadata, Mapping) else ""
        if first_folder(str(save_as)):
            found.setdefault(first_folder(str(save_as)), f"the folder of EXTRA_PATH_METADATA[{source!r}]")
    found.pop("", None)
    return found


def _address_settings(settings: Mapping) -> list[tuple[str, str]]:
    """(name, pattern) of every setting that places a file, and of the newsroom's own; a `*_URL` whose
    `*_SAVE_AS` is '' writes nothing (AUTHOR_SAVE_AS = '' turns the author pages off)."""
    found = []
    for name, pattern in [*settings.items(), *NEWSROOM_ADDRESSES.items()]:
        if not isinstance(name, str) or not isinstance(pattern, str) or not pattern:
            continue
        if name.endswith("_SAVE_AS") or (name.endswith("_URL") and settings.get(f"{name[:-4]}_SAVE_AS") != ""):
            found.append((name, pattern))
    return found
