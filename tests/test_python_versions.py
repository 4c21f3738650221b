"""Python 3.11 to 3.13: `.ci/python` picks the interpreter for the quick start and for CI, refuses any other in one
line, and pyproject, the script and the workflow's test matrix name the same range."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CHOOSER = ROOT / ".ci/python"


def pretend_python(folder: Path, name: str, version: tuple[int, int, int]) -> Path:
    """A `name` on PATH that answers as Python `version` would: this Python, with its version_info replaced."""
    fake = folder / name
    stand_in = f"import sys; sys.version_info = {(*version, 'final', 0)!r}; exec(sys.argv[1])"
    fake.write_text(f'#!/bin/sh\n[ "$1" = -c ] && exec {sys.executable} -c "{stand_in}" "$2"\nexit 2\n')
    fake.chmod(0o755)
    return fake


def choose(path: Path) -> subprocess.CompletedProcess:
    """Run the chooser with nothing on PATH but `path` (so the machine's own pythons stay out of it)."""
    return subprocess.run(["/bin/sh", str(CHOOSER)], env={"PATH": str(path)}, capture_output=True, text=True)


@pytest.mark.parametrize("version", [(3, 11, 7), (3, 12, 1), (3, 13, 0)])
def test_python3_is_chosen_when_it_is_a_supported_version(tmp_path, version):
    python3 = pretend_python(tmp_path, "python3", version)
    pretend_python(tmp_path, "python3.11", (3, 11, 7))
    result = choose(tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{python3}\n", "")


@pytest.mark.parametrize("version", [(3, 9, 18), (3, 10, 13), (3, 14, 0)])
def test_an_unsupported_python3_gives_way_to_a_python3_1x_on_path(tmp_path, version):
    pretend_python(tmp_path, "python3", version)
    python311 = pretend_python(tmp_path, "python3.11", (3, 11, 7))
    result = choose(tmp_path)
    assert (result.returncode, result.stdout) == (0, f"{python311}\n")


@pytest.mark.parametrize(
    "present, found",
    [({"python3": (3, 9, 18)}, "python3 is Python 3.9"), ({}, "there is no python3")],
)
def test_without_a_supported_python_it_stops_with_one_line_saying_what_to_install(tmp_path, present, found):
    for name, version in present.items():
        pretend_python(tmp_path, name, version)
    result = choose(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"The newsroom needs Python 3.11, 3.12 or 3.13 and {found},")
    assert "apt-get install python3 python3-venv" in result.stderr


def test_the_quick_start_stops_before_making_a_venv_when_no_python_fits(tmp_path):
    pretend_python(tmp_path, "python3", (3, 10, 13))
    command = 'python=$(/bin/sh .ci/python) && "$python" -m venv "$VENV"'
    result = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=ROOT,
        env={"PATH": str(tmp_path), "VENV": str(tmp_path / "venv")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and not (tmp_path / "venv").exists()


def test_pyproject_the_chooser_and_the_ci_matrix_name_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in CHOOSER.read_text()
    tests = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())["jobs"]["tests"]
    assert tests["strategy"]["matrix"]["python"] == ["3.11", "3.13"]  # the oldest and the newest
    assert re.search(r"python=\$\(sh \.ci/python\) && \"\$python\" -m venv \.venv", (ROOT / ".ci/run").read_text())
