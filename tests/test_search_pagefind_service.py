"""The client of `pagefind --service` (search/pagefind.py): every message read whole however the bytes arrive,
every refusal raised, and the index's files the same as Pagefind's own command line writes."""

from __future__ import annotations

import base64
import json
import os
import random
import subprocess

import pytest

from newsroom.search.bundle import make_deterministic
from newsroom.search.pagefind import Frames, PagefindService, PagefindServiceError

PAGE = '<html lang="en"><body><main data-pagefind-body><h1>{title}</h1><p>{words}</p></main></body></html>'


def encoded(payload: dict) -> bytes:
    return base64.b64encode(json.dumps(payload).encode()) + b","


def in_chunks(data: bytes, rng: random.Random) -> list[bytes]:
    """`data` cut where chance says: single bytes, a cut on each side of a comma, chunks that hold many messages."""
    chunks, at = [], 0
    while at < len(data):
        size = rng.choice([1, 2, 3, rng.randint(1, 64), rng.randint(1, 5000), 1 << 16])
        chunks.append(data[at : at + size])
        at += size
    return chunks


def test_every_message_is_read_whole_however_the_bytes_are_cut():
    rng = random.Random(20261206)
    for trial in range(300):
        messages = [
            {"message_id": n, "payload": {"text": "x" * rng.choice([0, 1, 2, 3, 70, 4000, 200_000])}}
            for n in range(rng.randint(1, 6))
        ]
        data = b"".join(encoded(message) for message in messages)
        frames, read = Frames(), []
        for chunk in in_chunks(data, rng):
            read += frames.feed(chunk)
        assert [json.loads(message) for message in read] == messages, f"trial {trial}"
        assert frames.unfinished == 0


def test_a_message_not_yet_ended_by_its_comma_is_held_not_returned():
    frames = Frames()
    whole = encoded({"message_id": 1, "payload": {}})
    assert frames.feed(whole[:-1]) == []
    assert 0 < frames.unfinished < len(whole) - 1  # held, decoded as far as it can be
    assert [json.loads(m) for m in frames.feed(b",")] == [{"message_id": 1, "payload": {}}]
    assert frames.unfinished == 0


def test_a_large_message_is_held_decoded_not_also_as_its_base64():
    """An index's files come in one message of many megabytes: while it arrives, what is held is its JSON so far
    (three bytes for four sent), never its base64 as well."""
    frames = Frames()
    data = encoded({"message_id": 1, "payload": {"text": "y" * 3_000_000}})
    chunks = [data[at : at + (1 << 16)] for at in range(0, len(data), 1 << 16)]
    sent = 0
    for chunk in chunks[:-1]:
        assert frames.feed(chunk) == []
        sent += len(chunk)
        assert frames.unfinished <= sent * 3 // 4 + 3
    assert [json.loads(m) for m in frames.feed(chunks[-1])] == [json.loads(base64.b64decode(data[:-1]))]


@pytest.fixture
def service(tmp_path):
    with PagefindService(tmp_path, {}) as running:
        yield running


def test_a_refused_page_among_many_indexed_ones_is_raised(service):
    for number in range(60):
        service.add_html(f"post-{number}/index.html", PAGE.format(title=f"Post {number}", words="wind and sun"))
    service._send({"type": "AddFile", "index_id": service._index_id, "file_path": "broken/index.html"})
    for number in range(60, 80):
        service.add_html(f"post-{number}/index.html", PAGE.format(title=f"Post {number}", words="storage"))
    with pytest.raises(PagefindServiceError, match="Pagefind refused a request: missing field `file_contents`"):
        service.wait_all()


def test_the_index_files_equal_what_pagefinds_command_line_writes(tmp_path, service):
    """The files the client decodes, byte for byte, against Pagefind's CLI run on the same pages."""
    site = tmp_path / "site"
    rng = random.Random(7)
    words = ["wind", "turbine", "grid", "storage", "hydrogen", "solar", "é", "Zürich", "北海道", "naïve"]
    for number in range(120):
        page = site / f"post-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 400)))
        page.write_text(PAGE.format(title=f"Post {number}", words=text), encoding="utf-8")
    # The service reads the folder as the command line does (AddDir), so both number the pages alike.
    service.request({"type": "AddDir", "index_id": service._index_id, "path": str(site)})
    files = service.get_files()

    from pagefind.service import get_executable

    out = tmp_path / "cli"
    subprocess.run(
        [str(get_executable()), "--site", str(site), "--output-path", str(out)],
        check=True,
        capture_output=True,
    )
    written = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    # Pagefind orders what its index holds by chance; the bundle's normal form (bundle.py) is what is published.
    files, written = make_deterministic(files), make_deterministic(written)
    assert sorted(files) == sorted(written)
    assert [name for name in files if files[name] != written[name]] == []


@pytest.mark.parametrize(
    "answer",
    [
        b"this is not base64!,",  # not base64 (a stray byte is an error, not skipped)
        base64.b64encode(b"{not json") + b",",
        base64.b64encode(b'{"message_id": 1}') + b",",  # JSON, but no payload
        base64.b64encode(b"[1, 2]") + b",",  # JSON, but not an answer
    ],
)
def test_an_answer_that_cannot_be_read_fails_in_one_line_not_a_hang(tmp_path, monkeypatch, answer):
    """A service that answers garbage (another Pagefind version, a damaged binary) fails the index at once; the
    reader thread used to die on it, and the build then waited for an answer that would never come."""
    import time

    import pagefind.service

    fake = tmp_path / "pagefind"
    pid_file = tmp_path / "pid"
    fake.write_bytes(b"#!/bin/sh\necho $$ > '" + bytes(pid_file) + b"'\nprintf '%s' '" + answer + b"'\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: fake)
    started = time.monotonic()
    with pytest.raises(PagefindServiceError) as raised:
        PagefindService(tmp_path, {})
    assert time.monotonic() - started < 10
    message = str(raised.value)
    assert message.startswith("Pagefind's answer could not be read (")
    assert "\n" not in message
    with pytest.raises(ProcessLookupError):  # the service that could not be understood was stopped
        os.kill(int(pid_file.read_text()), 0)


def test_a_service_that_never_answers_is_stopped_after_the_silence_limit(tmp_path, monkeypatch):
    """A service that reads its requests and says nothing (hung, or another program) fails the index in one line
    once it has been silent for SILENCE_LIMIT, and is gone; it used to hold the build until CI's own limit."""
    import time

    import pagefind.service

    from newsroom.search import pagefind as client

    fake = tmp_path / "pagefind"
    pid_file = tmp_path / "pid"
    fake.write_bytes(b"#!/bin/sh\necho $$ > '" + bytes(pid_file) + b"'\nexec cat > /dev/null\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: fake)
    monkeypatch.setattr(client, "SILENCE_LIMIT", 1.0)
    started = time.monotonic()
    with pytest.raises(PagefindServiceError) as raised:
        PagefindService(tmp_path, {})
    assert 1.0 <= time.monotonic() - started < 10
    message = str(raised.value)
    assert message.startswith("Pagefind gave no answer for 1 s and was stopped (")
    assert "\n" not in message
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_a_stopped_pagefind_is_killed_when_it_falls_silent_while_building(tmp_path, monkeypatch):
    """The real service, frozen (SIGSTOP) once it has the pages: asking for the index fails after the silence
    limit, and the frozen process, which cannot act on SIGTERM, is killed rather than waited for."""
    import signal
    import time

    from newsroom.search import pagefind as client

    monkeypatch.setattr(client, "SILENCE_LIMIT", 1.0)
    monkeypatch.setattr(client, "EXIT_GRACE", 0.5)
    service = PagefindService(tmp_path, {})
    try:
        service.add_html("post/index.html", PAGE.format(title="Post", words="wind"))
        service.wait_all()
        pid = service._process.pid
        os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(PagefindServiceError, match=r"^Pagefind gave no answer for 1 s and was stopped \("):
            service.get_files()
        assert time.monotonic() - started < 10
        assert service._process.returncode == -signal.SIGKILL
    finally:
        service.close()


def test_a_long_quiet_spell_before_a_request_is_not_silence(tmp_path, monkeypatch):
    """Silence counts from the request awaited: pages indexed long before the index is asked for (the build
    renders in between) do not make the service's answer late."""
    import time

    from newsroom.search import pagefind as client

    monkeypatch.setattr(client, "SILENCE_LIMIT", 3.0)
    with PagefindService(tmp_path, {}) as service:
        service.add_html("post/index.html", PAGE.format(title="Post", words="wind"))
        service.wait_all()
        time.sleep(3.5)
        assert any(name.endswith(".pf_fragment") for name in service.get_files())
