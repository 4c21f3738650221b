"""`invoke serve` and `invoke livereload` as a person runs them: any port, one clear line when it is taken,
and each log line once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from servers.smtp import free_port

from conftest import ROOT, run_invoke


@pytest.fixture
def taken_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("task", ["serve", "livereload"])
def test_a_busy_port_is_one_clear_line_naming_another_port_never_a_traceback(taken_port, task):
    done = run_invoke(task, "--port", str(taken_port))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Cannot serve at http://localhost:{taken_port}: the port is in use (Address already in use), perhaps by "
        f"another `invoke serve` or `invoke livereload`. Stop that one, or choose another port: --port {taken_port + 1}"
    )
    assert "Built" not in done.stdout  # livereload checks before spending a build on it


def test_a_port_that_is_not_one_is_refused():
    done = run_invoke("serve", "--port", "70000")
    assert done.returncode == 2 and done.stderr.strip() == "--port 70000 is not a port (expected 1 to 65535)"


def started(task: str, port: int, ready: str) -> tuple[subprocess.Popen, list[str]]:
    """Run `invoke <task> --port <port>` until it prints `ready`; returns the process and its output lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", task, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if ready in line:
            return process, lines
    os.killpg(process.pid, signal.SIGTERM)
    raise AssertionError(f"invoke {task} never said {ready!r}:\n" + "\n".join(lines))


def fetch_as(url: str, host: str) -> int:
    """GET `url` with this Host header, as a page whose host name turned into 127.0.0.1 (DNS rebinding) sends it."""
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fetch(url: str, tries: int = 5) -> tuple[int, str]:
    """GET `url`; a server that has just said it is listening may still drop the first connection while it
    starts serving (seen on a loaded machine), so a dropped or refused connection is tried again, briefly."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (ConnectionError, urllib.error.URLError):
            if attempt == tries - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def test_serve_listens_on_the_port_asked_for():
    port = free_port()
    process, _ = started("serve", port, f"at http://localhost:{port}")
    try:
        status, _ = fetch(f"http://localhost:{port}/")
        assert status in (200, 404)  # 404 until a build exists: either way, this server answered
        # An internal or embargoed edition may be what it serves: a page of another site never reads it.
        assert fetch_as(f"http://127.0.0.1:{port}/", f"attacker.example:{port}") == 403
        assert fetch_as(f"http://127.0.0.1:{port}/", f"127.0.0.1:{port}") in (200, 404)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def test_livereload_builds_for_its_port_and_prints_each_log_line_once():
    port = free_port()
    process, lines = started("livereload", port, "Start detecting changes")
    try:
        assert sum("Serving on" in line for line in lines) == 1, lines
        assert sum("Start watching changes" in line for line in lines) == 1, lines
        status, page = fetch(f"http://localhost:{port}/")
        assert status == 200
        # A local build's feed addresses are on this very server.
        assert f'href="http://localhost:{port}/feeds/all.atom.xml"' in page
        assert fetch_as(f"http://127.0.0.1:{port}/", f"attacker.example:{port}") == 403
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def test_while_a_rebuild_fails_every_page_shows_its_error_lines_until_the_next_good_build(site, tmp_path):
    site.post("wind", Title="Kessler Ridge opens")
    settings = site.settings_file("pelicanconf.py", CACHE_PATH=str(tmp_path / "cache"))
    port = free_port()
    log = tmp_path / "livereload.log"
    with open(log, "w", encoding="utf-8") as output:  # a file: a pipe nobody reads would stop the server
        process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "livereload", "--settings", str(settings), "--port", str(port)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def page_when(condition) -> tuple[int, str]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                answer = fetch(f"http://localhost:{port}/")
            except OSError:
                answer = (0, "")
            if condition(*answer):
                return answer
            time.sleep(0.3)
        raise AssertionError(f"never came; the server said:\n{log.read_text(encoding='utf-8')[-3000:]}")

    try:
        page_when(lambda status, text: status == 200 and "Kessler Ridge opens" in text)
        site.post("wind", Title="Kessler Ridge opens", Audience="investor")  # a typo in the audience
        _, text = page_when(lambda status, text: status == 500)
        assert "<h1>The last build failed</h1>" in text
        assert "unknown audience &#x27;investor&#x27;" in text  # the build's own words, escaped
        assert "livereload.js" in text  # the page reloads itself once the fix is built
        site.post("wind", Title="Kessler Ridge opens", Audience="investors")  # fixed
        page_when(lambda status, text: status == 200 and "Kessler Ridge opens" in text)
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
