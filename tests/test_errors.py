"""One error family: every error the newsroom raises on purpose is a NewsroomError, so a command line catches one
type and prints its lines, never a traceback."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("task", ["check", "build", "preview", "publish --dry-run"])
def test_every_task_exits_2_for_a_settings_mistake(site, task):
    # The documented rule, the same for every task: 2 when the settings must be fixed first, 1 for anything else.
    site.post("fine")
    conf = "pelicanconf.py" if task in ("check", "build") else "publishconf.py"
    settings = site.settings_file(conf, NEWSROOM_PREVEIW_DRAFTS=True)
    done = run_invoke(*task.split(), "--settings", str(settings))
    printed = done.stdout + done.stderr  # a publish prints its steps' lines on stdout
    assert "NEWSROOM_PREVEIW_DRAFTS: unknown setting" in printed, printed
    assert done.returncode == 2 and "Traceback" not in printed, f"invoke {task}: exit {done.returncode}"


def test_a_check_with_a_settings_mistake_and_a_content_problem_reports_the_settings_and_exits_2(site):
    # The content is checked against valid settings only: the settings come first, with their exit code.
    site.post("broken", Audience="nobody")
    settings = site.settings_file(NEWSROOM_PREVEIW_DRAFTS=True)
    done = run_invoke("check", "--settings", str(settings))
    assert done.returncode == 2, done.stderr
    assert "NEWSROOM_PREVEIW_DRAFTS: unknown setting" in done.stderr
    assert "nobody" not in done.stderr


def test_a_content_problem_alone_still_exits_1(site):
    site.post("broken", Audience="nobody")
    done = run_invoke("check", "--settings", str(site.settings_file()))
    assert done.returncode == 1 and "nobody" in done.stderr, done.stderr
