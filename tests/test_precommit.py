"""The pre-commit checks (ruff, ruff format, actionlint, zizmor): pinned to the versions the tests use, and each one
fails a commit that breaks its rule. `invoke test` runs them on every file before the suite, which also installs
their environments (from PyPI) that the last test reuses."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def dev_pins() -> dict[str, str]:
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    return dict(line.split("#")[0].strip().split("==") for line in lines if "==" in line.split("#")[0])


def test_the_hooks_run_the_versions_requirements_dev_pins_and_pre_commit_is_pinned_too():
    found = hooks()
    assert set(found) == {"ruff", "ruff-format", "actionlint", "zizmor"}
    pins = dev_pins()
    for hook in found.values():
        assert hook["language"] == "python" and hook["additional_dependencies"], hook["id"]
        for requirement in hook["additional_dependencies"]:
            name, version = requirement.split("==")
            assert pins.get(name) == version, f"{hook['id']}: {requirement} but requirements-dev.txt pins {name}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", pins["pre-commit"])


def test_the_config_is_valid_for_pre_commit():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_invoke_test_runs_the_hooks_on_every_file_before_the_suite():
    tasks = (ROOT / "tasks.py").read_text()
    body = tasks[tasks.index("def test(") :]
    assert "pre_commit run --all-files" in body
    assert body.index("pre_commit run --all-files") < body.index("-m pytest")


def test_each_hook_fails_a_file_that_breaks_its_rule(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".github/workflows").mkdir(parents=True)
    shutil.copy(CONFIG, repo / CONFIG.name)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / "unused.py").write_text("import os\n")  # F401: imported, never used
    (repo / "crooked.py").write_text("x  =  {'a':1}\n")  # runs, but not as ruff format writes it
    (repo / ".github/workflows/broken.yml").write_text(
        "on: pull_request_target\n"
        "jobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n"
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    # Reuse the environments `invoke test` installed; never reach for an index from inside a test.
    env = {**os.environ, "PIP_NO_INDEX": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color=never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert "An unexpected error has occurred" not in output, f"run `invoke test` once to install the hooks:\n{output}"
    assert result.returncode == 1, output
    lines = re.findall(r"^(.+?)\.{3,}(Passed|Failed|Skipped)$", output, re.MULTILINE)
    results = {name.split(" (")[0]: outcome for name, outcome in lines}
    assert results == dict.fromkeys(["ruff check", "ruff format --check", "actionlint", "zizmor"], "Failed"), output
    assert "unused.py" in output and "crooked.py" in output and "broken.yml" in output
