"""Email alerts, against a real SMTP server on 127.0.0.1 (aiosmtpd): exactly what arrives, exactly once,
whatever the server answers, and the password nowhere but in the login."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone

import pytest
from servers.smtp import DROP, STALL, SmtpServer, free_port, self_signed_certificate

from conftest import ROOT
from newsroom.kit.settings import SettingsProblems
from newsroom.model.settings import load_newsroom
from newsroom.site.build import load_settings
from newsroom.syndication import command
from newsroom.syndication.channel import Attempt
from newsroom.syndication.channels.email import EmailChannel
from newsroom.syndication.config import ChannelConfig, load_config
from newsroom.syndication.engine import Pacing, run
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.planning import plan
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.report import Report

USER, PASSWORD = "newsroom-alerts", "correct-horse-battery-staple"
SENDER = "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>"
LIST = "press-alerts@lists.larkspur-energy.example"
EDT = timezone(timedelta(hours=-4))


@pytest.fixture
def smtp():
    with SmtpServer(USER, PASSWORD) as server:
        yield server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def post(number: int = 1, **changes) -> PublishedPost:
    values = dict(
        id=f"post-{number}",
        title=f"Title {number}",
        url=f"https://newsroom.larkspur-energy.example/news/{number}/",
        summary=f"Summary {number}.",
        published=datetime(2026, 6, number, 16, 5, tzinfo=EDT),
        audiences=("media",),
        category="Press releases",
    )
    return PublishedPost(**{**values, **changes})


def channel(port: int, *, password: str = PASSWORD, timeout: float = 5.0, **options) -> EmailChannel:
    defaults = {
        key: option.default for key, option in EmailChannel.channel_type.options.items() if option.default is not None
    }
    settings = {
        **defaults,
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": SENDER,
        "to": LIST,
        "subject_prefix": "[Larkspur Energy]",
        **options,
    }
    config = ChannelConfig(
        "email-media",
        "email",
        ("media",),
        False,
        settings,
        {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
    )
    return EmailChannel(config, {"username": USER, "password": password}, timeout=timeout)


def syndicate(email: EmailChannel, posts, tmp_path) -> Report:
    """One run of the real engine with a real ledger file; sleeping is skipped so faults are fast."""
    ledger = Ledger.open(tmp_path / "ledger.jsonl")
    if not ledger.existed:
        ledger.know({email.name})
    channels = {email.name: email}
    return run(plan(posts, [], channels, ledger, cap=5), channels, ledger, Pacing(backoff=0), sleep=lambda s: None)


def subjects(server: SmtpServer) -> list[str]:
    return [delivery.message["Subject"] for delivery in server.deliveries]


# --- the message (pure) ----------------------------------------------------------------------------------

GOLDEN = post(
    title="Wind & solar <2026>: 风电场 🌬️ مزرعة رياح",
    summary="Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח",
    url="https://newsroom.larkspur-energy.example/news/2026/wind-solar/?ref=mail&x=<1>",
)


def test_golden_plain_text_and_subject_keep_every_script_and_character_as_written():
    message = channel(25).render(GOLDEN)
    assert message.extras["subject"] == "[Larkspur Energy] Wind & solar <2026>: 风电场 🌬️ مزرعة رياح"
    assert message.extras["plain"] == (
        "Wind & solar <2026>: 风电场 🌬️ مزرعة رياح\n"
        "1 June 2026, 16:05 UTC-04:00\n"
        "\n"
        "Output rose 40% & costs fell <10%> 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח\n"
        "\n"
        "Read the post: https://newsroom.larkspur-energy.example/news/2026/wind-solar/?ref=mail&x=<1>\n"
        "\n"
        "-- \n"
        "You receive this because you subscribed to Larkspur Energy Newsroom alerts.\n"
        'To unsubscribe, email newsroom@larkspur-energy.example with the subject "unsubscribe".\n'
    )
    assert message.text == f"Subject: {message.extras['subject']}\n\n{message.extras['plain']}"
    assert (message.length, message.limit) == (55, 200)  # graphemes: the wind emoji and its selector count 1


def test_golden_html_escapes_everything_and_lets_rtl_text_choose_its_direction():
    message = channel(
        25,
        reply_to="press@larkspur-energy.example",
        unsubscribe="alerts-leave@larkspur-energy.example",
        list_name="Larkspur Energy press alerts",
    ).render(GOLDEN)
    assert message.extras["html"] == (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8"><title>Wind &amp; solar &lt;2026&gt;: 风电场 🌬️ مزرعة رياح</title></head>\n'
        "<body>\n"
        '<h1 dir="auto">Wind &amp; solar &lt;2026&gt;: 风电场 🌬️ مزرعة رياح</h1>\n'
        "<p>1 June 2026, 16:05 UTC-04:00</p>\n"
        '<p dir="auto">Output rose 40% &amp; costs fell &lt;10%&gt; 👨‍👩‍👧‍👦 — 可再生能源 נמשיך לצמוח</p>\n'
        '<p><a href="https://newsroom.larkspur-energy.example/news/2026/wind-solar/?ref=mail&amp;x=&lt;1&gt;">'
        "Read the post</a></p>\n"
        "<hr>\n"
        "<p><small>You receive this because you subscribed to Larkspur Energy press alerts.<br>\n"
        'To unsubscribe, email <a href="mailto:alerts-leave@larkspur-energy.example?subject=unsubscribe">'
        "alerts-leave@larkspur-energy.example</a> with the subject “unsubscribe”.</small></p>\n"
        "</body></html>\n"
    )


def test_a_long_title_is_cut_to_200_graphemes_in_the_subject_only_never_inside_an_emoji():
    title = "Larkspur results " + "👨‍👩‍👧‍👦" * 300
    message = channel(25).render(post(title=title))
    subject = message.extras["subject"]
    assert message.length == 200 and subject.startswith("[Larkspur Energy] Larkspur results 👨‍👩‍👧‍👦")
    assert subject.endswith("👨‍👩‍👧‍👦…")  # whole emoji, then the ellipsis
    assert message.extras["plain"].startswith(title + "\n")  # the body keeps the whole title


def test_a_line_break_in_a_title_cannot_smuggle_a_header_into_the_email():
    message = channel(25).render(post(title="Results\r\nBcc: everyone@example.com"))
    assert message.extras["subject"] == "[Larkspur Energy] Results Bcc: everyone@example.com"


# What an email parsed back must have, and nothing else: a post's words never add a header.
ALERT_HEADERS = {"from", "to", "subject", "date", "message-id", "list-unsubscribe", "mime-version", "content-type"}
ENCODED_WORD_TITLES = [
    "Q3 results =?utf-8?q?=0D=0AReply-To:_investor-relations@attacker.example?=",
    "Q3 results =?utf-8?b?DQpCY2M6IGV2ZXJ5b25lQGV4YW1wbGUuY29t?=",  # "\r\nBcc: everyone@example.com"
    # ends the headers: the rest would be an HTML body with a remote (tracking) image
    "Q3 =?utf-8?q?=0D=0AContent-Type:_text/html=0D=0A=0D=0A=3Cimg_src=3Dhttps://t.attacker.example/p.gif=3E?=",
    "Two words =?utf-8?q?a?= =?utf-8?q?b?= stay four",
]


@pytest.mark.parametrize("title", ENCODED_WORD_TITLES, ids=["reply-to", "bcc", "html-body", "adjacent-words"])
def test_a_title_cannot_add_a_header_to_the_alert_and_arrives_as_written(smtp, tmp_path, title):
    """An encoded-word in a title is text: the email package would decode it while setting the Subject and write
    its line break as a real one (a Reply-To sending journalists' replies elsewhere, a Bcc, an HTML body). The
    alert has exactly its own headers, and the subscriber's subject is the title as the post has it."""
    report = syndicate(channel(smtp.port), [post(title=title)], tmp_path)
    assert [o.status for o in report.outcomes] == ["posted"], report.summary()
    [delivery] = smtp.deliveries
    assert {name.lower() for name in delivery.message} == ALERT_HEADERS, delivery.raw.decode()[:600]
    assert delivery.message["Subject"] == f"[Larkspur Energy] {title}"
    assert max(len(line) for line in delivery.raw.splitlines()) <= 78 and delivery.raw.isascii()


def test_an_email_that_does_not_read_back_as_composed_is_refused_and_nothing_is_sent(smtp, tmp_path):
    """The last guard: whatever the email package does with a header (Python 3.11 and 3.12 write a decoded line
    break, 3.13 raises HeaderWriteError), an email with other headers than its own, or another subject, is
    refused with one line before the connection, never sent or taken for a send that may have happened."""

    class SubjectAsGiven(EmailChannel):  # what the channel did before the subject was encoded
        def compose(self, message, attempt):
            mail = super().compose(message, attempt)
            del mail["Subject"]
            mail["Subject"] = message.extras["subject"]
            return mail

    plain = channel(smtp.port)
    email = SubjectAsGiven(plain.config, plain.secrets, timeout=5.0)
    report = syndicate(email, [post(title=ENCODED_WORD_TITLES[0])], tmp_path)
    [outcome] = report.outcomes
    assert outcome.status == "refused", report.summary()
    assert outcome.detail.startswith("the email ") and "\n" not in outcome.detail and "Traceback" not in outcome.detail
    assert smtp.deliveries == [] and smtp.logins == []


def test_custom_text_for_the_channel_replaces_the_summary():
    message = channel(25).render(post(texts={"email-media": "Embargo lifted: full results inside."}))
    assert "\nEmbargo lifted: full results inside.\n" in message.extras["plain"]
    assert "Summary 1." not in message.extras["plain"]


# --- what arrives ----------------------------------------------------------------------------------------


def test_the_email_that_arrives_has_the_headers_both_parts_and_escaping_and_a_second_run_sends_nothing(smtp, tmp_path):
    email = channel(smtp.port, reply_to="press@larkspur-energy.example")
    report = syndicate(email, [GOLDEN], tmp_path)
    assert [o.status for o in report.outcomes] == ["posted"], report.summary()
    assert report.outcomes[0].url == f"mailto:{LIST}"

    [delivery] = smtp.deliveries
    assert (delivery.mail_from, delivery.rcpt_tos, delivery.login) == ("newsroom@larkspur-energy.example", [LIST], USER)
    mail = delivery.message
    record = Ledger.open(tmp_path / "ledger.jsonl").get("post-1", "email-media")
    assert mail["From"] == SENDER and mail["To"] == LIST and mail["Reply-To"] == "press@larkspur-energy.example"
    assert mail["Subject"] == "[Larkspur Energy] Wind & solar <2026>: 风电场 🌬️ مزرعة رياح"
    assert mail["Message-ID"] == f"<{record.key}@larkspur-energy.example>" == record.remote_id
    assert mail["List-Unsubscribe"] == "<mailto:press@larkspur-energy.example?subject=unsubscribe>"
    assert mail["Date"].datetime == datetime.fromisoformat(record.started_at)
    assert mail.get_content_type() == "multipart/alternative"
    plain, markup = mail.iter_parts()
    rendered = email.render(GOLDEN)
    lines = lambda part: part.get_content().replace("\r\n", "\n")  # noqa: E731 - SMTP lines end in CRLF
    assert plain.get_content_type() == "text/plain" and lines(plain) == rendered.extras["plain"]
    assert markup.get_content_type() == "text/html" and lines(markup) == rendered.extras["html"]
    assert max(len(line) for line in delivery.raw.splitlines()) <= 78 and delivery.raw.isascii()

    again = syndicate(email, [GOLDEN], tmp_path)
    assert [o.status for o in again.outcomes] == ["skipped"] and len(smtp.deliveries) == 1


def test_starttls_encrypts_the_connection_before_the_password_is_sent(certificate, tmp_path):
    cert, key = certificate
    with SmtpServer(USER, PASSWORD, tls="starttls", cert=cert, key=key) as server:
        email = channel(server.port, security="starttls", host="localhost", ca_file=str(cert))
        assert [o.status for o in syndicate(email, [post()], tmp_path).outcomes] == ["posted"]
        assert [(d.login, d.tls) for d in server.deliveries] == [(USER, True)]


def test_implicit_tls_on_the_ssl_port_delivers(certificate, tmp_path):
    cert, key = certificate
    with SmtpServer(USER, PASSWORD, tls="ssl", cert=cert, key=key) as server:
        email = channel(server.port, security="ssl", host="localhost", ca_file=str(cert))
        assert [o.status for o in syndicate(email, [post()], tmp_path).outcomes] == ["posted"]
        assert [(d.login, d.tls) for d in server.deliveries] == [(USER, True)]


def test_an_untrusted_certificate_stops_the_channel_before_anything_is_sent(certificate, tmp_path):
    cert, key = certificate
    with SmtpServer(USER, PASSWORD, tls="starttls", cert=cert, key=key) as server:
        email = channel(server.port, security="starttls", host="localhost")  # no ca_file: the system's CAs
        report = syndicate(email, [post(1), post(2)], tmp_path)
        assert [o.status for o in report.outcomes] == ["failed", "deferred"]
        assert "cannot be trusted (self-signed certificate)" in report.outcomes[0].detail
        assert server.logins == [] and server.deliveries == []
        assert list(Ledger.open(tmp_path / "ledger.jsonl")) == []  # nothing was sent: the next run tries again


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(smtp, tmp_path):
    report = syndicate(channel(smtp.port, security="starttls"), [post()], tmp_path)
    assert report.outcomes[0].status == "failed" and "does not offer STARTTLS" in report.outcomes[0].detail
    assert smtp.logins == []  # the password never crossed the unencrypted connection


def test_security_none_is_refused_for_a_server_that_is_not_on_this_machine(tmp_path):
    report = syndicate(channel(25, host="smtp.larkspur-energy.example"), [post()], tmp_path)
    assert report.outcomes[0].status == "failed"
    assert "security 'none' would send the password in clear text" in report.outcomes[0].detail


# --- faults: each run twice; every post arrives at most once and none is lost -----------------------------


@pytest.mark.parametrize(
    "faults, first, second, arrived, detail",
    [
        ({"mail": ["421 4.7.0 Try again later"]}, ["posted", "posted"], ["skipped", "skipped"], [1, 2], ""),
        (
            {"data": ["451 4.3.0 Mailbox busy"] * 3},
            ["failed", "posted"],
            ["posted", "skipped"],
            [2, 1],
            "answered 451 4.3.0 Mailbox busy (temporary)",
        ),
        (
            {"rcpt": ["550 5.1.1 No such list"]},
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "refused the message (550 5.1.1 No such list) (recorded; it will not be retried)",
        ),
        (
            {"data": ["554 5.6.0 Message looks like spam"]},
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "refused the message (554 5.6.0 Message looks like spam)",
        ),
        (
            {"mail": ["553 5.7.1 Sender not owned by user"]},
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "refused to send for this channel (553 5.7.1 Sender not owned by user)",
        ),
        (
            {"data": [DROP]},
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "it may have been delivered: look for Message-ID <nr-",
        ),
        ({"data": [STALL]}, ["uncertain", "posted"], ["skipped", "skipped"], [1, 2], "timed out"),
    ],
    ids=["4xx-then-ok", "4xx-every-try", "rcpt-5xx", "data-5xx", "mail-5xx", "drop-after-data", "timeout-after-data"],
)
def test_smtp_answers_map_to_outcomes_and_two_runs_deliver_each_post_at_most_once(
    smtp, tmp_path, faults, first, second, arrived, detail
):
    for stage, replies in faults.items():
        smtp.fail(stage, *replies)
    smtp.handler.stall_seconds = 1.5
    email = channel(smtp.port, timeout=0.5)
    posts = [post(1), post(2)]
    report = syndicate(email, posts, tmp_path)
    assert [o.status for o in report.outcomes] == first, report.summary()
    assert detail in report.outcomes[0].detail
    again = syndicate(email, posts, tmp_path)
    assert [o.status for o in again.outcomes] == second, again.summary()
    assert subjects(smtp) == [f"[Larkspur Energy] Title {n}" for n in arrived]
    ledger_text = (tmp_path / "ledger.jsonl").read_text()
    assert PASSWORD not in report.summary() + again.summary() + ledger_text


def test_a_wrong_password_stops_the_channel_names_the_variables_and_never_shows_the_password(smtp, tmp_path):
    report = syndicate(channel(smtp.port, password="wrong-password-123"), [post(1), post(2)], tmp_path)
    assert [o.status for o in report.outcomes] == ["failed", "deferred"]
    assert report.outcomes[0].detail == (
        f"127.0.0.1:{smtp.port} refused the login (535 5.7.8 Authentication "
        "credentials invalid); check NEWSROOM_SMTP_USER and NEWSROOM_SMTP_PASSWORD"
    )
    assert "wrong-password-123" not in report.summary()
    again = syndicate(channel(smtp.port), [post(1), post(2)], tmp_path)
    assert [o.status for o in again.outcomes] == ["posted", "posted"]
    assert subjects(smtp) == ["[Larkspur Energy] Title 1", "[Larkspur Energy] Title 2"]


def test_a_password_that_is_not_ascii_is_a_certain_failure_naming_its_variable(tmp_path):
    """smtplib writes the login as ASCII: such a password fails before anything is sent. That is a failure the
    next run retries, naming the variable to fix, never `uncertain` ("it may have been posted"), which would
    wait for a person to resolve it; and the password is never shown."""
    password = "pässwörd-2026"
    with SmtpServer(USER, password) as server:
        report = syndicate(channel(server.port, password=password), [post(1), post(2)], tmp_path)
        assert server.deliveries == [] and server.logins == []
    assert [o.status for o in report.outcomes] == ["failed", "failed"], report.summary()
    assert (
        "NEWSROOM_SMTP_PASSWORD holds a character that is not ASCII, which an SMTP login cannot carry (check the "
        "password in that variable)" in report.outcomes[0].detail
    )
    assert password not in report.summary() and list(Ledger.open(tmp_path / "ledger.jsonl")) == []


def test_a_login_that_cannot_be_written_is_a_login_failure_not_an_uncertain_send(tmp_path):
    """Whatever else goes wrong while the login is written (not the server's answer, not the network), nothing of
    the message was sent: the channel stops for this run with a line naming the login's variables."""

    class Unchecked(EmailChannel):  # as if start() had not looked at the password
        def start(self):
            pass

    password = "pässwörd-2026"
    plain = channel(25, password=password)
    with SmtpServer(USER, password) as server:
        plain.settings["port"] = server.port
        report = syndicate(Unchecked(plain.config, plain.secrets, timeout=5.0), [post(1)], tmp_path)
        assert server.deliveries == []
    [outcome] = report.outcomes
    assert outcome.status == "failed", report.summary()
    assert (
        "could not be sent (UnicodeEncodeError); check NEWSROOM_SMTP_USER and NEWSROOM_SMTP_PASSWORD" in outcome.detail
    )
    assert password not in report.summary()


def test_a_server_that_cannot_be_reached_stops_the_channel_and_the_next_run_delivers(smtp, tmp_path):
    down = channel(free_port())  # nothing listens there: connection refused
    report = syndicate(down, [post(1), post(2)], tmp_path)
    assert [o.status for o in report.outcomes] == ["failed", "deferred"]  # stopped at once, not a wait per post
    assert "(ConnectionRefusedError: Connection refused); this try sent nothing" in report.outcomes[0].detail
    assert [o.status for o in syndicate(channel(smtp.port), [post(1), post(2)], tmp_path).outcomes] == ["posted"] * 2
    assert len(smtp.deliveries) == 2


def test_a_person_retrying_an_uncertain_send_repeats_its_message_id(smtp, tmp_path):
    smtp.fail("data", DROP)
    email = channel(smtp.port)
    assert [o.status for o in syndicate(email, [post()], tmp_path).outcomes] == ["uncertain"]
    Ledger.open(tmp_path / "ledger.jsonl").requeue("post-1", "email-media")  # `invoke syndicate --resolve … --retry`
    assert [o.status for o in syndicate(email, [post()], tmp_path).outcomes] == ["posted"]
    first, second = (delivery.message["Message-ID"] for delivery in smtp.deliveries)
    assert first == second  # list archives and mail clients can recognise the repeat


def test_the_message_id_and_date_come_from_the_attempt():
    email = channel(25)
    mail = email.compose(email.render(post()), Attempt(key="nr-0123abcd", started_at="2026-06-01T20:05:00+00:00"))
    assert mail["Message-ID"] == "<nr-0123abcd@larkspur-energy.example>"
    assert mail["Date"] == "Mon, 01 Jun 2026 20:05:00 +0000"


# --- end to end through `invoke syndicate` -----------------------------------------------------------------


def test_a_missing_password_variable_is_named_and_the_other_channels_still_run(site, smtp):
    site.overrides.update(
        SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        SYNDICATION_CHANNELS=[
            {"name": "outbox", "type": "outbox", "audiences": ["media"], "folder": "outbox"},
            {
                "name": "email-media",
                "type": "email",
                "audiences": ["media"],
                "host": "127.0.0.1",
                "port": smtp.port,
                "security": "none",
                "sender": SENDER,
                "to": LIST,
                "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
            },
        ],
    )
    Ledger.open(site.root / "ledger.jsonl").know({"outbox", "email-media"})  # both channels were bootstrapped
    site.post("kessler", Title="Kessler Ridge wind farm opens", Id="kessler")
    site.build()
    output: list[str] = []

    code = command.syndicate(site.settings(), environ={"NEWSROOM_SMTP_USER": USER}, out=output.append)
    assert code == 1
    assert "posted     kessler -> file://" in output[-1]  # the outbox went ahead
    assert (
        "channel 'email-media': environment variable NEWSROOM_SMTP_PASSWORD is not set (expected the password for "
        "this email channel)"
    ) in output[-1]
    assert smtp.deliveries == []

    environ = {"NEWSROOM_SMTP_USER": USER, "NEWSROOM_SMTP_PASSWORD": PASSWORD}
    assert command.syndicate(site.settings(), environ=environ, out=output.append) == 0, output[-1]
    assert f"posted     kessler -> mailto:{LIST}" in output[-1]
    assert subjects(smtp) == ["Kessler Ridge wind farm opens"]
    assert command.syndicate(site.settings(), environ=environ, out=output.append) == 0
    assert len(smtp.deliveries) == 1 and len(list((site.root / "outbox").iterdir())) == 1


def test_the_commented_example_channels_in_publishconf_are_a_valid_configuration(site):
    """The sample stays account-free, and its commented email and Slack example does not rot."""
    text = (ROOT / "publishconf.py").read_text(encoding="utf-8").split("# Example channels (not active)")[1]
    entries = "\n".join(line[1:] for line in text.splitlines() if line.startswith("#  "))
    example = ast.literal_eval(f"[{entries}]")
    # In the sample's languages: each email channel posts to the alert list of its own language.
    settings = site.settings(NEWSROOM_LANGUAGES=load_settings(ROOT / "pelicanconf.py")["NEWSROOM_LANGUAGES"])
    assert [c["type"] for c in settings["SYNDICATION_CHANNELS"]] == ["outbox", "outbox", "outbox"]
    config = load_config({**settings, "SYNDICATION_CHANNELS": example}, load_newsroom(settings))
    assert [(c.name, c.internal, c.language) for c in config.channels] == [
        ("email-media", False, ""),
        ("email-media-fr", False, "fr"),
        ("slack-staff", True, ""),
    ]


@pytest.mark.parametrize(
    "to", ["newsroom-alerts@lists.larkspur-energy.example", "Staff <NEWSROOM-Alerts@lists.larkspur-energy.example>"]
)
def test_an_internal_email_channel_may_not_post_to_an_alert_list_anyone_can_join(site, to):
    """The alert lists are the public subscribe page's: an internal channel posting to one would mail every
    employees-only post to whoever subscribed."""
    settings = site.settings()
    assert settings["NEWSROOM_ALERTS"]["lists"]["all"] == "newsroom-alerts@lists.larkspur-energy.example"
    staff = {
        "name": "email-staff",
        "type": "email",
        "internal": True,
        "audiences": ["employees"],
        "host": "127.0.0.1",
        "sender": "Larkspur Energy Newsroom <newsroom@larkspur-energy.example>",
        "to": to,
        "credentials": {"username": "NEWSROOM_SMTP_USER", "password": "NEWSROOM_SMTP_PASSWORD"},
    }
    with pytest.raises(SettingsProblems) as refused:
        load_config({**settings, "SYNDICATION_CHANNELS": [staff]}, load_newsroom(settings))
    assert [problem for problem in refused.value.problems if problem.startswith("SYNDICATION_CHANNELS[0].to:")] == [
        f"SYNDICATION_CHANNELS[0].to: {to!r} is an alert list of NEWSROOM_ALERTS, which anyone can join on the "
        "subscribe page (internal posts must never reach it: expected an address only employees receive)"
    ]
    staff["to"] = "all-staff@larkspur-energy.example"
    assert load_config({**settings, "SYNDICATION_CHANNELS": [staff]}, load_newsroom(settings)).channels[0].internal
