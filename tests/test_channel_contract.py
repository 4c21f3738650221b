"""The channel contract holds for every registered type: each class names its own type (its label) and states its
length unit, and every place that names a channel for readers uses that one label."""

from __future__ import annotations

import pytest

from newsroom.model.disclosure import disclosure_channels
from newsroom.model.settings import load_newsroom
from newsroom.site.syndicated_copies import syndicated_copies
from newsroom.syndication.channel import Channel
from newsroom.syndication.channel_types import CHANNEL_TYPES
from newsroom.syndication.config import load_config
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.registry import CHANNEL_CLASSES
from newsroom.syndication.text import hashtag, hashtags


def test_every_channel_type_has_its_class_and_every_class_its_type():
    assert list(CHANNEL_CLASSES) == list(CHANNEL_TYPES)


@pytest.mark.parametrize("name", sorted(CHANNEL_TYPES))
def test_every_channel_type_states_its_own_label_and_length_unit(name):
    cls = CHANNEL_CLASSES[name]
    # Declared on the class itself: an inherited type or length unit would silently misdescribe the platform.
    assert issubclass(cls, Channel) and cls.__dict__.get("channel_type") is CHANNEL_TYPES[name]
    assert CHANNEL_TYPES[name].name == name and CHANNEL_TYPES[name].label, f"{name} has no label"
    assert cls.__dict__.get("length_unit"), f"{cls.__name__} declares no length_unit"


def test_no_two_channel_types_share_a_label():
    labels = [channel_type.label.casefold() for channel_type in CHANNEL_TYPES.values()]
    assert len(labels) == len(set(labels)) == len(CHANNEL_TYPES)


def test_the_disclosure_page_and_also_on_links_name_a_channel_the_same_way(site):
    """One label per channel, made once by the validated config: the entry's own, else its type's."""
    channels = [
        {
            "name": "li",
            "type": "linkedin",
            "audiences": ["investors"],
            "disclosure": True,
            "account_url": "https://www.linkedin.com/company/larkspur",
            "credentials": {"token": "LINKEDIN_TOKEN"},
            "organization_id": "1234",
            "linkedin_version": "202510",
        },
        {
            "name": "social",
            "type": "mastodon",
            "audiences": ["investors"],
            "label": "Our Mastodon",
            "credentials": {"token": "MASTODON_TOKEN"},
            "base_url": "https://m.example",
        },
    ]
    settings = site.settings(SYNDICATION_CHANNELS=channels, SYNDICATION_LEDGER="ledger.jsonl")
    config = load_config(settings, load_newsroom(settings))
    ledger = Ledger.open(config.ledger)
    for channel, url in (("li", "https://www.linkedin.com/feed/update/1"), ("social", "https://m.example/@l/2")):
        ledger.begin("p", channel, "k", "2026-06-01T10:00:00+00:00")
        ledger.complete("p", channel, "1", url)

    assert [(c.name, c.label) for c in disclosure_channels(config.channels)] == [("li", "LinkedIn")]
    assert syndicated_copies(settings, config, "public") == {
        "p": [("LinkedIn", "https://www.linkedin.com/feed/update/1"), ("Our Mastodon", "https://m.example/@l/2")]
    }


def test_hashtags_are_made_one_way_for_every_channel():
    assert hashtag("quarterly results") == "#QuarterlyResults"
    assert hashtag("2026") == "" and hashtag("—") == ""
    assert hashtags(["quarterly results", "2026", "wind"]) == "#QuarterlyResults #Wind"
