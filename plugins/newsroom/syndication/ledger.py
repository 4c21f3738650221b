"""The ledger: what was sent where, kept so that every (post, channel) is posted exactly once.

One JSON record per line, sorted by post and channel, so a pull request shows each change as one line. The
header line before them names the channels the ledger knows and counts the records: a file cut at a line
boundary still parses, and only that count tells it lost its last records (a ledger whose header has no count,
as earlier versions wrote it, is read as it is, and counted from its next write on).
A channel is known by its name in the header alone, written in the same write as its bootstrap's records (or
when it started before any post for it), never by having records: a bootstrap cut short must leave the channel
new, so the rest of its archive is held for a person rather than sent. Version 1 headers were written as every
channel with a record plus the bootstrapped ones, so a version 1 ledger's channels with records are known too.
Every change rewrites the file atomically (kit/files.py: temporary file, fsync, rename) before the run goes on: a
`pending` record is on disk before a request is sent, and `done` right after it succeeds.
"""

from __future__ import annotations

import fcntl
import json
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.kit.files import write_text_atomically
from newsroom.model.languages import split_version_key
from newsroom.syndication.states import REACHED, UNFINISHED, WAITING, State

HEADER = {"ledger": "newsroom-syndication", "version": 2}
# Version 1 counted every channel with a record as known (module docstring); it is read, and written back as 2.
READ_VERSIONS = (1, 2)
# A step key of an attempt, in a copy of the ledger saved elsewhere before the attempt was sent (a claim,
# claims.py): the attempt's later steps were written only to the disk of the run that sent it, so whoever restores
# the copy cannot take a step's absence for proof that it was not taken (Record.steps_known).
SAVED_BEFORE_SENDING = "saved_before_sending"


class LedgerError(NewsroomError, ValueError):
    """The ledger file cannot be trusted; nothing is posted until a person fixes it."""


class LedgerUnwritable(LedgerError):
    """The ledger file cannot be written (disk full, read-only file system, permission). The run stops before
    its next send: a send whose `pending` is not on disk could be forgotten."""


def _unwritable(path: Path, error: OSError, what: str = "the ledger could not be written") -> LedgerUnwritable:
    return LedgerUnwritable(
        f"{path}: {what} ({error.strerror or type(error).__name__}); this run stopped before sending anything "
        "more, and every send that may have reached a platform is on disk as pending, for the next run to check. "
        "Free space on that disk, or make the file and its folder writable, then run `invoke syndicate` again"
    )


class LedgerBusy(NewsroomError, RuntimeError):
    """Another syndication run holds the ledger."""


@dataclass(frozen=True)
class Record:
    """The latest word on one (post, channel)."""

    post: str
    channel: str
    state: State
    at: str  # when this state was written (UTC, ISO 8601)
    generation: int = 0  # bumped by an explicit re-share, so the new send gets a new idempotency key
    key: str = ""  # the attempt's idempotency key / record key
    started_at: str = ""  # when the current attempt began
    link: str = ""  # the post's address as the current attempt announced it: an edit must not hide it from a read back
    remote_id: str = ""
    url: str = ""
    reason: str = ""
    step: Mapping = field(default_factory=dict)  # finished steps of a multi-step publish
    alerted: str = ""  # when SYNDICATION_ALERT_CHANNEL was told this needs a person (once per open item)
    # The remote ids (or, where a person resolved it, the URLs) of this post's earlier generations on this channel:
    # a re-share links to the same post, so a read back must never take one of them for the current attempt.
    earlier: tuple[str, ...] = ()

    @property
    def where_seen(self) -> str:
        """What tells a person where it is: its URL, else the platform's id for it, else its state."""
        return self.url or self.remote_id or self.state

    @property
    def steps_known(self) -> bool:
        """Whether `step` holds every step the attempt took: not in a copy saved before it was sent, which was
        restored after the run that sent it stopped (a step that proves something by its absence is unknown)."""
        return not self.step.get(SAVED_BEFORE_SENDING)

    def line(self) -> str:
        data = {key: value for key, value in asdict(self).items() if value not in ("", {}, 0, ()) or key == "state"}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ledger:
    """The records of one ledger file. Thread-safe: channels run in parallel and share it."""

    def __init__(
        self, path: Path, records: dict[tuple[str, str], Record], existed: bool, known_channels: set[str] | None = None
    ):
        self.path = Path(path)
        self._hold(records, set(known_channels or ()), existed)  # known: bootstrapped, even with no records yet
        self._lock = threading.Lock()
        # Set when a write failed: no attempt begins after that (every channel of the run stops sending).
        self._write_failed: OSError | None = None

    @classmethod
    def open(cls, path: Path) -> Ledger:
        """Read the ledger at `path` (an absent file is an empty ledger that does not exist yet)."""
        path = Path(path)
        if not path.exists():
            return cls(path, {}, existed=False)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise LedgerError(
                f"{path}: the ledger could not be read ({error.strerror or type(error).__name__}); nothing was "
                "posted. Make the file readable by the user that runs the newsroom, then run again"
            ) from None
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            raise LedgerError(
                f"{path}:{line}: not UTF-8 text (byte {error.object[error.start]:#04x}), which this code never writes; "
                "nothing was posted. Restore the file from git (`git checkout -- <ledger>`) or fix that line"
            ) from None
        return cls.parse(text, path)

    @classmethod
    def parse(cls, text: str, path: Path) -> Ledger:
        """The ledger whose file holds `text` (`path` names it in messages); LedgerError when it cannot be trusted."""
        records: dict[tuple[str, str], Record] = {}
        lines: dict[tuple[str, str], int] = {}  # where each record was read, to name both sides of a clash
        known: set[str] = set()
        header: _Header | None = None  # every ledger this code writes starts with its header: one without was damaged
        text_lines = text.split("\n")  # JSON escapes every other line break
        for number, text in enumerate(text_lines, start=1):
            if not text.strip():
                continue
            record = _parse(text, number, path)
            if isinstance(record, _Header):
                known.update(record.channels)
                header = record
                continue
            where = (record.post, record.channel)
            if where in records and records[where] != record:
                raise _clash(path, number, lines[where], records[where], record)
            records[where], lines[where] = record, number
        if header is not None and header.records is not None and header.records != len(records):
            raise LedgerError(
                f"{path}: its header counts {header.records} record(s), but the file holds {len(records)}: it was "
                "cut short (or lines were deleted by hand); nothing was posted. Restore it from git (`git checkout "
                '-- <ledger>`); if you deleted them on purpose, remove "records" from the header line'
            )
        if header is not None and header.version == 1:
            known |= {channel for _, channel in records}  # what version 1 meant by its list (module docstring)
        if header is None:
            raise LedgerError(
                f"{path}: no header line {json.dumps(HEADER)}: the file was emptied or cut short; nothing was "
                "posted. Restore it from git (`git checkout -- <ledger>`); only if it never held a record, delete "
                "it and run `invoke syndicate --bootstrap`"
            )
        return cls(path, records, existed=True, known_channels=known)

    def get(self, post: str, channel: str) -> Record | None:
        return self._records.get((post, channel))

    def __iter__(self) -> Iterator[Record]:
        return iter(_in_order(self._records))

    def carried_version(self, post: str, channel: str) -> Record | None:
        """The record of the version of `post` (a version's key: any of its language versions) that `channel`
        carried, or is carrying: an announced one (done, seeded) first, else one under way; None when no version
        went there, or is going (a refusal sent nothing). A post is announced once on a channel, in whichever
        version came first: the plan sends no other version there, and the disclosure check counts that one."""
        versions = [
            record
            for record in self._versions.get((split_version_key(post)[0], channel), ())
            if record.state != State.FAILED
        ]
        return next((r for r in versions if r.state in REACHED), versions[0] if versions else None)

    def announced(self, post: str, channel: str) -> Record | None:
        """The record of the version of `post` that `channel` announced (done, or seeded), or None."""
        record = self.carried_version(post, channel)
        return record if record is not None and record.state in REACHED else None

    def holding(self, channel: str, remotes: set[str]) -> set[str]:
        """The posts whose records on `channel` hold one of `remotes` (a platform's id or URL for a post) as their
        post or as an earlier generation's: one post on a platform is one record's, never another's too."""
        return {
            record.post
            for record in self
            if record.channel == channel and {record.remote_id, record.url, *record.earlier} & remotes
        }

    def channels(self) -> set[str]:
        """Every channel this ledger has heard of: the known ones and any with records (whose open items stay in
        sight once the settings no longer name it)."""
        return self._known | {channel for _, channel in self._records}

    def known_channels(self) -> set[str]:
        """The channels whose archive is recorded (bootstrapped, or started before any post was routed to them):
        only there is a post without a record new rather than archive. Records alone never make a channel known."""
        return set(self._known)

    def know(self, channels: Iterable[str], seeded: Iterable[tuple[str, str]] = ()) -> int:
        """Record these channels as bootstrapped, and each (post, channel) of `seeded` without a record as already
        syndicated without posting, in one write (creating the file if needed): a run stopped part way leaves
        the ledger as it was, never part of an archive on a channel it takes for known. Returns how many
        records it seeded (a (post, channel) with a record keeps it)."""
        channels = set(channels)
        with self._lock:
            now = utc_now()
            seeds = {}
            for post, channel in seeded:
                if channel not in channels:
                    raise ValueError(f"{post!r} seeded on {channel!r}, which is not among the channels bootstrapped")
                if (post, channel) not in self._records:
                    seeds[(post, channel)] = Record(post, channel, State.SEEDED, now)
            self._save({**self._records, **seeds}, self._known | channels)
        return len(seeds)

    @contextmanager
    def provisional(self) -> Iterator[None]:
        """Changes made in the block are undone, on disk too, if it raises: a claim whose save failed."""
        with self._lock:
            records, known, existed = dict(self._records), set(self._known), self.existed
        try:
            yield
        except BaseException:
            with self._lock:
                if existed:
                    self._save(records, known)
                else:
                    self.path.unlink(missing_ok=True)
                    self._hold(records, known, existed=False)
            raise

    # Each change below is on disk when the method returns.

    def begin(self, post: str, channel: str, key: str, started_at: str, link: str = "") -> Record:
        """Record that a send is about to happen (before the request leaves this machine). An unfinished attempt
        keeps what its first try announced (`link`), whatever the post says now. Refused once a write has
        failed in this run: nothing is sent that the ledger might not remember."""
        if self._write_failed is not None:
            raise _unwritable(self.path, self._write_failed)
        previous = self.get(post, channel)
        resumed = previous is not None and previous.state in UNFINISHED
        earlier = previous.earlier if previous else ()
        reshared = previous.remote_id or previous.url if previous and previous.state == State.REQUEUED else ""
        if reshared and reshared not in earlier:  # what the generation before this re-share posted
            earlier = (*earlier, reshared)
        return self._write(
            _new_attempt(
                previous,
                post,
                channel,
                State.PENDING,
                key=key,
                started_at=started_at,
                link=previous.link if resumed and previous.link else link,
                step=previous.step if resumed else {},
                alerted=previous.alerted if resumed else "",
                earlier=earlier,
            )
        )

    def hold_claims(self, claims: Iterable[tuple[str, str]], resumed: Iterable[tuple[str, str]] = ()) -> None:
        """The claims on these (post, channel), and the attempts `resumed`, are saved elsewhere (as `pending` with
        SAVED_BEFORE_SENDING, which is all a copy can say): on this disk, which sees every attempt begin and every
        step it takes, the claims become what they are, `claimed`, and every mark for the copy goes, in one write.
        Only an attempt's own `pending` (begin) then marks a send that may have reached a platform."""
        with self._lock:
            unmarked = {
                where: replace(record, step=_without_copy_mark(record.step))
                for where in (*claims, *resumed)
                if (record := self._records.get(where)) is not None
            }
            held = {
                where: replace(record, state=State.CLAIMED, at=utc_now())
                for where in claims
                if (record := unmarked.get(where)) is not None and record.state == State.PENDING and not record.step
            }
            self._save({**self._records, **unmarked, **held})

    def checkpoint(self, post: str, channel: str, step: Mapping) -> Record:
        """Keep a finished step of a multi-step publish (e.g. a created container)."""
        record = self._require(post, channel)
        return self._write(replace(record, at=utc_now(), step={**record.step, **step}))

    def complete(self, post: str, channel: str, remote_id: str, url: str) -> Record:
        record = self._require(post, channel)
        return self._write(
            replace(record, state=State.DONE, at=utc_now(), remote_id=remote_id, url=url, reason="", alerted="")
        )

    def fail(self, post: str, channel: str, reason: str) -> Record:
        record = self._require(post, channel)
        return self._write(replace(record, state=State.FAILED, at=utc_now(), reason=reason))

    def record_failure(self, post: str, channel: str, reason: str) -> Record:
        """A message that can never be sent (nothing was sent): keep it out of every later run."""
        return self._write(_new_attempt(self.get(post, channel), post, channel, State.FAILED, reason=reason))

    def uncertain(self, post: str, channel: str, reason: str) -> Record:
        record = self._require(post, channel)
        return self._write(replace(record, state=State.UNCERTAIN, at=utc_now(), reason=reason))

    def keep_pending(self, post: str, channel: str, reason: str) -> Record:
        """The attempt may have reached the platform and its outcome is not known yet: keep it, with why, so
        the next run finishes the very same attempt (same key, same start, same steps)."""
        record = self._require(post, channel)
        return self._write(replace(record, at=utc_now(), reason=reason))

    def mark_alerted(self, post: str, channel: str) -> Record:
        record = self._require(post, channel)
        return self._write(replace(record, alerted=utc_now()))

    def abandon(self, post: str, channel: str) -> None:
        """Nothing was sent after all: every try of this attempt was refused before it reached the platform.
        Never call it for an attempt that may have reached the platform: keep_pending or uncertain instead."""
        record = self.get(post, channel)
        if record is None or record.state != State.PENDING or record.step:
            return  # a finished step means something exists remotely: keep the pending record
        if record.generation:
            self._write(replace(record, state=State.REQUEUED, at=utc_now()))
        else:
            with self._lock:
                self._save({where: kept for where, kept in self._records.items() if where != (post, channel)})

    def defer(self, post: str, channel: str, reason: str) -> None:
        """Nothing was sent, and the platform asked to be left alone for longer than this run waits (a rate
        limit): the attempt stays in the ledger as `claimed`, so whichever run comes next sends it, with the same
        key, and a scheduled publish stays due until one has (publishing/due.py). Never forgotten, unlike an
        abandoned attempt; never for an attempt that may have reached the platform."""
        record = self.get(post, channel)
        if record is None or record.state != State.PENDING or record.step:
            return  # a finished step means something exists remotely: keep the pending record
        self._write(replace(record, state=State.CLAIMED, at=utc_now(), reason=reason))

    def settle(self) -> None:
        """Record every attempt the ledger holds that another version has superseded (_settled), if any is not
        recorded so yet: a ledger written by code that did not settle them."""
        with self._lock:
            if _settled(self._records) != self._records:
                self._save(self._records)

    def waiting(self) -> list[Record]:
        """The sends the next run makes by itself (states.WAITING)."""
        return [record for record in self if record.state in WAITING]

    def resolve_posted(self, post: str, channel: str, url: str) -> Record:
        """A person checked: the post is on the platform at `url`."""
        record = self._require(post, channel)
        return self._write(
            replace(record, state=State.DONE, at=utc_now(), url=url, reason="resolved by a person", alerted="")
        )

    def requeue(self, post: str, channel: str) -> Record:
        """Make (post, channel) eligible again: a retry after 'uncertain'/'failed', or an explicit re-share.

        Re-sharing something that went out starts a new generation, so it is sent as a new post with a new
        idempotency key; a retry keeps the generation, so platforms that de-duplicate still recognise it."""
        record = self._require(post, channel)
        generation = record.generation + 1 if record.state in REACHED else record.generation
        return self._write(
            replace(record, state=State.REQUEUED, at=utc_now(), generation=generation, reason="", alerted="")
        )

    def _require(self, post: str, channel: str) -> Record:
        record = self.get(post, channel)
        if record is None:
            raise LedgerError(f"{self.path}: no record for post {post!r} on channel {channel!r}")
        return record

    def _write(self, record: Record) -> Record:
        with self._lock:
            self._save({**self._records, (record.post, record.channel): record})
        return record

    def _save(self, records: dict[tuple[str, str], Record], known: set[str] | None = None) -> None:
        """Write `records` to the file, then make them this ledger's: what it holds is never ahead of the disk,
        so a failed write leaves both as they were (the last `pending`, never a `done` that was not kept)."""
        known = self._known if known is None else known
        records = _settled(records)
        header = {**HEADER, "channels": sorted(known), "records": len(records)}
        lines = [json.dumps(header, sort_keys=True)] + [record.line() for record in _in_order(records)]
        try:
            write_text_atomically(self.path, "\n".join(lines) + "\n")
        except OSError as error:
            self._write_failed = error
            raise _unwritable(self.path, error) from None
        self._hold(records, set(known), existed=True)

    def _hold(self, records: dict[tuple[str, str], Record], known: set[str], existed: bool) -> None:
        """Make these the ledger's records (indexed by post and channel, every language version together)."""
        self._records, self._known, self.existed = records, known, existed
        self._versions = _versions(records)


def forgotten(earlier: Ledger, later: Ledger) -> list[str]:
    """What `later` has forgotten of `earlier`, one description per (post, channel): a record it lacks, an older
    generation, or an attempt taken back to before it may have reached the platform (on the platform, or sent
    and not known to have failed, in `earlier`; not sent, or not on it, in `later`). A later copy of a ledger
    only ever adds records and moves them on, whoever changes it: runs, `--resolve`, `--retry`, `--reshare`
    (a new generation), `--bootstrap`, a merge that keeps both sides. An older copy put back forgets, and would
    announce again what it forgot."""
    lost = []
    for was in earlier:
        now = later.get(was.post, was.channel)
        if now is None:
            lost.append(f"{was.post} on {was.channel} ({was.state} there, missing here)")
        elif now.generation < was.generation or (now.generation == was.generation and _taken_back(was, now)):
            lost.append(
                f"{was.post} on {was.channel} ({was.state}, generation {was.generation} there; "
                f"{now.state}, generation {now.generation} here)"
            )
    return lost


def forgotten_in_copy(earlier: bytes, later: bytes | None, path: Path) -> list[str]:
    """`forgotten` for two copies of the ledger file at `path` (`later` None: the file is gone). A copy that is
    not a ledger is judged by the run that opens it, which says what is wrong with it."""
    try:
        was = Ledger.parse(earlier.decode("utf-8"), path)
        now = Ledger.parse(later.decode("utf-8"), path) if later is not None else Ledger(path, {}, existed=False)
    except (LedgerError, UnicodeDecodeError):
        return []
    return forgotten(was, now)


def _taken_back(was: Record, now: Record) -> bool:
    """Within one generation, `now` is an earlier step of the attempt than `was`: no command makes that change
    (a re-share of a post on the platform starts a new generation; a retry follows only an open item)."""
    if was.state in REACHED:
        return now.state not in REACHED
    return was.state in UNFINISHED and now.state == State.CLAIMED


def _in_order(records: Mapping[tuple[str, str], Record]) -> list[Record]:
    """The records as the file lists them: by post, then channel."""
    return sorted(records.values(), key=lambda r: (r.post, r.channel))


# What an attempt that another version of its post supersedes may be: a refusal, which sent nothing. Not an
# uncertain attempt: it may be on the platform, and with the other version the channel would have the post twice;
# a person must still look (its item says so), and `--resolve --posted` records what they find.
_SUPERSEDABLE = frozenset({State.FAILED})


def _settled(records: dict[tuple[str, str], Record]) -> dict[tuple[str, str], Record]:
    """`records` with every refused attempt of one language version settled as `superseded` once
    another version of the post is announced on the same channel (done, seeded): a post is announced once on a
    channel, so nobody is asked to act on it, and a retry would announce it twice. Every write applies it, so
    whichever command records the announcement, a run, `--resolve --posted` or `--bootstrap`, settles it; the
    record stays, with what it was and what superseded it."""
    if not any(record.state in _SUPERSEDABLE for record in records.values()):
        return records  # nearly every write: no refusal to settle, so no index of the versions to build
    announced = {
        where: next((record for record in versions if record.state in REACHED), None)
        for where, versions in _versions(records).items()
    }
    settled = {}
    for where, record in records.items():
        winner = announced.get((split_version_key(record.post)[0], record.channel))
        if record.state in _SUPERSEDABLE and winner is not None:
            was = f"{record.state}: {record.reason}" if record.reason else record.state
            settled[where] = replace(
                record,
                state=State.SUPERSEDED,
                at=utc_now(),
                reason=f"announced on this channel as {winner.post} ({winner.where_seen}); this was {was}",
                alerted="",
            )
    return {**records, **settled} if settled else records


def _versions(records: Mapping[tuple[str, str], Record]) -> dict[tuple[str, str], tuple[Record, ...]]:
    """(shared id, channel) -> the records of every language version of that post on that channel, in order."""
    found: dict[tuple[str, str], list[Record]] = {}
    for record in _in_order(records):
        found.setdefault((split_version_key(record.post)[0], record.channel), []).append(record)
    return {where: tuple(versions) for where, versions in found.items()}


def _without_copy_mark(step: Mapping) -> dict:
    return {key: value for key, value in step.items() if key != SAVED_BEFORE_SENDING}


def _new_attempt(previous: Record | None, post: str, channel: str, state: State, **fields) -> Record:
    """A record that starts over for (post, channel), as of now, keeping what outlives an attempt: its generation
    and the posts of its earlier generations (`earlier`, unless `fields` says otherwise)."""
    kept = {"generation": previous.generation, "earlier": previous.earlier} if previous else {}
    return Record(post, channel, state, utc_now(), **{**kept, **fields})


@dataclass(frozen=True)
class _Header:
    channels: list[str]
    records: int | None  # how many records follow (None: written before the header counted them)
    version: int


def _parse(text: str, number: int, path: Path) -> Record | _Header:
    """A record, or the header line."""
    where = f"{path}:{number}"
    try:
        data = json.loads(text)
    except ValueError as error:
        raise LedgerError(
            f"{where}: not valid JSON ({error.args[0]}); nothing was posted. "
            "Restore the file from git (`git checkout -- <ledger>`) or fix that line"
        ) from None
    if isinstance(data, dict) and "ledger" in data:
        channels, count, version = data.get("channels", []), data.get("records"), data.get("version")
        counted = count is None or (type(count) is int and count >= 0)
        rest = {k: v for k, v in data.items() if k not in ("channels", "records", "version")}
        if (
            rest != {k: v for k, v in HEADER.items() if k != "version"}
            or not (type(version) is int and version in READ_VERSIONS)
            or not (isinstance(channels, list) and counted)
        ):
            raise LedgerError(f"{where}: unsupported ledger header {data!r} (expected {HEADER!r})")
        return _Header([str(channel) for channel in channels], count, version)
    try:
        record = Record(**data)
    except TypeError as error:
        raise LedgerError(f"{where}: not a ledger record ({error}); nothing was posted") from None
    if record.state not in tuple(State) or not record.post or not record.channel:
        raise LedgerError(
            f"{where}: state {record.state!r} for post {record.post!r} on channel {record.channel!r} "
            f"is not valid (expected one of: {', '.join(State)}); nothing was posted"
        )
    if not isinstance(record.earlier, list | tuple) or not all(isinstance(one, str) for one in record.earlier):
        raise LedgerError(
            f"{where}: `earlier` must be a list of remote ids, not {record.earlier!r}; nothing was posted"
        )
    return replace(record, state=State(record.state), earlier=tuple(record.earlier))


def _clash(path: Path, number: int, first_line: int, first: Record, second: Record) -> LedgerError:
    """Two different records for one (post, channel), as a hand merge that kept both sides leaves them: whichever
    came last would win silently (a `pending` after a `done` sends again, a `done` after an `uncertain` hides it)."""
    return LedgerError(
        f"{path}:{number}: a second record for post {second.post!r} on channel {second.channel!r} "
        f"(line {first_line} has one): {second.state!r} at {second.at} here, {first.state!r} at {first.at} there; "
        "nothing was posted. A merge kept both sides: keep the line that is true on the platform (usually the "
        "later one; a `done` line holds the post's id and URL) and delete the other"
    )


class LedgerLock:
    """One syndication run at a time: an exclusive lock on `<ledger>.lock`, waited for briefly."""

    def __init__(self, ledger_path: Path, wait_seconds: float = 10.0):
        self.path = Path(ledger_path).with_name(Path(ledger_path).name + ".lock")
        self.wait_seconds = wait_seconds
        self._handle = None

    def __enter__(self) -> LedgerLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a")
        except OSError as error:  # nothing was sent yet: say so as for any write the ledger cannot make
            raise _unwritable(self.path, error, "the ledger's lock file could not be created") from None
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._handle.close()
                    raise LedgerBusy(
                        f"another syndication run is using {self.path.name[:-5]} (waited {self.wait_seconds:.0f} s); "
                        "nothing was posted by this run. Run it again when the other one has finished."
                    ) from None
                time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
