"""The Jinja environment the theme is rendered in: the i18n extension its strings need, and escaping always on.

Every value the theme prints that a post gave (a title, a tag, a correction, a contact) is escaped by Jinja's
autoescape, and only post bodies, sanitised first, are marked safe where they are rendered. Pelican's own default
environment does not escape, and a JINJA_ENVIRONMENT written out whole to add an extension easily drops the
line: a tag such as `"><meta http-equiv="refresh" …>` would then be markup on every page that lists it. So
autoescape is on whatever the settings say, and a setting that says otherwise is refused, not ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from newsroom.kit.settings import SettingsProblems
from newsroom.site.theme_strings import I18N_EXTENSION


def template_environment(environment: Mapping) -> dict:
    """JINJA_ENVIRONMENT as the theme is rendered with: autoescape on, the i18n extension added."""
    if environment.get("autoescape", True) is not True:
        raise SettingsProblems(
            [
                f"JINJA_ENVIRONMENT: 'autoescape' is {environment['autoescape']!r} (expected True, or no "
                "'autoescape' entry: the theme relies on Jinja escaping every value it prints)"
            ]
        )
    extensions = list(environment.get("extensions", []))
    if I18N_EXTENSION not in extensions:
        extensions.append(I18N_EXTENSION)
    return {**environment, "autoescape": True, "extensions": extensions}
