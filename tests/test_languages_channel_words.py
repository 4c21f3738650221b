"""What a channel writes around a post is in the language of the version it sends: Slack's and Teams's button,
Teams's facts, an email alert's link, date and footer, the category's name and the time. Through the real
`invoke syndicate` code path to loopback receivers (Slack, Teams, a signed webhook, aiosmtpd), with the English
words each channel writes listed, so that a French message carrying one of them fails."""

from __future__ import annotations

import gettext
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from servers.slack import SlackWebhook, check_payload
from servers.smtp import SmtpServer
from servers.teams import TeamsWorkflow, check_card
from servers.webhook import WebhookReceiver
from test_languages import LANGUAGES, MATERIAL, french

from conftest import ROOT, TinySite
from newsroom.model import wording as phrases
from newsroom.model.wording import Wording, wording
from newsroom.syndication import command
from newsroom.syndication.alerts import _alert_post
from newsroom.syndication.attention import OpenItem
from newsroom.syndication.channels.email import EmailChannel
from newsroom.syndication.channels.slack import SlackChannel
from newsroom.syndication.channels.teams import PAYLOAD_LIMIT, TeamsChannel
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.post_words import PostWords
from newsroom.syndication.published import PublishedPost, read_manifest
from newsroom.syndication.states import State

SECRET = "whsec-fedcba9876543210fedcba9876543210"
USER, PASSWORD = "newsroom-alerts", "correct-horse-battery-staple"
SENDER = "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>"
RELEASE_ID = MATERIAL["Id"]
FRENCH_TITLE = "Larkspur met en service le parc éolien de Kessler Ridge"
# Every word the channels write themselves in English, and the English category name and month of the release.
ENGLISH_WORDS = (
    "Read the post",
    "Category",
    "Published",
    "You receive this",
    "subscribed to",
    "alerts.",
    "To unsubscribe",
    "with the subject",
    "Press releases",
    "June",
)
FRENCH_TIME = "1 juin 2026, 10:00 UTC-04:00"  # the release's Date, 2026-06-01 10:00 America/New_York
ENGLISH_TIME = "1 June 2026, 10:00 UTC-04:00"


def english_words_in(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if word in text]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A material release in English and French and an English-only post, built in both editions, then sent
    once to an English and a French channel of each kind; fallback allowed, so the French channels also get the
    English-only post in English."""
    site = TinySite(tmp_path_factory.mktemp("channel-words"))
    (site.content / "pages").mkdir(parents=True)
    with (
        SlackWebhook() as slack_en,
        SlackWebhook() as slack_fr,
        TeamsWorkflow() as teams_en,
        TeamsWorkflow() as teams_fr,
        WebhookReceiver(SECRET) as hook_en,
        WebhookReceiver(SECRET) as hook_fr,
        SmtpServer(USER, PASSWORD) as smtp,
    ):
        every = {"audiences": ["media", "investors"]}
        email = {
            "type": "email",
            "host": "127.0.0.1",
            "port": smtp.port,
            "security": "none",
            "sender": SENDER,
            "credentials": {"username": "SMTP_USER", "password": "SMTP_PASSWORD"},
        }
        channels = [
            {"name": "slack-en", "type": "slack", "internal": True, "credentials": {"webhook_url": "SLACK_EN"}},
            {"name": "slack-fr", "type": "slack", "internal": True, "credentials": {"webhook_url": "SLACK_FR"}},
            {"name": "teams-en", "type": "teams", "internal": True, "credentials": {"webhook_url": "TEAMS_EN"}},
            {"name": "teams-fr", "type": "teams", "internal": True, "credentials": {"webhook_url": "TEAMS_FR"}},
            {"name": "hook-en", "type": "webhook", "url": hook_en.hook_url, "credentials": {"secret": "HOOK"}},
            {"name": "hook-fr", "type": "webhook", "url": hook_fr.hook_url, "credentials": {"secret": "HOOK"}},
            {"name": "email-en", **email, "to": "press@larkspur-energy.example"},
            {"name": "email-fr", **email, "to": "presse@larkspur-energy.example"},
        ]
        channels = [
            {**every, **channel, **({"language": "fr"} if channel["name"].endswith("-fr") else {})}
            for channel in channels
        ]
        site.overrides.update(
            NEWSROOM_LANGUAGES=LANGUAGES,
            NEWSROOM_TRANSLATION_RULES={"one_language_first": True, "channel_fallback": True},
            SYNDICATION_CHANNELS=channels,
            SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        )
        site.post("release", **MATERIAL)
        french(site, "release-fr", **MATERIAL)
        site.post("english-only", Title="Larkspur opens a visitor centre", Date="2026-06-02 10:00 UTC", Id="centre")
        environ = {
            "SLACK_EN": slack_en.url,
            "SLACK_FR": slack_fr.url,
            "TEAMS_EN": teams_en.webhook_url,
            "TEAMS_FR": teams_fr.webhook_url,
            "HOOK": SECRET,
            "SMTP_USER": USER,
            "SMTP_PASSWORD": PASSWORD,
        }
        code, printed = syndicate_both_editions(site, environ)
        mail = {"en": [], "fr": []}
        for delivery in smtp.deliveries:
            mail["fr" if delivery.rcpt_tos == ["presse@larkspur-energy.example"] else "en"].append(delivery.message)
        yield {
            "code": code,
            "printed": printed,
            "site": site,
            "slack": {"en": slack_en.delivered, "fr": slack_fr.delivered},
            "teams": {"en": teams_en.cards, "fr": teams_fr.cards},
            "hook": {
                "en": [d["data"]["post"] for d in hook_en.deliveries],
                "fr": [d["data"]["post"] for d in hook_fr.deliveries],
            },
            "mail": mail,
        }


def syndicate_both_editions(site: TinySite, environ: dict[str, str]) -> tuple[int, str]:
    """Build the public and internal editions, then run `invoke syndicate` once to the site's channels (the
    ledger knowing them all, so that every post is new to each): the exit code and what the run printed."""
    site.build()
    site.build(edition="internal")
    Ledger.open(site.root / "ledger.jsonl").know(
        {channel["name"] for channel in site.overrides["SYNDICATION_CHANNELS"]}
    )
    lines: list[str] = []
    code = command.syndicate(site.settings(), environ=environ, out=lines.append, sleep=lambda seconds: None)
    return code, "\n".join(lines)


def slack_words(payload: dict) -> tuple[str, str]:
    """(the context line, the button) of a Slack message."""
    context = next(block for block in payload["blocks"] if block["type"] == "context")["elements"][0]["text"]
    actions = next(block for block in payload["blocks"] if block["type"] == "actions")
    return context, actions["elements"][0]["text"]["text"]


def teams_words(message: dict) -> tuple[list[tuple[str, str]], str]:
    """(the facts, the button) of a Teams card: each fact a line of a bold name and its value."""
    content = message["attachments"][0]["content"]
    lines = [element["inlines"] for element in content["body"] if element["type"] == "RichTextBlock"]
    facts = [(name["text"], value["text"].removeprefix(" ")) for name, value in (i for i in lines if len(i) == 2)]
    return facts, content["actions"][0]["title"]


def title_of_slack(payload: dict) -> str:
    return payload["blocks"][0]["text"]["text"]


def title_of_teams(message: dict) -> str:
    return message["attachments"][0]["content"]["body"][0]["inlines"][0]["text"]


def test_every_channel_got_its_versions(run):
    assert run["code"] == 0, run["printed"]
    assert [title_of_slack(p) for p in run["slack"]["fr"]] == [FRENCH_TITLE, "Larkspur opens a visitor centre"]
    assert [title_of_teams(m) for m in run["teams"]["fr"]] == [FRENCH_TITLE, "Larkspur opens a visitor centre"]
    assert [post["title"] for post in run["hook"]["fr"]] == [FRENCH_TITLE, "Larkspur opens a visitor centre"]
    assert [mail["Subject"] for mail in run["mail"]["fr"]] == [FRENCH_TITLE, "Larkspur opens a visitor centre"]
    for kind in ("slack", "teams", "hook", "mail"):
        assert len(run[kind]["en"]) == 2, kind


def test_a_french_slack_message_says_its_button_category_and_date_in_french(run):
    payload = run["slack"]["fr"][0]
    assert slack_words(payload) == (f"Communiqués de presse · {FRENCH_TIME}", "Lire la publication")
    assert english_words_in(json.dumps(payload, ensure_ascii=False)) == []
    assert check_payload(payload) == ""


def test_a_french_teams_card_says_its_facts_and_button_in_french(run):
    message = run["teams"]["fr"][0]
    assert teams_words(message) == (
        [("Catégorie", "Communiqués de presse"), ("Publié", FRENCH_TIME)],
        "Lire la publication",
    )
    assert english_words_in(json.dumps(message, ensure_ascii=False)) == []


def test_a_french_webhook_delivery_names_the_french_category_date_and_language(run):
    post = run["hook"]["fr"][0]
    assert (post["category"], post["published_text"], post["language"]) == (
        "Communiqués de presse",
        FRENCH_TIME,
        "fr",
    )
    assert english_words_in(json.dumps(post, ensure_ascii=False)) == []


def test_a_french_email_alert_says_its_link_date_and_footer_in_french(run):
    mail = run["mail"]["fr"][0]
    plain = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    markup = mail.get_body(("html",)).get_content().replace("\r\n", "\n")
    url = run["hook"]["fr"][0]["url"]
    assert plain.splitlines()[:2] == [FRENCH_TITLE, FRENCH_TIME]
    assert f"Lire la publication : {url}" in plain.splitlines()
    assert plain.endswith(
        "Vous recevez ce courriel parce que vous êtes abonné aux alertes de Larkspur Energy Newsroom.\n"
        "Pour vous désabonner, écrivez à newsroom@larkspur-energy.example avec l’objet « unsubscribe ».\n"
    )
    assert f'<a href="{url}">Lire la publication</a>' in markup
    assert (
        'Pour vous désabonner, écrivez à <a href="mailto:newsroom@larkspur-energy.example?subject=unsubscribe">'
        "newsroom@larkspur-energy.example</a> avec l’objet « unsubscribe ».</small>"
    ) in markup
    for part in (plain, markup):
        assert english_words_in(part) == [], part


def test_the_english_version_to_the_english_channels_is_what_a_newsroom_in_one_language_sends(run):
    """The English words, category and time of today's messages: a post read from the manifest with no
    language's words renders exactly what the English channels received."""
    assert slack_words(run["slack"]["en"][0]) == (f"Press releases · {ENGLISH_TIME}", "Read the post")
    assert teams_words(run["teams"]["en"][0]) == (
        [("Category", "Press releases"), ("Published", ENGLISH_TIME)],
        "Read the post",
    )
    assert (run["hook"]["en"][0]["category"], run["hook"]["en"][0]["published_text"]) == (
        "Press releases",
        ENGLISH_TIME,
    )
    plain = run["mail"]["en"][0].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.endswith(
        "You receive this because you subscribed to Larkspur Energy Newsroom alerts.\n"
        'To unsubscribe, email newsroom@larkspur-energy.example with the subject "unsubscribe".\n'
    )
    release = next(post for post in read_manifest(run["site"].root / "output-internal").posts if post.id == RELEASE_ID)
    slack = SlackChannel(ChannelConfig("slack-en", "slack", ("media",), True, {}, {}), {})
    assert slack.render(release).extras["payload"] == run["slack"]["en"][0]


def test_a_fallback_send_of_the_english_version_to_a_french_channel_is_in_english(run):
    """channel_fallback sends the default version as it is: its English text, around English words."""
    assert slack_words(run["slack"]["fr"][1]) == ("News · 2 June 2026, 10:00 UTC", "Read the post")
    assert teams_words(run["teams"]["fr"][1]) == (
        [("Category", "News"), ("Published", "2 June 2026, 10:00 UTC")],
        "Read the post",
    )
    assert run["hook"]["fr"][1]["category"] == "News" and run["hook"]["fr"][1]["language"] == "en"
    assert "Read the post: " in run["mail"]["fr"][1].get_body(("plain",)).get_content().replace("\r\n", "\n")


# --- every word in the catalogue, and within each platform's limits --------------------------------------

CHANNEL_PHRASES = (
    phrases.READ_THE_POST,
    phrases.READ_THE_POST_AT,
    phrases.CATEGORY,
    phrases.PUBLISHED,
    phrases.SUBSCRIBED_TO_LIST,
    phrases.SUBSCRIBED_TO_ALERTS,
    phrases.UNSUBSCRIBE_BY_EMAIL,
    phrases.UNSUBSCRIBE_BY_EMAIL_HTML,
)


@pytest.mark.parametrize("phrase", CHANNEL_PHRASES)
def test_every_word_a_channel_writes_is_translated_in_the_french_catalogue(phrase):
    french_words = wording({"DEFAULT_LANG": "en", "THEME": str(ROOT / "theme")}, "fr")
    assert french_words.catalogue.gettext(phrase) != phrase


class LongCatalogue(gettext.NullTranslations):
    """A catalogue whose every translation is long: a language with longer words than Slack allows a button."""

    def gettext(self, message: str) -> str:
        return "Lisez " * 40 + message


def french_post(**changes) -> PublishedPost:
    post = PublishedPost(
        id=f"{RELEASE_ID}@fr",
        title=FRENCH_TITLE,
        url="https://newsroom.larkspur-energy.example/fr/press-releases/2026/kessler/",
        summary="Le parc de 240 MW alimente maintenant le réseau.",
        published=datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=-4))),
        audiences=("media",),
        category="Press releases",
        language="fr",
    )
    return replace(post, **changes)


def test_a_long_translation_of_slacks_button_is_cut_to_slacks_75_characters():
    words = PostWords("Communiqués de presse", Wording("fr", LongCatalogue()))
    message = SlackChannel(ChannelConfig("slack-fr", "slack", ("media",), True, {}, {}), {}).render(
        french_post(words=words)
    )
    _, button = slack_words(message.extras["payload"])
    assert len(button) <= 75 and button.startswith("Lisez Lisez") and button.endswith("…")
    assert check_payload(message.extras["payload"]) == ""


def test_a_french_teams_card_counts_its_french_facts_within_teams_limit():
    words = PostWords("Communiqués de presse", Wording("fr", LongCatalogue()))
    channel = TeamsChannel(ChannelConfig("teams-fr", "teams", ("media",), True, {}, {}), {})
    message = channel.render(french_post(summary="é" * 40_000, words=words))
    facts, button = teams_words(message.extras["payload"])
    assert facts[0][0].endswith("Category") and button.endswith("Read the post")  # the long words were sent
    assert message.length <= PAYLOAD_LIMIT
    assert len(json.dumps(message.extras["payload"], ensure_ascii=False).encode()) <= PAYLOAD_LIMIT
    assert check_card(message.extras["payload"]) == ""


def test_the_alert_that_syndication_needs_a_person_stays_in_english_on_a_french_channel():
    """The operator's alert is not a post: it is in English whatever the channel's language."""
    item = OpenItem(
        post=f"{RELEASE_ID}@fr",
        channel="hook-fr",
        state=State.UNCERTAIN,
        since=datetime(2026, 6, 1, 14, 0, tzinfo=UTC),
        reason="no answer",
    )
    settings = {"host": "127.0.0.1", "security": "none", "sender": SENDER, "to": "ops@larkspur-energy.example"}
    channel = EmailChannel(ChannelConfig("email-fr", "email", ("employees",), True, settings, {}, language="fr"), {})
    plain = channel.render(_alert_post(item, channel, "https://newsroom.example/fr/x/")).extras["plain"]
    assert plain.startswith("Syndication needs a person: ")
    assert "Read the post: https://newsroom.example/fr/x/" in plain and "Lire" not in plain
