"""Loud until resolved: an uncertain, failed or pending (post, channel) is listed, with its age and the command
that resolves it, by every run and by `invoke syndicate --status`, and fails the run until it is resolved or
older than SYNDICATION_ATTENTION_DAYS. Runs a real site against a loopback webhook receiver (which, like most
platforms, cannot be read back and does not de-duplicate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from servers.webhook import Fault, WebhookReceiver

from conftest import ROOT
from newsroom.syndication import command
from newsroom.syndication.ledger import Ledger

SECRET = "s" * 40
RESOLVE = "invoke syndicate --resolve lost --channel hook"


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as server:
        yield server


class Newsroom:
    def __init__(self, site, url: str, **settings):
        self.site, self.output = site, []
        site.overrides.update(
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
            SYNDICATION_BACKOFF=0,
            SYNDICATION_CHANNELS=[
                {
                    "name": "hook",
                    "type": "webhook",
                    "audiences": ["media"],
                    "url": url,
                    "credentials": {"secret": "HOOK_SECRET"},
                }
            ],
            **settings,
        )
        site.post("old", Id="old", Slug="old")
        site.build()
        assert self.syndicate(bootstrap=True) == 0

    def publish(self, name: str) -> None:
        self.site.post(name, Id=name, Slug=name, Title=f"News {name}")
        self.site.build()

    def syndicate(self, **options) -> int:
        self.output.clear()
        return command.syndicate(
            self.site.settings(),
            environ={"HOOK_SECRET": SECRET},
            out=self.output.append,
            sleep=lambda s: None,
            **options,
        )

    def status(self) -> int:
        self.output.clear()
        return command.status(self.site.settings(), out=self.output.append)

    @property
    def printed(self) -> str:
        return "\n".join(self.output)

    @property
    def ledger(self) -> Ledger:
        return Ledger.open(self.site.root / "ledger.jsonl")


def test_an_uncertain_post_fails_every_run_and_status_until_a_person_resolves_it(site, receiver):
    room = Newsroom(site, receiver.hook_url)
    room.publish("lost")
    receiver.faults.append(Fault(action="down"))  # delivered, the answer lost, then the receiver is down
    assert room.syndicate() == 1
    assert "1 uncertain" in room.printed and "nothing was sent" not in room.printed
    assert room.ledger.get("lost", "hook").state == "uncertain" and len(receiver.deliveries) == 1

    receiver.come_back()
    for check in (room.syndicate, room.status):  # the next run, and the status without a build, say the same
        assert check() == 1, room.printed
        assert "Needs a person: 1 open item(s); 1 fail(s) every run until resolved" in room.printed
        assert "uncertain lost on hook, 0 min old: may be on the platform; only a person can tell" in room.printed
        assert f"`{RESOLVE} --posted URL` (it is there) or `{RESOLVE} --retry` (send it again)" in room.printed
    assert len(receiver.deliveries) == 1  # never sent again by itself

    assert command.resolve(site.settings(), "lost", "hook", posted_url="https://i.example/1", out=print) == 0
    assert room.syndicate() == 0 and "Needs a person" not in room.printed
    assert room.status() == 0 and "nothing needs a person" in room.printed


def test_an_item_older_than_the_attention_days_is_listed_but_no_longer_fails_the_run(site, receiver):
    room = Newsroom(site, receiver.hook_url, SYNDICATION_ATTENTION_DAYS=2)
    room.publish("lost")
    receiver.faults.append(Fault(422, {"error": "unknown category"}))
    assert room.syndicate() == 1 and "1 refused" in room.printed
    path = site.root / "ledger.jsonl"
    lines = path.read_text().splitlines()
    aged = [json.loads(line) for line in lines[1:]]
    for record in aged:
        if record["post"] == "lost":
            record["started_at"] = "2026-01-01T00:00:00+00:00"
    path.write_text("\n".join([lines[0], *(json.dumps(record, sort_keys=True) for record in aged)]) + "\n")

    assert room.syndicate() == 0, room.printed
    assert "failed    lost on hook" in room.printed and "(warning only)" in room.printed
    assert "0 fail(s) every run" in room.printed


@pytest.mark.parametrize("value", [-1, "7", True])
def test_attention_days_is_validated_like_the_other_settings(site, receiver, value):
    room = Newsroom(site, receiver.hook_url)
    site.overrides["SYNDICATION_ATTENTION_DAYS"] = value
    assert room.syndicate() == 2
    assert f"SYNDICATION_ATTENTION_DAYS: {value!r} must be a number of days, 0 or more (default 7)" in room.printed
    assert "Traceback" not in room.printed


def test_a_refused_connection_stops_the_channel_with_one_line_not_one_wait_per_post(site, receiver):
    room = Newsroom(site, receiver.hook_url)
    for name in ("one", "two", "three"):
        room.publish(name)
    receiver.go_down()
    assert room.syndicate() == 1
    stops = [line for line in room.printed.splitlines() if line.startswith("hook: stopped for this run")]
    assert len(stops) == 1 and "could not connect" in stops[0]
    assert "1 failed" in room.printed and "2 deferred" in room.printed and "this try sent nothing" in room.printed
    assert room.ledger.get("one", "hook") is None  # certainly nothing sent: nothing to resolve, the next run sends
    receiver.come_back()
    assert room.syndicate() == 0, room.printed
    assert sorted(d["data"]["post"]["id"] for d in receiver.deliveries) == ["one", "three", "two"]


def test_invoke_syndicate_status_prints_the_list_and_writes_the_github_job_summary(site, receiver, tmp_path):
    room = Newsroom(site, receiver.hook_url)
    room.publish("lost")
    receiver.faults.append(Fault(action="drop"))
    assert room.syndicate() == 1
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "syndicate",
            "--status",
            "--settings",
            str(site.settings_file("publishconf.py")),
        ],
        cwd=ROOT,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"{RESOLVE} --retry" in result.stdout
    written = summary.read_text()
    assert written.startswith("### Syndication status") and f"{RESOLVE} --posted URL" in written


def test_the_alert_channel_is_told_once_about_each_item_that_needs_a_person(site, receiver, tmp_path):
    alerts = tmp_path / "alerts"
    room = Newsroom(site, receiver.hook_url)
    site.overrides["SYNDICATION_CHANNELS"].append(
        {"name": "staff-alerts", "type": "outbox", "audiences": ["employees"], "internal": True, "folder": str(alerts)}
    )
    site.overrides["SYNDICATION_ALERT_CHANNEL"] = "staff-alerts"
    room.publish("lost")
    site.build(edition="internal")
    assert room.syndicate(bootstrap=True, only="staff-alerts") == 0
    receiver.faults.append(Fault(action="drop"))
    assert room.syndicate(only="hook") == 1  # the alert channel is not part of a run limited to another
    assert not alerts.exists()
    assert room.syndicate() == 1
    assert "alert channel staff-alerts: told about lost on hook" in room.printed
    assert room.syndicate() == 1  # listed again, not alerted again
    [alert] = [path for path in alerts.iterdir() if "syndication-alert" in path.name]
    text = alert.read_text()
    assert "Syndication needs a person: lost on hook is uncertain" in text and f"{RESOLVE} --retry" in text


@pytest.mark.parametrize("name", ["hook", "nowhere"])
def test_the_alert_channel_must_be_an_internal_channel(site, receiver, name):
    room = Newsroom(site, receiver.hook_url)
    site.overrides["SYNDICATION_ALERT_CHANNEL"] = name
    assert room.syndicate() == 2
    assert f"SYNDICATION_ALERT_CHANNEL: {name!r} is not an internal channel of SYNDICATION_CHANNELS" in room.printed


def test_a_renamed_channel_holds_its_posts_and_fails_every_run_until_a_person_decides(site, receiver):
    room = Newsroom(site, receiver.hook_url)
    [hook] = site.overrides["SYNDICATION_CHANNELS"]
    site.overrides["SYNDICATION_CHANNELS"] = [{**hook, "name": "hook-v2"}]  # new to the ledger
    room.publish("fresh")  # published after the rename: it waits for the decision too
    assert room.status() == 0, room.printed  # without a build it cannot count them, but it names the channel
    assert (
        "  new       hook-v2: not in the ledger yet; the next run holds every published post routed to it, if any, "
        "until a person decides (`invoke syndicate --bootstrap --channel hook-v2` records them as already announced"
    ) in room.printed
    for _ in range(2):  # held until decided, not only in the run that first sees the channel
        assert room.syndicate() == 1, room.printed
        assert "Needs a person: 1 open item(s); 1 fail(s) every run until resolved" in room.printed
        assert (
            "held      hook-v2: new to the ledger, 2 published post(s) wait for it and none is sent until a person "
            "decides: `invoke syndicate --bootstrap --channel hook-v2` records them as already announced, posting "
            "nothing (a renamed channel, or an archive); then `invoke syndicate --reshare ID --channel hook-v2` "
            "posts any one of them"
        ) in room.printed
        assert "hook is no longer" not in room.printed  # the old name left nothing open
    assert receiver.deliveries == []

    assert room.syndicate(bootstrap=True, only="hook-v2") == 0
    assert room.status() == 0 and "hook-v2: not in the ledger" not in room.printed, room.printed
    assert command.reshare(site.settings(), "fresh", "hook-v2", out=room.output.append) == 0
    assert room.syndicate() == 0, room.printed
    assert "Needs a person" not in room.printed
    assert [delivery["data"]["post"]["id"] for delivery in receiver.deliveries] == ["fresh"]


def test_a_channel_added_before_any_post_for_it_is_known_so_its_first_post_goes_out(site, receiver, tmp_path):
    room = Newsroom(site, receiver.hook_url)
    site.overrides["SYNDICATION_CHANNELS"].append(
        {"name": "investors", "type": "outbox", "audiences": ["investors"], "folder": str(tmp_path / "outbox")}
    )
    assert room.syndicate() == 0, room.printed  # nothing published for it: no archive to hold back
    site.post("results", Id="results", Slug="results", Audience="investors")
    site.build()
    assert room.syndicate() == 0, room.printed
    assert room.ledger.get("results", "investors").state == "done"


def test_a_send_that_has_waited_more_than_a_day_is_listed_until_it_goes_out(site, receiver):
    """A rate limit that lasts (a daily or monthly cap) keeps a post claimed, and every run tries it again: once it
    has waited more than a day, the runs and --status say so, and fail, as for any open item."""
    room = Newsroom(site, receiver.hook_url)
    room.publish("capped")
    receiver.faults.append(Fault(429, {"error": "daily cap reached"}, {"Retry-After": "86400"}))
    assert room.syndicate() == 0, room.printed  # deferred: a rate limit is not a failure, the next run sends it
    assert room.ledger.get("capped", "hook").state == "claimed"
    assert room.status() == 0 and "Needs a person" not in room.printed  # waiting for less than a day
    ledger_file = site.root / "ledger.jsonl"
    lines = [json.loads(line) for line in ledger_file.read_text().splitlines()]
    for line in lines:
        if line.get("post") == "capped":
            line["started_at"] = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")  # held for days
    ledger_file.write_text("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))
    assert room.status() == 1, room.printed
    assert "claimed   capped on hook" in room.printed and "not sent yet, for over a day" in room.printed
    receiver.faults.append(Fault(429, {"error": "daily cap reached"}, {"Retry-After": "86400"}))
    assert room.syndicate() == 1 and "claimed   capped on hook" in room.printed  # every run says so
    assert room.syndicate() == 0, room.printed  # the limit lifts: it goes out, once, and the list is empty
    assert "Needs a person" not in room.printed
    assert [delivery["data"]["post"]["id"] for delivery in receiver.deliveries] == ["capped"]


def test_resolve_posted_never_gives_one_post_another_posts_address(site, receiver):
    """A person's slip (pasting the first post's address for the second) once recorded the second as posted, and
    every run after was green with the second never sent."""
    room = Newsroom(site, receiver.hook_url)
    room.publish("first")
    receiver.faults.append(Fault(action="drop"))  # delivered, the answer lost: uncertain
    assert room.syndicate() == 1
    first_url = "https://intranet.example/hooks/first"
    assert command.resolve(site.settings(), "first", "hook", posted_url=first_url, out=room.output.append) == 0
    room.publish("second")
    receiver.faults.append(Fault(status=503))  # not stored: uncertain all the same
    assert room.syndicate() == 1
    room.output.clear()
    code = command.resolve(site.settings(), "second", "hook", posted_url=first_url, out=room.output.append)
    assert code == 2, room.printed
    assert f"{first_url} is already recorded on hook for post 'first'; nothing was changed" in room.printed
    assert room.ledger.get("second", "hook").state == "uncertain"
    assert command.resolve(site.settings(), "second", "hook", retry=True, out=room.output.append) == 0
    assert room.syndicate() == 0, room.printed
    assert [delivery["data"]["post"]["id"] for delivery in receiver.deliveries] == ["first", "second"]


def test_every_command_printed_for_a_person_to_paste_runs_as_one_command_whatever_the_values(tmp_path):
    """An item that needs a person is printed with the commands that settle it, to be copied into a shell. Each
    word is quoted for the shell: a post's id or a channel's name holding shell syntax stays one argument, and
    pasting the command never runs anything else (ids are refused such characters too: this holds regardless)."""
    from newsroom.syndication.attention import HeldChannel, OpenItem, new_channel_line
    from newsroom.syndication.states import State

    post, channel = "posts/kessler$(touch pwned);touch pwned2 'x", "hook;touch pwned3"
    item = OpenItem(post, channel, State.UNCERTAIN, datetime.now(UTC), "")
    printed = " ".join((item.resolve_command(), HeldChannel(channel, 2).line(), new_channel_line(channel)))
    commands = [text for text in printed.split("`")[1::2] if text.startswith("invoke")]
    assert len(commands) == 5
    for pasted in commands:
        shown = subprocess.run(
            ["bash", "-c", f"invoke() {{ printf '%s\\n' \"$@\"; }}; {pasted}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        assert channel in shown and (post in shown or "--resolve" not in shown), (pasted, shown)
    assert list(tmp_path.iterdir()) == []  # nothing ran


def test_a_value_in_the_ledger_cannot_add_a_line_to_or_act_on_what_syndicate_prints(site, receiver):
    """What `invoke syndicate` prints is read in a terminal and a CI log. A value it prints (here a hand-edited
    ledger's reason; a platform's answer; an id) is shown as written: a line feed or carriage return in it cannot
    start a line of its own, an escape sequence cannot erase one, a right-to-left override cannot reverse one."""
    room = Newsroom(site, receiver.hook_url)
    room.publish("lost")
    receiver.faults.append(Fault(action="down"))
    assert room.syndicate() == 1
    ledger_file = site.root / "ledger.jsonl"
    lines = [json.loads(line) for line in ledger_file.read_text().splitlines()]
    for line in lines:
        if line.get("post") == "lost":
            line["reason"] = (
                "timed out\n  posted     lost -> https://forged.example\r\x1b[2Khook: 1 posted \u202edeliaf"
            )
    ledger_file.write_text("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))

    assert room.status() == 1
    printed = room.printed.split("\n")
    assert all(line.isprintable() for line in printed), printed
    assert not any(line.startswith(("  posted", "hook: 1 posted")) for line in printed), printed
    assert (
        "timed out\\n  posted     lost -> https://forged.example\\r\\x1b[2Khook: 1 posted \\u202edeliaf" in room.printed
    )
