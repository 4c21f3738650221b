"""The settings kit: typed reading of raw settings that collects every problem, and "did you mean" for names.

Every settings family (NEWSROOM_*, SYNDICATION_*, NEWSROOM_PUBLISH) reads its values through this module, so a
wrong type, an unknown key or a misspelt name is reported the same way everywhere: one line naming the setting, the
bad value and what was expected, all problems together, never a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from newsroom.kit.errors import NewsroomError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Setting names that belong to the newsroom: any other name with these prefixes is a typo or a leftover.
PREFIXES = ("NEWSROOM_", "SYNDICATION_")


class SettingsProblems(NewsroomError, ValueError):
    """One or more settings are wrong; the message has one line per problem."""

    exit_code = 2  # nothing was tried: the settings must be fixed first

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """ " (did you mean 'X'?)" when `name` is close to a known name, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_names(settings: Mapping, known: Iterable[str], prefixes: tuple[str, ...] = PREFIXES) -> list[str]:
    """A problem for every setting with one of `prefixes` that nothing reads: a misspelt name is otherwise
    silently ignored, and the default it was meant to change stays in force."""
    known = set(known)
    problems = []
    for name in sorted(settings):
        if isinstance(name, str) and name.startswith(prefixes) and name not in known:
            hint = did_you_mean(name, known) or f" (expected one of: {', '.join(sorted(known))})"
            problems.append(f"{name}: unknown setting{hint}; a setting nothing reads would be silently ignored")
    return problems


class SettingsReader:
    """Reads typed values out of raw settings, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    @staticmethod
    def _name(where: str, key: str) -> str:
        """`where.key` inside a dictionary setting; `key` alone for a top-level setting (where is "")."""
        return f"{where}.{key}" if where else key

    def text(self, entry: Mapping, key: str, where: str, *, required: bool = True) -> str:
        value = entry.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(self._name(where, key), f"{value!r} must be a non-empty string")
            return ""
        return value.strip()

    def slug(self, entry: Mapping, key: str, where: str) -> str:
        value = self.text(entry, key, where)
        if value and not SLUG.match(value):
            self.problem(
                self._name(where, key),
                f"{value!r} is not a slug (expected lower-case letters, digits and hyphens)",
            )
        return value

    def flag(self, entry: Mapping, key: str, where: str) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            self.problem(self._name(where, key), f"{value!r} must be True or False")
            return False
        return value

    def strings(self, entry: Mapping, key: str, where: str) -> tuple[str, ...]:
        value = entry.get(key, ())
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
            self.problem(self._name(where, key), f"{value!r} must be a list of strings")
            return ()
        return tuple(value)

    def entries(self, settings: Mapping, name: str) -> list[tuple[str, Mapping]]:
        value = settings.get(name, [])
        if not isinstance(value, (list, tuple)):
            self.problem(name, f"{value!r} must be a list of dictionaries")
            return []
        found = []
        for index, entry in enumerate(value):
            if isinstance(entry, Mapping):
                found.append((f"{name}[{index}]", entry))
            else:
                self.problem(f"{name}[{index}]", f"{entry!r} must be a dictionary")
        return found

    def unique(self, name: str, items: list, attribute: str) -> None:
        seen: set[str] = set()
        for item in items:
            value = getattr(item, attribute)
            if value in seen:
                self.problem(name, f"{attribute} {value!r} is used twice (each must be unique)")
            seen.add(value)

    def dictionary(self, settings: Mapping, name: str, defaults: Mapping) -> dict:
        """`settings[name]` merged over `defaults`; a value that is not a dictionary, or a key that is not in
        `defaults`, is a problem (and the defaults are used, so later checks still run)."""
        raw = settings.get(name, {})
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            self.problem(name, f"{raw!r} must be a dictionary (expected keys: {', '.join(defaults)})")
            return dict(defaults)
        for key in sorted(set(raw) - set(defaults), key=str):
            hint = did_you_mean(str(key), defaults) or f" (expected one of: {', '.join(defaults)})"
            self.problem(name, f"unknown key {key!r}{hint}")
        return {**defaults, **{key: value for key, value in raw.items() if key in defaults}}

    def whole_number(self, value, where: str, *, minimum: int = 1) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(where, f"{value!r} must be a whole number, at least {minimum}")
            return None
        return value
