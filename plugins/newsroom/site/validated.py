"""Every settings family validated once, when a build starts, and kept where the generators can find it.

Pelican hands its signal receivers and generators nothing but the settings dictionary, so that is the only way
to pass what `initialized` validated on to them: the validated objects ride in it under these keys (lower case:
no one writes them in a settings file). Everything else is given the objects by whoever loaded them.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from newsroom.editor.config import BUILD_KEY as EDITOR
from newsroom.editor.config import editor_settings
from newsroom.kit.settings import SettingsProblems
from newsroom.model.settings import Newsroom, load_newsroom
from newsroom.syndication.config import BUILD_KEY as SYNDICATION
from newsroom.syndication.config import load_config

NEWSROOM = "NEWSROOM"  # the Newsroom (NEWSROOM_*), read by every generator and template filter
__all__ = ["EDITOR", "NEWSROOM", "SYNDICATION", "validate_settings"]


def validate_settings(settings: MutableMapping) -> Newsroom:
    """Validate NEWSROOM_*, SYNDICATION_* and NEWSROOM_EDITOR, keep them in `settings`, and return the Newsroom;
    SettingsProblems lists every problem of them all (the syndication settings need valid audiences first)."""
    newsroom = load_newsroom(settings)
    problems = []
    try:
        settings[SYNDICATION] = load_config(settings, newsroom)
    except SettingsProblems as error:
        problems += error.problems
    try:
        settings[EDITOR] = editor_settings(settings)
    except SettingsProblems as error:
        problems += error.problems
    if problems:
        raise SettingsProblems(problems)
    settings[NEWSROOM] = newsroom
    return newsroom
