"""A secret that travels in a URL's query (Threads' token) is written there percent-encoded, so the request line
urllib3 logs holds its encoded form: that form is as secret as the raw one, and never reaches a log either.
Likewise a line of a secret of several lines (a deploy target's SSH key), which a tool's error may quote."""

from __future__ import annotations

import base64
import contextlib
import logging
import socket
import threading
from urllib.parse import quote, quote_plus

import test_channel_threads as threads_tests
from channel_runs import make_channel, post, statuses, syndicate
from servers.loopback import LoopbackServer, Reply, Request
from servers.meta import ThreadsServer

from newsroom.kit.credentials import redact

TOKEN = "THAA|odd/token+with=reserved&characters"


def test_a_token_with_reserved_characters_is_hidden_in_every_encoded_form(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with ThreadsServer(threads_tests.USER, TOKEN) as server:
        channel = make_channel(
            "threads", {"token": TOKEN}, user_id=threads_tests.USER, handle="larkspur", base_url=server.url
        )
        report = syndicate(channel, [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    logged = caplog.text
    assert "access_token=" in logged  # the request lines were logged, with their queries
    for form in (TOKEN, quote(TOKEN, safe=""), quote_plus(TOKEN), quote(TOKEN)):
        assert form not in logged and form not in report.summary()


def test_each_line_of_a_secret_of_several_lines_is_hidden():
    # Shaped like a private key file (a first and last line around the body), but no key at all.
    key = "-- begin test key --\nFAKEKEYBODYnotakeyAAAAfakefakefake0123\n-- end test key --\n"
    said = "rsync: Load key: invalid format near FAKEKEYBODYnotakeyAAAAfakefakefake0123."
    assert redact(said, [key]) == "rsync: Load key: invalid format near [redacted]."
    assert redact("ssh: a key of no lines", ["one-line-token"]) == "ssh: a key of no lines"


# --- secrets a server quotes back: every secret in use is cleared from every message, whoever raised it ------------

APP_PASSWORD = "abcd-efgh-ijkl-mnop"
SESSION_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyJ9.SESSIONSECRETsignature0123456789"


class QuotingPds(LoopbackServer):
    """A PDS (or a proxy in front of one) that logs in, then refuses every post quoting the credential it got."""

    def handle(self, request: Request) -> Reply:
        if request.path.endswith("com.atproto.server.createSession"):
            return Reply(200, {"did": "did:plc:larkspur", "accessJwt": SESSION_TOKEN, "refreshJwt": "r" * 40})
        return Reply(400, {"error": "InvalidToken", "message": f"Bad token: {request.header('Authorization')}"})


def test_a_session_token_a_login_answered_is_as_secret_as_the_password_that_got_it(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with QuotingPds() as pds:
        channel = make_channel("bluesky", {"app_password": APP_PASSWORD}, handle="larkspur.example", base_url=pds.url)
        report = syndicate(channel, [post(1)], tmp_path)
    assert statuses(report) == ["refused"] and "Bad token: Bearer [redacted]" in report.summary()
    kept = report.summary() + (tmp_path / "ledger.jsonl").read_text() + caplog.text
    assert SESSION_TOKEN not in kept and SESSION_TOKEN[:60] not in kept and APP_PASSWORD not in kept


SMTP_USER, SMTP_PASSWORD = "alerts@larkspur.example", "Sm7pPassw0rd-Secret"


def quoting_smtp_server() -> tuple[socket.socket, int]:
    """An SMTP server that refuses every login quoting the credential it was sent (AUTH PLAIN's base64)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer(connection: socket.socket) -> None:
        with connection, connection.makefile("rwb") as stream:

            def say(line: str) -> None:
                stream.write(line.encode() + b"\r\n")
                stream.flush()

            say("220 mail.example ESMTP")
            for line in iter(stream.readline, b""):
                verb, *words = line.decode().split()
                if verb.upper() in ("EHLO", "HELO"):
                    say("250-mail.example")
                    say("250 AUTH PLAIN")
                elif verb.upper() == "AUTH":
                    say(f"535 5.7.8 Authentication failed for credentials {words[-1]}")
                else:
                    say("221 bye")
                    return

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                threading.Thread(target=answer, args=(listener.accept()[0],), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def test_an_smtp_password_quoted_back_base64_encoded_is_hidden(tmp_path):
    listener, port = quoting_smtp_server()
    with listener:
        channel = make_channel(
            "email",
            {"username": SMTP_USER, "password": SMTP_PASSWORD},
            host="127.0.0.1",
            port=port,
            security="none",
            sender="Larkspur <news@larkspur.example>",
            to="press@lists.larkspur.example",
        )
        report = syndicate(channel, [post(1)], tmp_path)
    kept = report.summary() + (tmp_path / "ledger.jsonl").read_text()
    assert "Authentication failed for credentials [redacted]" in kept
    blob = base64.b64encode(f"\0{SMTP_USER}\0{SMTP_PASSWORD}".encode()).decode()
    assert blob not in kept and blob[8:-4] not in kept


def test_base64_at_every_alignment_is_hidden_whole_and_too_short_a_secret_is_left():
    for prefix in ("", "a", "ab", "user:", f"\0{SMTP_USER}\0"):
        written = base64.b64encode(f"{prefix}{SMTP_PASSWORD}".encode()).decode()
        assert redact(f"refused {written}.", [SMTP_PASSWORD]) == "refused [redacted].", prefix
        urlsafe = base64.urlsafe_b64encode(f"{prefix}{SMTP_PASSWORD}?>".encode()).decode()
        assert redact(f"refused {urlsafe}.", [SMTP_PASSWORD]) == "refused [redacted].", prefix
    assert redact("Basic dXNlcjpwdw==", ["pw"]) == "Basic dXNlcjpwdw=="  # too short to know in base64
