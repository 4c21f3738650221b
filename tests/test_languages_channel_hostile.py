"""A French settings text (a category's or audience's name, a contact's role, the company's boilerplate) is
written by whoever can change the settings, and a channel puts some of them around a post: the category's name in
Slack's context line, Teams's facts and the webhook's data. Whatever those texts hold (HTML, Slack's mentions and
links, Markdown), each channel must carry them as inert text: no live mention, no link but the post's own, HTML
escaped where a receiver reads HTML.

Through the real `invoke syndicate` code path to the loopback receivers (Slack, Teams, a signed webhook,
aiosmtpd), with every French settings text made hostile.
"""

from __future__ import annotations

import copy
import html
import re

import pytest
from servers.slack import SlackWebhook, check_payload
from servers.smtp import SmtpServer
from servers.teams import TeamsWorkflow, check_card
from servers.webhook import WebhookReceiver
from test_languages import LANGUAGES, MATERIAL, french
from test_languages_channel_words import PASSWORD, SECRET, USER, syndicate_both_editions

from conftest import ROOT, TinySite
from newsroom.site.build import load_settings
from newsroom.syndication.channels.slack import mrkdwn

# Every construct a channel could bring to life: HTML, Slack's mentions and links (mrkdwn), Markdown (Teams's
# TextBlock and facts), and the characters each escapes.
HOSTILE = (
    "<script>alert(1)</script> <b>gras</b> R&D @everyone @channel <!channel> <!here> <!everyone> <@U024BE7LH> "
    "[lien](javascript:alert(1)) <http://evil.example|cliquez> <https://evil.example> *gras* **fort** _italique_ "
    "~barré~ ~~barré~~ `code` &amp; &lt;"
)
SETTINGS_WITH_TEXTS = ("NEWSROOM_COMPANY", "NEWSROOM_AUDIENCES", "NEWSROOM_CATEGORIES", "NEWSROOM_CONTACTS")
FRENCH_CATEGORY = f"Communiqués de presse {HOSTILE}"  # MATERIAL's category, in French


def hostile_in_french(value):
    """`value` (a setting) with every French text of its `translations` followed by HOSTILE."""
    value = copy.deepcopy(value)
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        texts = entry.get("translations", {}).get("fr", {})
        for key, text in texts.items():
            texts[key] = f"{text} {HOSTILE}"
    return value


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The material release in English and French, built in both editions, sent once to a French channel of
    each kind."""
    site = TinySite(tmp_path_factory.mktemp("channel-hostile"))
    (site.content / "pages").mkdir(parents=True)
    project = load_settings(ROOT / "pelicanconf.py")
    with (
        SlackWebhook() as slack,
        TeamsWorkflow() as teams,
        WebhookReceiver(SECRET) as hook,
        SmtpServer(USER, PASSWORD) as smtp,
    ):
        every = {"audiences": ["media", "investors"], "language": "fr"}
        channels = [
            {"name": "slack-fr", "type": "slack", "internal": True, "credentials": {"webhook_url": "SLACK"}},
            {"name": "teams-fr", "type": "teams", "internal": True, "credentials": {"webhook_url": "TEAMS"}},
            {"name": "hook-fr", "type": "webhook", "url": hook.hook_url, "credentials": {"secret": "HOOK"}},
            {
                "name": "email-fr",
                "type": "email",
                "host": "127.0.0.1",
                "port": smtp.port,
                "security": "none",
                "sender": "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>",
                "to": "presse@larkspur-energy.example",
                "credentials": {"username": "SMTP_USER", "password": "SMTP_PASSWORD"},
            },
        ]
        site.overrides.update(
            {name: hostile_in_french(project[name]) for name in SETTINGS_WITH_TEXTS},
            NEWSROOM_LANGUAGES=LANGUAGES,
            NEWSROOM_TRANSLATION_RULES={"one_language_first": True, "channel_fallback": False},
            SYNDICATION_CHANNELS=[{**every, **channel} for channel in channels],
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        )
        site.post("release", **MATERIAL)
        french(site, "release-fr", **MATERIAL)
        environ = {
            "SLACK": slack.url,
            "TEAMS": teams.webhook_url,
            "HOOK": SECRET,
            "SMTP_USER": USER,
            "SMTP_PASSWORD": PASSWORD,
        }
        code, printed = syndicate_both_editions(site, environ)
        assert code == 0, printed
        hooks = [delivery["data"]["post"] for delivery in hook.deliveries]
        assert len(hooks) == 1 and hooks[0]["language"] == "fr", hooks
        public, internal = (site.settings(edition=edition)["SITEURL"] for edition in ("public", "internal"))
        yield {
            "url": hooks[0]["url"],
            # Slack and Teams are internal channels: they link the post in the internal edition.
            "internal_url": internal + hooks[0]["url"].removeprefix(public),
            "slack": slack.delivered,
            "teams": teams.cards,
            "hook": hooks,
            "mail": [delivery.message for delivery in smtp.deliveries],
        }


def strings_under(value, path=()):
    """(path of keys, string) for every string in a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_under(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from strings_under(item, path)


def dicts_under(value):
    """Every dictionary in a JSON value, itself included."""
    if isinstance(value, dict):
        yield value
    for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        yield from dicts_under(item)


def test_the_french_category_reaches_every_channel_that_names_it(run):
    """Otherwise the tests below would prove nothing: the hostile text is in what was sent."""
    assert [post["category"] for post in run["hook"]] == [FRENCH_CATEGORY]
    assert any(FRENCH_CATEGORY in text or mrkdwn(FRENCH_CATEGORY) in text for _, text in strings_under(run["slack"]))
    assert any(FRENCH_CATEGORY in text for _, text in strings_under(run["teams"]))
    assert len(run["mail"]) == 1


def test_slack_shows_the_settings_texts_as_text_and_its_only_link_is_the_posts(run):
    (payload,) = run["slack"]
    assert check_payload(payload) == ""  # every mrkdwn text has Slack's &, < and > escaped
    for block in payload["blocks"]:
        for path, text in strings_under(block):
            if path[-1] in ("url", "image_url"):
                assert text == run["internal_url"], (path, text)
    # A settings text is shown only where Slack parses nothing (plain_text): in mrkdwn, *, _, ~ and ` format it
    # and Slack has no escape for them.
    texts = [element for block in payload["blocks"] for element in block.get("elements", [block.get("text")])]
    shown = [element for element in texts if isinstance(element, dict) and FRENCH_CATEGORY in element.get("text", "")]
    assert shown and all(element["type"] == "plain_text" for element in shown), shown
    mrkdwn = [payload["text"], *(item["text"] for item in dicts_under(payload) if item.get("type") == "mrkdwn")]
    for text in mrkdwn:
        assert not re.search(r"<[!@#]|<https?:", text), text  # no live mention or link


def test_teams_shows_the_settings_texts_in_text_runs_where_markdown_is_not_read(run):
    """Teams reads Markdown in a TextBlock's text and a fact's title and value ([x](y) is a link, **x** bold),
    with no escape its clients agree on; a RichTextBlock's TextRun is shown as it is."""
    (message,) = run["teams"]
    assert check_card(message) == ""
    content = message["attachments"][0]["content"]
    markdown, runs, urls = [], [], []
    for element in content["body"]:
        if element["type"] == "TextBlock":
            markdown.append(element["text"])
        elif element["type"] == "FactSet":
            markdown += [text for fact in element["facts"] for text in (fact["title"], fact["value"])]
        elif element["type"] == "RichTextBlock":
            runs += [inline["text"] for inline in element["inlines"]]
        urls += [text for path, text in strings_under(element) if path[-1] == "url" and element["type"] != "Image"]
    urls += [action["url"] for action in content["actions"]]
    assert any(FRENCH_CATEGORY in text for text in runs), runs
    assert not [text for text in markdown if HOSTILE in text], markdown
    assert urls and set(urls) == {run["internal_url"]}
    assert "msteams" not in content  # mentions need an entity: none is sent


def test_the_webhook_carries_the_settings_texts_as_data_exactly_as_written(run):
    """A JSON string is data: the receiver escapes it for wherever it shows it. Altered or pre-escaped, it would
    show '&amp;' to the receiver's readers."""
    (post,) = run["hook"]
    assert post["category"] == FRENCH_CATEGORY
    links = [text for path, text in strings_under(post) if re.match(r"(?i)\s*(https?|javascript):", text)]
    assert links == [post["url"]]


def test_the_french_email_escapes_every_text_and_links_only_the_post_and_the_unsubscribe_address(run):
    (mail,) = run["mail"]
    markup = mail.get_body(("html",)).get_content()
    assert not re.search(r"(?i)<script|<b>|javascript:", markup)
    hrefs = re.findall(r'<a href="([^"]*)"', markup)
    assert hrefs and set(hrefs) <= {
        html.escape(run["url"]),
        "mailto:newsroom@larkspur-energy.example?subject=unsubscribe",
    }
    assert HOSTILE not in markup  # a settings text that reaches the HTML part does so escaped
    plain = mail.get_body(("plain",)).get_content()
    assert "<!channel>" not in plain and "javascript:" not in plain
