"""One error family: every error the newsroom raises on purpose is a NewsroomError, so a command line catches one
type and prints its lines, never a traceback."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import newsroom
from conftest import run_invoke
from newsroom.kit.errors import NewsroomError
from newsroom.kit.settings import SettingsProblems

PLUGIN = Path(newsroom.__file__).resolve().parent


def defined_exceptions() -> list[type]:
    found = []
    for path in sorted(PLUGIN.rglob("*.py")):
        parts = path.relative_to(PLUGIN.parent).with_suffix("").parts
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.__name__
        ]
    return found


def test_every_exception_the_plugin_defines_is_a_newsroom_error():
    exceptions = defined_exceptions()
    assert len(exceptions) > 20  # the walk found the plugin's classes, not an empty folder
    assert [e.__qualname__ for e in exceptions if not issubclass(e, NewsroomError)] == []


def test_a_settings_mistake_exits_2_and_any_other_newsroom_error_exits_1():
    assert SettingsProblems(["A: one"]).exit_code == 2
    assert NewsroomError("it broke").exit_code == 1
    assert SettingsProblems(["A: one", "B: two"]).lines() == ["A: one", "B: two"]


def test_a_task_prints_each_problem_on_its_own_line_and_no_traceback(site):
    settings = site.settings_file(NEWSROOM_EDITION="nonsense", NEWSROOM_FEEDS={"max_items": 0})
    done = run_invoke("embargoes", "--settings", str(settings))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert (
        "NEWSROOM_EDITION: 'nonsense' is not an edition (expected one of: public, internal, embargo-preview)" in lines
    )
    assert "NEWSROOM_FEEDS.max_items: 0 must be a positive whole number" in lines
