"""Finding the browser the browser tests drive, and installing only what is missing, on a Debian machine as root
and on GitHub's hosted runners (a non-root user with sudo, Chrome preinstalled outside the package manager).
Fake executables in tmp_path stand for the machine's programs: only their names and exit codes matter here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from tests.browser.find_chromium import ChromiumNotFound, find_chromium

INSTALL_PACKAGES = ROOT / "tests/tools/install_debian_packages.sh"


def program(folder: Path, name: str, script: str = "exit 0") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


# The detection order: Debian's name, Ubuntu's, then Google Chrome's two (GitHub's runners have those).
ORDER = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.mark.parametrize("installed", [ORDER[i:] for i in range(len(ORDER))])
def test_the_first_usual_name_on_path_wins(tmp_path, installed):
    for name in installed:
        program(tmp_path / "bin", name)
    assert find_chromium({"PATH": str(tmp_path / "bin")}) == tmp_path / "bin" / installed[0]


def test_path_order_decides_between_folders_only_for_the_same_name(tmp_path):
    program(tmp_path / "first", "google-chrome")
    program(tmp_path / "second", "chromium")
    program(tmp_path / "third", "chromium")
    environ = {"PATH": os.pathsep.join(str(tmp_path / f) for f in ("first", "second", "third"))}
    assert find_chromium(environ) == tmp_path / "second" / "chromium"  # the name order first, then PATH's


def test_newsroom_chromium_comes_before_path_as_a_path_or_a_name(tmp_path):
    program(tmp_path / "bin", "chromium")
    chrome = program(tmp_path / "opt", "chrome")
    environ = {"PATH": str(tmp_path / "bin")}
    assert find_chromium({**environ, "NEWSROOM_CHROMIUM": str(chrome)}) == chrome
    assert find_chromium({**environ, "NEWSROOM_CHROMIUM": "chromium"}) == tmp_path / "bin" / "chromium"


def test_a_named_browser_that_is_not_there_is_refused_not_replaced(tmp_path):
    program(tmp_path / "bin", "chromium")
    not_executable = tmp_path / "chrome"
    not_executable.write_text("", encoding="utf-8")
    for named in (str(tmp_path / "absent"), str(not_executable)):
        with pytest.raises(ChromiumNotFound, match=f"NEWSROOM_CHROMIUM='{named}' is not an executable"):
            find_chromium({"PATH": str(tmp_path / "bin"), "NEWSROOM_CHROMIUM": named})


def test_no_browser_at_all_says_what_was_looked_for_and_the_remedy(tmp_path):
    (tmp_path / "bin").mkdir()
    program(tmp_path / "bin", "firefox")
    with pytest.raises(ChromiumNotFound) as error:
        find_chromium({"PATH": str(tmp_path / "bin")})
    assert str(error.value) == (
        "no Chromium on PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable): run "
        "`bash tests/browser/install.sh` (Debian's chromium), install Chromium or Google Chrome another way, or set "
        "NEWSROOM_CHROMIUM to its path"
    )


# --- install_debian_packages.sh: only what is missing; root installs, CI uses sudo, a developer is told ----------


def machine(tmp_path: Path, uid: int, sudo_without_password: bool = True) -> dict:
    """A PATH where `rsync` is installed and nothing else, `id -u` says `uid`, and apt-get and sudo record calls."""
    bin_ = tmp_path / "bin"
    calls = tmp_path / "calls"
    program(bin_, "dpkg-query", 'case "$*" in *" rsync") echo "install ok installed";; *) exit 1;; esac')
    program(bin_, "id", f"echo {uid}")
    program(bin_, "apt-get", f'echo "apt-get $*" >> {calls}')
    program(
        bin_,
        "sudo",
        f'[ "$1" = -n ] && [ "$2" = true ] && exit {0 if sudo_without_password else 1}\n'
        f'echo "sudo $1" >> {calls}; "$@"',
    )
    for tool in ("env", "grep"):  # what the script runs besides the fakes
        (bin_ / tool).symlink_to(shutil.which(tool))
    return {"PATH": str(bin_), "HOME": str(tmp_path)}


def install(environ: dict, *packages: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/bash", str(INSTALL_PACKAGES), *packages], env=environ, capture_output=True, text=True)


def calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_nothing_missing_installs_nothing_whoever_runs_it(tmp_path):
    done = install(machine(tmp_path, uid=1001), "rsync")
    assert (done.returncode, done.stdout, done.stderr, calls(tmp_path)) == (0, "", "", [])


def test_root_installs_only_what_is_missing(tmp_path):
    done = install(machine(tmp_path, uid=0), "rsync", "chromium")
    assert done.returncode == 0, done.stderr
    assert calls(tmp_path) == ["apt-get update -qq", "apt-get install -y -qq --no-install-recommends chromium"]


def test_a_ci_runner_without_root_installs_with_sudo(tmp_path):
    done = install({**machine(tmp_path, uid=1001), "CI": "true"}, "rsync", "chromium")
    assert done.returncode == 0, done.stderr
    assert calls(tmp_path) == [
        "sudo env",
        "apt-get update -qq",
        "sudo env",
        "apt-get install -y -qq --no-install-recommends chromium",
    ]


@pytest.mark.parametrize("ci, sudo_without_password", [("", True), ("true", False)])
def test_a_developer_without_root_is_told_the_sudo_command_and_nothing_runs(tmp_path, ci, sudo_without_password):
    done = install(
        {**machine(tmp_path, 1001, sudo_without_password), "CI": ci}, "rsync", "chromium", "fonts-dejavu-core"
    )
    assert done.returncode == 1
    assert done.stderr == (
        "install_debian_packages: missing: chromium fonts-dejavu-core; install them with: "
        "sudo apt-get install -y chromium fonts-dejavu-core\n"
    )
    assert calls(tmp_path) == []
