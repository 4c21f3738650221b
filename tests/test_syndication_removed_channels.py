"""A channel taken out of SYNDICATION_CHANNELS (or renamed) while one of its posts needs a person: the item is
never dropped from sight. Every run and `--status` still list it, and fail, until a person resolves it; and the
person can resolve it, though the channel is gone."""

from __future__ import annotations

import test_syndication_attention as attention
from servers.webhook import Fault

from newsroom.syndication import command


def renamed(site):
    """The webhook channel of the attention tests, renamed from `hook` to `hook-v2` (a new channel to the ledger)."""
    channels = site.overrides["SYNDICATION_CHANNELS"]
    site.overrides["SYNDICATION_CHANNELS"] = [{**channels[0], "name": "hook-v2"}]


def test_an_uncertain_post_on_a_channel_taken_out_of_the_settings_is_still_listed_and_resolvable(site):
    with attention.WebhookReceiver(attention.SECRET) as receiver:
        room = attention.Newsroom(site, receiver.hook_url)
        room.publish("lost")
        receiver.faults.append(Fault(action="drop"))  # delivered, the answer lost: uncertain
        assert room.syndicate() == 1 and room.ledger.get("lost", "hook").state == "uncertain"

        renamed(site)
        for check in (room.syndicate, room.status):
            assert check() == 1, room.printed
            assert "uncertain lost on hook, 0 min old" in room.printed
            assert "hook is no longer in SYNDICATION_CHANNELS" in room.printed
        assert len(receiver.deliveries) == 1

    url = "https://intranet.example/hooks/lost"
    assert command.resolve(site.settings(), "lost", "hook", posted_url=url, out=room.output.append) == 0
    assert room.ledger.get("lost", "hook").url == url
    assert room.status() == 0 and "nothing needs a person" in room.printed


def test_resolving_a_channel_the_ledger_never_knew_is_still_refused(site):
    with attention.WebhookReceiver(attention.SECRET) as receiver:
        room = attention.Newsroom(site, receiver.hook_url)
        assert command.resolve(site.settings(), "old", "nope", retry=True, out=room.output.append) == 2
    assert "--channel 'nope' is not configured (expected one of: hook)" in room.printed
