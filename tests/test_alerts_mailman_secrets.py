"""`invoke alerts-lists` logs in to Mailman's REST API with MAILMAN_REST_PASSWORD (HTTP basic auth). Whoever answers
for Mailman (a proxy in front of it, a server on the path) must not get that password: not by a redirect to
another host, not by quoting the login back into an error the command prints, not over plain http to another
machine. The servers here stand for such a Mailman on 127.0.0.1."""

from __future__ import annotations

import base64

import pytest
from servers.loopback import LoopbackServer, Reply, Request

from conftest import run_invoke
from newsroom.alerts.mailman import MailmanError, MailmanRest

USER, PASSWORD = "restadmin", "S3cretMailmanPassw0rd"


class Recording(LoopbackServer):
    """Another host: records the Authorization header of whatever reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.logins: list[str] = []

    def handle(self, request: Request) -> Reply:
        self.logins.append(request.header("Authorization"))
        return Reply(201, {})


class Redirecting(LoopbackServer):
    def __init__(self, to: str, status: int) -> None:
        super().__init__()
        self.to, self.status = to, status

    def handle(self, request: Request) -> Reply:
        return Reply(self.status, {}, {"Location": f"{self.to}/3.1/domains"})


class Quoting(LoopbackServer):
    """A Mailman (or a proxy before it) that refuses every call quoting the login it was sent, raw and decoded."""

    def handle(self, request: Request) -> Reply:
        login = request.header("Authorization")
        decoded = base64.b64decode(login.split()[1]).decode()
        return Reply(500, {"description": f"bad request from {decoded} ({login})"})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_so_the_login_goes_nowhere_else(status):
    with Recording() as elsewhere:
        # localhost: another host name for the same machine, as the request's headers see it
        with Redirecting(elsewhere.url.replace("127.0.0.1", "localhost"), status) as mailman:
            rest = MailmanRest(mailman.url, USER, PASSWORD)
            with pytest.raises(MailmanError) as refused:
                rest.call("POST", "domains", {"mail_host": "news.example.com"})
        assert elsewhere.logins == []
    assert f"answered {status}, redirecting to localhost:" in str(refused.value)
    assert "a redirect is never followed" in str(refused.value)


def test_a_login_quoted_back_is_not_in_what_the_command_prints():
    with Quoting() as mailman:
        status, answer = MailmanRest(mailman.url, USER, PASSWORD).call("POST", "domains", {"mail_host": "x.example"})
    said = answer["description"]  # what create_lists prints after "cannot create the domain …: 500"
    assert status == 500 and said.startswith("bad request from") and PASSWORD not in said
    assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in said


class NotMailman(LoopbackServer):
    """What answers at the REST address is not Mailman's API: a proxy's sign-in page (quoting the login), a cut-off
    answer, a JSON list, plain text."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__()
        self.status, self.body = status, body

    def handle(self, request: Request) -> Reply:
        return Reply(self.status, self.body.replace("{login}", request.header("Authorization")))


@pytest.mark.parametrize(
    "status, body",
    [
        (200, "<html><body>Sign in to continue ({login})</body></html>"),
        (201, '{"truncated'),
        (200, '[{"mail_host": "lists.example"}]'),
        (200, "not json"),
        (204, ""),  # no content: not Mailman's answer to creating a domain
    ],
    ids=["sign-in-page", "cut-json", "json-list", "text", "no-content"],
)
def test_an_answer_that_is_not_mailmans_json_is_one_line_without_the_password(status, body):
    """A 2xx that is not a JSON object was parsed outside the error handling: `invoke alerts-lists` printed a
    traceback. It is one line naming what answered, and never the password."""
    with NotMailman(status, body) as server:
        result = run_invoke(
            "alerts-lists",
            env={"MAILMAN_REST_URL": server.url, "MAILMAN_REST_USER": USER, "MAILMAN_REST_PASSWORD": PASSWORD},
        )
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in said, said
    assert said.count("\n") == 1 and server.url in said, said  # one line, naming what answered
    assert body == "" or f"{server.url} answered {status} with something that is not Mailman's JSON" in said
    assert PASSWORD not in said and base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in said


@pytest.mark.parametrize("url", ["http://mailman.internal.example:8001", "http://10.0.0.5:8001", "ftp://localhost"])
def test_a_password_would_travel_unencrypted_so_the_address_is_refused(url):
    with pytest.raises(MailmanError) as refused:
        MailmanRest(url, USER, PASSWORD)
    assert url in str(refused.value) and PASSWORD not in str(refused.value)


@pytest.mark.parametrize("url", ["http://localhost:8001", "http://127.0.0.1:8001/", "https://mailman.example"])
def test_https_or_this_machine_is_accepted(url):
    assert MailmanRest(url, USER, PASSWORD).base == url.rstrip("/")
