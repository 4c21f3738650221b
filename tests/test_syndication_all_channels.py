"""The dry run of examples/all-channels.py over the sample newsroom: a believable message for every published
post on every configured channel, each within its platform's limit as the platform counts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from servers.linkedin import read_little
from servers.mastodon import mastodon_length
from servers.meta import threads_length
from servers.slack import check_payload
from servers.teams import check_card
from servers.x import x_weighted_length

from conftest import ROOT
from newsroom.model.settings import load_newsroom
from newsroom.site.build import build, load_settings
from newsroom.syndication import command
from newsroom.syndication.config import load_config
from newsroom.syndication.language_routing import in_their_languages, language_routing
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan, routed
from newsroom.syndication.published import read_manifest
from newsroom.syndication.registry import CHANNEL_CLASSES
from newsroom.syndication.states import Action
from newsroom.syndication.text import grapheme_count, utf8_length

EXAMPLE = ROOT / "examples" / "all-channels.py"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# How each platform (or its loopback server, which enforces the platform's rules) measures a message.
WITHIN = {
    "outbox": lambda m: grapheme_count(m.text) <= 500,
    "mastodon": lambda m: mastodon_length(m.text) <= 500,
    "bluesky": lambda m: grapheme_count(m.text) <= 300 and utf8_length(m.text) <= 3000,
    "email": lambda m: grapheme_count(m.extras["subject"]) <= 200,
    "slack": lambda m: check_payload(m.extras["payload"]) == "",
    "linkedin": lambda m: utf16(m.text) <= 3000 and not read_little(m.text)[1],
    "x": lambda m: x_weighted_length(m.text) <= 280,
    "facebook": lambda m: utf16(m.text) <= 63_206,
    "threads": lambda m: threads_length(m.text) <= 500,
    "teams": lambda m: (
        check_card(m.extras["payload"]) == "" and len(json.dumps(m.extras["payload"]).encode()) <= 28 * 1024
    ),
    "webhook": lambda m: m.length <= 1_000_000,
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    """The sample newsroom built in both editions with the example's settings, and a ledger that knows every
    channel but has no record (the sample's own ledger marks every post as already syndicated)."""
    root = tmp_path_factory.mktemp("all-channels")
    editions = load_settings(EXAMPLE).get("NEWSROOM_EDITIONS", {})
    overrides = {
        "OUTPUT_PATH": str(root / "output"),
        "CACHE_PATH": str(root / "cache"),
        "NEWSROOM_NOW": "2026-12-04 12:00 UTC",  # after the Halvorsen Hydro release, in English and French
        "SYNDICATION_LEDGER": str(root / "ledger.jsonl"),
        "NEWSROOM_EDITIONS": {
            name: {**entry, "OUTPUT_PATH": str(root / f"output-{name}")} for name, entry in editions.items()
        },
    }
    settings = load_settings(EXAMPLE, overrides)
    build(settings)
    build(load_settings(EXAMPLE, {**overrides, "OUTPUT_PATH": str(root / "output-internal")}, edition="internal"))
    config = load_config(settings, load_newsroom(settings))
    Ledger.open(config.ledger).know({channel.name for channel in config.channels})
    return {"settings": settings, "config": config, "newsroom": load_newsroom(settings)}


def test_the_example_configures_every_channel_type_and_keeps_the_sample_outboxes():
    settings = load_settings(EXAMPLE)
    config = load_config(settings, load_newsroom(settings))
    assert {channel.type for channel in config.channels} == set(CHANNEL_CLASSES)
    sample = load_settings(ROOT / "publishconf.py")["SYNDICATION_CHANNELS"]
    assert {channel["type"] for channel in sample} == {"outbox"}  # the sample still needs no account
    example_ledger = (ROOT / "examples" / "all-channels-ledger.jsonl").read_text().splitlines()
    assert len(example_ledger) == 1 and set(json.loads(example_ledger[0])["channels"]) == {
        c.name for c in config.channels
    }


def test_every_sample_post_gets_a_message_within_its_limit_on_every_channel(sample):
    config = sample["config"]
    channels = {c.name: CHANNEL_CLASSES[c.type](c, {}) for c in config.channels}
    # Each version with its language's words, routed by the channels' languages, as a run does (command.py).
    public, internal = (
        in_their_languages(read_manifest(output).posts, sample["newsroom"], sample["settings"])
        for output in (Path(sample["settings"]["OUTPUT_PATH"]), config.internal_output)
    )
    routing = language_routing(sample["newsroom"].languages, (*public, *internal))
    steps = plan(public, internal, channels, Ledger.open(config.ledger), cap=10_000, languages=routing)
    assert len(public) >= 12 and len(internal) > len(public)
    for name, channel in channels.items():
        mine = [step for step in steps if step.channel == name]
        assert mine, f"{name} has nothing to send"
        for step in mine:
            message = step.message
            assert step.action == Action.SEND, (name, step.post.id, step.reason)
            assert 0 < message.length <= message.limit, (name, step.post.id, message.length, message.limit)
            assert WITHIN[channel.channel_type.name](message), (name, step.post.id, message.text)
            shown = read_little(message.text)[0] if channel.channel_type.name == "linkedin" else message.text
            expected = (step.post.custom_text(name) or step.post.title)[:40]
            assert expected in shown, (name, step.post.id, shown)  # believable: it says what the post says
    assert len(steps) == sum(
        1 for c in config.channels for p in (internal if c.internal else public) if routed(p, c, routing)
    )
    # Without channel_fallback, a channel carries only the versions in its language: the French channels the
    # French versions, said in French, the others never one.
    assert {(step.post.language or "en") == (channels[step.channel].config.language or "en") for step in steps} == {
        True
    }
    french = {step.channel: step for step in steps if step.post.language == "fr"}
    assert set(french) == {"linkedin-fr", "teams-staff-fr", "email-investors-fr", "outbox-fr"}
    assert "Lire la publication" in json.dumps(french["teams-staff-fr"].message.extras["payload"], ensure_ascii=False)


def test_the_dry_run_prints_every_message_and_needs_no_secret(sample):
    output: list[str] = []
    assert command.syndicate(sample["settings"], dry_run=True, environ={}, out=output.append) == 0
    plan_text = output[-1]
    assert "cannot run" not in plan_text and "FAIL" not in plan_text
    for channel in sample["config"].channels:
        assert f"\n{channel.name} ({channel.type}, for " in plan_text
    for unit in (
        "/280 weighted characters",
        "/3000 characters of commentary",
        "/500 characters (an emoji counts",
        "/28000 bytes of card JSON",
    ):
        assert unit in plan_text, unit
    assert "DEFER" in plan_text and plan_text.count("            | ") > 100  # deferred posts show their text too
    assert not Ledger.open(sample["config"].ledger).get(
        read_manifest(Path(sample["settings"]["OUTPUT_PATH"])).posts[0].id, "x"
    )


def test_the_examples_french_channel_is_on_the_french_disclosure_page_only(sample):
    output = Path(sample["settings"]["OUTPUT_PATH"])
    french = (output / "fr" / "canaux-de-communication" / "index.html").read_text(encoding="utf-8")
    english = (output / "disclosure" / "index.html").read_text(encoding="utf-8")
    assert 'data-channel="linkedin-fr"' in french and "Larkspur Énergie Canada</a>" in french
    assert 'data-channel="linkedin-fr"' not in english
    # The sample's alerts outboxes, one per language (publishconf.py), give each page its email alerts line.
    assert 'data-channel="email-alerts"' in english and 'data-channel="email-alerts"' in french
