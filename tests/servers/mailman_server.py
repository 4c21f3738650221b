"""GNU Mailman 3 on 127.0.0.1 for the email alert tests, with a small mail hub standing in for the company's MTA.

`MailmanServer` runs the real Mailman (installed by tests/servers/mailman/install.sh into its own virtualenv)
with its LMTP and REST ports on 127.0.0.1 and all its state in a temporary folder. `MailHub` is an SMTP server
(aiosmtpd) playing the MTA's two parts, as Postfix does for a Mailman host: mail to a `lists.` domain is handed
to Mailman over LMTP (answering the sender with Mailman's own reply), and every other recipient's mail is kept in
a mailbox the test reads. Mailman's outgoing mail (confirmations, alerts) comes back to the hub as its
smarthost, so a subscriber's mailbox holds exactly what Mailman sent them.
"""

from __future__ import annotations

import asyncio
import os
import smtplib
import subprocess
import threading
import time
import urllib.request
from collections import defaultdict
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from servers.smtp import free_port

MAILMAN_DIR = Path(__file__).resolve().parent / "mailman"
MAILMAN = MAILMAN_DIR / "venv" / "bin" / "mailman"
INSTALL = "tests/servers/mailman/install.sh"
REST_USER, REST_PASSWORD = "restadmin", "rest-password-for-tests"

CONFIG = """\
[mailman]
site_owner: postmaster@{domain}
layout: tests

[paths.tests]
var_dir: {var_dir}

[mta]
# The hub creates no aliases: it routes every `lists.` domain to LMTP.
incoming: mailman.mta.null.NullMTA
lmtp_host: 127.0.0.1
lmtp_port: {lmtp_port}
smtp_host: 127.0.0.1
smtp_port: {smtp_port}

[webservice]
hostname: 127.0.0.1
port: {rest_port}
admin_user: {rest_user}
admin_pass: {rest_password}
workers: 1

[runner.master]
# Idle runners look at their queue this often: quick enough for a test to wait on.
sleep_time: 0.2s

[archiver.prototype]
enable: no
"""


class MailHub:
    """The MTA: `lists.` domains go to Mailman's LMTP; everyone else's mail into `mailboxes[address]`."""

    def __init__(self, lmtp_port: int):
        self.lmtp_port = lmtp_port
        self.port = free_port()
        self.mailboxes: dict[str, list[EmailMessage]] = defaultdict(list)
        self.to_lists: list[tuple[str, EmailMessage]] = []  # (list address, message) handed to Mailman
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        for recipient in envelope.rcpt_tos:
            if recipient.rsplit("@", 1)[-1].startswith("lists."):
                reply = await asyncio.to_thread(self._to_mailman, envelope.mail_from, recipient, raw)
                if reply:
                    return reply
                with self.lock:
                    self.to_lists.append((recipient.lower(), message_from_bytes(raw, policy=policy.default)))
            else:
                with self.lock:
                    self.mailboxes[recipient.lower()].append(message_from_bytes(raw, policy=policy.default))
        return "250 2.0.0 OK"

    def _to_mailman(self, sender: str, recipient: str, raw: bytes) -> str | None:
        """Deliver over LMTP; Mailman's refusal (e.g. 550 no such list) as the reply to give, else None."""
        with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=10) as lmtp:
            try:
                lmtp.sendmail(sender, [recipient], raw)
            except smtplib.SMTPRecipientsRefused as error:
                code, text = error.recipients[recipient]
                return f"{code} {text.decode()}"
        return None

    def inbox(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return list(self.mailboxes[address.lower()])

    def send(self, sender: str, to: str, subject: str, body: str = "", **headers: str) -> None:
        """A person sends an email through this MTA."""
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = sender, to, subject
        for name, value in headers.items():
            mail[name.replace("_", "-")] = value
        mail.set_content(body or "\n")
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as smtp:
            smtp.send_message(mail)

    def __enter__(self) -> MailHub:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class MailmanServer:
    """`with MailmanServer(folder) as mailman:` runs Mailman and its hub; `mailman.rest(...)`, `mailman.hub`."""

    def __init__(self, folder: Path, domain: str = "lists.larkspur-energy.example"):
        if not MAILMAN.exists():
            raise RuntimeError(f"GNU Mailman is not installed: run `bash {INSTALL}` (or `invoke test`, which does)")
        self.folder = folder
        self.lmtp_port, self.rest_port = free_port(), free_port()
        self.hub = MailHub(self.lmtp_port)
        self.config = folder / "mailman.cfg"
        self.config.write_text(
            CONFIG.format(
                domain=domain,
                var_dir=folder / "var",
                lmtp_port=self.lmtp_port,
                smtp_port=self.hub.port,
                rest_port=self.rest_port,
                rest_user=REST_USER,
                rest_password=REST_PASSWORD,
            ),
            encoding="utf-8",
        )

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    def _mailman(self, *args: str) -> tuple[int, str]:
        root = ["--run-as-root"] if os.geteuid() == 0 else []  # Mailman refuses root unless told
        # Output to a file, not a pipe: the master runner `start` leaves behind would hold a pipe open.
        with open(self.folder / f"mailman-{args[0]}.out", "w+", encoding="utf-8") as output:
            done = subprocess.run(
                [str(MAILMAN), "-C", str(self.config), *root, *args],
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=60,
                env={**os.environ, "HOME": str(self.folder)},  # gunicorn's control socket goes under $HOME
            )
            output.seek(0)
            return done.returncode, output.read()

    def _wait_until_up(self, deadline: float) -> None:
        request = urllib.request.Request(f"{self.rest_url}/3.1/system/versions")
        request.add_header("Authorization", "Basic " + _basic(REST_USER, REST_PASSWORD))
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(request, timeout=2).close()
                with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        log = (self.folder / "var" / "logs" / "mailman.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"Mailman did not start within the time allowed; mailman.log ends:\n{log}")

    def __enter__(self) -> MailmanServer:
        self.hub.__enter__()
        code, output = self._mailman("start")
        if code:
            self.hub.__exit__()
            raise RuntimeError(f"mailman start failed: {output}")
        try:
            self._wait_until_up(time.monotonic() + 60)
        except RuntimeError:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._mailman("stop")
        pid_file = self.folder / "var" / "master.pid"
        deadline = time.monotonic() + 20
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)  # the master removes it once every runner has stopped
        self.hub.__exit__()


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def wait_for(condition, timeout: float = 30.0, what: str = "the condition"):
    """Poll `condition()` until it returns something truthy (returned), or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
