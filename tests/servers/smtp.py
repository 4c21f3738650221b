"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it accepts and can be told to misbehave.

It requires a login (AUTH PLAIN/LOGIN, and over TLS unless `tls` is None), offers STARTTLS or implicit TLS with
a given certificate, and keeps every accepted message parsed. Faults are scripted per SMTP stage and used up one
per message: a reply such as "451 4.3.0 Try again later" for "mail", "rcpt" or "data", or for "data" only
DROP (take the message, then close the connection without answering) or STALL (take it, answer too late).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

DROP, STALL = "drop", "stall"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Delivery:
    """One message the server accepted (or took before a DROP/STALL fault): envelope, login and the parsed email."""

    mail_from: str
    rcpt_tos: list[str]
    login: str
    tls: bool
    message: EmailMessage
    raw: bytes


@dataclass
class Handler:
    username: str
    password: str
    stall_seconds: float = 3.0
    deliveries: list[Delivery] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # every login tried: (user, accepted)
    faults: dict[str, list[str]] = field(default_factory=dict)

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login, password = auth_data.login.decode(), auth_data.password.decode()
        accepted = (login, password) == (self.username, self.password)
        self.logins.append((login, accepted))
        return AuthResult(success=accepted, handled=False, auth_data=login)  # handled=False: answer 535

    def _fault(self, stage: str) -> str | None:
        queue = self.faults.get(stage) or []
        return queue.pop(0) if queue else None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        if reply := self._fault("mail"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if reply := self._fault("rcpt"):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        fault = self._fault("data")
        if fault and fault not in (DROP, STALL):
            return fault
        raw = envelope.original_content or envelope.content
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.deliveries.append(
            Delivery(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                session.auth_data or "",
                tls,
                message_from_bytes(raw, policy=policy.default),
                raw,
            )
        )
        if fault == DROP:
            server.transport.close()  # the message is here, but the client never hears so
        elif fault == STALL:
            await asyncio.sleep(self.stall_seconds)
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    """`with SmtpServer(...) as smtp:` runs the server; `smtp.port`, `smtp.deliveries`, `smtp.fail(stage, reply)`."""

    def __init__(
        self, username: str, password: str, *, tls: str | None = None, cert: Path | None = None, key: Path | None = None
    ):
        self.handler = Handler(username, password)
        self.port = free_port()
        # The handler refuses MAIL before a login (aiosmtpd's own auth_required warns when TLS is not required).
        kwargs: dict = {"authenticator": self.handler.authenticate, "auth_require_tls": tls == "starttls"}
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            if tls == "starttls":  # nothing but EHLO, STARTTLS and QUIT before the connection is encrypted
                kwargs.update(tls_context=context, require_starttls=True)
            else:  # implicit TLS: the whole connection is encrypted (aiosmtpd cannot tell, hence no auth_require_tls)
                kwargs["ssl_context"] = context
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, server_hostname="localhost", **kwargs
        )

    @property
    def deliveries(self) -> list[Delivery]:
        return self.handler.deliveries

    @property
    def logins(self) -> list[tuple[str, bool]]:
        return self.handler.logins

    def fail(self, stage: str, *replies: str) -> None:
        self.handler.faults.setdefault(stage, []).extend(replies)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, valid for two days; (cert, key) PEM files."""
    import ipaddress
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)  # issued by itself
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private_key, hashes.SHA256())
    )
    cert, key = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, key
