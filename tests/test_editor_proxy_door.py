"""`invoke edit`'s local git proxy (the real decap-server, as start_proxy runs it) writes any file a request names
inside the repository, `.git/config` included, and git runs a command that config names (core.fsmonitor) at the
proxy's next `git add`. It must answer only the editor's page on this machine: not a page that rebinds its own
host name to 127.0.0.1 (DNS rebinding: the browser then sends its requests as same-origin, with that name as
Host), nor another site's page sending requests cross-site."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import urllib.request

import pytest

from newsroom.editor.local import start_proxy, stop

EDITOR = "http://127.0.0.1:8000"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxy(tmp_path, monkeypatch):
    """A repository with one commit, and `invoke edit`'s proxy (decap-server behind its door) serving it."""
    repository = tmp_path / "newsroom"
    repository.mkdir()
    for command in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "comms@larkspur-energy.example"],
        ["config", "user.name", "Comms Person"],
    ):
        subprocess.run(["git", "-C", str(repository), *command], check=True)
    (repository / "README.md").write_text("Larkspur Energy newsroom\n")
    subprocess.run(["git", "-C", str(repository), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repository), "commit", "-qm", "Start"], check=True)
    port = free_port()
    running = start_proxy(repository, port, EDITOR, {"PATH": os.environ["PATH"]})
    try:
        yield repository, port
    finally:
        stop(running)


def call(port: int, host: str, origin: str | None, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=json.dumps(body).encode(), method="POST")
    request.add_header("Host", host)
    request.add_header("Content-Type", "application/json")
    if origin is not None:
        request.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def rewrite_git_config(marker) -> dict:
    """What the attacking page sends: .git/config with a command for git to run."""
    config = f'[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfsmonitor = "touch {marker}; echo"\n'
    asset = {"path": ".git/config", "content": base64.b64encode(config.encode()).decode(), "encoding": "base64"}
    return {"action": "persistMedia", "params": {"branch": "main", "asset": asset, "options": {"commitMessage": "x"}}}


@pytest.mark.parametrize(
    "host, origin",
    [
        ("attacker.example:{port}", "http://attacker.example:{port}"),  # DNS rebinding: same-origin to the browser
        ("attacker.example:{port}", None),
        ("127.0.0.1:{port}", "http://attacker.example"),  # another site's page, cross-site
        ("localhost:{port}", "null"),  # a sandboxed frame or a file: page
        ("127.0.0.1", EDITOR),  # the proxy's port left out: not the address the editor uses
    ],
)
def test_a_request_from_any_page_but_the_editor_is_refused_and_changes_nothing(proxy, tmp_path, host, origin):
    repository, port = proxy
    marker = tmp_path / "command-ran"
    before = (repository / ".git" / "config").read_text()
    status, answer = call(port, host.format(port=port), origin and origin.format(port=port), rewrite_git_config(marker))
    assert status == 403 and "not" in answer["error"]
    assert (repository / ".git" / "config").read_text() == before
    subprocess.run(["git", "-C", str(repository), "add", "."], check=True)  # what the proxy runs to commit a post
    assert not marker.exists()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_editors_page_and_this_machine_are_let_through(proxy, host):
    repository, port = proxy
    assert call(port, host.format(port=port), EDITOR, {"action": "info"}) == (
        200,
        {"repo": repository.name, "publish_modes": ["simple", "editorial_workflow"], "type": "local_git"},
    )
    assert call(port, host.format(port=port), None, {"action": "info"})[0] == 200  # a tool on this machine
