"""An email channel that posts to a NEWSROOM_ALERTS list follows that list: NEWSROOM_ALERTS (pelicanconf.py) is
the one place that says which address the lists accept posts from, whom each list serves and how its readers
leave; a channel entry (publishconf.py) that says otherwise is refused when the settings are read, so `invoke
check` and every run stop on it in one line, instead of a green run whose alerts Mailman discards."""

from __future__ import annotations

import pytest
from test_channel_email import post

from conftest import ENGLISH_AND_FRENCH, run_invoke
from newsroom.kit.settings import SettingsProblems
from newsroom.model.settings import load_newsroom
from newsroom.syndication.channel import Attempt
from newsroom.syndication.channels.email import EmailChannel
from newsroom.syndication.config import load_config

ALERTS_SENDER = "newsroom@larkspur-energy.example"  # the sample's NEWSROOM_ALERTS.sender


def channel(to: str, audiences: list[str], **changes) -> dict:
    return {
        "name": "email-alerts",
        "type": "email",
        "audiences": audiences,
        "host": "127.0.0.1",
        "sender": f"Larkspur Energy Newsroom <{ALERTS_SENDER}>",
        "to": to,
        "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
        **changes,
    }


def refusals(settings: dict, entry: dict, key: str) -> list[str]:
    """The problems about `key` of the one channel `entry` (none when the settings are accepted)."""
    try:
        load_config({**settings, "SYNDICATION_CHANNELS": [entry]}, load_newsroom(settings))
    except SettingsProblems as refused:
        return [problem for problem in refused.problems if problem.startswith(f"SYNDICATION_CHANNELS[0].{key}:")]
    return []


def lists(settings: dict) -> dict[str, str]:
    return settings["NEWSROOM_ALERTS"]["lists"]


# --- sender ----------------------------------------------------------------------------------------------


def test_a_channel_to_an_alert_list_must_send_as_the_address_the_lists_accept(site):
    """Mailman discards every post to an alert list but NEWSROOM_ALERTS.sender's: a channel sending as another
    address (even of the company) would report `posted` for alerts no subscriber ever gets."""
    settings = site.settings()
    entry = channel(lists(settings)["media"], ["media"], sender="Newsroom <alerts@larkspur-energy.example>")
    assert refusals(settings, entry, "sender") == [
        "SYNDICATION_CHANNELS[0].sender: 'Newsroom <alerts@larkspur-energy.example>' is not NEWSROOM_ALERTS.sender "
        f"{ALERTS_SENDER!r}, the only address the alert list 'press-alerts@lists.larkspur-energy.example' accepts "
        f"posts from: Mailman would discard every alert (expected the address {ALERTS_SENDER!r}, with any name, "
        f"e.g. 'Newsroom <{ALERTS_SENDER}>')"
    ]
    # The same address in another case, or with another name, is the same sender; a list elsewhere is not checked.
    assert (
        refusals(
            settings, channel(lists(settings)["media"], ["media"], sender="NewsRoom@Larkspur-Energy.example"), "sender"
        )
        == []
    )
    assert refusals(settings, {**entry, "to": "staff-news@larkspur-energy.example"}, "sender") == []


def test_invoke_check_refuses_a_channel_whose_sender_the_lists_do_not_accept(site):
    to = lists(site.settings())["investors"]
    site.overrides["SYNDICATION_CHANNELS"] = [channel(to, ["investors"], sender="alerts@larkspur-energy.example")]
    result = run_invoke("check", "--settings", str(site.settings_file()))
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "SYNDICATION_CHANNELS[0].sender: 'alerts@larkspur-energy.example' is not NEWSROOM_ALERTS.sender" in (
        result.stdout + result.stderr
    )


# --- audiences -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "audience, audiences, expected",
    [
        ("all", ["investors", "media", "regulators"], ["investors", "media", "regulators", "communities"]),
        ("investors", ["media"], ["investors"]),
        ("investors", ["investors", "media"], ["investors"]),
    ],
    ids=["everything-list-missing-communities", "investor-list-gets-media-posts", "investor-list-gets-both"],
)
def test_a_channel_to_an_alert_list_must_carry_exactly_that_lists_audience(site, audience, audiences, expected):
    """NEWSROOM_ALERTS says whom each list serves: the list for everything leaving out an audience would drop its
    posts for every "everything" subscriber without a word; the investors list carrying media posts would mail
    investors what they never signed up for."""
    settings = site.settings()
    to = lists(settings)[audience]
    whom = "every public audience" if audience == "all" else f"the {audience!r} audience"
    assert refusals(settings, channel(to, audiences), "audiences") == [
        f"SYNDICATION_CHANNELS[0].audiences: {audiences!r} is not whom the alert list {to!r} serves: NEWSROOM_ALERTS "
        f"names it the list for {whom} (expected audiences: {expected!r})"
    ]
    assert refusals(settings, channel(to, list(reversed(expected))), "audiences") == []  # any order


def test_a_channel_to_a_french_alert_list_carries_that_lists_audience_too(site):
    settings = site.settings(NEWSROOM_LANGUAGES=ENGLISH_AND_FRENCH)
    french = {
        "all": "alertes-nouvelles@lists.larkspur-energy.example",
        "media": "alertes-presse@lists.larkspur-energy.example",
    }
    settings["NEWSROOM_ALERTS"] = {**settings["NEWSROOM_ALERTS"], "translations": {"fr": {"lists": french}}}
    entry = channel("Presse <Alertes-Presse@lists.larkspur-energy.example>", ["investors"], language="fr")
    assert [problem.split(":")[0] for problem in refusals(settings, entry, "audiences")] == [
        "SYNDICATION_CHANNELS[0].audiences"
    ]
    assert refusals(settings, {**entry, "audiences": ["media"]}, "audiences") == []


# --- unsubscribe -----------------------------------------------------------------------------------------


def test_an_alert_to_a_mailman_list_tells_its_readers_the_lists_leave_address(site):
    """Without `unsubscribe`, the alert used to say "To unsubscribe, email <the sender>", which unsubscribes no
    one: for a Mailman alert list the address is the list's own `-leave` address, derived from the list."""
    settings = site.settings()
    to = lists(settings)["investors"]
    entry = channel(to, ["investors"], reply_to="press@larkspur-energy.example")
    [config] = load_config({**settings, "SYNDICATION_CHANNELS": [entry]}, load_newsroom(settings)).channels
    assert config.options["unsubscribe"] == "investor-alerts-leave@lists.larkspur-energy.example"
    email = EmailChannel(config, {"username": "u", "password": "p"})
    plain = email.render(post()).extras["plain"]
    assert 'To unsubscribe, email investor-alerts-leave@lists.larkspur-energy.example with the subject "' in plain
    mail = email.compose(email.render(post()), Attempt(key="nr-1", started_at="2026-06-01T20:05:00+00:00"))
    assert (
        mail["List-Unsubscribe"] == "<mailto:investor-alerts-leave@lists.larkspur-energy.example?subject=unsubscribe>"
    )


def test_a_channel_to_an_alert_list_may_not_name_another_unsubscribe_address(site):
    settings = site.settings()
    to = lists(settings)["investors"]
    assert refusals(
        settings, channel(to, ["investors"], unsubscribe="newsroom@larkspur-energy.example"), "unsubscribe"
    ) == [
        "SYNDICATION_CHANNELS[0].unsubscribe: 'newsroom@larkspur-energy.example' does not unsubscribe from the alert "
        f"list {to!r} (expected its leave address 'investor-alerts-leave@lists.larkspur-energy.example', or leave "
        "unsubscribe out: it is derived from the list)"
    ]
    same = channel(to, ["investors"], unsubscribe="Investor-Alerts-Leave@lists.larkspur-energy.example")
    assert refusals(settings, same, "unsubscribe") == []
    # An address that is no alert list (a staff list, a hosted service) keeps the channel's own choice.
    elsewhere = channel(
        "staff@larkspur-energy.example", ["investors"], unsubscribe="staff-leave@larkspur-energy.example"
    )
    [config] = load_config({**settings, "SYNDICATION_CHANNELS": [elsewhere]}, load_newsroom(settings)).channels
    assert config.options["unsubscribe"] == "staff-leave@larkspur-energy.example"
