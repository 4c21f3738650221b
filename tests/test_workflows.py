"""The GitHub Actions workflows: valid for actionlint, clean for zizmor (pedantic, offline), and shaped the
way publishing needs (one publish at a time, least privilege, pinned actions, secrets only through env)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github/workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    # The tools (and actionlint's shellcheck) come with requirements-dev.txt, beside this Python, whether or not
    # the venv is on PATH.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    tool = shutil.which(command[0], path=path)
    assert tool, f"{command[0]} is installed by requirements-dev.txt"
    return subprocess.run(
        [tool, *command[1:]], cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, "PATH": path}
    )


def test_actionlint_finds_no_error_in_the_workflows():
    result = run("actionlint", "-color=false", *map(str, sorted(WORKFLOWS.glob("*.yml"))))
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_even_as_a_pedantic_auditor():
    result = run("zizmor", "--offline", "--no-progress", "--persona=pedantic", str(WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_both_linters_do_reject_a_broken_workflow(tmp_path):
    """The two tests above can fail: these tools flag what they are meant to."""
    broken = tmp_path / ".github/workflows/broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: pull_request_target\n"
        "jobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n"
    )
    assert run("actionlint", "-color=false", str(broken)).returncode != 0
    assert run("zizmor", "--offline", "--no-progress", str(broken.parent)).returncode != 0


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment(name):
    text = (WORKFLOWS / name).read_text()
    uses = [step["uses"] for step in steps(workflow(name)) if "uses" in step]
    assert uses and all(PINNED.match(ref) for ref in uses), uses
    for ref in uses:
        assert re.search(re.escape(ref) + r" # v\d+\.\d+\.\d+\n", text), ref


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_least_privilege_and_secrets_only_through_env(name):
    data = workflow(name)
    assert data["permissions"] == {}
    for job in data["jobs"].values():
        assert "write" not in str(job["permissions"]) or name == "publish.yml"
    for step in steps(data):
        assert "secrets." not in step.get("run", "") and "${{" not in step.get("run", "")
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_publish_runs_on_merge_and_every_five_minutes_one_at_a_time_in_two_halves_around_pages():
    data = workflow("publish.yml")
    triggers = data[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"] == [{"cron": "*/5 * * * *"}]
    assert data["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    job = data["jobs"]["publish"]
    assert job["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    assert job["env"]["NEWSROOM_STATE_STORE"] == "git"
    commands = [step.get("run") or step.get("uses").split("@")[0] for step in job["steps"]]
    assert commands[-5:] == [
        "python -m invoke publish --until deploy",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "python -m invoke publish --after deploy",
    ]
    for step in job["steps"][-4:-1]:
        assert step["if"] == "steps.site.outputs.public_changed == 'true'"  # nothing new: nothing uploaded


def test_pull_requests_run_the_tests_the_checks_and_the_dry_run_plan():
    commands = [step.get("run", "") for step in steps(workflow("pull-request.yml"))]
    assert "bash .ci/run" in commands
    assert "python -m invoke check" in commands
    assert "python -m invoke publish --dry-run" in commands
