"""`invoke check` as the docs tell a writer and the pull request to run it: with the settings the site is
published with, so it neither refuses what the publish accepts nor passes what the publish refuses.

writing.md: step 4 of writing a post is `invoke check`; "`invoke check` runs on the pull request as for every
change"; operating.md: protect main with "the `invoke check` status". syndication.md: `Syndicate-Text-<channel>:`
replaces the text "on one" channel (a channel of SYNDICATION_CHANNELS).
writing.md, What the checks enforce: no link from a public post to a post that is not public, "under any of the
newsroom's addresses (the public SITEURL and each edition's in NEWSROOM_EDITIONS ...)".
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from newsroom.site.build import load_settings

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = load_settings(ROOT / "publishconf.py")


def clone(tmp_path: Path) -> Path:
    """A fresh clone of the project, as CI checks it out (full history: the register checks read it)."""
    repo = tmp_path / "newsroom"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    return repo


def pull_request_content_check() -> list[str]:
    """The command the pull-request workflow's "Content checks" step runs."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if step.get("name") == "Content checks":
                words = shlex.split(step["run"])
                assert words[0] == "python", words
                return [sys.executable, *words[1:]]
    raise AssertionError("no 'Content checks' step in pull-request.yml")


def run(repo: Path, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=repo, capture_output=True, text=True)


def write_post(repo: Path, name: str, extra_header: str, body: str) -> None:
    (repo / "content/posts/2026" / f"{name}.md").write_text(
        f"Title: Probe post {name}\nId: probe-{name}\nDate: 2026-11-02 10:00 America/New_York\nAudience: media\n"
        f"Category: News\nSummary: A probe post.\n{extra_header}\n{body}\n",
        encoding="utf-8",
    )


def test_a_text_for_a_production_channel_passes_the_writers_and_the_pull_requests_check(tmp_path):
    """A per-channel text for a channel the publish really has was refused by `invoke check`, `invoke build`
    (and so `invoke livereload`) and the pull request's check, which read local settings without the channels:
    "names no channel of SYNDICATION_CHANNELS: 'outbox' (expected one of: none)"."""
    channel = PUBLISH["SYNDICATION_CHANNELS"][0]["name"]  # "outbox" in the sample newsroom
    repo = clone(tmp_path)
    write_post(repo, "channel-text", f"Syndicate-Text-{channel}: Our own words for {channel}.\n", "Body.")
    # The production settings accept it: the text is used by the publish.
    production = run(repo, [sys.executable, "-m", "invoke", "check", "--settings", "publishconf.py"])
    assert production.returncode == 0, production.stderr
    for command in (
        pull_request_content_check(),
        [sys.executable, "-m", "invoke", "check"],
        [sys.executable, "-m", "invoke", "build"],
    ):
        done = run(repo, command)
        assert done.returncode == 0, f"{' '.join(command[1:])} refused a valid Syndicate-Text-{channel}:\n{done.stderr}"


def test_the_pull_requests_check_refuses_a_link_to_an_internal_post_at_the_public_address(tmp_path):
    """A public post linking to an internal one at the public address is refused by the publish's check; the pull
    request's `invoke check` read the local settings (SITEURL "") and passed it."""
    repo = clone(tmp_path)
    internal = f"{PUBLISH['SITEURL']}/policy-notices/2025/new-travel-and-expenses-policy-takes-effect-november-1/"
    write_post(repo, "link", "", f"See [the new travel policy]({internal}).")
    production = run(repo, [sys.executable, "-m", "invoke", "check", "--settings", "publishconf.py"])
    assert production.returncode == 1 and "2025-10-06-travel-expenses-policy.md" in production.stderr
    done = run(repo, pull_request_content_check())
    assert done.returncode != 0, f"the pull request's check passed it:\n{done.stdout}{done.stderr}"
    assert "2025-10-06-travel-expenses-policy.md" in done.stderr
