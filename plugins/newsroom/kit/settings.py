"""The settings kit: typed reading of raw settings that collects every problem, and "did you mean" for names.

Every settings family (NEWSROOM_*, SYNDICATION_*, NEWSROOM_PUBLISH) reads its values through this module, so a
wrong type, an unknown key or a misspelt name is reported the same way everywhere: one line naming the setting, the
bad value and what was expected, all problems together, never a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsroom.kit.errors import NewsroomError
from newsroom.kit.translated import TRANSLATIONS_KEY, Translations

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Setting names that belong to the newsroom: any other name with these prefixes is a typo or a leftover.
PREFIXES = ("NEWSROOM_", "SYNDICATION_")


@dataclass(frozen=True)
class Option:
    """One key of a plugged-in part's settings (a channel's, a deploy target's), or one top-level setting: its
    type, whether it is required, its default, and what it is for (said in every message about it)."""

    kind: type | tuple[type, ...]
    help: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    path: bool = False  # a file or folder, relative to the project
    pattern: str = ""  # a regular expression a text value must match in full, e.g. r"\d{6}" for a YYYYMM version
    minimum: int | None = None  # the least a number may be (a count of pages: 1)


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


def _texts_shape(keys: Iterable[str]) -> str:
    """ "{'name': '…', 'description': '…'}": what a language's texts look like, for a message."""
    return "{" + ", ".join(f"{key!r}: '…'" for key in keys) + "}"


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

    def options(self, entry: Mapping, options: Mapping[str, Option], where: str, owner: str, fixed=()) -> dict:
        """The values of `options` in `entry` (None for a missing optional one), checked against each Option;
        a key that is neither an option nor one of the `fixed` keys every `owner` takes is a problem. `where` ""
        reads top-level settings (each named alone)."""
        allowed = {*fixed, *options}
        for key in sorted(set(entry) - allowed, key=str):
            self.problem(
                self._name(where, key), f"unknown setting for {owner} (expected one of: {', '.join(sorted(allowed))})"
            )
        values = {}
        for key, option in options.items():
            value = values[key] = entry.get(key, option.default)
            name = self._name(where, key)
            if value is None:
                if option.required:
                    self.problem(name, f"missing (expected {option.help})")
            elif (
                not isinstance(value, option.kind)
                or (isinstance(value, bool) and option.kind in (int, float))
                or (option.minimum is not None and value < option.minimum)
            ):
                self.problem(name, f"{value!r} is not valid (expected {option.help})")
            elif option.choices and value not in option.choices:
                self.problem(name, f"{value!r} is not one of: {', '.join(map(str, option.choices))}")
            elif option.pattern and isinstance(value, str) and not re.fullmatch(option.pattern, value):
                self.problem(name, f"{value!r} is not valid (expected {option.help})")
        return values

    def language_entries(
        self, entry: Mapping, where: str, languages: Sequence[str], shape: str, what: str = "these texts"
    ) -> list[tuple[str, str, Mapping]]:
        """(language, code as written, its dictionary) for each language of the entry's `translations`: the
        newsroom's language each names (`languages`: the ones other than the default). A language that is not one
        of them, or a value that is not a dictionary (`shape` shows what one looks like), is a problem."""
        raw = entry.get(TRANSLATIONS_KEY, {})
        name = f"{where}.{TRANSLATIONS_KEY}"
        example = languages[0] if languages else "fr"
        if not isinstance(raw, Mapping):
            self.problem(
                name,
                f"{raw!r} must be a dictionary (expected {{{example!r}: {shape}}}, one entry per language other "
                "than the default)",
            )
            return []
        by_code = {code.casefold(): code for code in languages}
        found = []
        for code, values in raw.items():
            language = by_code.get(str(code).casefold())
            if language is None:
                known = (
                    f"expected one of NEWSROOM_LANGUAGES' other languages: {', '.join(languages)}"
                    if languages
                    else f"NEWSROOM_LANGUAGES has no other language than the default: add it there, or remove {what}"
                )
                self.problem(name, f"unknown language {code!r}{did_you_mean(str(code), languages)} ({known})")
            elif not isinstance(values, Mapping):
                self.problem(f"{name}.{code}", f"{values!r} must be a dictionary (expected {shape})")
            else:
                found.append((language, code, values))
        return found

    def translations(self, entry: Mapping, where: str, keys: Sequence[str], languages: Sequence[str]) -> Translations:
        """The entry's `translations` (kit/translated.py): for each of `languages` (the newsroom's languages
        other than the default), a version of each of `keys` the entry has a text for. A language, key or
        value that is not one of those, and a text missing in one language, is a problem: a page or feed in
        that language would otherwise show the default language's words."""
        texts, given = [], {}
        for language, code, values in self.language_entries(entry, where, languages, _texts_shape(keys)):
            name = f"{where}.{TRANSLATIONS_KEY}"
            for key in sorted(set(values) - set(keys), key=str):
                hint = did_you_mean(str(key), keys) or f" (expected some of: {', '.join(keys)})"
                self.problem(f"{name}.{code}", f"unknown key {key!r}{hint}")
            for key in keys:
                if key in values:
                    text = self.text(values, key, f"{name}.{code}")
                    if text:
                        texts.append((language, key, text))
            given[language] = {key for key in keys if key in values}
        own = [key for key in keys if isinstance(entry.get(key), str) and entry[key].strip()]
        for language in languages:
            missing = [key for key in own if key not in given.get(language, set())]
            if missing:
                names = ", ".join(f"{key!r} ({entry[key].strip()!r})" for key in missing)
                self.problem(
                    f"{where}.{TRANSLATIONS_KEY}",
                    f"no {language!r} text for {names} (expected {{{language!r}: {_texts_shape(missing)}}}: the "
                    "pages and feeds in that language show it)",
                )
        return Translations(tuple(texts))

    def whole_number(self, value, where: str, *, minimum: int = 1) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(where, f"{value!r} must be a whole number, at least {minimum}")
            return None
        return value

    def amount(self, value, where: str, unit: str, default=None) -> float | None:
        """A number of `unit` (seconds, days), 0 or more."""
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.problem(
                where,
                f"{value!r} must be a number of {unit}, 0 or more"
                + (f" (default {default})" if default is not None else ""),
            )
            return None
        return float(value)

    def check(self) -> None:
        """Raise SettingsProblems with every problem found so far, if there is any."""
        if self.problems:
            raise SettingsProblems(self.problems)
