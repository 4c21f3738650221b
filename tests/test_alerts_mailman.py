"""Email alerts end to end with the real GNU Mailman 3 on 127.0.0.1 (tests/servers/mailman_server.py).

People join the lists the way the subscribe page tells them to (an email to `<list>-join@`, then a reply to
Mailman's confirmation); `invoke alerts-lists` creates the lists; `invoke publish` posts each new post to the
lists of its audiences; Mailman delivers. What reaches each mailbox is exactly what the promise says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from servers.mailman_server import REST_PASSWORD, REST_USER, MailmanServer, wait_for

from conftest import ENGLISH_AND_FRENCH, ROOT, TinySite, run_invoke
from newsroom.alerts.mailman import MailmanRest

DOMAIN = "lists.larkspur-energy.example"
SENDER = "newsroom@larkspur-energy.example"
LISTS = {  # the sample's NEWSROOM_ALERTS
    "all": f"newsroom-alerts@{DOMAIN}",
    "investors": f"investor-alerts@{DOMAIN}",
    "media": f"press-alerts@{DOMAIN}",
    "regulators": f"regulatory-alerts@{DOMAIN}",
    "communities": f"community-alerts@{DOMAIN}",
}
FRENCH_LISTS = {  # the sample's NEWSROOM_ALERTS translations
    "all": f"alertes-nouvelles@{DOMAIN}",
    "investors": f"alertes-investisseurs@{DOMAIN}",
    "media": f"alertes-presse@{DOMAIN}",
    "regulators": f"alertes-reglementation@{DOMAIN}",
    "communities": f"alertes-collectivites@{DOMAIN}",
}
PUBLIC = ["investors", "media", "regulators", "communities"]
READERS = {  # who joins which list
    "ann@investor.example": "investors",
    "bob@press.example": "media",
    "cat@everything.example": "all",
    "dan@village.example": "communities",
}


@pytest.fixture(scope="module")
def mailman(tmp_path_factory):
    with MailmanServer(tmp_path_factory.mktemp("mailman")) as server:
        yield server


def email_channels(hub_port: int, lists: dict = LISTS, language: str = "") -> list[dict]:
    """One email channel per alert list: the list for everything carries every public audience. `language`:
    the channels of that language's lists (their names end in `-<language>`). No `unsubscribe`: the settings
    derive it from the list."""
    suffix = f"-{language}" if language else ""
    return [
        {
            "name": f"email-{audience}{suffix}",
            "type": "email",
            "audiences": PUBLIC if audience == "all" else [audience],
            "host": "127.0.0.1",
            "port": hub_port,
            "security": "none",
            "sender": f"Larkspur Energy Newsroom <{SENDER}>",
            "to": address,
            "list_name": f"Larkspur Energy alerts ({audience})",
            "subject_prefix": "[Larkspur Energy]",
            "disclosure": audience in ("all", "investors"),
            **({"language": language} if language else {}),
        }
        for audience, address in lists.items()
    ]


def newsroom(tmp_path: Path, mailman: MailmanServer, french: bool = False) -> tuple[TinySite, str]:
    """The sample's alert lists and one email channel each; `french`: in English and French, with the French
    lists and their channels too."""
    site = TinySite(tmp_path)
    channels = email_channels(mailman.hub.port)
    if french:
        site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
        site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
        channels += email_channels(mailman.hub.port, FRENCH_LISTS, "fr")
    for folder in ("pages", "images", "downloads"):  # the sample's pages (subscribe, disclosure…), not its posts
        # (the About page and its French version link to sample posts this newsroom does not have; a newsroom in
        # English alone refuses the French versions' `Lang: fr`)
        left_out = shutil.ignore_patterns("about.md", "about-fr.md", *(() if french else ("*-fr.md",)))
        shutil.copytree(ROOT / "content" / folder, site.content / folder, ignore=left_out)
    site.post("opening", Title="Kessler Ridge opens", Id="kessler", Date="2026-06-01 10:00 UTC")
    settings = site.settings_file(
        "publishconf.py",
        CACHE_PATH=str(tmp_path / "cache"),
        NEWSROOM_NOW="2026-11-26 12:00 UTC",
        NEWSROOM_EDITIONS={},
        NEWSROOM_FEEDS={"max_items": 50, "hub": "", "id_authority": "larkspur-energy.example,2026"},
        NEWSROOM_ARCHIVE={"register": str(tmp_path / "register.jsonl"), "retention_years": 5},
        SYNDICATION_LEDGER=str(tmp_path / "ledger.jsonl"),
        SYNDICATION_CHANNELS=channels,
        NEWSROOM_PUBLISH={
            "target": {"type": "rsync", "destination": str(tmp_path / "www") + "/"},
            "internal_target": None,
            "source": None,  # this newsroom's folder is not a git checkout: no branch tip to check
            "state": {"store": "local"},
            "state_dir": "publishing",  # inside the project: the folder `invoke publish` runs in
        },
    )
    return site, str(settings)


def publish(project: Path, settings: str) -> subprocess.CompletedProcess:
    """`invoke publish` run in the newsroom's own folder, as CI runs it in its checkout."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "publish", "--settings", settings],
        cwd=project,
        capture_output=True,
        text=True,
    )


def rest_env(mailman: MailmanServer) -> dict:
    return {
        "MAILMAN_REST_URL": mailman.rest_url,
        "MAILMAN_REST_USER": REST_USER,
        "MAILMAN_REST_PASSWORD": REST_PASSWORD,
    }


def members(rest: MailmanRest, audience: str, lists: dict = LISTS) -> list[str]:
    status, answer = rest.call("GET", f"lists/{lists[audience].replace('@', '.')}/roster/member")
    assert status == 200, answer
    return sorted(entry["email"] for entry in answer.get("entries", []))


def join(mailman: MailmanServer, reader: str, audience: str, lists: dict = LISTS) -> EmailMessage:
    """What the subscribe page's button does, then what the person does with the confirmation mail (returned)."""
    mailman.hub.send(reader, lists[audience].replace("@", "-join@"), "join")
    confirmation = wait_for(lambda: mailman.hub.inbox(reader), what=f"{reader}'s confirmation mail")[0]
    assert confirmation["From"].startswith(lists[audience].replace("@", "-confirm+").split("+")[0] + "+")
    mailman.hub.send(reader, confirmation["From"], f"Re: {confirmation['Subject']}")
    return confirmation


def alerts(mailman: MailmanServer, reader: str) -> list:
    return [mail for mail in mailman.hub.inbox(reader) if mail["Subject"].startswith("[Larkspur Energy]")]


def test_join_confirm_publish_deliver_once_per_list_and_unsubscribe(mailman, tmp_path):
    site, settings = newsroom(tmp_path, mailman)
    env = rest_env(mailman)
    rest = MailmanRest(mailman.rest_url, REST_USER, REST_PASSWORD)

    created = run_invoke("alerts-lists", "--settings", settings, env=env)
    assert created.returncode == 0, created.stderr
    assert f"created  {LISTS['investors']} (announce-only; posts from {SENDER} only; in en)" in created.stdout
    again = run_invoke("alerts-lists", "--settings", settings, env=env)  # idempotent: re-applies the settings
    assert again.returncode == 0 and f"configured  {LISTS['investors']}" in again.stdout, again.stderr

    # Join request -> confirmation mail -> confirming reply -> subscribed (Mailman's double opt-in).
    for reader, audience in READERS.items():
        assert "confirmation is needed" in join(mailman, reader, audience)["Subject"]
    for reader, audience in READERS.items():
        wait_for(lambda a=audience, r=reader: r in members(rest, a), what=f"{reader} on the {audience} list")
    assert members(rest, "regulators") == []

    # Announce-only: a subscriber's post and a stranger's (even one claiming to be the list) go nowhere.
    mailman.hub.send("ann@investor.example", LISTS["investors"], "[Larkspur Energy] Reply all: thanks!")
    mailman.hub.send("spam@elsewhere.example", LISTS["all"], "[Larkspur Energy] Cheap energy shares")

    # The sample post was published before the lists existed: recorded as announced, never mailed.
    assert run_invoke("preview", "--settings", settings).returncode == 0
    bootstrap = run_invoke("syndicate", "--bootstrap", "--settings", settings)
    assert bootstrap.returncode == 0, bootstrap.stdout + bootstrap.stderr

    site.post(
        "results", Title="Q3 results beat guidance", Id="q3", Audience="investors, media", Date="2026-11-20 12:00 UTC"
    )
    handed_to_mailman = len(mailman.hub.to_lists)
    published = publish(tmp_path, settings)
    assert published.returncode == 0, published.stdout + published.stderr
    # One message per matching list handed to Mailman: everything, investors, media (not regulators, communities).
    assert sorted(rcpt for rcpt, _ in mailman.hub.to_lists[handed_to_mailman:]) == sorted(
        [LISTS["all"], LISTS["investors"], LISTS["media"]]
    )

    expected = {"ann@investor.example": 1, "bob@press.example": 1, "cat@everything.example": 1}
    for reader, count in expected.items():
        wait_for(lambda r=reader, n=count: len(alerts(mailman, r)) >= n, what=f"the alert for {reader}")
    # Mailman's queues are first in, first out: once every alert is out, the earlier posts would be too.
    assert {reader: len(alerts(mailman, reader)) for reader in READERS} == {**expected, "dan@village.example": 0}
    assert all(
        mail["Subject"] == "[Larkspur Energy] Q3 results beat guidance" for r in expected for mail in alerts(mailman, r)
    )

    alert = alerts(mailman, "ann@investor.example")[0]
    assert alert["From"] == f"Larkspur Energy Newsroom <{SENDER}>"
    assert alert["List-Id"] == f'"Larkspur Energy alerts: news for investors" <{LISTS["investors"].replace("@", ".")}>'
    assert alert["List-Post"] == "NO"  # announce-only, as Mailman tells mail clients
    unsubscribe = alert["List-Unsubscribe"]
    assert unsubscribe == f"<mailto:{LISTS['investors'].replace('@', '-leave@')}>"

    # A re-run publishes nothing again: nothing more reaches Mailman.
    handed_to_mailman = len(mailman.hub.to_lists)
    rerun = publish(tmp_path, settings)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert mailman.hub.to_lists[handed_to_mailman:] == []

    # The List-Unsubscribe address works: Ann writes to it and is off the list.
    mailman.hub.send("ann@investor.example", unsubscribe.strip("<>").removeprefix("mailto:"), "unsubscribe")
    wait_for(lambda: members(rest, "investors") == [], what="Ann's unsubscription")
    assert members(rest, "all") == ["cat@everything.example"]


def test_the_lists_are_announce_only_in_their_settings_too(mailman, tmp_path):
    """What Mailman's own defaults would allow (members post freely), `invoke alerts-lists` has turned off."""
    _, settings = newsroom(tmp_path, mailman)
    assert run_invoke("alerts-lists", "--settings", settings, env=rest_env(mailman)).returncode == 0
    rest = MailmanRest(mailman.rest_url, REST_USER, REST_PASSWORD)
    status, config = rest.call("GET", f"lists/{LISTS['media'].replace('@', '.')}/config")
    assert status == 200
    assert {key: config[key] for key in ("default_member_action", "default_nonmember_action")} == {
        "default_member_action": "discard",
        "default_nonmember_action": "discard",
    }
    assert config["accept_these_nonmembers"] == [SENDER]
    assert (config["subscription_policy"], config["allow_list_posts"], config["subject_prefix"]) == (
        "confirm",
        False,
        "",
    )


def test_alerts_lists_names_what_is_missing_and_never_shows_a_traceback(mailman, tmp_path):
    _, settings = newsroom(tmp_path, mailman)
    missing = run_invoke(
        "alerts-lists", "--settings", settings, env={"MAILMAN_REST_USER": "", "MAILMAN_REST_PASSWORD": ""}
    )
    assert missing.returncode == 2
    assert "MAILMAN_REST_USER and MAILMAN_REST_PASSWORD not set" in missing.stderr
    wrong = run_invoke(
        "alerts-lists", "--settings", settings, env={**rest_env(mailman), "MAILMAN_REST_PASSWORD": "nope-123"}
    )
    assert wrong.returncode == 1 and "refused the REST login (401)" in wrong.stderr
    assert "nope-123" not in wrong.stdout + wrong.stderr and "Traceback" not in wrong.stderr
    down = run_invoke(
        "alerts-lists", "--settings", settings, env={**rest_env(mailman), "MAILMAN_REST_URL": "http://127.0.0.1:9"}
    )
    assert down.returncode == 1 and "cannot reach Mailman's REST API at http://127.0.0.1:9" in down.stderr


def test_each_language_has_its_own_lists_in_its_language_and_gets_its_own_versions_once(mailman, tmp_path):
    """A French reader joins the French list, confirms a mail in French, and gets the French version of a
    release, once; an English reader the English version; a post in English only reaches the English lists."""
    site, settings = newsroom(tmp_path, mailman, french=True)
    env = rest_env(mailman)
    rest = MailmanRest(mailman.rest_url, REST_USER, REST_PASSWORD)
    created = run_invoke("alerts-lists", "--settings", settings, env=env)
    assert created.returncode == 0, created.stderr
    assert f"{FRENCH_LISTS['investors']} (announce-only; posts from {SENDER} only; in fr)" in created.stdout
    assert f"{LISTS['investors']} (announce-only; posts from {SENDER} only; in en)" in created.stdout

    # Every French list exists, announce-only as the English ones, and Mailman writes to its readers in French.
    for address in FRENCH_LISTS.values():
        status, config = rest.call("GET", f"lists/{address.replace('@', '.')}/config")
        assert status == 200, (address, config)
        assert (config["preferred_language"], config["allow_list_posts"], config["subscription_policy"]) == (
            "fr",
            False,
            "confirm",
        )
        assert (config["default_member_action"], config["default_nonmember_action"]) == ("discard", "discard")
        assert config["accept_these_nonmembers"] == [SENDER]
    status, config = rest.call("GET", f"lists/{FRENCH_LISTS['investors'].replace('@', '.')}/config")
    assert config["display_name"] == "Alertes Larkspur Energy : nouvelles pour investisseurs"
    status, config = rest.call("GET", f"lists/{LISTS['investors'].replace('@', '.')}/config")
    assert (config["preferred_language"], config["display_name"]) == (
        "en",
        "Larkspur Energy alerts: news for investors",
    )

    # Double opt-in in each list's language.
    french_reader, english_reader = "eve@investisseur.example", "fay@investor.example"
    confirmation = join(mailman, french_reader, "investors", FRENCH_LISTS)
    assert confirmation["Subject"].startswith("Votre confirmation est nécessaire pour vous abonner")
    assert "confirmation is needed" in join(mailman, english_reader, "investors")["Subject"]
    wait_for(lambda: french_reader in members(rest, "investors", FRENCH_LISTS), what="Eve on the French list")
    wait_for(lambda: english_reader in members(rest, "investors"), what="Fay on the English list")

    assert run_invoke("preview", "--settings", settings).returncode == 0
    bootstrap = run_invoke("syndicate", "--bootstrap", "--settings", settings)
    assert bootstrap.returncode == 0, bootstrap.stdout + bootstrap.stderr

    release = {"Id": "kessler-sale", "Audience": "investors", "Date": "2026-11-20 12:00 UTC"}
    site.post("sale", Title="Larkspur sells Kessler Ridge", **release)
    site.post("sale-fr", "Le texte.", Title="Larkspur vend Kessler Ridge", Lang="fr", **release)
    site.post("visit", Title="Open day at Kessler Ridge", Id="open-day", Audience="media", Date="2026-11-21 12:00 UTC")
    handed_to_mailman = len(mailman.hub.to_lists)
    published = publish(tmp_path, settings)
    assert published.returncode == 0, published.stdout + published.stderr
    handed = [(rcpt, mail["Subject"]) for rcpt, mail in mailman.hub.to_lists[handed_to_mailman:]]
    assert sorted(handed) == sorted(
        [
            (LISTS["all"], "[Larkspur Energy] Larkspur sells Kessler Ridge"),
            (LISTS["investors"], "[Larkspur Energy] Larkspur sells Kessler Ridge"),
            (LISTS["all"], "[Larkspur Energy] Open day at Kessler Ridge"),
            (LISTS["media"], "[Larkspur Energy] Open day at Kessler Ridge"),
            (FRENCH_LISTS["all"], "[Larkspur Energy] Larkspur vend Kessler Ridge"),
            (FRENCH_LISTS["investors"], "[Larkspur Energy] Larkspur vend Kessler Ridge"),
        ]
    )
    french_alert = wait_for(lambda: alerts(mailman, french_reader), what="Eve's alert")[0]
    wait_for(lambda: alerts(mailman, english_reader), what="Fay's alert")
    assert [mail["Subject"] for mail in alerts(mailman, french_reader)] == [
        "[Larkspur Energy] Larkspur vend Kessler Ridge"
    ]
    assert [mail["Subject"] for mail in alerts(mailman, english_reader)] == [
        "[Larkspur Energy] Larkspur sells Kessler Ridge"
    ]
    assert "/fr/" in french_alert.get_body(("plain",)).get_content()  # the link leads to the French version
    assert french_alert["List-Id"] == (
        f'"Alertes Larkspur Energy : nouvelles pour investisseurs" <{FRENCH_LISTS["investors"].replace("@", ".")}>'
    )

    handed_to_mailman = len(mailman.hub.to_lists)
    assert publish(tmp_path, settings).returncode == 0
    assert mailman.hub.to_lists[handed_to_mailman:] == []  # each version reached each list once


def ready(mailman: MailmanServer, tmp_path: Path, reader: str, audience: str) -> tuple[TinySite, str, MailmanRest]:
    """A newsroom whose lists exist, whose sample post is recorded as announced, and `reader` on `audience`'s list."""
    site, settings = newsroom(tmp_path, mailman)
    rest = MailmanRest(mailman.rest_url, REST_USER, REST_PASSWORD)
    created = run_invoke("alerts-lists", "--settings", settings, env=rest_env(mailman))
    assert created.returncode == 0, created.stderr
    if reader not in members(rest, audience):
        join(mailman, reader, audience)
        wait_for(lambda: reader in members(rest, audience), what=f"{reader} on the {audience} list")
    assert run_invoke("preview", "--settings", settings).returncode == 0
    bootstrap = run_invoke("syndicate", "--bootstrap", "--settings", settings)
    assert bootstrap.returncode == 0, bootstrap.stdout + bootstrap.stderr
    return site, settings, rest


def test_a_title_cannot_give_the_subscribers_alert_a_header(mailman, tmp_path):
    """Journalists reply to an alert: an encoded-word in a committed title must not become a Reply-To sending
    their replies elsewhere. Through Mailman too, the subscriber's alert has the title, as written, as subject."""
    reader = "hal@press.example"
    site, settings, _ = ready(mailman, tmp_path, reader, "media")
    title = "Open day =?utf-8?q?=0D=0AReply-To:_press-office@attacker.example?="
    site.post("open", Title=title, Id="open-day", Audience="media", Date="2026-11-22 12:00 UTC")
    published = publish(tmp_path, settings)
    assert published.returncode == 0, published.stdout + published.stderr
    alert = wait_for(lambda: alerts(mailman, reader), what="the alert")[0]
    assert alert["Reply-To"] is None and alert["Bcc"] is None, str(alert)[:800]
    assert alert["Subject"] == f"[Larkspur Energy] {title}"


def test_the_unsubscribe_line_of_an_alert_unsubscribes(mailman, tmp_path):
    """Every alert says how to unsubscribe: doing what its text says takes the reader off the list (the list's
    `-leave` address, derived from the list; never the sender, which unsubscribes no one)."""
    reader = "gus@investor.example"
    site, settings, rest = ready(mailman, tmp_path, reader, "investors")
    site.post(
        "sale", Title="Larkspur sells Kessler Ridge", Id="sale", Audience="investors", Date="2026-11-21 12:00 UTC"
    )
    published = publish(tmp_path, settings)
    assert published.returncode == 0, published.stdout + published.stderr
    alert = wait_for(lambda: alerts(mailman, reader), what="the alert")[0]
    told = re.search(r"To unsubscribe, email (\S+) with the subject", alert.get_body(("plain",)).get_content())[1]
    assert told == LISTS["investors"].replace("@", "-leave@")
    mailman.hub.send(reader, told, "unsubscribe")
    wait_for(lambda: reader not in members(rest, "investors"), what=f"{reader}'s unsubscription")
