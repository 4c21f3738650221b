"""Email alert lists in each of the newsroom's languages (NEWSROOM_ALERTS `translations`): refused when they
cannot be right, offered on each language's pages, and posted to only by a channel in their language.

Real builds of a tiny site in English and French, read as HTML; the settings through the same validation the
build and `invoke syndicate` run.
"""

from __future__ import annotations

import copy

import pytest
from lxml import html as lxml_html
from servers.smtp import SmtpServer
from test_alerts import alerts_outbox

from conftest import ENGLISH_AND_FRENCH, ROOT, WITHHELD_KINDS, text_of
from newsroom.kit.settings import SettingsProblems
from newsroom.model.alerts import read_alerts
from newsroom.model.settings import load_newsroom
from newsroom.site.build import BuildFailed, load_settings
from newsroom.syndication import command
from newsroom.syndication.config import load_config
from newsroom.syndication.ledger import Ledger

PUBLIC = {"investors", "media", "regulators", "communities"}
LANGUAGES = [("en", "English"), ("fr", "Français")]
HOST = "lists.larkspur-energy.example"
ENGLISH = {"all": f"newsroom-alerts@{HOST}", "investors": f"investor-alerts@{HOST}"}
FRENCH = {"all": f"alertes-nouvelles@{HOST}", "investors": f"alertes-investisseurs@{HOST}"}
SENDER = "newsroom@larkspur-energy.example"


def alerts_setting(french: object = None, **extra) -> dict:
    setting = {"provider": "mailman", "sender": SENDER, "lists": dict(ENGLISH), **extra}
    if french is not None:
        setting["translations"] = {"fr": {"lists": french}}
    return setting


@pytest.mark.parametrize(
    "raw, languages, problem",
    [
        (  # a French list that is an English one: French readers would get the English alerts, and vice versa
            alerts_setting({**FRENCH, "investors": ENGLISH["investors"]}),
            LANGUAGES,
            f"NEWSROOM_ALERTS.translations.fr.lists.investors: {ENGLISH['investors']!r} is already the English (en) "
            "list for 'investors' (expected a list of its own: the Français alerts would reach the English list's "
            "readers)",
        ),
        (  # the same list, written in capitals: Mailman's list names are not case-sensitive
            alerts_setting({**FRENCH, "investors": ENGLISH["investors"].upper()}),
            LANGUAGES,
            f"NEWSROOM_ALERTS.translations.fr.lists.investors: {ENGLISH['investors'].upper()!r} is already the "
            "English (en) list for 'investors'",
        ),
        (
            alerts_setting({**FRENCH, "investisseurs": f"x@{HOST}"}),
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr.lists.investisseurs: not a public audience (expected some of: all, "
            "communities, investors, media, regulators;",
        ),
        (
            alerts_setting({**FRENCH, "employees": f"personnel@{HOST}"}),
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr.lists.employees: not a public audience",
        ),
        (
            {**alerts_setting(), "translations": {"fe": {"lists": FRENCH}}},
            LANGUAGES,
            "NEWSROOM_ALERTS.translations: unknown language 'fe' (expected one of NEWSROOM_LANGUAGES' other "
            "languages: fr)",
        ),
        (
            {**alerts_setting(), "translations": {"en": {"lists": FRENCH}}},
            LANGUAGES,
            "NEWSROOM_ALERTS.translations: unknown language 'en' (expected one of NEWSROOM_LANGUAGES' other",
        ),
        (  # a newsroom in one language: lists for another would be silently ignored
            alerts_setting(FRENCH),
            (),
            "NEWSROOM_ALERTS.translations: unknown language 'fr' (NEWSROOM_LANGUAGES has no other language than "
            "the default: add it there, or remove these lists)",
        ),
        (
            alerts_setting({"all": "pas une adresse"}),
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr.lists.all: 'pas une adresse' is not the list's posting address",
        ),
        (
            alerts_setting({"all": FRENCH["all"], "media": FRENCH["all"]}),
            LANGUAGES,
            f"NEWSROOM_ALERTS.translations.fr.lists: {FRENCH['all']!r} is named twice (expected one list per audience)",
        ),
        (alerts_setting({}), LANGUAGES, "NEWSROOM_ALERTS.translations.fr.lists: {} must map 'all' and public"),
        (
            {**alerts_setting(), "translations": {"fr": {"list": FRENCH}}},
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr: unknown key 'list' (did you mean 'lists'?)",
        ),
        (
            {**alerts_setting(), "translations": {"fr": {"lists": FRENCH, "sender": "autre@example.com"}}},
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr: unknown key 'sender' (expected only 'lists': the other settings serve "
            "every language)",
        ),
        (
            {**alerts_setting(), "translations": ["fr"]},
            LANGUAGES,
            "NEWSROOM_ALERTS.translations: ['fr'] must be a dictionary (expected {'fr': {'lists': {'all': …,",
        ),
        (  # a hosted service's list, too, belongs to one language
            {
                "provider": "buttondown",
                "lists": {"all": "larkspur"},
                "translations": {"fr": {"lists": {"all": "larkspur"}}},
            },
            LANGUAGES,
            "NEWSROOM_ALERTS.translations.fr.lists.all: 'larkspur' is already the English (en) list for 'all'",
        ),
    ],
    ids=[
        "french-list-is-english",
        "french-list-is-english-in-capitals",
        "unknown-audience",
        "internal-audience",
        "typo-language",
        "default-language",
        "one-language-newsroom",
        "bad-address",
        "twice-in-french",
        "empty",
        "typo-key",
        "sender-per-language",
        "not-a-dictionary",
        "hosted-shared",
    ],
)
def test_lists_in_another_language_that_cannot_be_right_are_refused_in_one_line_each(raw, languages, problem):
    alerts, problems = read_alerts(raw, PUBLIC, languages)
    assert not alerts.enabled  # nothing half-read: the build stops
    assert any(line.startswith(problem) for line in problems), problems


def test_each_language_has_its_own_lists_and_a_language_without_lists_offers_the_defaults_marked():
    three = [*LANGUAGES, ("de", "Deutsch")]
    alerts, problems = read_alerts(alerts_setting(FRENCH), PUBLIC, three)
    assert problems == []
    assert [(lists.language, dict(lists.lists)) for lists in alerts.every_language()] == [
        ("en", ENGLISH),
        ("fr", FRENCH),
    ]
    assert alerts.in_language("fr").list_for("investors") == FRENCH["investors"]
    assert alerts.in_language("FR").fallback_language == ""  # its own lists: nothing to say
    assert alerts.in_language("en").list_for("investors") == ENGLISH["investors"]
    german = alerts.in_language("de")
    assert german.list_for("investors") == ENGLISH["investors"] and german.fallback_language == "en"
    assert german.sign_up("investors").language == "en"
    assert alerts.language_of(FRENCH["all"]) == "fr" and alerts.language_of(ENGLISH["all"]) == "en"
    assert alerts.language_of("someone@example.com") is None


def sample_alerts() -> dict:
    return copy.deepcopy(load_settings(ROOT / "pelicanconf.py")["NEWSROOM_ALERTS"])


def test_the_sample_has_french_lists_for_every_audience_the_english_ones_serve():
    alerts, problems = read_alerts(sample_alerts(), PUBLIC, LANGUAGES)
    assert problems == []
    english, french = alerts.every_language()
    assert [audience for audience, _ in french.lists] == [audience for audience, _ in english.lists]
    assert not set(dict(french.lists).values()) & set(dict(english.lists).values())


SUBSCRIBE = "Title: Subscribe\nSlug: subscribe\nSummary: Get our news.\nTemplate: subscribe\n\nChoose.\n"
ABONNEMENT = (
    "Title: S’abonner\nId: pages/subscribe\nLang: fr\nSlug: abonnement\nSummary: Nos nouvelles.\n"
    "Template: subscribe\n\nChoisissez.\n"
)
DISCLOSURE = "Title: Disclosure channels\nSlug: disclosure\nSummary: Where.\nTemplate: disclosure\n\nHere.\n"
CANAUX = (
    "Title: Canaux de communication\nId: pages/disclosure\nLang: fr\nSlug: canaux\nSummary: Où.\n"
    "Template: disclosure\n\nIci.\n"
)


@pytest.fixture
def bilingual(site, tmp_path):
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("a", Id="a")
    for name, text in {
        "subscribe": SUBSCRIBE,
        "subscribe-fr": ABONNEMENT,
        "disclosure": DISCLOSURE,
        "disclosure-fr": CANAUX,
    }.items():
        site.file(f"pages/{name}.md", text)
    site.overrides["SYNDICATION_CHANNELS"] = [alerts_outbox(tmp_path / "outbox")]
    return site


def sign_ups(page: str) -> dict[str, list[tuple[str, str | None]]]:
    """Each section's sign-up links: (href, hreflang)."""
    tree = lxml_html.fromstring(page)
    return {
        section.get("id"): [
            (a.get("href"), a.get("hreflang"))
            for a in section.iter("a")
            if (a.get("href") or "").startswith(("mailto:", "https://lists."))
        ]
        for section in tree.find_class("subscribe-audience")
    }


def join(address: str) -> str:
    return f"mailto:{address.replace('@', '-join@')}?subject=join"


def test_the_french_subscribe_page_offers_the_french_lists_and_the_english_page_the_english_ones(bilingual):
    output = bilingual.build(NEWSROOM_ALERTS=alerts_setting(FRENCH))
    english = sign_ups(text_of(output, "subscribe/index.html"))
    french_page = text_of(output, "fr/abonnement/index.html")
    french = sign_ups(french_page)
    assert english["investors"] == [(join(ENGLISH["investors"]), None)]
    assert english["all-news"] == [(join(ENGLISH["all"]), None)]
    assert french["investors"] == [(join(FRENCH["investors"]), None)]
    assert french["all-news"] == [(join(FRENCH["all"]), None)]
    # An audience without a French list points to the French list for everything, as in English.
    assert french["media"] == []
    assert "alerts@" not in french_page and "investor-alerts" not in french_page
    assert "Language of these alerts" not in french_page and "signup__language" not in french_page


def test_a_language_without_lists_of_its_own_offers_the_default_ones_said_to_be_in_that_language(bilingual):
    output = bilingual.build(NEWSROOM_ALERTS=alerts_setting())
    page = text_of(output, "fr/abonnement/index.html")
    french = sign_ups(page)
    assert french["investors"] == [(join(ENGLISH["investors"]), "en")]
    tree = lxml_html.fromstring(page)
    notes = tree.find_class("signup__language")
    assert len(notes) == 2  # investors and everything: the lists there are
    assert notes[0].text_content() == "Langue de ces alertes : English."
    assert notes[0].find("span").get("lang") == "en"
    english = text_of(output, "subscribe/index.html")
    assert "signup__language" not in english  # the English page's lists are in its language
    assert sign_ups(english)["investors"] == [(join(ENGLISH["investors"]), None)]


def test_the_disclosure_page_of_each_language_links_its_own_subscribe_page(bilingual, tmp_path):
    # The French page has an email alerts line when a channel posts the French versions to the alert lists.
    french_alerts = alerts_outbox(tmp_path / "outbox", name="ir-list-fr", language="fr")
    channels = [*bilingual.overrides["SYNDICATION_CHANNELS"], french_alerts]
    output = bilingual.build(NEWSROOM_ALERTS=alerts_setting(FRENCH), SYNDICATION_CHANNELS=channels)
    line = lxml_html.fromstring(text_of(output, "fr/canaux/index.html")).find(".//li[@data-channel='email-alerts']")
    assert [a.get("href") for a in line.iter("a")] == [
        "https://newsroom.larkspur-energy.example/fr/abonnement/#investors",
        "https://newsroom.larkspur-energy.example/fr/abonnement/#all-news",
    ]


def email_channel(name: str, to: str, **extra) -> dict:
    return {
        "name": name,
        "type": "email",
        "audiences": ["investors"],
        "host": "127.0.0.1",
        "port": 2525,
        "security": "none",
        "sender": f"Larkspur Energy Newsroom <{SENDER}>",
        "to": to,
        **extra,
    }


def settings_problems(site, **overrides) -> list[str]:
    return [line.removeprefix("settings: ") for line in site.check(**overrides) if line.startswith("settings:")]


def syndication_problems(site, channels: list[dict]) -> list[str]:
    """What the syndication settings' validation (the build's and `invoke syndicate`'s) says of `channels`."""
    settings = site.settings(NEWSROOM_ALERTS=alerts_setting(FRENCH), SYNDICATION_CHANNELS=channels)
    try:
        load_config(settings, load_newsroom(settings))
    except SettingsProblems as problems:
        return problems.problems
    return []


def test_a_channel_posting_to_a_list_of_another_language_is_refused(bilingual):
    french_to_english = email_channel("email-fr", ENGLISH["investors"], language="fr")
    assert syndication_problems(bilingual, [french_to_english]) == [
        f"SYNDICATION_CHANNELS[0].to: {ENGLISH['investors']!r} is the English (en) alert list of NEWSROOM_ALERTS, "
        "but this channel posts in Français (fr) (expected language: 'en' on this channel, or the Français list "
        "as its 'to')"
    ]
    # No language: the default's. The list as a name and address, in capitals, is the same list.
    english_to_french = email_channel("email-investors", f"Alertes <{FRENCH['investors'].upper()}>")
    assert syndication_problems(bilingual, [english_to_french]) == [
        f"SYNDICATION_CHANNELS[0].to: 'Alertes <{FRENCH['investors'].upper()}>' is the Français (fr) alert list of "
        "NEWSROOM_ALERTS, "
        "but this channel posts in English (en) (expected language: 'fr' on this channel, or the English list "
        "as its 'to')"
    ]
    right = [
        email_channel("email-investors", ENGLISH["investors"]),
        email_channel("email-investors-fr", FRENCH["investors"], language="fr"),
        email_channel("email-elsewhere", "ir@larkspur-energy.example", language="fr"),  # not an alert list
    ]
    assert syndication_problems(bilingual, right) == []


def test_the_build_stops_on_lists_in_another_language_naming_each_problem(bilingual):
    problems = settings_problems(
        bilingual,
        NEWSROOM_ALERTS={**alerts_setting({**FRENCH, "all": ENGLISH["all"]}), "translations": {
            "fr": {"lists": {**FRENCH, "all": ENGLISH["all"]}}, "de": {"lists": {"all": f"de@{HOST}"}}}},
    )  # fmt: skip
    assert any(line.startswith("NEWSROOM_ALERTS.translations: unknown language 'de'") for line in problems), problems
    assert any(line.startswith("NEWSROOM_ALERTS.translations.fr.lists.all: ") for line in problems), problems


def test_a_newsroom_in_one_language_refuses_lists_in_another(site):
    site.post("a")
    problems = settings_problems(site, NEWSROOM_ALERTS=alerts_setting(FRENCH))
    assert problems == [
        "NEWSROOM_ALERTS.translations: unknown language 'fr' (NEWSROOM_LANGUAGES has no other language than the "
        "default: add it there, or remove these lists)"
    ]


SMTP_USER, SMTP_PASSWORD = "newsroom-alerts", "correct-horse-battery-staple"
KESSLER = {"Id": "kessler", "Audience": "investors", "Date": "2026-06-01 10:00 UTC"}
PUBLIC_VERSION = {}  # the control: a French version like its original


@pytest.fixture
def smtp():
    with SmtpServer(SMTP_USER, SMTP_PASSWORD) as server:
        yield server


@pytest.mark.parametrize("kind", ["PUBLIC", *sorted(WITHHELD_KINDS)])
def test_each_version_reaches_its_languages_list_once_and_a_withheld_french_version_none(bilingual, smtp, kind):
    """Through the real email channel and an SMTP server on 127.0.0.1: the English release to the English list,
    its French version to the French list, each once; a French version that is a draft, hidden, internal or
    embargoed reaches no list (or the build refuses it, naming it, and nothing is sent)."""
    login = {"username": "SMTP_USER", "password": "SMTP_PASSWORD"}
    common = {"port": smtp.port, "credentials": login, "subject_prefix": "[Larkspur Energy]"}
    bilingual.overrides.update(
        NEWSROOM_ALERTS=alerts_setting(FRENCH),
        SYNDICATION_LEDGER="ledger.jsonl",
        SYNDICATION_CHANNELS=[
            email_channel("email-investors", ENGLISH["investors"], **common),
            email_channel("email-investors-fr", FRENCH["investors"], language="fr", **common),
        ],
    )
    bilingual.post("kessler", Title="Larkspur opens Kessler Ridge", **KESSLER)
    withheld = WITHHELD_KINDS.get(kind, PUBLIC_VERSION)
    bilingual.post(
        "kessler-fr", f"Le texte {kind}.", Title=f"Kessler Ridge {kind}", Lang="fr", **{**KESSLER, **withheld}
    )
    try:
        bilingual.build()
    except BuildFailed as refusal:  # refused before anything was written or sent, naming the version
        assert kind != "PUBLIC" and "kessler-fr.md" in str(refusal), str(refusal)
        assert smtp.deliveries == []
        return
    Ledger.open(bilingual.root / "ledger.jsonl").know({"email-investors", "email-investors-fr"})
    environ = {"SMTP_USER": SMTP_USER, "SMTP_PASSWORD": SMTP_PASSWORD}
    for _ in range(2):  # the second run sends nothing again
        lines: list[str] = []
        assert command.syndicate(bilingual.settings(), environ=environ, out=lines.append) == 0, lines
    sent = sorted((tuple(d.rcpt_tos), d.message["Subject"]) for d in smtp.deliveries)
    english = ((ENGLISH["investors"],), "[Larkspur Energy] Larkspur opens Kessler Ridge")
    french = ((FRENCH["investors"],), f"[Larkspur Energy] Kessler Ridge {kind}")
    assert sent == sorted([english, french] if kind == "PUBLIC" else [english])
    assert all(kind not in d.raw.decode("utf-8", "replace") for d in smtp.deliveries if kind != "PUBLIC")


def test_every_french_page_that_leads_to_the_alerts_leads_to_the_french_subscribe_page(bilingual):
    output = bilingual.build(NEWSROOM_ALERTS=alerts_setting(FRENCH))
    french_subscribe = "https://newsroom.larkspur-energy.example/fr/abonnement/"
    for page, anchor in (("fr/index.html", ""), ("fr/investors/index.html", "#investors")):
        links = [a.get("href") for a in lxml_html.fromstring(text_of(output, page)).iter("a")]
        assert f"{french_subscribe}{anchor}" in links, page
        assert f"https://newsroom.larkspur-energy.example/subscribe/{anchor}" not in links, page
    english = [a.get("href") for a in lxml_html.fromstring(text_of(output, "investors/index.html")).iter("a")]
    assert "https://newsroom.larkspur-energy.example/subscribe/#investors" in english


def test_the_sample_settings_sign_french_readers_up_to_the_french_lists(bilingual):
    output = bilingual.build()  # the project's own NEWSROOM_ALERTS
    french = sign_ups(text_of(output, "fr/abonnement/index.html"))
    assert french["investors"][0] == (join(f"alertes-investisseurs@{HOST}"), None)
    assert french["investors"][1][0] == f"https://{HOST}/postorius/lists/alertes-investisseurs.{HOST}/"
    assert sign_ups(text_of(output, "subscribe/index.html"))["investors"][0] == (join(ENGLISH["investors"]), None)
