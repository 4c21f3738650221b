"""The ledger file's format outlives the code that reads it: a ledger committed by an earlier version of the
newsroom must read, and be written back, exactly as it was."""

from __future__ import annotations

import json

import pytest

from newsroom.syndication.ledger import Ledger, LedgerError
from newsroom.syndication.states import State

# Written by the previous ledger code (state strings, before the State vocabulary): every state, every field.
PREVIOUS = """\
{"channels": ["bluesky", "email", "linkedin", "mastodon"], "ledger": "newsroom-syndication", "version": 1}
{"at": "2026-12-05T08:59:43+00:00", "channel": "mastodon", "post": "2026-04-01-old", "state": "seeded"}
{"at": "2026-12-05T08:59:43+00:00", "channel": "linkedin", "generation": 1, "key": "nr-ddd", "post": "2026-05-01-a", \
"remote_id": "urn:li:share:1", "started_at": "2026-05-01T10:00:00+00:00", "state": "requeued", \
"url": "https://www.linkedin.com/feed/update/urn:li:share:1"}
{"at": "2026-12-05T08:59:43+00:00", "channel": "mastodon", "key": "nr-aaa", "post": "2026-05-01-a", "remote_id": "109", \
"started_at": "2026-05-01T10:00:00+00:00", "state": "done", "url": "https://mastodon.example/@l/109"}
{"at": "2026-12-05T08:59:43+00:00", "channel": "bluesky", "key": "nr-bbb", "post": "2026-05-02-b", \
"reason": "timed out", "started_at": "2026-05-02T10:00:00+00:00", "state": "pending", "step": {"rkey": "3k"}}
{"alerted": "2026-12-05T08:59:43+00:00", "at": "2026-12-05T08:59:43+00:00", "channel": "email", "key": "nr-ccc", \
"post": "2026-05-02-b", "reason": "connection dropped after DATA", "started_at": "2026-05-02T10:00:00+00:00", \
"state": "uncertain"}
{"at": "2026-12-05T08:59:43+00:00", "channel": "linkedin", "post": "2026-05-03-c", \
"reason": "cannot be written: link too long", "state": "failed"}
"""


def test_a_ledger_written_by_the_previous_code_reads_identically(tmp_path):
    path = tmp_path / "ledger.jsonl"
    path.write_text(PREVIOUS, encoding="utf-8")
    ledger = Ledger.open(path)

    lines = [json.loads(line) for line in PREVIOUS.splitlines()[1:]]
    assert [json.loads(record.line()) for record in ledger] == lines
    assert {(r.post, r.channel): r.state for r in ledger} == {
        ("2026-04-01-old", "mastodon"): State.SEEDED,
        ("2026-05-01-a", "linkedin"): State.REQUEUED,
        ("2026-05-01-a", "mastodon"): State.DONE,
        ("2026-05-02-b", "bluesky"): State.PENDING,
        ("2026-05-02-b", "email"): State.UNCERTAIN,
        ("2026-05-03-c", "linkedin"): State.FAILED,
    }
    assert all(type(record.state) is State for record in ledger)  # members, not bare strings that merely compare
    assert ledger.get("2026-05-02-b", "bluesky").step == {"rkey": "3k"}
    assert ledger.channels() == {"bluesky", "email", "linkedin", "mastodon"}

    # A write that changes nothing: every record comes back byte for byte, and the header now counts them, in the
    # version that lists the known channels alone (the same four: version 1 listed every channel with a record).
    ledger.know(set())
    header, *records = path.read_text(encoding="utf-8").splitlines()
    assert records == PREVIOUS.replace("\\\n", "").splitlines()[1:]
    assert json.loads(header) == {**json.loads(PREVIOUS.splitlines()[0]), "records": 6, "version": 2}


def test_every_state_is_written_as_the_string_the_previous_code_wrote(tmp_path):
    assert [state.value for state in State] == [
        "pending",
        "done",
        "seeded",
        "failed",
        "uncertain",
        "requeued",
        "claimed",
        "superseded",
    ]
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    ledger.know({"mastodon"}, seeded=[("p", "mastodon")])
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[1])["state"] == "seeded"


@pytest.mark.parametrize("state", ["posted", "Done", "", None, ["done"]])
def test_a_state_outside_the_vocabulary_is_refused_with_its_line(tmp_path, state):
    path = tmp_path / "ledger.jsonl"
    record = {"at": "2026-12-05T08:59:43+00:00", "channel": "mastodon", "post": "p", "state": state}
    path.write_text(PREVIOUS.splitlines()[0] + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"ledger.jsonl:2: state .* is not valid \(expected one of: pending, done"):
        Ledger.open(path)


def test_a_re_share_queued_by_the_previous_code_remembers_the_status_it_repeats(tmp_path):
    """The previous code kept a re-shared post's remote id on its `requeued` record; the attempt begun from it keeps
    that id in `earlier`, on disk, so a read back in this run or a later one never takes that status for it."""
    path = tmp_path / "ledger.jsonl"
    path.write_text(PREVIOUS, encoding="utf-8")
    Ledger.open(path).begin("2026-05-01-a", "linkedin", "nr-eee", "2026-12-06T10:00:00+00:00")
    record = Ledger.open(path).get("2026-05-01-a", "linkedin")
    assert (record.state, record.generation, record.earlier) == (State.PENDING, 1, ("urn:li:share:1",))
    assert '"earlier": ["urn:li:share:1"]' in record.line()


@pytest.mark.parametrize("earlier", ["109", [109], {"id": "109"}])
def test_earlier_ids_that_are_not_a_list_of_strings_are_refused_with_their_line(tmp_path, earlier):
    path = tmp_path / "ledger.jsonl"
    record = {
        "at": "2026-12-05T08:59:43+00:00",
        "channel": "mastodon",
        "post": "p",
        "state": "done",
        "earlier": earlier,
    }
    path.write_text(PREVIOUS.splitlines()[0] + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"ledger.jsonl:2: `earlier` must be a list of remote ids"):
        Ledger.open(path)


SEEDED_ON_X = '{"at": "2026-12-05T08:59:43+00:00", "channel": "x", "post": "p", "state": "seeded"}\n'


def test_records_alone_never_make_a_channel_known(tmp_path):
    """A channel is known by its name in the header, written with its whole archive: records without it (a
    bootstrap that never finished) leave it new, so its posts without a record are held, never sent as news."""
    path = tmp_path / "ledger.jsonl"
    header = {"channels": ["y"], "ledger": "newsroom-syndication", "records": 1, "version": 2}
    path.write_text(json.dumps(header) + "\n" + SEEDED_ON_X, encoding="utf-8")
    ledger = Ledger.open(path)
    assert ledger.known_channels() == {"y"}
    assert ledger.channels() == {"x", "y"}  # its open items stay in sight all the same
    ledger.know({"z"})
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["channels"] == ["y", "z"]


def test_a_ledger_of_the_previous_version_knows_every_channel_it_has_records_for(tmp_path):
    """Version 1 wrote every channel with a record as known, whatever its header's list said; that is what
    such a ledger means, and it keeps meaning it once written back as version 2."""
    path = tmp_path / "ledger.jsonl"
    path.write_text(
        json.dumps({"channels": ["y"], "ledger": "newsroom-syndication", "version": 1}) + "\n" + SEEDED_ON_X
    )
    assert Ledger.open(path).known_channels() == {"x", "y"}
    Ledger.open(path).know(set())
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["version"] == 2
    assert Ledger.open(path).known_channels() == {"x", "y"}


@pytest.mark.parametrize("version", [0, 3, "2", None])
def test_a_ledger_version_this_code_does_not_know_is_refused(tmp_path, version):
    path = tmp_path / "ledger.jsonl"
    path.write_text(json.dumps({"channels": [], "ledger": "newsroom-syndication", "version": version}) + "\n")
    with pytest.raises(LedgerError, match=r"ledger.jsonl:1: unsupported ledger header"):
        Ledger.open(path)


def test_a_bootstrap_keeps_every_record_it_finds_and_seeds_only_the_rest(tmp_path):
    """Seeding over a record would forget a send that may be on the platform (pending) or one a person asked for."""
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    ledger.know({"x"})
    ledger.begin("p", "x", "nr-key", "2026-12-05T08:59:43+00:00")
    assert ledger.know({"x", "y"}, seeded=[("p", "x"), ("q", "x"), ("p", "y")]) == 2
    again = Ledger.open(path)
    assert {(r.post, r.channel): r.state for r in again} == {
        ("p", "x"): State.PENDING,
        ("q", "x"): State.SEEDED,
        ("p", "y"): State.SEEDED,
    }
