"""One settings kit: every settings family reports its problems the same way, and no newsroom name is ignored."""

from __future__ import annotations

import pytest

from newsroom.kit.settings import SettingsProblems, SettingsReader, did_you_mean, unknown_names
from newsroom.model.settings import SettingsError
from newsroom.publishing.config import PublishConfigError
from newsroom.syndication.config import ConfigError


def test_every_settings_family_raises_the_one_problems_type():
    for error in (SettingsError, ConfigError, PublishConfigError):
        raised = error(["A: one", "B: two"])
        assert isinstance(raised, SettingsProblems) and raised.problems == ["A: one", "B: two"]
        assert str(raised) == "A: one\nB: two"


@pytest.mark.parametrize(
    "name, hint",
    [
        ("SYNDICATION_ATTENTION_DAY", "did you mean 'SYNDICATION_ATTENTION_DAYS'?"),
        ("NEWSROOM_EMBEDHOSTS", "did you mean 'NEWSROOM_EMBED_HOSTS'?"),
        ("NEWSROOM_QWERTYUIOP_ASDFGH", "expected one of:"),
    ],
)
def test_a_misspelt_syndication_or_newsroom_setting_is_named_with_the_likely_fix(site, name, hint):
    lines = site.check(**{name: 3})
    assert [line for line in lines if line.startswith(f"settings: {name}: unknown setting") and hint in line], lines


def test_a_dictionary_setting_reports_a_wrong_type_and_an_unknown_key_together():
    read = SettingsReader()
    assert read.dictionary({"X": 5}, "X", {"a": 1}) == {"a": 1}
    assert read.dictionary({"Y": {"max_item": 2, "b": 3}}, "Y", {"max_items": 1}) == {"max_items": 1}
    assert read.problems == [
        "X: 5 must be a dictionary (expected keys: a)",
        "Y: unknown key 'b' (expected one of: max_items)",
        "Y: unknown key 'max_item' (did you mean 'max_items'?)",
    ]


def test_names_without_the_newsroom_prefixes_are_pelicans_own_and_left_alone():
    assert unknown_names({"SITENAME": "x", "newsroom_post_facts": {}, "NEWSROOM_QQQQQQQQ": 1}, {"NEWSROOM_Y"}) == [
        "NEWSROOM_QQQQQQQQ: unknown setting (expected one of: NEWSROOM_Y); a setting nothing reads would be "
        "silently ignored"
    ]
    assert did_you_mean("NEWSROOM_FEEDZ", ["NEWSROOM_FEEDS"]) == " (did you mean 'NEWSROOM_FEEDS'?)"
