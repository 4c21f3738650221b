"""Email alerts: one plain-text + HTML email per post to a mailing-list address, over SMTP.

Journalists prefer email to RSS. Each channel is one list (e.g. the press list for the `media` audience); the
list server delivers to the subscribers. SMTP has no idempotency, so the Message-ID is derived from the
attempt: a repeated send carries the same id, and list archives and mail clients can recognise it.

A post's words never become header syntax: the subject is written as encoded-words of its whole text (a title
holding `=?utf-8?q?=0D=0A…?=` stays text, never a line break and a header), and every email is parsed back
before it is sent and refused unless it has exactly the headers it should and the subject as rendered.
"""

from __future__ import annotations

import base64
import html
import smtplib
import socket
import ssl
from datetime import datetime
from email import errors, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, parseaddr
from pathlib import Path

from newsroom.kit.credentials import SECRETS_IN_USE
from newsroom.kit.errors import NewsroomError
from newsroom.model import wording as phrases
from newsroom.syndication.channel import (
    Attempt,
    AuthFailed,
    Channel,
    ChannelError,
    Message,
    Receipt,
    Rejected,
    Retryable,
    Unknown,
    Unreachable,
)
from newsroom.syndication.channel_types import EMAIL
from newsroom.syndication.channels.common import is_loopback
from newsroom.syndication.post_words import PostWords
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, grapheme_count, within

SUBJECT_LIMIT = 200  # graphemes: far inside RFC 5322's 998-character line, and what mail clients can show
PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class EmailChannel(Channel):
    channel_type = EMAIL
    safe_to_retry = False  # when the answer to DATA is lost, SMTP cannot tell whether the message was delivered
    length_unit = "graphemes in the subject"

    # --- the message (pure) -------------------------------------------------------------------------------

    def render(self, post: PublishedPost) -> Message:
        words = post.words  # the words around the post, in its language
        prefix = _one_line(self.settings.get("subject_prefix", ""))
        title = _one_line(post.title)
        room = SUBJECT_LIMIT - (grapheme_count(prefix) + 1 if prefix else 0)
        subject = " ".join(part for part in (prefix, fit(title, "", "", within((grapheme_count, room))).text) if part)
        when = words.time(post.published)
        summary = post.custom_text(self.name) or post.summary
        unsubscribe = self._unsubscribe_address()
        subscribed = self._subscribed(words)
        plain = _plain(
            title,
            when,
            summary,
            words.say(phrases.READ_THE_POST_AT, url=post.url),
            (subscribed, words.say(phrases.UNSUBSCRIBE_BY_EMAIL, address=unsubscribe)),
        )
        markup = _html(title, when, summary, post.url, words, subscribed, unsubscribe)
        return Message(
            self.name,
            post.id,
            f"Subject: {subject}\n\n{plain}",
            grapheme_count(subject),
            SUBJECT_LIMIT,
            {"subject": subject, "plain": plain, "html": markup},
        )

    def compose(self, message: Message, attempt: Attempt) -> EmailMessage:
        """The email for one attempt: the Message-ID and Date come from the attempt, so a retry repeats them."""
        mail = EmailMessage(policy=policy.SMTP)
        mail["From"] = self.settings["sender"]
        mail["To"] = self.settings["to"]
        if self.settings.get("reply_to"):
            mail["Reply-To"] = self.settings["reply_to"]
        mail["Subject"] = _EncodedSubject(message.extras["subject"])
        mail["Date"] = format_datetime(datetime.fromisoformat(attempt.started_at))
        mail["Message-ID"] = self.message_id(attempt)
        mail["List-Unsubscribe"] = f"<{_mailto(self._unsubscribe_address())}>"
        # Quoted-printable keeps every line 7-bit and short, whatever the text: no server needs 8BITMIME.
        mail.set_content(message.extras["plain"], cte="quoted-printable")
        mail.add_alternative(message.extras["html"], subtype="html", cte="quoted-printable")
        return mail

    def expected_headers(self) -> set[str]:
        """The header names every alert has (lower case): the ones compose() writes, and no other."""
        written = {"from", "to", "subject", "date", "message-id", "list-unsubscribe", "mime-version", "content-type"}
        return written | ({"reply-to"} if self.settings.get("reply_to") else set())

    def message_id(self, attempt: Attempt) -> str:
        return f"<{attempt.key}@{_address(self.settings['sender']).domain}>"

    # --- sending ----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Check what the settings validator cannot, before anything is sent: addresses, and clear text."""
        problems = []
        for key in ("sender", "to", "reply_to", "unsubscribe"):
            value = self.settings.get(key)
            if value is not None and _address(value) is None:
                problems.append(f"{key} {value!r} is not an email address")
        if self.settings["security"] == "none" and not is_loopback(self.settings["host"]):
            problems.append(
                f"security 'none' would send the password in clear text to {self.settings['host']!r}; "
                "it is only for an SMTP server on this machine (use 'starttls' or 'ssl')"
            )
        if len(self.config.credentials) == 1:
            problems.append(
                "credentials name only one of username and password (expected both, or neither for a "
                "relay that needs no login)"
            )
        for role, value in self.secrets.items():
            if not value.isascii():  # smtplib writes the login as ASCII: it would fail before anything is sent
                problems.append(
                    f"{self.config.credentials.get(role, role)} holds a character that is not ASCII, which an SMTP "
                    f"login cannot carry (check the {role} in that variable)"
                )
        ca_file = self.settings.get("ca_file")
        if ca_file and not Path(ca_file).is_file():
            problems.append(f"ca_file {ca_file!r} does not exist")
        if problems:
            raise Rejected("; ".join(problems))

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        try:
            payload = self.compose(message, attempt).as_bytes()
        except (ValueError, TypeError, errors.MessageError) as error:  # nothing sent; it would fail again
            raise Rejected(f"the email cannot be composed: {' '.join(str(error).split())}") from None
        self._verify(payload, message.extras["subject"])
        sender, to = _address(self.settings["sender"]), _address(self.settings["to"])
        stage, smtp = "connect", None
        try:
            smtp = self._connect()
            if self.secrets:
                stage = "login"
                smtp.login(self.secrets["username"], self.secrets["password"])
            stage = "mail"
            smtp.ehlo_or_helo_if_needed()  # a relay without login gets its greeting too (login() sends it otherwise)
            _expect(smtp.mail(sender.addr_spec), 250)
            stage = "rcpt"
            _expect(smtp.rcpt(to.addr_spec), 250, 251)
            stage = "data"  # from here on the server may have the message, even if we never hear back
            _expect(smtp.data(payload), 250)
        except Exception as error:
            if smtp is not None:
                smtp.close()
            raise self._outcome(error, stage, self.message_id(attempt)) from None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()  # the message was accepted; a lost goodbye changes nothing
        return Receipt(remote_id=self.message_id(attempt), url=f"mailto:{to.addr_spec}")

    def _verify(self, payload: bytes, subject: str) -> None:
        """Refuse to send an email that does not read back as composed: other headers than compose() writes, or
        a subject that is not the rendered one. The encoding makes both impossible; this keeps it so."""
        parsed = BytesParser(policy=policy.default).parsebytes(payload)
        names = {name.lower() for name in parsed}
        if names != self.expected_headers() or len(parsed) != len(names):
            found = ", ".join(sorted(names ^ self.expected_headers())) or "a header twice"
            raise Rejected(f"the email would not have the headers it should (unexpected: {found}); nothing was sent")
        if str(parsed["Subject"]) != subject:
            raise Rejected(f"the email's subject would not read as the post's ({subject!r}); nothing was sent")

    def _connect(self) -> smtplib.SMTP:
        host, security = self.settings["host"], self.settings["security"]
        port = self.settings.get("port") or PORTS[security]
        if security == "ssl":
            return smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=self._tls())
        smtp = smtplib.SMTP(host, port, timeout=self.timeout)
        if security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise _NoTLS(
                    f"{host}:{port} does not offer STARTTLS; the password is never sent in clear text "
                    "(check the port, or use security 'ssl')"
                )
            smtp.starttls(context=self._tls())
        return smtp

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.get("ca_file"))

    def _outcome(self, error: Exception, stage: str, message_id: str) -> ChannelError:
        """The engine outcome for an SMTP failure at `stage`; never containing the password."""
        where = f"{self.settings['host']}:{self.settings.get('port') or PORTS[self.settings['security']]}"
        variables = " and ".join(self.config.credentials.get(role, role) for role in ("username", "password"))
        if isinstance(error, _NoTLS):
            return AuthFailed(str(error))
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return AuthFailed(f"{where} refused the login ({self._reply(error)}); check {variables}")
        if isinstance(error, ssl.SSLCertVerificationError):
            return AuthFailed(
                f"the TLS certificate of {where} cannot be trusted ({error.verify_message}); "
                "nothing was sent (for a private certificate authority, set ca_file)"
            )
        if (
            stage == "login"
            and isinstance(error, smtplib.SMTPException)
            and not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPServerDisconnected)
        ):
            said = SECRETS_IN_USE.redact(str(error), self._secrets())
            return AuthFailed(f"{where} cannot log in with {variables}: {said}")
        if stage == "login" and not isinstance(error, smtplib.SMTPException | OSError):
            # Not the server's answer nor the network: the login could not even be written (nothing was sent).
            return AuthFailed(f"the login to {where} could not be sent ({type(error).__name__}); check {variables}")
        if isinstance(error, smtplib.SMTPResponseException):
            reply = self._reply(error)
            if 400 <= error.smtp_code < 500:
                return Retryable(f"{where} answered {reply} (temporary); the message was not accepted")
            if stage in ("rcpt", "data"):
                return Rejected(f"{where} refused the message ({reply})")
            # Refused before any recipient: the server will not relay for this channel, whatever the post.
            return AuthFailed(f"{where} refused to send for this channel ({reply}); check sender, host and login")
        if isinstance(error, smtplib.SMTPServerDisconnected | OSError | smtplib.SMTPException):
            what = _describe(error)
            if stage == "data":
                return Unknown(
                    f"the connection to {where} failed after the message was sent ({what}); it may "
                    f"have been delivered: look for Message-ID {message_id} in the list archive"
                )
            if stage == "connect" and isinstance(error, ConnectionRefusedError | socket.gaierror):
                return Unreachable(f"could not connect to {where} ({what}); this try sent nothing")
            return Retryable(f"could not talk to {where} ({what}); nothing was sent")
        return Unknown(f"unexpected {type(error).__name__} while sending to {where}")

    def _reply(self, error: smtplib.SMTPResponseException) -> str:
        text = (
            error.smtp_error.decode("utf-8", "replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        said = SECRETS_IN_USE.redact(f"{error.smtp_code} {' '.join(text.split())}", self._secrets())
        return said[:200]  # cut after redacting: a cut secret is not found

    def _secrets(self) -> list[str]:
        return [self.secrets.get("password", "")]

    def _unsubscribe_address(self) -> str:
        chosen = self.settings.get("unsubscribe") or self.settings.get("reply_to") or self.settings["sender"]
        return parseaddr(chosen)[1] or chosen

    def _subscribed(self, words: PostWords) -> str:
        """Why the reader gets this email: the list they subscribed to (by default, the sender's alerts)."""
        if self.settings.get("list_name"):
            return words.say(phrases.SUBSCRIBED_TO_LIST, list=_one_line(self.settings["list_name"]))
        name, address = parseaddr(self.settings["sender"])
        return words.say(phrases.SUBSCRIBED_TO_ALERTS, sender=name or address)


class _EncodedSubject(str):
    """The Subject header, written as encoded-words of its whole text (RFC 2047), so that nothing in a post's title
    is ever read as header syntax. The email package would decode an encoded-word in the text when the header is
    set, and write a decoded line break as a real one (a Reply-To or Bcc of the title's choosing)."""

    name = "Subject"  # a header object to the email policy: it is stored and written as is, never parsed

    def fold(self, *, policy: policy.Policy) -> str:
        # Each encoded-word holds at most 42 bytes of UTF-8, cut between characters: 56 characters of base64, and
        # with the 12 around it and "Subject: " a line stays within 78 (RFC 5322), an encoded-word within 75.
        if not self:
            return f"{self.name}: {policy.linesep}"
        words, chunk = [], b""
        for character in self:
            encoded = character.encode("utf-8")
            if chunk and len(chunk) + len(encoded) > 42:
                words.append(chunk)
                chunk = b""
            chunk += encoded
        words.append(chunk)
        return (
            f"{self.name}: "
            + f"{policy.linesep} ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)
            + policy.linesep
        )


class _NoTLS(NewsroomError):
    """The server offers no STARTTLS: sending would expose the password."""


def _plain(title: str, when: str, summary: str, read: str, hint: tuple[str, str]) -> str:
    body = [summary, ""] if summary else []
    return "\n".join([title, when, "", *body, read, "", "-- ", *hint]) + "\n"


def _html(title: str, when: str, summary: str, url: str, words: PostWords, subscribed: str, unsubscribe: str) -> str:
    """The HTML part: every text escaped; dir="auto" lets Arabic or Hebrew text read right to left."""
    e = html.escape
    # The phrase is escaped before the link is put in it: the link is the only markup, and the catalogue's.
    link = f'<a href="{e(_mailto(unsubscribe))}">{e(unsubscribe)}</a>'
    leave = e(words.say(phrases.UNSUBSCRIBE_BY_EMAIL_HTML)) % {"address": link}
    lines = [
        "<!DOCTYPE html>",
        f'<html><head><meta charset="utf-8"><title>{e(title)}</title></head>',
        "<body>",
        f'<h1 dir="auto">{e(title)}</h1>',
        f"<p>{e(when)}</p>",
        *([f'<p dir="auto">{e(summary)}</p>'] if summary else []),
        f'<p><a href="{e(url)}">{e(words.say(phrases.READ_THE_POST))}</a></p>',
        "<hr>",
        f"<p><small>{e(subscribed)}<br>",
        f"{leave}</small></p>",
        "</body></html>",
    ]
    return "\n".join(lines) + "\n"


def _describe(error: Exception) -> str:
    """The kind of network failure, e.g. 'ConnectionRefusedError: Connection refused' (never a server's text)."""
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    if isinstance(error, smtplib.SMTPServerDisconnected) and error.args:
        return f"{type(error).__name__}: {error.args[0]}"  # smtplib's own words, e.g. '… closed: timed out'
    return type(error).__name__


def _expect(reply: tuple[int, bytes], *good: int) -> None:
    if reply[0] not in good:
        raise smtplib.SMTPResponseException(*reply)


def _address(value: str) -> Address | None:
    """The address in 'Name <user@domain>' or 'user@domain', or None when there is none."""
    name, addr_spec = parseaddr(value)
    user, at, domain = addr_spec.rpartition("@")
    if not (user and at and domain) or any(c in value for c in "\r\n"):
        return None
    return Address(display_name=name, username=user, domain=domain)


def _mailto(address: str) -> str:
    return f"mailto:{address}?subject=unsubscribe"


def _one_line(text: str) -> str:
    """Headers cannot hold line breaks (and a title with one must not smuggle in a header)."""
    return " ".join(text.split())
