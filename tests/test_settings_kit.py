"""One settings kit: every settings family reports its problems the same way, and no newsroom name is ignored."""

from __future__ import annotations

import pytest

from newsroom.editor.config import editor_settings
from newsroom.kit.errors import NewsroomError
from newsroom.kit.settings import SettingsProblems, SettingsReader, did_you_mean, unknown_names
from newsroom.model.settings import load_newsroom
from newsroom.publishing.config import load_publish_config
from newsroom.publishing.targets import TARGET_TYPES
from newsroom.site.build import BuildFailed
from newsroom.syndication.config import load_config


def test_every_settings_family_raises_the_one_problems_type(site):
    raised = SettingsProblems(["A: one", "B: two"])
    assert isinstance(raised, NewsroomError) and raised.problems == ["A: one", "B: two"]
    assert str(raised) == "A: one\nB: two"
    settings = site.settings()
    newsroom = load_newsroom(settings)
    families = [
        (load_newsroom, {"NEWSROOM_EDITION": "x"}, "NEWSROOM_EDITION: 'x' is not an edition"),
        (lambda s: load_config(s, newsroom), {"SYNDICATION_CAP": 0}, "SYNDICATION_CAP: 0 must be"),
        (lambda s: load_publish_config(s, TARGET_TYPES), {"NEWSROOM_PUBLISH": 3}, "NEWSROOM_PUBLISH: 3 must be"),
        (editor_settings, {"NEWSROOM_EDITOR": {"repo": "x"}}, "NEWSROOM_EDITOR.repo: 'x' is not a GitHub"),
    ]
    for load, mistake, line in families:
        with pytest.raises(SettingsProblems) as error:
            load({**settings, **mistake})
        assert [problem for problem in error.value.problems if problem.startswith(line)], error.value.problems


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


def test_a_build_stops_on_any_settings_family_with_every_problem_listed(site):
    site.post("a")
    with pytest.raises(BuildFailed) as failure:
        site.build(SYNDICATION_CAP=0, NEWSROOM_EDITOR={"repo": "larkspur"}, SYNDICATION_CHANNELS=[{"type": "fax"}])
    lines = str(failure.value).splitlines()
    assert lines[0] == "settings are invalid:"
    assert "SYNDICATION_CAP: 0 must be a whole number, at least 1" in lines
    assert [line for line in lines if line.startswith("SYNDICATION_CHANNELS[0].type: unknown channel type 'fax'")]
    assert "NEWSROOM_EDITOR.repo: 'larkspur' is not a GitHub repository (expected 'owner/name')" in lines


# The build's own switches, each with a value its own module once refused alone, when the build reached it.
BAD_SWITCHES = {"NEWSROOM_KEEP_PAGES": "False", "NEWSROOM_PARALLEL_RENDER": 0, "NEWSROOM_SEARCH_PAGES_PER_PIECE": 0}


def test_the_builds_own_switches_are_validated_with_every_other_setting(site):
    # One validation for every NEWSROOM_* setting: a switch checked only where the build uses it was reported
    # alone, after the others, and `invoke check` (which does not build) let it pass.
    with pytest.raises(SettingsProblems) as error:
        load_newsroom(site.settings(**BAD_SWITCHES, NEWSROOM_FEEDS={"id_authority": "x.example,2026", "max_items": 0}))
    named = [problem.split(":")[0] for problem in error.value.problems]
    assert sorted(named) == sorted([*BAD_SWITCHES, "NEWSROOM_FEEDS.max_items"]), error.value.problems


@pytest.mark.parametrize("name", sorted(BAD_SWITCHES))
def test_invoke_check_refuses_a_build_switch_the_build_would_refuse(site, name):
    site.post("fine")
    value = BAD_SWITCHES[name]
    assert [line for line in site.check(**{name: value}) if line.startswith(f"settings: {name}: {value!r} is not")]


def test_a_build_lists_a_bad_build_switch_with_every_other_settings_problem(site):
    site.post("a")
    with pytest.raises(BuildFailed) as failure:
        site.build(**BAD_SWITCHES, NEWSROOM_FEEDS={"id_authority": "x.example,2026", "max_items": 0})
    named = {line.split(":")[0] for line in str(failure.value).splitlines()[1:]}
    assert named == {*BAD_SWITCHES, "NEWSROOM_FEEDS.max_items"}, str(failure.value)


def test_channels_and_deploy_targets_name_an_unknown_option_the_same_way(site):
    settings = site.settings()
    channel = {"name": "ir", "type": "outbox", "audiences": ["media"], "folder": "out", "colour": "red"}
    with pytest.raises(SettingsProblems) as error:
        load_config({**settings, "SYNDICATION_CHANNELS": [channel]}, load_newsroom(settings))
    assert error.value.problems[0].startswith("SYNDICATION_CHANNELS[0].colour: unknown setting for a outbox channel")
    target = {"type": "s3", "bucket": "news", "colour": "red"}
    with pytest.raises(SettingsProblems) as error:
        load_publish_config({**settings, "NEWSROOM_PUBLISH": {"target": target}}, TARGET_TYPES)
    assert error.value.problems[0].startswith("NEWSROOM_PUBLISH.target.colour: unknown setting for a s3 target")
