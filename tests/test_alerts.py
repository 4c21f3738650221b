"""NEWSROOM_ALERTS: validated like every NEWSROOM_* setting, and the one source of the subscribe page's sign-up
buttons and forms and of the disclosure channels page's email alerts line."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from conftest import text_of
from newsroom.model.alerts import read_alerts
from newsroom.site.build import BuildFailed

PUBLIC = {"investors", "media", "regulators", "communities"}
SUBSCRIBE_PAGE = "Title: Subscribe\nSlug: subscribe\nSummary: Get our news.\nTemplate: subscribe\n\nChoose.\n"
DISCLOSURE_PAGE = "Title: Disclosure channels\nSlug: disclosure\nSummary: Where.\nTemplate: disclosure\n\nHere.\n"
LISTMONK_UUID = "0d2d7a7e-6a4b-4c36-9d1a-3f1e0b6c9a11"
MAILCHIMP = "https://larkspur.us21.list-manage.com/subscribe/post?u=4f3a9b2c1d&id=7e6d5c4b3a"


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("mailman", "NEWSROOM_ALERTS: 'mailman' must be a dictionary (or leave it out: no email alerts)"),
        ({"provider": "sendgrid", "lists": {}}, "NEWSROOM_ALERTS.provider: 'sendgrid' is not a provider"),
        (
            {"lists": {"all": "alerts@lists.example.com"}},
            "NEWSROOM_ALERTS.sender: missing (expected the address the newsroom's email channels send from",
        ),
        (
            {"sender": "n@example.com", "lists": {"employees": "staff@lists.example.com"}},
            "NEWSROOM_ALERTS.lists.employees: not a public audience (expected some of: all, communities, investors",
        ),
        (
            {"sender": "n@example.com", "lists": {"all": "not an address"}},
            "NEWSROOM_ALERTS.lists.all: 'not an address' is not the list's posting address",
        ),
        (
            {"sender": "n@example.com", "lists": {"all": "a@l.example.com", "media": "a@l.example.com"}},
            "NEWSROOM_ALERTS.lists: 'a@l.example.com' is named twice (expected one list per audience)",
        ),
        (
            {"sender": "n@example.com", "postorius": "http://lists.example.com/", "lists": {"all": "a@l.example.com"}},
            "NEWSROOM_ALERTS.postorius: 'http://lists.example.com/' is not valid (expected Postorius's https root URL",
        ),
        (
            {"provider": "listmonk", "url": "https://lm.example.com", "lists": {"all": "42"}},
            "NEWSROOM_ALERTS.lists.all: '42' is not the list's UUID",
        ),
        (
            {"provider": "mailchimp", "lists": {"all": "https://evil.example.com/subscribe/post?u=1&id=2"}},
            "NEWSROOM_ALERTS.lists.all: 'https://evil.example.com/subscribe/post?u=1&id=2' is not the embedded form",
        ),
        (
            {"provider": "buttondown", "lists": {"all": "larkspur"}, "sender": "n@example.com"},
            "NEWSROOM_ALERTS.sender: unknown setting for buttondown (expected one of: lists, provider, translations, url)",
        ),
        ({"provider": "listmonk", "lists": {"all": LISTMONK_UUID}}, "NEWSROOM_ALERTS.url: missing (expected"),
    ],
)
def test_bad_alert_settings_are_named_with_the_value_and_the_fix(raw, problem):
    alerts, problems = read_alerts(raw, PUBLIC)
    assert not alerts.enabled
    assert any(line.startswith(problem) for line in problems), problems


def test_a_bad_alerts_setting_stops_the_build_with_every_other_problem(site):
    site.post("a")
    with pytest.raises(BuildFailed) as failure:
        site.build(NEWSROOM_ALERTS={"provider": "mailman", "lists": {"investor": "x@l.example.com"}})
    message = str(failure.value)
    assert "NEWSROOM_ALERTS.sender: missing" in message
    assert "NEWSROOM_ALERTS.lists.investor: not a public audience" in message


def signup_blocks(page: str) -> dict[str, lxml_html.HtmlElement]:
    tree = lxml_html.fromstring(page)
    return {section.get("id"): section for section in tree.find_class("subscribe-audience")}


def test_the_mailman_page_offers_join_by_email_and_postorius_per_audience_and_for_everything(site):
    site.file("pages/subscribe.md", SUBSCRIBE_PAGE)
    site.post("a")
    sections = signup_blocks(text_of(site.build(), "subscribe/index.html"))
    assert list(sections) == ["investors", "media", "regulators", "communities", "all-news", "more-feeds"]
    investors = sections["investors"]
    assert investors.findtext(".//h2") == "I'm an investor or analyst"
    links = {a.text_content().strip(): a.get("href") for a in investors.iter("a")}
    assert links["Sign up by email"] == "mailto:investor-alerts-join@lists.larkspur-energy.example?subject=join"
    assert links["Sign up on the web"] == (
        "https://lists.larkspur-energy.example/postorius/lists/investor-alerts.lists.larkspur-energy.example/"
    )
    everything = {a.text_content().strip(): a.get("href") for a in sections["all-news"].iter("a")}
    assert everything["Sign up by email"] == "mailto:newsroom-alerts-join@lists.larkspur-energy.example?subject=join"
    # One feed address to copy (a real field, usable without JavaScript), the other formats behind <details>.
    field = investors.get_element_by_id("investors-feed-url")
    assert field.get("value") == "https://newsroom.larkspur-energy.example/feeds/investors.rss.xml"
    assert field.get("readonly") is not None
    assert investors.find(".//button[@data-copy='investors-feed-url']").get("hidden") is not None
    assert [d.findtext("summary") for d in investors.iter("details")] == [
        "Other formats (Atom 1.0, JSON Feed 1.1)",
        "Feeds for one category only",
    ]


def test_an_audience_without_a_list_points_to_the_list_for_everything(site):
    site.file("pages/subscribe.md", SUBSCRIBE_PAGE)
    site.post("a")
    alerts = {"sender": "n@larkspur.example", "lists": {"all": "all@lists.larkspur.example"}}
    sections = signup_blocks(text_of(site.build(NEWSROOM_ALERTS=alerts), "subscribe/index.html"))
    media = sections["media"]
    assert "There is no email list for news for media" in media.text_content()
    assert [a.get("href") for a in media.iter("a") if "sign up" in a.text_content().lower()] == ["#all-news"]


def test_the_internal_subscribe_page_says_internal_news_has_no_email_alerts(site):
    """Anyone can join an alert list, so internal audiences have none, and the list for everything never carries an
    employees-only post: the internal edition's page must not send employees to it for their news. It says where
    that news is (the intranet, its feed) and links to no list."""
    site.file("pages/subscribe.md", SUBSCRIBE_PAGE)
    site.post("party", Title="Staff party", Id="party", Audience="employees")
    site.post("results", Title="Results", Id="results", Audience="investors")
    sections = signup_blocks(text_of(site.build(edition="internal"), "subscribe/index.html"))
    employees = sections["employees"]
    [alerts] = employees.find_class("signup")
    assert " ".join(alerts.text_content().split()) == (
        "Email alerts There are no email alerts for news for employees: it stays inside the company, on the intranet "
        "and in the feed below."
    )
    assert list(alerts.iter("a")) == []
    assert employees.get_element_by_id("employees-feed-url") is not None  # the feed it points to is there
    # A public audience on the same page still signs up to its list.
    assert "Sign up by email" in sections["investors"].text_content()


@pytest.mark.parametrize(
    "alerts, action, fields",
    [
        (
            {"provider": "listmonk", "url": "https://listmonk.larkspur.example", "lists": {"media": LISTMONK_UUID}},
            "https://listmonk.larkspur.example/subscription/form",
            [("email", "email", ""), ("hidden", "l", LISTMONK_UUID), ("text", "nonce", "")],
        ),
        (
            {"provider": "mailchimp", "lists": {"media": MAILCHIMP}},
            MAILCHIMP,
            [("email", "EMAIL", ""), ("text", "b_4f3a9b2c1d_7e6d5c4b3a", "")],
        ),
        (
            {"provider": "buttondown", "lists": {"media": "larkspur-press"}},
            "https://buttondown.com/api/emails/embed-subscribe/larkspur-press",
            [("email", "email", ""), ("hidden", "embed", "1")],
        ),
    ],
    ids=["listmonk", "mailchimp", "buttondown"],
)
def test_hosted_providers_get_a_plain_html_form_with_their_documented_fields(site, alerts, action, fields):
    site.file("pages/subscribe.md", SUBSCRIBE_PAGE)
    site.post("a")
    page = text_of(site.build(NEWSROOM_ALERTS=alerts), "subscribe/index.html")
    media = signup_blocks(page)["media"]
    (form,) = media.iter("form")
    assert (form.get("method"), form.get("action")) == ("post", action)
    assert [(i.get("type"), i.get("name"), i.get("value") or "") for i in form.iter("input")] == fields
    email = form.find(".//input[@type='email']")
    assert email.get("required") is not None
    assert form.find(f".//label[@for='{email.get('id')}']").text == "Your email address"
    # The page's Content-Security-Policy lets the form go to the service, or browsers refuse to send it.
    policy = lxml_html.fromstring(page).find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    origin = "/".join(action.split("/")[:3])
    assert f"form-action 'self' {origin}" in policy, policy


def test_the_pages_allow_the_sign_up_forms_of_every_language_and_no_other_form_action():
    """One source of truth: the origins the policy allows are those the sign-up forms post to, in every language
    (a language may have lists at another Mailchimp data centre); Mailman's mailto buttons need none."""
    french = "https://larkspur.us5.list-manage.com/subscribe/post?u=1a&id=2b"
    alerts, problems = read_alerts(
        {"provider": "mailchimp", "lists": {"all": MAILCHIMP}, "translations": {"fr": {"lists": {"all": french}}}},
        PUBLIC,
        [("en", "English"), ("fr", "Français")],
    )
    assert problems == []
    assert alerts.form_origins() == ("https://larkspur.us21.list-manage.com", "https://larkspur.us5.list-manage.com")
    mailman, _ = read_alerts({"sender": "n@example.com", "lists": {"all": "a@l.example.com"}}, PUBLIC)
    assert mailman.form_origins() == ()


def alerts_outbox(folder, **extra) -> dict:
    """An outbox channel standing in for the email channels that post to the alert lists, as the sample's does."""
    return {
        "name": "ir-list",
        "type": "outbox",
        "audiences": ["investors"],
        "folder": str(folder),
        "disclosure": True,
        "alerts": True,
        **extra,
    }


def test_the_disclosure_page_has_one_email_alerts_line_only_while_an_alerts_channel_is_a_disclosure_channel(
    site, tmp_path
):
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.post("a")
    alerts_channel = alerts_outbox(tmp_path / "outbox")
    page = text_of(site.build(SYNDICATION_CHANNELS=[alerts_channel]), "disclosure/index.html")
    line = lxml_html.fromstring(page).find(".//li[@data-channel='email-alerts']")
    assert [(a.text, a.get("href")) for a in line.iter("a")] == [
        ("Email alerts for investors", "https://newsroom.larkspur-energy.example/subscribe/#investors"),
        ("Email alerts for all our news", "https://newsroom.larkspur-energy.example/subscribe/#all-news"),
    ]
    assert 'data-channel="ir-list"' not in page  # the alerts channel is that line, not a line of its own

    quiet = {**alerts_channel, "disclosure": False}
    page = text_of(site.build(SYNDICATION_CHANNELS=[quiet]), "disclosure/index.html")
    assert "email-alerts" not in page

    with pytest.raises(BuildFailed) as failure:
        site.build(SYNDICATION_CHANNELS=[alerts_channel], NEWSROOM_ALERTS={})
    assert "SYNDICATION_CHANNELS[0]: an email alerts channel is a disclosure channel, but NEWSROOM_ALERTS" in str(
        failure.value
    )


def test_the_sample_subscribe_page_promises_only_what_the_lists_do():
    """Mailman adds a mailto List-Unsubscribe, not RFC 8058 one-click: the page must not promise one-click."""
    from conftest import ROOT

    text = (ROOT / "content/pages/subscribe.md").read_text(encoding="utf-8")
    assert not re.search(r"one-click", text, re.I)
