"""`invoke syndicate --bootstrap` records a channel's archive as sent without posting it: on a new ledger, and on
a channel new to an existing one. On a channel the ledger knows, a published post without a record is not
archive: it is waiting (held back by the per-run cap, or routed to the channel by a widened audience), and
recording it as sent would drop it for ever, every later run green."""

from __future__ import annotations

import pytest
from servers.webhook import WebhookReceiver

from newsroom.syndication import command
from newsroom.syndication import ledger as ledger_module
from newsroom.syndication.ledger import Ledger

SECRET = "s" * 40


def hook(name: str, url: str) -> dict:
    return {
        "name": name,
        "type": "webhook",
        "audiences": ["media"],
        "url": url,
        "credentials": {"secret": "HOOK_SECRET"},
    }


def syndicate(site, out: list[str], **options) -> int:
    out.clear()
    return command.syndicate(
        site.settings(), environ={"HOOK_SECRET": SECRET}, out=out.append, sleep=lambda s: None, **options
    )


def a_post_waiting_on_hook_and_a_new_channel(site, old, new, out) -> None:
    """`hook` has sent `first` and holds `second` back (a cap of one a run); `hook-two` was added meanwhile."""
    site.overrides.update(
        SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        SYNDICATION_BACKOFF=0,
        SYNDICATION_CAP=1,
        SYNDICATION_CHANNELS=[hook("hook", old.hook_url)],
    )
    site.post("archive", Id="archive", Slug="archive", Title="Archive")
    site.build()
    assert syndicate(site, out, bootstrap=True) == 0
    site.post("first", Id="first", Slug="first", Title="First", Date="2026-06-02 09:00 America/New_York")
    site.post("second", Id="second", Slug="second", Title="Second", Date="2026-06-02 10:00 America/New_York")
    site.overrides["SYNDICATION_CHANNELS"] = [hook("hook", old.hook_url), hook("hook-two", new.hook_url)]
    site.build()
    assert syndicate(site, out) == 1 and "held      hook-two" in "\n".join(out)
    assert [delivery["data"]["post"]["id"] for delivery in old.deliveries] == ["first"]
    assert Ledger.open(site.root / "ledger.jsonl").get("second", "hook") is None  # waiting: no record yet


def test_bootstrapping_for_a_new_channel_leaves_a_post_waiting_on_a_known_channel_to_be_sent(site):
    out: list[str] = []
    with WebhookReceiver(SECRET) as old, WebhookReceiver(SECRET) as new:
        a_post_waiting_on_hook_and_a_new_channel(site, old, new, out)
        assert syndicate(site, out, bootstrap=True) == 0  # the documented form, without --channel
        assert (
            "hook: the ledger knows it already, so its posts without a record are waiting to be sent, and none was "
            "recorded as sent (`invoke syndicate --bootstrap --channel hook` would record them)"
        ) in out
        assert out[-1].startswith("Bootstrapped ") and "recorded 3 (post, channel) pair(s)" in out[-1]
        assert syndicate(site, out) == 0
        assert [delivery["data"]["post"]["id"] for delivery in old.deliveries] == ["first", "second"]
        assert new.deliveries == []  # its archive, first and second included, was recorded as sent


def test_naming_a_known_channel_records_its_waiting_posts_as_a_persons_decision(site):
    out: list[str] = []
    with WebhookReceiver(SECRET) as old, WebhookReceiver(SECRET) as new:
        a_post_waiting_on_hook_and_a_new_channel(site, old, new, out)
        assert syndicate(site, out, bootstrap=True, only="hook") == 0
        assert "recorded 1 (post, channel) pair(s)" in out[-1]
        assert Ledger.open(site.root / "ledger.jsonl").get("second", "hook").state == "seeded"


class Killed(BaseException):
    """A CI time limit, or a person's Ctrl-C, ending the process at a write of the ledger."""


@pytest.mark.parametrize("killed", ["before its write reached the disk", "after its write reached the disk"])
def test_a_bootstrap_stopped_part_way_never_floods_the_new_channel_with_the_archive(site, monkeypatch, killed):
    """A bootstrap records the channel's archive and the channel as known in one write: stopped at it, the ledger
    is as before (the channel is still new, its archive held for a person) or bootstrapped; never a channel the
    ledger takes for known with part of its archive unrecorded, which the next run would send as new."""
    out: list[str] = []
    with WebhookReceiver(SECRET) as old, WebhookReceiver(SECRET) as new:
        site.overrides.update(
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
            SYNDICATION_BACKOFF=0,
            SYNDICATION_CHANNELS=[hook("hook", old.hook_url)],
        )
        for number in range(4):
            site.post(f"old-{number}", Id=f"old-{number}", Slug=f"old-{number}", Title=f"Old news {number}")
        site.build()
        assert syndicate(site, out, bootstrap=True) == 0
        site.overrides["SYNDICATION_CHANNELS"] = [hook("hook", old.hook_url), hook("hook-two", new.hook_url)]
        write = ledger_module.write_text_atomically

        def write_then_die(path, text):
            if killed.startswith("after"):
                write(path, text)
            raise Killed()

        monkeypatch.setattr(ledger_module, "write_text_atomically", write_then_die)
        with pytest.raises(Killed):
            syndicate(site, out, bootstrap=True, only="hook-two")
        monkeypatch.setattr(ledger_module, "write_text_atomically", write)

        code = syndicate(site, out)
        assert new.deliveries == [] and old.deliveries == []
        seeded = {record.post for record in Ledger.open(site.root / "ledger.jsonl") if record.channel == "hook-two"}
        if killed.startswith("before"):  # nothing recorded: held, and a person is told
            assert code == 1 and seeded == set() and "held      hook-two" in "\n".join(out)
        else:
            assert code == 0 and seeded == {f"old-{number}" for number in range(4)}


def test_a_bootstrap_writes_the_ledger_once_however_long_the_archive(site, monkeypatch):
    """Each whole-file rewrite of the ledger costs its size: one per seeded post made a bootstrap quadratic in the
    archive (minutes on a real one: the step a CI time limit kills)."""
    out: list[str] = []
    site.overrides.update(
        SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        SYNDICATION_CHANNELS=[hook("hook", "https://hooks.example/a"), hook("hook-two", "https://hooks.example/b")],
    )
    for number in range(12):
        site.post(f"old-{number}", Id=f"old-{number}", Slug=f"old-{number}", Title=f"Old news {number}")
    site.build()
    writes = []
    write = ledger_module.write_text_atomically
    monkeypatch.setattr(
        ledger_module, "write_text_atomically", lambda path, text: (writes.append(path), write(path, text))
    )
    assert syndicate(site, out, bootstrap=True) == 0
    assert "recorded 24 (post, channel) pair(s)" in out[-1]
    assert len(writes) == 1
