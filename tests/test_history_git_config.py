"""The revision history is read from `git log`, whose output a person's own git configuration changes
(~/.gitconfig, which every git the build starts reads). A local build or a publish from a person's checkout
(docs/operating.md: `git pull --ff-only && invoke publish`) must give the same history as CI's, or say why not."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from test_history import PAGE, RESULTS, git

from conftest import text_of


def edited_after_publication(site, config: str = os.devnull) -> None:
    git(site.root, "init", "-q")
    site.post("results", "The dividend is $0.42.", **RESULTS)
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "Publish the Q3 results", when="2026-10-29T15:58:00-04:00")
    site.post("results", "The dividend is $0.42, payable in December.", **RESULTS)
    git(site.root, "add", "content")
    git(
        site.root, "commit", "-q", "-S", "-m", "Give the payment month", when="2026-11-04T08:00:00+00:00", config=config
    )


def test_diff_relative_in_a_persons_git_config_does_not_silently_empty_every_history(site, monkeypatch, tmp_path):
    """`diff.relative = true` (a setting people keep to see paths relative to where they stand) makes `git log`,
    run in content/, print paths without the `content/` prefix the parser cuts: every change is taken for a change
    outside content/, every post loses its history, and "Updated" and the feeds' `updated` go back to the Date."""
    edited_after_publication(site, _signing_config(tmp_path))
    expected = _history(site.build())
    assert expected and "Give the payment month" in expected[0]  # with git's defaults

    config = tmp_path / "gitconfig"
    config.write_text("[diff]\n\trelative = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert _history(site.build()) == expected


def test_log_show_signature_in_a_persons_git_config_does_not_stop_the_build(site, monkeypatch, tmp_path):
    """`log.showSignature = true`, as guides to signing commits recommend, makes `git log` print the verification
    of each signed commit ("Good signature…", or "No signature") before its fields: the build stops with "is not a
    commit's id and time … run `git fsck` and repair the repository", a fix that does nothing."""
    signing = _signing_config(tmp_path)
    edited_after_publication(site, signing)
    expected = _history(site.build())
    config = tmp_path / "gitconfig-show"
    config.write_text(Path(signing).read_text() + "[log]\n\tshowSignature = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert _history(site.build()) == expected


def _signing_config(tmp_path) -> str:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, capture_output=True)
    config = tmp_path / "gitconfig-signing"
    config.write_text(f"[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = {key}\n")
    return str(config)


def _history(out) -> list[str]:
    html = text_of(out, PAGE)
    found = re.search(r'<section class="history" id="history".*?</section>', html, re.S)
    return [re.sub(r"<[^>]+>", "", e) for e in re.findall(r"<li>(.*?)</li>", found.group(0), re.S)] if found else []
