"""A damaged ledger is refused, with one line naming the file, before anything is sent. A hand merge that kept
two records for one (post, channel) must never be settled silently by whichever line comes last (a `pending`
after a `done` re-sends, a `done` after an `uncertain` hides it); an emptied file must not read as a ledger that
knows no channel, which would skip every post quietly."""

from __future__ import annotations

import json

import pytest

from conftest import run_invoke
from newsroom.syndication.ledger import HEADER, Ledger, LedgerError

DONE = {"post": "q3", "channel": "x", "state": "done", "at": "2026-10-29T12:01:00+00:00", "remote_id": "18"}
PENDING = {"post": "q3", "channel": "x", "state": "pending", "at": "2026-10-29T12:00:00+00:00", "key": "nr-1"}


def write(path, *records):
    lines = [json.dumps({**HEADER, "channels": ["x"]})] + [json.dumps(record) for record in records]
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("order", [(DONE, PENDING), (PENDING, DONE)], ids=["done-then-pending", "pending-then-done"])
def test_two_records_for_one_post_and_channel_are_refused_naming_both_lines(tmp_path, order):
    path = tmp_path / "ledger.jsonl"
    write(path, *order)
    with pytest.raises(LedgerError) as raised:
        Ledger.open(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:3: a second record for post 'q3' on channel 'x' (line 2 has one)")
    assert f"{order[1]['state']!r}" in message and f"{order[0]['state']!r}" in message
    assert "nothing was posted" in message and "\n" not in message


def test_the_same_record_twice_loses_nothing_and_is_read_as_one(tmp_path):
    path = tmp_path / "ledger.jsonl"
    write(path, DONE, DONE)
    assert [(record.post, record.state, record.remote_id) for record in Ledger.open(path)] == [("q3", "done", "18")]


@pytest.mark.parametrize("text", ["", "\n", json.dumps(DONE) + "\n"], ids=["empty", "blank", "records-only"])
def test_a_ledger_without_its_header_line_is_refused_as_damaged(tmp_path, text):
    path = tmp_path / "ledger.jsonl"
    path.write_text(text)
    with pytest.raises(LedgerError) as raised:
        Ledger.open(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: no header line") and "nothing was posted" in message
    assert "git checkout" in message and "\n" not in message


def test_a_ledger_cut_at_a_line_boundary_is_refused_by_its_header_count(tmp_path):
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    ledger.know({"x"}, seeded=[(post, "x") for post in ("a", "b", "c")])
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))  # lost its last record, whole lines
    with pytest.raises(LedgerError) as raised:
        Ledger.open(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: its header counts 3 record(s), but the file holds 2: it was cut short")
    assert "nothing was posted" in message and "git checkout" in message and "\n" not in message


def test_a_header_without_a_count_as_earlier_versions_wrote_it_is_read_then_counted(tmp_path):
    path = tmp_path / "ledger.jsonl"
    write(path, DONE)
    ledger = Ledger.open(path)
    ledger.know({"x"}, seeded=[("q4", "x")])
    assert json.loads(path.read_text().splitlines()[0])["records"] == 2
    assert len(list(Ledger.open(path))) == 2


def test_a_ledger_with_a_byte_that_is_not_utf8_is_one_line_naming_its_line_and_the_command_says_it(site, tmp_path):
    path = tmp_path / "ledger.jsonl"
    write(path, DONE)
    path.write_bytes(path.read_bytes().replace(b'"18"', b'"1\xe9"'))  # an editor that saved it as Latin-1
    with pytest.raises(LedgerError) as raised:
        Ledger.open(path)
    assert str(raised.value).startswith(f"{path}:2: not UTF-8 text (byte 0xe9)") and "nothing was posted" in str(
        raised.value
    )
    settings = site.settings_file("publishconf.py", SYNDICATION_LEDGER=str(path))
    for command in (["syndicate", "--status"], ["syndicate", "--dry-run"]):
        done = run_invoke(*command, "--settings", str(settings))
        said = done.stdout + done.stderr
        assert done.returncode != 0 and "Traceback" not in said and f"{path}:2: not UTF-8 text" in said, said
