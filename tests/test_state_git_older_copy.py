"""The git state store never restores a ledger older than the last one a publish saved: not after a rewritten
branch (test_state_git.py), and not after a commit that puts an older copy back (a revert of a publish's state
commit, a merge that took the older side), which no rewrite detection can see. Real repositories, real ledgers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_state_git import clone, git

from newsroom.publishing.config import StateConfig
from newsroom.publishing.git_store import GitStore
from newsroom.publishing.pipeline import open_store
from newsroom.publishing.state import StateError
from newsroom.syndication.ledger import Ledger, LedgerError, Record, forgotten, forgotten_in_copy
from newsroom.syndication.states import State

LEDGER = "syndication/ledger.jsonl"


@pytest.fixture
def origin(tmp_path) -> Path:
    """A bare repository with one commit on main: a post, and no ledger yet (the first publish makes it)."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--bare", "--initial-branch=main", str(bare))
    seed = clone(bare, tmp_path / "seed")
    (seed / "content").mkdir()
    (seed / "content/post.md").write_text("Title: A post\n")
    git(seed, "add", ".")
    git(seed, "commit", "-m", "Initial site")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return bare


def store(checkout: Path) -> GitStore:
    """The store as the publish opens it (pipeline.open_store): the ledger knows when a copy of it is older."""
    ledger = checkout / LEDGER
    return open_store(StateConfig("git"), [ledger, checkout / "publishing/websub.json"], checkout, {}, ledger)


def publish_run(remote: Path, checkout: Path, *sent: tuple[str, str]) -> str:
    """A publish in a fresh clone of `remote`: restore, record each (post, channel) as posted, save; returns the
    state commit it pushed."""
    state = store(checkout)
    state.restore()
    ledger = Ledger.open(checkout / LEDGER)
    for post, channel in sent:
        ledger.begin(post, channel, key=f"{post}-{channel}", started_at="2026-12-01T10:00:00+00:00")
        if channel == "email":  # no read back: an answer lost after sending leaves it for a person
            ledger.uncertain(post, channel, "the SMTP answer was lost")
        else:
            ledger.complete(post, channel, remote_id=f"id-{post}", url=f"https://social.example/{post}")
    state.save(f"Ledger after sending {len(sent)} [skip ci]")
    return git(remote, "rev-parse", "main")


@pytest.fixture
def two_runs(origin, tmp_path) -> tuple[str, str]:
    """Two publishes: q3 on Mastodon, then q4 on Mastodon and (uncertain) email. Returns both state commits."""
    first = publish_run(origin, clone(origin, tmp_path / "run1"), ("q3", "mastodon"))
    second = publish_run(origin, clone(origin, tmp_path / "run2"), ("q4", "mastodon"), ("q4", "email"))
    assert git(origin, "rev-parse", "refs/newsroom/state/main") == second  # the save moved the saved ref too
    return first, second


def test_a_revert_of_a_publishs_state_commit_stops_the_restore_naming_what_it_would_announce_again(
    origin,
    two_runs,
    tmp_path,
):
    _, saved = two_runs
    human = clone(origin, tmp_path / "human")
    git(human, "revert", "--no-edit", saved)  # "undo the last publish", as a person might
    git(human, "push", "--quiet", "origin", "HEAD:main")

    later = clone(origin, tmp_path / "later")
    with pytest.raises(StateError) as stopped:
        store(later).restore()
    assert str(stopped.value) == (
        f"origin/main's {LEDGER} is older than the last saved publish state ({saved[:10]}, kept at "
        "refs/newsroom/state/main): a commit since put back a copy that forgets 2 record(s): q4 on email "
        "(uncertain there, missing here); q4 on mastodon (done there, missing here). Restoring it would announce them again. "
        "Nothing was built or sent. Put the saved records back (`git fetch origin refs/newsroom/state/main && git "
        f"show FETCH_HEAD:{LEDGER}` has them; keep each post and channel's newer line), commit, push to main, "
        "and publish again"
    )

    # As the message says; then the next publish restores and sends on.
    git(human, "fetch", "--quiet", "origin", "refs/newsroom/state/main")
    (human / LEDGER).write_text(git(human, "show", f"FETCH_HEAD:{LEDGER}") + "\n")
    git(human, "commit", "--quiet", "-am", "Put back the publish state")
    git(human, "push", "--quiet", "origin", "HEAD:main")
    again = clone(origin, tmp_path / "again")
    publish_run(origin, again, ("q5", "mastodon"))
    assert {(r.post, r.channel) for r in Ledger.open(again / LEDGER)} == {
        ("q3", "mastodon"),
        ("q4", "mastodon"),
        ("q4", "email"),
        ("q5", "mastodon"),
    }


def test_an_older_copy_merged_in_or_the_ledger_deleted_stops_the_restore(origin, two_runs, tmp_path):
    first, _ = two_runs
    human = clone(origin, tmp_path / "human")
    (human / LEDGER).write_text(git(human, "show", f"{first}:{LEDGER}") + "\n")  # "theirs" in a bad merge
    git(human, "commit", "--quiet", "-am", "Merge branch 'old-draft'")
    git(human, "push", "--quiet", "origin", "HEAD:main")
    with pytest.raises(StateError, match=r"forgets 2 record\(s\): q4 on email \(uncertain there, missing here\)"):
        store(clone(origin, tmp_path / "later")).restore()

    git(human, "rm", "--quiet", LEDGER)
    git(human, "commit", "--quiet", "-m", "Tidy up")
    git(human, "push", "--quiet", "origin", "HEAD:main")
    with pytest.raises(StateError, match=r"forgets 3 record\(s\): q3 on mastodon \(done there, missing here\)"):
        store(clone(origin, tmp_path / "later2")).restore()


def test_what_people_commit_on_top_of_the_saved_ledger_is_restored(origin, two_runs, tmp_path):
    """A person's --resolve, --retry, --reshare and --bootstrap, pushed: each only adds or moves on."""
    human = clone(origin, tmp_path / "human")
    ledger = Ledger.open(human / LEDGER)
    ledger.requeue("q4", "email")  # --retry of the uncertain item: same generation
    ledger.requeue("q3", "mastodon")  # --reshare of a post on the platform: a new generation
    ledger.know({"linkedin"}, seeded=[("q3", "linkedin")])  # --bootstrap of a channel added since
    ledger.resolve_posted("q4", "mastodon", "https://social.example/q4-checked")
    git(human, "commit", "--quiet", "-am", "Resolve and re-share by hand")
    git(human, "push", "--quiet", "origin", "HEAD:main")

    later = clone(origin, tmp_path / "later")
    (later / LEDGER).write_text("stale\n")  # a checkout's own copy is replaced by the branch's, as always
    lines = store(later).restore()
    assert lines[0].startswith(f"restored {LEDGER} from origin/main (")
    assert (later / LEDGER).read_text() == (human / LEDGER).read_text()


def _record(state: State, generation: int = 0) -> Record:
    return Record("q3", "mastodon", state, "2026-12-01T10:00:00+00:00", generation=generation)


def _ledger(tmp_path: Path, *records: Record) -> Ledger:
    return Ledger(tmp_path / "ledger.jsonl", {(r.post, r.channel): r for r in records}, existed=True)


# (earlier, later): a later copy that no command, run or merge makes from the earlier one
FORGETS = [
    (_record(State.DONE), None),
    (_record(State.DONE), _record(State.PENDING)),
    (_record(State.DONE), _record(State.CLAIMED)),
    (_record(State.DONE), _record(State.REQUEUED)),  # a re-share of a posted post starts generation 1
    (_record(State.SEEDED), _record(State.CLAIMED)),
    (_record(State.PENDING), _record(State.CLAIMED)),
    (_record(State.UNCERTAIN), _record(State.CLAIMED)),
    (_record(State.REQUEUED, 2), _record(State.DONE, 1)),
]
# (earlier, later): what runs and people do
MOVES_ON = [
    (_record(State.CLAIMED), _record(State.PENDING)),
    (_record(State.CLAIMED), _record(State.DONE)),
    (_record(State.PENDING), _record(State.DONE)),
    (_record(State.PENDING), _record(State.UNCERTAIN)),
    (_record(State.UNCERTAIN), _record(State.REQUEUED)),  # --retry
    (_record(State.FAILED), _record(State.REQUEUED)),
    (_record(State.UNCERTAIN), _record(State.DONE)),  # --resolve --posted
    (_record(State.DONE), _record(State.REQUEUED, 1)),  # --reshare
    (_record(State.REQUEUED, 1), _record(State.DONE, 1)),
    (_record(State.DONE), replace(_record(State.DONE), alerted="2026-12-02T00:00:00+00:00")),
]


@pytest.mark.parametrize(("earlier", "later"), FORGETS)
def test_a_record_missing_older_or_taken_back_within_its_attempt_is_forgotten(tmp_path, earlier, later):
    records = (later,) if later else ()
    assert forgotten(_ledger(tmp_path, earlier), _ledger(tmp_path, *records)) == [
        f"q3 on mastodon ({earlier.state} there, missing here)"
        if later is None
        else f"q3 on mastodon ({earlier.state}, generation {earlier.generation} there; "
        f"{later.state}, generation {later.generation} here)"
    ]


@pytest.mark.parametrize(("earlier", "later"), MOVES_ON)
def test_a_record_moved_on_is_not_forgotten(tmp_path, earlier, later):
    assert forgotten(_ledger(tmp_path, earlier), _ledger(tmp_path, later)) == []


def test_a_copy_that_is_not_a_ledger_is_left_to_the_run_that_opens_it_and_a_deleted_one_forgets_all(tmp_path):
    path = tmp_path / "ledger.jsonl"
    Ledger(path, {}, existed=False).know({"mastodon"}, seeded=[("q3", "mastodon")])
    saved = path.read_bytes()
    assert forgotten_in_copy(saved, None, path) == ["q3 on mastodon (seeded there, missing here)"]
    for damaged in (b"", b"not json\n", saved[: len(saved) // 2], "é".encode("latin-1")):
        assert forgotten_in_copy(saved, damaged, path) == []
        path.write_bytes(damaged)
        with pytest.raises((LedgerError, UnicodeDecodeError)):  # the run stops there, nothing sent
            Ledger.open(path)
