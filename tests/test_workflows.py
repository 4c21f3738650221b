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


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_every_checkout_fetches_the_whole_history(name):
    """actions/checkout fetches one commit unless told otherwise. A publish refuses such a shallow clone, and a
    pull request's checks need the whole history too (every line the archive register ever held in git's history
    must still be in it; each post's revision history comes from git)."""
    checkouts = [step for step in steps(workflow(name)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"].get("fetch-depth") == 0 for step in checkouts), checkouts


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_a_secret_reaches_only_a_job_of_the_syndication_environment(name):
    """A writer can push a branch whose workflow prints the repository's secrets; an environment limited to main
    keeps its own from any such run. So every job that takes a secret names that environment."""
    for job_name, job in workflow(name)["jobs"].items():
        if "secrets." in str(job) or job_name == "announce":
            assert job.get("environment") == "syndication", job_name


def test_publish_runs_on_merge_and_every_five_minutes_one_at_a_time_and_only_on_main():
    data = workflow("publish.yml")
    triggers = data[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"] == [{"cron": "*/5 * * * *"}]
    assert "workflow_dispatch" in triggers  # a manual run, from any branch: the build job's `if` stops it
    assert data["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    jobs = data["jobs"]
    assert jobs["build"]["if"] == "github.ref == 'refs/heads/main'"
    assert jobs["deploy"]["needs"] == "build" and set(jobs["announce"]["needs"]) == {"build", "deploy"}
    assert "needs.build.result == 'success'" in jobs["announce"]["if"]  # nothing runs without the build job
    checkout = jobs["build"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["ref"] == "main"


def test_building_cannot_write_deploying_holds_only_pages_and_only_the_ledger_step_holds_a_write_token():
    jobs = workflow("publish.yml")["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["announce"]["permissions"] == {"contents": "write"}
    announce = jobs["announce"]["steps"]
    holding = [step.get("name") for step in announce if "github.token" in str(step) or "secrets." in str(step)]
    assert holding == ["Register, ping WebSub, syndicate, and commit the ledger"] == [announce[-1]["name"]]
    assert announce[-1]["run"] == "python -m invoke publish --after deploy"
    site = next(step["run"] for step in jobs["build"]["steps"] if step.get("id") == "site")
    assert site.splitlines() == [  # a scheduled run stops early when nothing is due; any other run publishes
        'if [ "$GITHUB_EVENT_NAME" = schedule ]; then',
        "  python -m invoke publish --until deploy --if-due",
        "else",
        "  python -m invoke publish --until deploy",
        "fi",
    ]
    assert "secrets." not in str(jobs["build"])
    for step in jobs["build"]["steps"]:
        if step.get("uses", "").startswith("actions/upload-pages-artifact@"):
            assert step["if"] == "steps.site.outputs.public_changed == 'true'"  # nothing new: nothing uploaded
    assert jobs["deploy"]["if"] == "needs.build.outputs.public_changed == 'true'"


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_ci_installs_only_locked_dependencies_checked_against_their_hashes(name):
    installs = [step["run"] for step in steps(workflow(name)) if "pip install" in step.get("run", "")]
    assert installs and all(run == "python -m pip install --require-hashes -r requirements.lock" for run in installs)
    assert "--require-hashes -r requirements-dev.lock" in (ROOT / ".ci/run").read_text()


def pins(path: Path, seen: set[Path] | None = None) -> dict[str, str]:
    """name -> version of every `name==version` line of a requirements file and the files it includes."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif "==" in line:
            name, version = line.rstrip(" \\").split("==")
            found[re.sub(r"\[.*\]", "", name).lower().replace("_", "-")] = version.strip()
    return found


def locked(path: Path) -> dict[str, list[str]]:
    """name -> the hashes of each `name==version` entry of a pip-compile lock file."""
    entries, current = {}, None
    for line in path.read_text().splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            current = line.split(" ")[0].lower()
            entries[current] = []
        elif current and line.strip().startswith("--hash=sha256:"):
            entries[current].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
    return entries


@pytest.mark.parametrize(
    "requirements, lock", [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_each_lock_file_pins_exactly_the_requirements_with_a_hash_for_every_package(requirements, lock):
    wanted, entries = pins(ROOT / requirements), locked(ROOT / lock)
    versions = {entry.split("==")[0].replace("_", "-"): entry.split("==")[1] for entry in entries}
    assert {name: versions.get(name) for name in wanted} == wanted, f"regenerate {lock} (command at its top)"
    assert all(entries.values()) and all(re.fullmatch(r"[0-9a-f]{64}", h) for hs in entries.values() for h in hs)
    header = (ROOT / lock).read_text()
    assert "pip-compile --allow-unsafe --generate-hashes" in header
    assert f"--output-file={lock} --strip-extras {requirements}" in header
    assert pins(ROOT / "requirements-dev.txt")["pip-tools"]  # the tool that writes the locks is itself pinned


def test_the_tests_run_on_exactly_the_versions_the_publish_installs():
    publish, tests = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    version = {name: entry.split("==")[1] for entry in tests for name in [entry.split("==")[0]]}
    assert {entry: version.get(entry.split("==")[0]) == entry.split("==")[1] for entry in publish} == dict.fromkeys(
        publish, True
    )
    assert all(set(publish[entry]) == set(tests[entry]) for entry in publish)  # the same files, by hash


def test_the_lock_check_does_catch_a_requirement_the_lock_lacks(tmp_path):
    (tmp_path / "requirements.txt").write_text("pelican==4.12.0\nfeedgen==9.9.9\n")
    wanted = pins(tmp_path / "requirements.txt")
    versions = {e.split("==")[0]: e.split("==")[1] for e in locked(ROOT / "requirements.lock")}
    assert {name: versions.get(name) for name in wanted} != wanted


def test_pull_requests_run_the_tests_the_checks_and_the_dry_run_plan():
    commands = [step.get("run", "") for step in steps(workflow("pull-request.yml"))]
    assert "bash .ci/run" in commands
    assert "python -m invoke check" in commands
    assert "python -m invoke publish --dry-run" in commands
