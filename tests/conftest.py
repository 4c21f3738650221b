"""Shared fixtures: a real tiny newsroom site in tmp_path, built by real Pelican with the real theme."""

from __future__ import annotations

import gc
import gzip
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsroom.kit.settings import SettingsProblems
from newsroom.model.settings import in_one_language
from newsroom.site.build import build, check, load_settings

ROOT = Path(__file__).resolve().parent.parent

# A post that passes every check; tests override or remove (None) single fields.
VALID_POST = {
    "Title": "Larkspur opens Kessler Ridge wind farm",
    "Date": "2026-06-01 10:00 America/New_York",
    "Audience": "media",
    "Category": "News",
    "Summary": "The 240 MW wind farm is now supplying power to the grid.",
}

# One post of each kind that the public edition must withhold, by a marker word its tests search the output for.
WITHHELD_KINDS = {
    "INTERNALMARKER": {"Audience": "employees"},
    "DRAFTMARKER": {"Status": "draft"},
    "HIDDENMARKER": {"Status": "hidden"},
    "EMBARGOMARKER": {"Date": "2026-12-03 16:05 America/New_York"},
}


# A newsroom in English and French, and one release in both (the Kessler Ridge wind farm), for the tests of
# what the second language changes.
ENGLISH_AND_FRENCH = [
    {"code": "en", "name": "English", "default": True},
    {"code": "fr", "name": "Français"},
]


def kessler_in_english_and_french(site: TinySite, fields: dict, corrections: tuple[str, str] | None = None) -> None:
    """The site in English and French, with the Kessler Ridge release (`fields`: its Id and other header fields)
    in both; `corrections`: the English and the French correction line."""
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    english, french = corrections or (None, None)
    site.post("kessler", **fields, **({"Correction": english} if english else {}))
    site.post(
        "kessler-fr",
        "Le texte du communiqué.",
        Title="Larkspur met en service le parc éolien de Kessler Ridge",
        Summary="Le parc de 240 MW alimente maintenant le réseau.",
        Lang="fr",
        **fields,
        **({"Correction": french} if french else {}),
    )


@dataclass
class TinySite:
    """A newsroom with only the posts a test writes, using the project's settings, plugins and theme."""

    root: Path
    overrides: dict = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.root / "content"

    def post(self, name: str, body: str = "The body of the post.", **fields) -> Path:
        """Write content/posts/<name>.md; keyword fields override VALID_POST (use _ for -, None to drop)."""
        header = {**VALID_POST, **{key.replace("_", "-"): value for key, value in fields.items()}}
        lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
        path = self.content / "posts" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
        return path

    def with_sample_content(self) -> TinySite:
        """Copy in the sample newsroom's content, in its languages (it has French versions of some posts)."""
        shutil.copytree(ROOT / "content", self.content, dirs_exist_ok=True)
        self.overrides["NEWSROOM_LANGUAGES"] = load_settings(ROOT / "pelicanconf.py")["NEWSROOM_LANGUAGES"]
        return self

    def file(self, relative: str, text: str = "") -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def settings(self, conf: str = "publishconf.py", edition: str = "public", **overrides) -> dict:
        project = load_settings(ROOT / conf)
        values = {
            **self._texts(project, overrides),
            "PATH": str(self.content),
            "CACHE_PATH": str(self.root / "cache"),
            "NEWSROOM_NOW": "2026-11-26 12:00 UTC",
            # A tiny site's posts are in one language: the sample's French edition only where a test asks for it.
            "NEWSROOM_LANGUAGES": None,
            # A tiny site has none of the sample's images, so no feed logo unless a test gives one.
            "NEWSROOM_FEEDS": {**project.get("NEWSROOM_FEEDS", {}), "image": ""},
            **self.overrides,
            **overrides,
        }
        if edition == "public":
            values.setdefault("OUTPUT_PATH", str(self.root / "output"))
        editions = project.get("NEWSROOM_EDITIONS", {})
        values["NEWSROOM_EDITIONS"] = {  # each edition writes into this site's folder, not the project's
            name: {**entry, "OUTPUT_PATH": str(self.root / f"output-{name}")} for name, entry in editions.items()
        }
        return load_settings(ROOT / conf, values, edition)

    def settings_file(self, conf: str = "pelicanconf.py", **extra) -> Path:
        """A settings file for the command line: the project's `conf`, pointed at this site's folders,
        with this site's overrides and `extra` settings."""
        path = self.root / f"site_{conf}"
        values = {
            **self._texts(load_settings(ROOT / conf), extra),
            "NEWSROOM_FEEDS": {**load_settings(ROOT / conf).get("NEWSROOM_FEEDS", {}), "image": ""},  # as settings()
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.root / "output"),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "NEWSROOM_LANGUAGES": None,  # as settings()
            **self.overrides,
            **extra,
        }
        lines = [f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom {conf[:-3]} import *"]
        lines += [f"{key} = {value!r}" for key, value in values.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def _texts(self, project: dict, overrides: dict) -> dict:
        """The project's texts in one language, unless this site has several."""
        languages = {"NEWSROOM_LANGUAGES": None, **self.overrides, **overrides}["NEWSROOM_LANGUAGES"]
        return {} if languages and len(languages) > 1 else in_one_language(project)

    def check(self, conf: str = "publishconf.py", **overrides) -> list[str]:
        """The problems `invoke check` reports: the settings' (marked "settings: ", which stop it with exit code
        2 before any content is checked), else the content's."""
        try:
            return check(self.settings(conf, **overrides))
        except SettingsProblems as error:
            return [f"settings: {problem}" for problem in error.problems]

    def build(self, conf: str = "publishconf.py", edition: str = "public", **overrides) -> Path:
        settings = self.settings(conf, edition, **overrides)
        build(settings)
        return Path(settings["OUTPUT_PATH"])

    def build_keeping_partials(self, template: str) -> tuple[Path, list]:
        """Build, and give every value the build rendered from the shared partial `template` (shared_partials.py)."""
        from pelican import signals

        from newsroom.site.shared_partials import SHARED_PARTIALS

        made = []

        def keep(pelican):
            made.extend(pelican.settings[SHARED_PARTIALS].made_from(template))

        signals.finalized.connect(keep)
        try:
            return self.build(), made
        finally:
            signals.finalized.disconnect(keep)


@pytest.fixture
def site(tmp_path) -> TinySite:
    tiny = TinySite(tmp_path)
    (tiny.content / "pages").mkdir(parents=True)
    (tiny.content / "images").mkdir()
    return tiny


def run_invoke(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `invoke <args>` from the project root, as a person would."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True, env=environment
    )


def files_containing(output: Path, marker: str) -> list[str]:
    """Every file under `output` whose bytes contain `marker` (names count too); a gzip file (the search index's)
    is searched decompressed."""
    found = []
    needle = marker.encode()
    for directory, _, files in os.walk(output):
        for name in files:
            path = Path(directory) / name
            relative = path.relative_to(output).as_posix()
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            if marker.lower() in relative.lower() or needle in data:
                found.append(relative)
    return sorted(found)


def theme_with(folder: Path, templates: dict[str, str]) -> Path:
    """A copy of the project's theme in `folder`/theme, with each template named in `templates` (its path under
    templates/) replaced by the text given."""
    theme = folder / "theme"
    shutil.copytree(ROOT / "theme", theme)
    for name, text in templates.items():
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    return theme


def git_environment(config: str = os.devnull) -> dict[str, str]:
    """The environment for git in a test repository: a fixed identity, and none of the machine's configuration
    but `config` (the global configuration file git reads)."""
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": config,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Comms",
        "GIT_AUTHOR_EMAIL": "comms@larkspur.example",
        "GIT_COMMITTER_NAME": "Comms",
        "GIT_COMMITTER_EMAIL": "comms@larkspur.example",
    }


def fastest(action, times: int = 5) -> float:
    """The best of `times` measures of the CPU time `action()` takes in this process, with the garbage collector
    paused (its pauses grow with whatever else the process holds). CPU time, not wall time: on a shared machine
    another process's load stops the clock of a waiting test only in wall time, and a busy CI machine once made
    a linear walk look 13 times slower at four times the size. Load only ever adds, so the best is the steadiest."""
    spent = []
    for _ in range(times):
        gc.disable()
        try:
            started = time.process_time()
            action()
            spent.append(time.process_time() - started)
        finally:
            gc.enable()
    return min(spent)


def text_of(output: Path, relative: str) -> str:
    return (output / relative).read_text(encoding="utf-8")
