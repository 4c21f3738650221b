"""`invoke publish` end to end, as CI runs it: every run starts from a fresh clone of a git "origin", publishes
the sample newsroom to a real S3-compatible server (moto) on loopback, pings a local WebSub hub, syndicates to
an outbox and a local Mastodon, and commits its state back to origin.

The embargo test freezes the clock around a 16:05 New York release across several scheduled runs. The crash
tests SIGKILL a publish while each step is in flight (a server holds its answer), start again from a fresh
clone, and show that nothing was posted twice and nothing was lost.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from servers.mastodon import Fault, MastodonServer
from servers.s3 import CREDENTIALS, S3Server
from servers.websub_hub import WebSubHub

import newsroom.publishing.pipeline as pipeline
from conftest import ROOT
from newsroom.publishing import publish
from newsroom.site.build import build, load_settings
from newsroom.syndication import command
from newsroom.syndication.ledger import Ledger

TOKEN = "s3cret-mastodon-token"
ENV = {
    "MASTODON_TOKEN": TOKEN,
    "NEWSROOM_S3_KEY_ID": CREDENTIALS["aws_access_key_id"],
    "NEWSROOM_S3_SECRET": CREDENTIALS["aws_secret_access_key"],
    "AWS_EC2_METADATA_DISABLED": "true",
}
GIT = ["git", "-c", "user.name=Comms", "-c", "user.email=comms@example.com"]
EMBARGOED = "2026-12-03-halvorsen-hydro-acquisition"  # the sample's release for 16:05 New York time
EMBARGOED_PAGE = (
    "press-releases/2026/larkspur-energy-to-acquire-halvorsen-hydro-adding-410-megawatts-of-hydropower/index.html"
)

SETTINGS = """\
import sys
sys.path.insert(0, {root!r})
from publishconf import *

PATH = "content"
OUTPUT_PATH = "output"
CACHE_PATH = "cache"
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
NEWSROOM_NOW = {now!r}
NEWSROOM_EDITIONS = {{}}
NEWSROOM_FEEDS = {{**NEWSROOM_FEEDS, "hub": {hub!r}}}
SYNDICATION_LEDGER = "syndication/ledger.jsonl"
SYNDICATION_BACKOFF = 0
SYNDICATION_CHANNELS = [
    {{"name": "outbox", "type": "outbox", "audiences": ["investors", "media", "regulators", "communities"],
      "folder": {outbox!r}}},
    {{"name": "mastodon", "type": "mastodon", "audiences": ["investors", "media", "communities"],
      "base_url": {mastodon!r}, "credentials": {{"token": "MASTODON_TOKEN"}}}},
]
NEWSROOM_PUBLISH = {{
    "target": {{"type": "s3", "bucket": "newsroom", "endpoint_url": {s3!r},
                "credentials": {{"access_key_id": "NEWSROOM_S3_KEY_ID", "secret_access_key": "NEWSROOM_S3_SECRET"}}}},
    "state": {{"store": "git", "branch": "main"}},
}}
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


class Newsroom:
    """A newsroom repository on "origin" and the loopback servers it publishes to."""

    def __init__(self, root: Path, s3: S3Server, hub: WebSubHub, mastodon: MastodonServer, now: str):
        self.root, self.s3, self.hub, self.mastodon = root, s3, hub, mastodon
        self.outbox = root / "outbox"
        self.origin = root / "origin.git"
        self.runs = 0
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.origin))
        seed = self.checkout()
        shutil.copytree(ROOT / "content", seed / "content")
        (seed / "site.py").write_text(
            SETTINGS.format(
                root=str(ROOT),
                theme=str(ROOT / "theme"),
                plugins=str(ROOT / "plugins"),
                now=now,
                hub=hub.url,
                outbox=str(self.outbox),
                mastodon=mastodon.url,
                s3=s3.url,
            )
        )
        # The archive up to now was announced before this newsroom used `invoke publish`: bootstrap it.
        settings = self.settings(seed)
        build(settings)
        assert command.syndicate(settings, bootstrap=True, out=lambda line: None) == 0
        (seed / ".gitignore").write_text("/output/\n/cache/\n/syndication/*.lock\n")
        git(seed, "add", ".")
        git(seed, "commit", "--quiet", "-m", "Sample newsroom")
        git(seed, "push", "--quiet", "origin", "HEAD:main")
        s3.client().create_bucket(Bucket="newsroom")
        s3.puts.clear()

    def checkout(self) -> Path:
        """A fresh clone of origin, as every CI run gets."""
        self.runs += 1
        where = self.root / f"run-{self.runs}"
        git(self.root, "clone", "--quiet", str(self.origin), str(where))
        return where

    def settings(self, checkout: Path, edition: str = "public", **overrides) -> dict:
        return load_settings(checkout / "site.py", overrides, edition)

    def merge(self, name: str, text: str) -> None:
        """A comms person's pull request, merged: a post lands on main."""
        work = self.checkout()
        path = work / "content/posts/2026" / f"{name}.md"
        path.write_text(text)
        git(work, "add", ".")
        git(work, "commit", "--quiet", "-m", f"Merge post {name}")
        git(work, "push", "--quiet", "origin", "HEAD:main")

    def withdraw(self, name: str) -> None:
        """A later commit withdraws a post (a legal take-down: deleted from content/)."""
        work = self.checkout()
        git(work, "rm", "--quiet", f"content/posts/2026/{name}.md")
        git(work, "commit", "--quiet", "-m", f"Withdraw {name}")
        git(work, "push", "--quiet", "origin", "HEAD:main")

    def publish_to_pages(self) -> None:
        """A commit makes GitHub Pages the target (the default), which the workflow's own actions make live."""
        work = self.checkout()
        with (work / "site.py").open("a") as settings:
            settings.write(
                'NEWSROOM_PUBLISH = {"target": {"type": "github-pages", "folder": "_site"}, '
                '"state": {"store": "git", "branch": "main"}}\n'
            )
        git(work, "commit", "--quiet", "-am", "Publish to GitHub Pages")
        git(work, "push", "--quiet", "origin", "HEAD:main")

    def publish_in(self, checkout: Path, tip_checked: bool = True, overrides: dict | None = None, **steps):
        """One run in a given checkout (a workflow job's, or a server's that was not pulled); without
        `tip_checked`, as from a folder without git (NEWSROOM_PUBLISH['source'] = None); `overrides`: settings."""

        def load(edition: str) -> dict:
            settings = self.settings(checkout, edition, **(overrides or {}))
            if not tip_checked:
                settings["NEWSROOM_PUBLISH"] = {**settings["NEWSROOM_PUBLISH"], "source": None}
            return settings

        lines: list[str] = []
        return publish(load, environ=ENV, out=lines.append, **steps), lines

    def publish_here(self, now: str | None = None, if_due: bool = False, **settings):
        """One scheduled run in this process, from a fresh clone (`settings` override the newsroom's)."""
        checkout = self.checkout()
        overrides = {**settings, **({"NEWSROOM_NOW": now} if now else {})}
        lines: list[str] = []
        report = publish(
            lambda edition: self.settings(checkout, edition, **overrides), if_due=if_due, environ=ENV, out=lines.append
        )
        return report, lines

    def invoke_publish(self, *args: str) -> subprocess.CompletedProcess:
        """`invoke publish` as the scheduled workflow runs it, from a fresh clone."""
        checkout = self.checkout()
        command = [sys.executable, "-m", "invoke", "publish", "--settings", str(checkout / "site.py"), *args]
        return subprocess.run(command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True)

    def start(self) -> subprocess.Popen:
        """`invoke publish` in a new process group (so a kill takes its git, rsync… children too)."""
        checkout = self.checkout()
        return subprocess.Popen(
            [sys.executable, "-m", "invoke", "publish", "--settings", str(checkout / "site.py")],
            cwd=ROOT,
            env={**os.environ, **ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def ledger(self) -> Ledger:
        work = self.checkout()
        return Ledger.open(work / "syndication/ledger.jsonl")

    def bucket(self) -> dict[str, bytes]:
        return self.s3.objects("newsroom")

    def statuses_for(self, marker: str) -> list[dict]:
        return [status for status in self.mastodon.statuses if marker in self.mastodon.text_of(status)]

    def outbox_files_for(self, post_id: str) -> list[Path]:
        return sorted(self.outbox.glob(f"*--{post_id.replace('/', '--')}--*.txt"))

    def commits(self) -> list[str]:
        return git(self.origin, "log", "--format=%s", "main").splitlines()


@pytest.fixture
def servers():
    with S3Server() as s3, WebSubHub() as hub, MastodonServer(token=TOKEN) as mastodon:
        yield s3, hub, mastodon


def test_embargo_lifts_at_1605_new_york_and_is_deployed_and_syndicated_exactly_once_across_scheduled_runs(
    servers, tmp_path
):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-12-03 20:55 UTC")

    before, lines = room.publish_here("2026-12-03 21:04 UTC")  # 16:04 in New York
    assert before.ok, "\n".join(lines)
    bucket = room.bucket()
    assert bucket and not [
        key for key, data in bucket.items() if EMBARGOED.encode() in data or b"Halvorsen Hydro" in data
    ]
    assert room.statuses_for("Halvorsen") == [] and room.outbox_files_for(EMBARGOED) == []

    pinged_before, puts_before = len(hub.pinged), len(s3.puts)
    lifted, lines = room.publish_here("2026-12-03 21:05 UTC", if_due=True)  # 16:05 in New York: the embargo lifts
    assert lifted.ok, "\n".join(lines)
    # The English and French versions of the release lift together (the French file sorts first).
    lifted_line = f"[due] due: the embargo on content/posts/2026/{EMBARGOED}-fr.md lifted at 2026-12-03 21:05 UTC"
    assert f"{lifted_line} (and 1 more)" in lines
    assert lifted.outputs["due"] == "true"
    bucket = room.bucket()
    assert EMBARGOED_PAGE in bucket
    for key in (
        "index.html",
        "feeds/all.rss.xml",
        "feeds/investors.atom.xml",
        "feeds/media.json",
        "investors/index.html",
    ):
        assert b"Halvorsen Hydro" in bucket[key], key
    assert len(room.statuses_for("Halvorsen")) == 1 and len(room.outbox_files_for(EMBARGOED)) == 1
    assert "https://newsroom.larkspur-energy.example/feeds/all.rss.xml" in hub.pinged[pinged_before:]
    # The French version lifted with it: its language's feeds are announced in the same run.
    for feed in ("feeds/fr/all.rss.xml", "feeds/fr/investors.atom.xml", "feeds/fr/investors/press-releases.json"):
        assert f"https://newsroom.larkspur-energy.example/{feed}" in hub.pinged[pinged_before:], feed
    assert len(s3.puts) > puts_before
    assert room.ledger().get(EMBARGOED, "mastodon").state == "done"

    # The next run's build shows where the post was syndicated ("Also on": u-syndication links from the ledger),
    # so that one page (and its search entry) is deployed once more; nothing else changes, nothing is posted.
    pinged, puts = len(hub.pinged), len(s3.puts)
    report, lines = room.publish_here("2026-12-03 21:10 UTC")
    assert report.ok, "\n".join(lines)
    assert {key for key in s3.puts[puts:] if not key.startswith("pagefind/")} == {EMBARGOED_PAGE}
    assert b"u-syndication" in room.bucket()[EMBARGOED_PAGE] and hub.pinged[pinged:] == []

    commits = room.commits()
    for now in ("2026-12-03 21:15 UTC", "2026-12-03 21:20 UTC"):  # later scheduled runs: nothing new at all
        pinged, puts = len(hub.pinged), len(s3.puts)
        later, lines = room.publish_here(now)
        assert later.ok, "\n".join(lines)
        assert s3.puts[puts:] == [] and hub.pinged[pinged:] == []  # deployed nothing, pinged nothing
        assert any("s3://newsroom/: 0 uploaded, 0 deleted" in line for line in lines), lines
    # With --if-due, as the schedule runs it, such a run stops before building, in one line.
    idle, lines = room.publish_here("2026-12-03 21:25 UTC", if_due=True)
    assert idle.ok and idle.outputs == {"due": "false"} and [step.step for step in idle.steps][-1] == "due"
    assert lines[-1].startswith("[due] nothing due: no commit since the last publish (") and lines[-1].endswith(
        # 21:10: the last run that was due (its ledger had the post's syndication, to show as "Also on")
        "2026-12-03 21:10 UTC), no embargo lifted since, the same ledger"
    ), lines
    assert len(room.statuses_for("Halvorsen")) == 1 and len(room.outbox_files_for(EMBARGOED)) == 1
    assert room.commits() == commits  # and committed nothing


def test_the_claim_is_committed_before_the_first_post_and_the_result_after(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    subjects = room.commits()
    assert subjects[0] == "Newsroom publish state after deploy, register, websub, syndicate [skip ci]"
    assert subjects[1] == "Newsroom ledger: claim 2 send(s) of 1 post(s) before syndicating [skip ci]"
    claimed = git(room.origin, "show", "main~1:syndication/ledger.jsonl")
    records = [json.loads(line) for line in claimed.splitlines()[1:]]
    assert {(r["channel"], r["state"]) for r in records if r["post"] == "2026-11-20-new-turbines"} == {
        ("mastodon", "pending"),
        ("outbox", "pending"),
    }
    assert len(room.statuses_for("New turbines")) == 1


def news_post(post_id: str, title: str, summary: str) -> str:
    """A post for the media and communities, dated by its id, whose text is its summary."""
    return (
        f"Title: {title}\nId: {post_id}\nDate: {post_id[:10]} 10:00 America/New_York\nAudience: media, communities\n"
        f"Category: News\nSummary: {summary}\n\n{summary}\n"
    )


NEW_POST = news_post(
    "2026-11-20-new-turbines", "New turbines at Kessler Ridge", "Twelve new turbines now feed the grid."
)
OTHER_POST = news_post(
    "2026-11-21-greywater-solar", "Solar farm at Greywater Flats", "A new solar farm opens at Greywater Flats."
)


def hold_pushes(origin: Path, subject: str, signals: Path) -> None:
    """A pre-receive hook that holds any push whose commit subject contains `subject` until released."""
    hook = origin / "hooks/pre-receive"
    hook.write_text(
        "#!/bin/sh\n"
        "while read old new ref; do\n"
        f'  case "$(git log -1 --format=%s "$new")" in *"{subject}"*)\n'
        f'    touch "{signals}/received"\n'
        f'    while [ ! -f "{signals}/release" ]; do sleep 0.05; done;;\n'
        "  esac\n"
        "done\n"
    )
    hook.chmod(0o755)


def wait_for(condition, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"publish ended before the moment to kill it:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            raise AssertionError("the publish never reached the moment to kill it")
        time.sleep(0.02)


@pytest.mark.parametrize("step", ["deploy", "websub", "syndicate", "claim", "persist"])
def test_killed_at_each_step_the_next_run_posts_nothing_twice_and_loses_nothing(servers, tmp_path, step):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    signals = tmp_path / "signals"
    signals.mkdir()
    if step == "deploy":
        s3.hold_keys.add("theme/css/newsroom.css")  # among the first uploads: most of the site is not there yet
        reached = s3.received.is_set
    elif step == "websub":
        hub.hold = True
        reached = hub.received.is_set
    elif step == "syndicate":
        mastodon.faults.append(Fault(action="hold"))  # Mastodon creates the status, then never answers
        reached = mastodon.received.is_set
    else:
        hold_pushes(room.origin, "claim" if step == "claim" else "publish state after", signals)
        reached = (signals / "received").exists

    process = room.start()
    wait_for(reached, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    killed = process.stdout.read()
    assert "[verify] " in killed and "[build] public edition" in killed  # line-buffered: nothing lost in a kill
    s3.hold_keys.clear()
    s3.release.set()
    hub.hold = False
    hub.release.set()
    mastodon.release.set()
    (signals / "release").touch()
    (room.origin / "hooks/pre-receive").unlink(missing_ok=True)

    rerun = room.start()
    output, _ = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, output

    assert len(room.statuses_for("New turbines")) == 1, output  # never twice…
    assert len(room.outbox_files_for("2026-11-20-new-turbines")) == 1
    ledger = room.ledger()
    assert {ledger.get("2026-11-20-new-turbines", c).state for c in ("outbox", "mastodon")} == {"done"}  # …never lost
    bucket = room.bucket()
    assert "news/2026/new-turbines-at-kessler-ridge/index.html" in bucket and b"New turbines" in bucket["index.html"]
    assert "https://newsroom.larkspur-energy.example/feeds/all.rss.xml" in hub.pinged
    assert "[persist] committed" in output


def test_a_secret_a_target_echoes_in_its_error_is_never_shown(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    secret = ENV["NEWSROOM_S3_SECRET"]  # an S3-compatible gateway that echoes the credentials it was given
    s3.fault = lambda method, key: (403, "SignatureDoesNotMatch", f"no match for {secret}") if method == "GET" else None
    report, lines = room.publish_here()
    assert not report.ok and [step.step for step in report.failed] == ["deploy"]
    said = "[deploy] FAILED: public edition: s3://newsroom/: SignatureDoesNotMatch: no match for [redacted] (check"
    assert any(line.startswith(said) for line in lines), "\n".join(lines)
    assert not [line for line in lines if secret in line]


def test_ambient_aws_credentials_a_target_echoes_are_never_shown(servers, tmp_path, monkeypatch):
    # No credentials in the settings: boto3 finds AWS_* in the environment by itself (as on a CI runner given a
    # role). They are secrets all the same, and a gateway's error that echoes them shows neither.
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    ambient = {
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }
    for name, value in ambient.items():
        monkeypatch.setenv(name, value)  # where boto3 reads them
    environ = {**{k: v for k, v in ENV.items() if not k.startswith("NEWSROOM_S3_")}, **ambient}
    key_id, secret = ambient.values()
    s3.fault = lambda method, key: (
        (403, "SignatureDoesNotMatch", f"{key_id} signed {secret}") if method == "GET" else None
    )
    checkout = room.checkout()

    def load(edition: str) -> dict:
        settings = room.settings(checkout, edition)
        target = {k: v for k, v in settings["NEWSROOM_PUBLISH"]["target"].items() if k != "credentials"}
        settings["NEWSROOM_PUBLISH"] = {**settings["NEWSROOM_PUBLISH"], "target": target}
        return settings

    lines: list[str] = []
    report = publish(load, environ=environ, out=lines.append)
    assert not report.ok and [step.step for step in report.failed] == ["deploy"]
    said = "[deploy] FAILED: public edition: s3://newsroom/: SignatureDoesNotMatch: [redacted] signed [redacted]"
    assert any(line.startswith(said) for line in lines), "\n".join(lines)
    assert not [line for line in lines if secret in line or key_id in line]


def refuse_pushes(origin: Path, subject: str) -> Path:
    """A pre-receive hook that refuses any push whose commit subject contains `subject` (branch protection)."""
    hook = origin / "hooks/pre-receive"
    hook.write_text(
        "#!/bin/sh\nwhile read old new ref; do\n"
        f'  case "$(git log -1 --format=%s "$new")" in *"{subject}"*)\n'
        "    echo 'protected branch: pushes need a pull request' >&2; exit 1;;\n  esac\ndone\n"
    )
    hook.chmod(0o755)
    return hook


def test_a_claim_that_cannot_be_pushed_sends_nothing_says_why_and_the_next_run_posts_once(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    hook = refuse_pushes(room.origin, "claim")
    report, lines = room.publish_here()
    assert not report.ok and [step.step for step in report.failed] == ["syndicate"], "\n".join(lines)
    refused = [line for line in lines if line.startswith("[syndicate] FAILED: syndicate: the ledger could not be")]
    assert len(refused) == 1 and "saved before posting, so nothing was posted" in refused[0], "\n".join(lines)
    assert "pre-receive hook declined" in refused[0]  # the reason, as git gave it
    assert room.statuses_for("New turbines") == [] and room.outbox_files_for("2026-11-20-new-turbines") == []

    hook.unlink()
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    assert len(room.statuses_for("New turbines")) == 1 and len(room.outbox_files_for("2026-11-20-new-turbines")) == 1


def test_a_publish_whose_results_cannot_be_pushed_fails_and_the_next_run_loses_nothing(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    hook = refuse_pushes(room.origin, "publish state after")  # the claim is pushed; the results are refused
    report, lines = room.publish_here()
    assert not report.ok, "\n".join(lines)
    assert any(line.startswith("[persist] FAILED: the publish state could not be saved: ") for line in lines), lines
    assert len(room.statuses_for("New turbines")) == 1

    hook.unlink()
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    assert len(room.statuses_for("New turbines")) == 1 and len(room.outbox_files_for("2026-11-20-new-turbines")) == 1
    ledger = room.ledger()
    assert {ledger.get("2026-11-20-new-turbines", c).state for c in ("outbox", "mastodon")} == {"done"}


def test_a_failing_step_stops_every_later_step_and_the_fixed_rerun_publishes_once(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge(
        "2026-11-20-new-turbines",
        NEW_POST + "See [the old page](/no-such-page/).\n",
    )

    process = room.start()
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 1
    assert (
        "[verify] FAILED:   LINK   news/2026/new-turbines-at-kessler-ridge/index.html: links to /no-such-page/"
        in output
    )
    assert "[verify] stopped here; not run: deploy, register, websub, syndicate." in output
    assert "publish failed at verify" in output
    assert s3.puts == [] and hub.pinged == [] and mastodon.requests == []
    assert room.commits() == ["Merge post 2026-11-20-new-turbines", "Sample newsroom"]

    room.merge("2026-11-20-new-turbines", NEW_POST)
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    again, lines = room.publish_here()
    assert again.ok, "\n".join(lines)
    assert len(room.statuses_for("New turbines")) == 1


def test_a_target_made_live_by_a_workflow_is_published_in_two_runs_around_it(servers, tmp_path):
    """GitHub Pages goes live through the workflow's own actions: the pipeline learns that from the target's
    `made_live_by`, refuses a one-run publish, prepares the site with `--until deploy` and announces it only
    with `--after deploy`, in the same checkout, as the workflow runs them."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.publish_to_pages()
    room.merge("2026-11-20-new-turbines", NEW_POST)
    checkout = room.checkout()
    run = partial(room.publish_in, checkout)

    report, lines = run()
    assert [step.step for step in report.steps] == ["setup"] and not report.ok
    assert lines[0] == (
        "[setup] FAILED: the github-pages target is made live by the workflow's upload-pages-artifact and "
        "deploy-pages actions, so a publish is two runs: `invoke publish --until deploy` (build, verify, prepare "
        "the site), then the workflow's upload-pages-artifact and deploy-pages actions, then `invoke publish "
        "--after deploy` (see docs/operating.md, 'Deploy targets')"
    )

    report, lines = run(until="deploy")
    assert report.ok, "\n".join(lines)
    assert b"New turbines" in (checkout / "_site/index.html").read_bytes()
    assert room.statuses_for("New turbines") == []  # nothing is announced before the workflow made it live

    report, lines = run(after="deploy")
    assert report.ok, "\n".join(lines)
    assert any(
        line.startswith("[deployed] public edition: made live on github-pages by the workflow's upload-pages")
        for line in lines
    ), lines
    assert len(room.statuses_for("New turbines")) == 1


def test_a_re_run_of_an_old_announce_job_announces_nothing_withdrawn_since(servers, tmp_path):
    """Run 1's build job prepares the site at X; deploy-pages fails, so its announce job is skipped. A later
    commit withdraws the post and run 2 publishes that. "Re-run failed jobs" on run 1 then runs its announce job
    in X's checkout with X's build: the commit the build was made from is no longer the tip."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.publish_to_pages()
    room.merge("2026-11-20-new-turbines", NEW_POST)
    run_1 = room.checkout()
    report, lines = room.publish_in(run_1, until="deploy")
    assert report.ok, "\n".join(lines)
    built = git(run_1, "rev-parse", "HEAD")
    room.withdraw("2026-11-20-new-turbines")
    run_2 = room.checkout()
    for steps in ({"until": "deploy"}, {"after": "deploy"}):
        report, lines = room.publish_in(run_2, **steps)
        assert report.ok, "\n".join(lines)

    report, lines = room.publish_in(run_1, after="deploy")
    assert [(step.step, step.ok) for step in report.steps] == [("setup", False)], "\n".join(lines)
    assert lines == [
        f"[setup] FAILED: the commit this build was made from ({built[:10]}) is not the tip of origin/main "
        f"({git(room.origin, 'rev-parse', 'main')[:10]}): publishing it could bring back what later commits "
        "corrected or withdrew, or lift a postponed embargo early. Nothing was announced; publish from a fresh "
        "checkout of origin/main."
    ]
    assert room.statuses_for("New turbines") == [] and room.outbox_files_for("2026-11-20-new-turbines") == []


def test_a_publish_that_built_while_a_newer_one_went_live_deploys_nothing(servers, tmp_path, monkeypatch):
    """Run A starts at the tip X; while it builds, Y lands and run B publishes Y. Before its deploy, A finds that
    X is no longer the tip, and deploys nothing over B's site."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    slow = room.checkout()
    build = pipeline.build_and_index

    def meanwhile_a_newer_publish(settings):
        build(settings)
        monkeypatch.setattr(pipeline, "build_and_index", build)  # B builds as usual
        room.merge("2026-11-21-greywater-solar", OTHER_POST)
        newer, lines = room.publish_here()
        assert newer.ok, "\n".join(lines)

    monkeypatch.setattr(pipeline, "build_and_index", meanwhile_a_newer_publish)
    report, lines = room.publish_in(slow)
    assert [step.step for step in report.failed] == ["deploy"], "\n".join(lines)
    assert any(
        line.startswith("[deploy] FAILED: public edition: the commit this build was made from")
        and line.endswith("Nothing was deployed; publish from a fresh checkout of origin/main.")
        for line in lines
    ), "\n".join(lines)
    assert b"Greywater" in room.bucket()["index.html"] and len(room.statuses_for("Greywater")) == 1


def test_a_deploy_never_replaces_a_site_built_from_a_later_commit(servers, tmp_path):
    """The deploy record says which commit the live site was built from: a build of a commit that does not come
    after it is refused even where the tip is not checked (a folder without git's `source`), unless forced."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    old = room.checkout()
    report, lines = room.publish_in(old, until="verify")
    assert report.ok, "\n".join(lines)
    room.merge("2026-11-21-greywater-solar", OTHER_POST)
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    live = json.loads(git(room.origin, "show", "main:publishing/deployed.json"))
    (newer,) = [record["commit"] for record in live.values()]
    assert newer == git(room.origin, "rev-parse", "main~2")  # the merge of Y (then the claim, the state)

    report, lines = room.publish_in(old, tip_checked=False, after="verify")
    assert [step.step for step in report.failed] == ["deploy"], "\n".join(lines)
    assert (
        f"[deploy] FAILED: public edition: s3://newsroom/ holds a build of commit {newer[:10]}, and this build's "
        f"commit ({git(old, 'rev-parse', 'HEAD')[:10]}) does not come after it: it would replace a newer site with "
        "an older one. Nothing was deployed; publish from a fresh checkout of the branch (`invoke publish --force` "
        "if the branch was rewritten on purpose)."
    ) in lines
    assert b"Greywater" in room.bucket()["index.html"]


def test_settings_mistakes_stop_the_publish_before_anything_runs(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    checkout = room.checkout()
    with (checkout / "site.py").open("a") as settings:
        settings.write('NEWSROOM_PUBLISH = {"target": {"type": "ftp"}, "state": {"store": "git", "branch": "main"}}\n')
    lines: list[str] = []
    report = publish(lambda edition: room.settings(checkout, edition), environ=ENV, out=lines.append)
    assert [step.step for step in report.steps] == ["setup"] and not report.ok
    assert lines == [
        "[setup] FAILED: settings are invalid:",
        "[setup] FAILED: NEWSROOM_PUBLISH.target.type: unknown target type 'ftp' (expected one of: github-pages, s3, rsync)",
    ]


def test_every_missing_secret_is_named_before_anything_is_built(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    checkout = room.checkout()
    environ = {key: value for key, value in ENV.items() if key not in ("NEWSROOM_S3_SECRET", "MASTODON_TOKEN")}
    lines: list[str] = []
    report = publish(lambda edition: room.settings(checkout, edition), environ=environ, out=lines.append)
    assert [step.step for step in report.steps] == ["setup"]
    assert lines == [
        "[setup] FAILED: 2 secret(s) this publish needs are not set; nothing was built or sent.",
        "[setup] FAILED: NEWSROOM_PUBLISH.target: environment variable NEWSROOM_S3_SECRET is not set "
        "(expected the secret_access_key for the s3 target).",
        "[setup] FAILED: SYNDICATION_CHANNELS: channel 'mastodon': environment variable MASTODON_TOKEN is not set "
        "(expected the token for this mastodon channel).",
    ]
    assert not (checkout / "output").exists() and s3.puts == [] and mastodon.requests == [] and hub.pinged == []

    planned: list[str] = []  # a dry run (a pull request's plan) has no secrets: it says what it could not compare
    dry = publish(lambda edition: room.settings(checkout, edition), dry_run=True, environ=environ, out=planned.append)
    assert dry.ok, "\n".join(planned)
    assert any(
        line.startswith("[deploy] public edition: ")
        and line.endswith(
            "files for s3://newsroom/, not compared with it (NEWSROOM_PUBLISH.target: environment variable "
            "NEWSROOM_S3_SECRET is not set (expected the secret_access_key for the s3 target))."
        )
        for line in planned
    ), planned


def test_only_the_tip_of_main_is_published_and_a_state_commit_since_does_not_count(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    old = room.checkout()  # e.g. a re-run of an older workflow run
    room.merge("2026-11-20-new-turbines", NEW_POST)  # a later commit corrects or adds something

    lines: list[str] = []
    report = publish(lambda edition: room.settings(old, edition), environ=ENV, out=lines.append)
    assert [step.step for step in report.steps] == ["setup"] and s3.puts == []
    assert "is not the tip of origin/main" in lines[0] and lines[0].endswith(
        "publish from a fresh checkout of origin/main."
    )
    assert not (old / "output").exists()

    edited = room.checkout()
    (edited / "content/posts/2026/2026-11-20-new-turbines.md").write_text(NEW_POST.replace("Twelve", "Ten"))
    report = publish(lambda edition: room.settings(edited, edition), environ=ENV, out=lines.append)
    assert (
        not report.ok
        and "has uncommitted changes or files git does not track (content/posts/2026/2026-11-20-new-turbines.md)"
        in lines[-1]
    )

    # A post main does not hold, left in the checkout (a server that keeps its checkout): never built as the tip's.
    untracked = room.checkout()
    (untracked / "content/posts/2026/2026-11-21-not-merged.md").write_text(NEW_POST.replace("Twelve", "Eleven"))
    report = publish(lambda edition: room.settings(untracked, edition), environ=ENV, out=lines.append)
    assert not report.ok and "files git does not track (content/posts/2026/2026-11-21-not-merged.md)" in lines[-1]

    behind = room.checkout()
    first, lines = room.publish_here()  # commits the publish state to main: `behind` is one state commit behind
    assert first.ok, "\n".join(lines)
    again: list[str] = []
    report = publish(lambda edition: room.settings(behind, edition), environ=ENV, out=again.append)
    assert report.ok, "\n".join(again)
    assert "only the publish state changed since this checkout" in again[0]


def test_a_target_is_compared_not_remembered_a_new_endpoint_is_a_new_target_and_a_dry_run_tells_the_truth(
    servers, tmp_path
):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    first, lines = room.publish_here()
    assert first.ok, "\n".join(lines)
    s3.client().delete_object(Bucket="newsroom", Key="index.html")  # someone deletes the home page

    checkout = room.checkout()
    planned: list[str] = []
    dry = publish(lambda edition: room.settings(checkout, edition), dry_run=True, environ=ENV, out=planned.append)
    assert dry.ok and "index.html" not in room.bucket()
    assert "[deploy] public edition -> s3://newsroom/: would be 1 uploaded, 0 deleted" in "\n".join(planned)
    repaired, lines = room.publish_here()
    assert repaired.ok and "[deploy] public edition -> s3://newsroom/: 1 uploaded, 0 deleted" in "\n".join(lines)
    assert b"Larkspur" in room.bucket()["index.html"]

    with S3Server() as other:  # the same bucket name at another endpoint: a target of its own
        other.client().create_bucket(Bucket="newsroom")
        work = room.checkout()
        site = (work / "site.py").read_text().replace(s3.url, other.url)
        (work / "site.py").write_text(site)
        git(work, "commit", "--quiet", "-am", "Move the site to another S3 service")
        git(work, "push", "--quiet", "origin", "HEAD:main")
        moved, lines = room.publish_here()
        assert moved.ok, "\n".join(lines)
        assert set(other.objects("newsroom")) == set(room.bucket())

    dead, lines = room.publish_here()  # the other service is gone: the run fails instead of saying "unchanged"
    assert not dead.ok and dead.failed[0].step == "deploy" and "Could not connect" in "\n".join(lines)


def test_the_sample_settings_ping_no_websub_hub_until_one_is_configured():
    for conf in ("pelicanconf.py", "publishconf.py"):
        assert load_settings(ROOT / conf)["NEWSROOM_FEEDS"]["hub"] == "", conf


def test_a_scheduled_run_with_nothing_due_stops_in_one_line_and_a_merge_makes_the_next_one_due(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    first = room.invoke_publish("--if-due")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "[due] due: no record of a finished publish yet" in first.stdout and "[syndicate]" in first.stdout

    commits, puts, outputs = room.commits(), len(s3.puts), tmp_path / "github-output"
    idle = room.invoke_publish("--if-due")
    assert idle.returncode == 0, idle.stdout + idle.stderr
    said = [line for line in idle.stdout.splitlines() if line.startswith("[due]")]
    assert len(said) == 1 and said[0].startswith("[due] nothing due: no commit since the last publish (")
    assert "[build]" not in idle.stdout and s3.puts[puts:] == [] and room.commits() == commits

    room.merge("2026-11-20-new-turbines", NEW_POST)
    checkout = room.checkout()
    due = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--if-due", "--settings", str(checkout / "site.py")],
        cwd=ROOT,
        env={**os.environ, **ENV, "GITHUB_OUTPUT": str(outputs)},
        capture_output=True,
        text=True,
    )
    assert due.returncode == 0, due.stdout + due.stderr
    head = git(checkout, "log", "-1", "--format=%H", "--", "content")
    assert f"[due] due: commit {head[:10]} is new since the last publish" in due.stdout
    assert "due=true" in outputs.read_text().splitlines() and len(room.outbox_files_for("2026-11-20-new-turbines")) == 1


def test_a_post_a_long_rate_limit_deferred_keeps_the_scheduled_runs_due_until_it_is_posted(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    [_, only_mastodon] = room.settings(room.checkout())["SYNDICATION_CHANNELS"]
    scheduled = partial(room.publish_here, if_due=True, SYNDICATION_MAX_WAIT=5, SYNDICATION_CHANNELS=[only_mastodon])
    first, lines = scheduled("2026-11-26 12:00 UTC")
    assert first.ok, "\n".join(lines)

    room.merge("2026-11-20-new-turbines", NEW_POST)
    mastodon.faults.append(Fault(429, {"error": "Too many requests"}, {"Retry-After": "3600"}))
    limited, lines = scheduled("2026-11-26 12:10 UTC")
    assert limited.ok and "[syndicate]   deferred   2026-11-20-new-turbines: " in "\n".join(lines), lines
    assert room.statuses_for("New turbines") == []
    assert room.ledger().get("2026-11-20-new-turbines", "mastodon").state == "claimed"  # kept for the next run

    # No commit since: the send the ledger keeps for the next run makes it due, and that run posts it.
    later, lines = scheduled("2026-11-26 14:00 UTC")
    assert later.ok, "\n".join(lines)
    assert "[due] due: the syndication ledger holds 1 send(s) for the next run (deferred, claimed or queued)" in lines
    assert len(room.statuses_for("New turbines")) == 1
    assert room.ledger().get("2026-11-20-new-turbines", "mastodon").state == "done"
    for now in ("2026-11-26 15:00 UTC", "2026-11-26 16:00 UTC"):  # its "Also on" link, then nothing at all
        report, lines = scheduled(now)
    assert report.outputs == {"due": "false"} and len(room.statuses_for("New turbines")) == 1


# --- a Pages deploy never skipped on the strength of an older record --------------------
PAGES_POST_PAGE = "news/2026/new-turbines-at-kessler-ridge/index.html"


def test_a_withdrawal_after_an_unannounced_pages_deploy_is_made_live(servers, tmp_path):
    """As publish.yml runs it: deploy-pages made a new post live, then its announce job stopped at setup (a
    withdrawal had landed), so deployed.json still recorded the build before the post. The withdrawal's build,
    equal to that record, was called unchanged and never deployed: the withdrawn post stayed live, every run
    green. Every run now hands the verified build to Pages."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.publish_to_pages()
    live = tmp_path / "pages-live"  # what GitHub Pages serves: the artifact of the last deploy job that ran

    def workflow_run(checkout, if_due=False):
        """The build job, the deploy job only when public_changed, then the announce job."""
        report, lines = room.publish_in(checkout, until="deploy", if_due=if_due)
        assert report.ok, "\n".join(lines)
        if report.outputs.get("public_changed") == "true":
            shutil.rmtree(live, ignore_errors=True)
            shutil.copytree(checkout / "_site", live)
        return report

    first = room.checkout()
    workflow_run(first)
    report, lines = room.publish_in(first, after="deploy")
    assert report.ok, "\n".join(lines)
    assert not (live / PAGES_POST_PAGE).exists()

    # Run 1: a post is merged; the build job prepares it and deploy-pages makes it live.
    room.merge("2026-11-20-new-turbines", NEW_POST)
    run_1 = room.checkout()
    workflow_run(run_1)
    assert (live / PAGES_POST_PAGE).exists()
    # Legal asks for it to come down at once: the withdrawal lands before run 1's announce job starts.
    room.withdraw("2026-11-20-new-turbines")
    report, lines = room.publish_in(run_1, after="deploy")
    assert not report.ok  # refused at setup: its commit is no longer the tip (correct), nothing recorded

    # Run 2 (the push of the withdrawal): build, deploy only if changed, announce.
    run_2 = room.checkout()
    built = workflow_run(run_2)
    report, lines = room.publish_in(run_2, after="deploy")
    assert report.ok, "\n".join(lines)
    assert built.outputs.get("public_changed") == "true"
    # Promise: the next run brings the public site to exactly the verified build of main's tip.
    assert not (live / PAGES_POST_PAGE).exists(), "the withdrawn post is still live; run 2 said the site was unchanged"


# --- an empty Status: line is a published post for the embargo list too --------------------
EMPTY_STATUS_POST = (
    "Title: Kessler Ridge phase two approved\nId: 2026-11-26-kessler-phase-two\nDate: 2026-11-26 12:30 UTC\n"
    "Status:\nAudience: media, communities\nCategory: News\n"
    "Summary: The regulator approved phase two of Kessler Ridge.\n\nThe regulator approved phase two of Kessler Ridge.\n"
)
EMPTY_STATUS_PAGE = "news/2026/kessler-ridge-phase-two-approved/index.html"


def test_an_embargo_with_an_empty_status_line_is_due_when_it_lifts(servers, tmp_path):
    """`Status:` with no value is a published post to the checks and the build, and was "not published" to the
    embargo list: every scheduled run after the lift said nothing was due (model/post.status_of is the one
    reading now)."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-26-kessler-phase-two", EMPTY_STATUS_POST)
    before, lines = room.publish_here("2026-11-26 12:05 UTC")
    assert before.ok, "\n".join(lines)
    assert EMPTY_STATUS_PAGE not in room.bucket()  # embargoed until 12:30

    lifted, lines = room.publish_here("2026-11-26 12:35 UTC", if_due=True)  # the scheduled run after 12:30
    assert lifted.outputs.get("due") == "true" and EMPTY_STATUS_PAGE in room.bucket(), (
        "the lifted embargo was never published"
    )


# --- only verified bytes are ever sent, and a deploy ends with the target holding the build --------------------


def test_a_file_changed_while_the_deploy_uploads_is_never_sent_and_the_run_fails_naming_it(servers, tmp_path):
    """The digest was checked once, before the bucket was listed; each file was read again as it was uploaded. A
    page changed in between (another build writing the same output folder) went live unverified, the run green."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    room.merge("2026-11-20-new-turbines", NEW_POST)
    checkout = room.checkout()
    s3.hold_keys.add("theme/css/newsroom.css")  # an asset: uploaded before the pages
    result = {}
    runner = threading.Thread(
        target=lambda: result.update(zip(("report", "lines"), room.publish_in(checkout), strict=True))
    )
    runner.start()
    assert s3.received.wait(120), "the deploy never reached its first upload"
    page = checkout / "output/index.html"
    verified = page.read_bytes()
    page.write_bytes(verified.replace(b"</body>", b"<p>DRAFT: Q4 profit warning, not for release</p></body>"))
    s3.hold_keys.clear()
    s3.release.set()
    runner.join(300)
    assert not result["report"].ok
    assert any(
        "index.html changed since the build was verified, so it was not sent" in line for line in result["lines"]
    )
    assert b"Q4 profit warning" not in room.bucket().get("index.html", b"")


def test_a_clock_left_in_the_settings_ahead_of_the_real_time_never_lifts_an_embargo(servers, tmp_path):
    """NEWSROOM_NOW is for previews and drills. Left in the settings a publish uses, a clock ahead of the real time
    would publish the embargoed release early: the publish refuses before anything is built or sent."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    ahead = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M UTC")
    report, lines = room.publish_here(now=ahead)
    assert [step.step for step in report.steps] == ["setup"] and not report.ok
    assert len(lines) == 1 and lines[0].startswith("[setup] FAILED: NEWSROOM_NOW: ") and "early" in lines[0]
    assert room.bucket() == {} and mastodon.statuses == []


def test_a_publish_on_a_clock_behind_the_real_time_says_so(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    report, lines = room.publish_in(room.checkout(), until="build")
    assert report.ok, lines
    assert any("NEWSROOM_NOW is set: this publish shows the site as of 2026-11-26 12:00 UTC" in line for line in lines)


def embargoed_deal(room: Newsroom) -> tuple[str, str]:
    """A release on main whose embargo lifts in twenty days' real time, and a clock ten days after it: a preview's."""
    lifts = datetime.now(UTC) + timedelta(days=20)
    post_id = f"{lifts:%Y-%m-%d}-secret-acquisition"
    room.merge(post_id, news_post(post_id, "Secret acquisition", "EMBARGOEDDEALTEXT for the markets."))
    return post_id, (lifts + timedelta(days=10)).strftime("%Y-%m-%d %H:%M UTC")


def test_a_dry_runs_verified_build_is_never_deployed_or_announced_by_a_resumed_publish(servers, tmp_path):
    """A dry run may preview the site on a clock ahead of the real time, and verifies its build so that its own
    deploy step can compare it. A real publish resumed after it (`--after verify`) in the same checkout would deploy
    that build, and announce its embargoed release, on the dry run's clock: it refuses the dry run's record first."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    post_id, ahead = embargoed_deal(room)
    checkout = room.checkout()

    preview, lines = room.publish_in(checkout, until="verify", dry_run=True, overrides={"NEWSROOM_NOW": ahead})
    assert preview.ok, lines  # a dry run on any clock stays usable

    report, lines = room.publish_in(checkout, after="verify")

    assert [step.step for step in report.steps] == ["setup"] and not report.ok
    assert len(lines) == 1 and lines[0].startswith("[setup] FAILED: ") and "verified.json: dry_run is True" in lines[0]
    assert "`invoke publish`" in lines[0]
    assert room.bucket() == {} and room.statuses_for("EMBARGOEDDEALTEXT") == [] and room.outbox_files_for(post_id) == []


def test_a_resumed_publish_refuses_a_verified_build_whose_clock_is_ahead_of_the_real_time(servers, tmp_path):
    """The clock a resumed publish takes from its verified build is held to the rule NEWSROOM_NOW is: a build
    verified on a machine whose clock ran ahead would otherwise release embargoes early."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    post_id, _ = embargoed_deal(room)
    checkout = room.checkout()
    built, lines = room.publish_in(checkout, until="verify")
    assert built.ok, lines
    verified = checkout / "output/.newsroom/verified.json"
    record = json.loads(verified.read_text())
    verified.write_text(json.dumps({**record, "now": datetime.now(UTC).replace(year=2040).isoformat()}))

    report, lines = room.publish_in(checkout, after="verify")

    assert [step.step for step in report.steps] == ["setup"] and not report.ok
    assert len(lines) == 1 and "verified.json: now: 2040-" in lines[0] and "later than the real time" in lines[0]
    assert room.bucket() == {} and room.statuses_for("EMBARGOEDDEALTEXT") == [] and room.outbox_files_for(post_id) == []


def test_the_deploy_refuses_a_build_whose_manifest_was_made_on_a_clock_ahead_of_the_real_time(servers, tmp_path):
    """The build's own record of its clock (its manifest) is read by the deploy too, whatever the verified record
    says: a build made on a preview clock is never deployed."""
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    post_id, ahead = embargoed_deal(room)
    checkout = room.checkout()
    preview, lines = room.publish_in(checkout, until="verify", dry_run=True, overrides={"NEWSROOM_NOW": ahead})
    assert preview.ok, lines
    verified = checkout / "output/.newsroom/verified.json"
    record = json.loads(verified.read_text())
    verified.write_text(json.dumps({**record, "dry_run": False, "now": "2026-11-26T12:00:00+00:00"}))

    report, lines = room.publish_in(checkout, after="verify")

    assert [step.step for step in report.failed] == ["deploy"]
    failed = [line for line in lines if "FAILED" in line]
    assert len(failed) == 1 and "manifest.json: the build's clock: " in failed[0], lines
    assert "later than the real time" in failed[0] and "Nothing was deployed or announced" in failed[0]
    assert room.bucket() == {} and room.statuses_for("EMBARGOEDDEALTEXT") == [] and room.outbox_files_for(post_id) == []
