"""`invoke syndicate --bootstrap` records a channel's archive as sent without posting it: on a new ledger, and on
a channel new to an existing one. On a channel the ledger knows, a published post without a record is not
archive: it is waiting (held back by the per-run cap, or routed to the channel by a widened audience), and
recording it as sent would drop it for ever, every later run green."""

from __future__ import annotations

from servers.webhook import WebhookReceiver

from newsroom.syndication import command
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
