"""Is a publish due? A scheduled run with nothing to do should say so in one line and stop, instead of
building, verifying and comparing the whole site (`invoke publish --if-due`).

A run is due when main has a commit the last finished publish did not publish (commits of the publish state
alone do not count: the publish makes those itself), when an embargo lifted since that publish or anything else
the site shows changed with the clock (a language became required), or when the
syndication ledger is not the one that publish built from (it posted since, so pages gain their "Also on"
links; a person queued a post again; a run was killed half-way), or when the ledger holds sends that wait for
a run (a post a rate limit deferred past the longest wait: the run that deferred it changed nothing else, and
finished). The
record of the last finished publish is written only by a run that was due, so an idle run changes nothing
and commits nothing; a run that fails records nothing, so the next one is due again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class LastPublish:
    """What the last finished publish built from: main's last commit that was not the publish's own, its clock,
    and the ledger's digest as the run found it."""

    commit: str
    at: datetime
    ledger: str

    def as_json(self) -> dict[str, str]:
        return {"commit": self.commit, "at": self.at.astimezone(UTC).isoformat(), "ledger": self.ledger}

    @classmethod
    def from_json(cls, data: Mapping) -> LastPublish | None:
        try:
            return cls(str(data["commit"]), datetime.fromisoformat(data["at"]).astimezone(UTC), str(data["ledger"]))
        except (KeyError, TypeError, ValueError):
            return None  # no record, or one this code cannot read: a publish is due, and writes a good one


@dataclass(frozen=True)
class Decision:
    due: bool
    reason: str  # one line


def decide(
    last: LastPublish | None,
    commit: str | None,
    now: datetime,
    embargoes: Iterable[tuple[str, datetime]],
    ledger: str,
    waiting: int | None = 0,
    clock_changes: Iterable[tuple[str, datetime]] = (),
) -> Decision:
    """Whether a publish is due, and the one line that says why (or why not).

    `commit` is main's last commit that is not the publish's own (None: not a git checkout); `embargoes` are
    (post, the minute it goes public) for every approved post dated after the last publish; `ledger` is the
    ledger's digest now; `waiting`, how many sends the ledger holds for the next run (None: the ledger cannot be
    read, which the run's syndicate step explains); `clock_changes`, (what, when) for every other moment at which
    the site changes by the clock alone (a language required from its `since`: its edition's disclosure pages)."""
    if last is None:
        return Decision(True, "due: no record of a finished publish yet")
    if commit is None:
        return Decision(True, "due: not a git checkout, so nothing shows what changed since the last publish")
    if commit != last.commit:
        return Decision(True, f"due: commit {commit[:10]} is new since the last publish ({last.commit[:10]})")
    lifted = sorted((lifts.astimezone(UTC), post) for post, lifts in embargoes if last.at < lifts <= now)
    if lifted:
        lifts, post = lifted[0]
        more = f" (and {len(lifted) - 1} more)" if len(lifted) > 1 else ""
        return Decision(True, f"due: the embargo on {post} lifted at {lifts:%Y-%m-%d %H:%M} UTC{more}")
    changed = sorted((moment.astimezone(UTC), what) for what, moment in clock_changes if last.at < moment <= now)
    if changed:
        moment, what = changed[0]
        return Decision(True, f"due: {what} at {moment:%Y-%m-%d %H:%M} UTC")
    if waiting is None:
        return Decision(True, "due: the syndication ledger cannot be read (the syndicate step says why)")
    if waiting:
        return Decision(
            True, f"due: the syndication ledger holds {waiting} send(s) for the next run (deferred, claimed or queued)"
        )
    if ledger != last.ledger:
        return Decision(True, "due: the syndication ledger changed since the last publish")
    upcoming = sorted(lifts.astimezone(UTC) for _, lifts in embargoes if lifts > now)
    next_one = f"; next embargo lifts {upcoming[0]:%Y-%m-%d %H:%M} UTC" if upcoming else ""
    return Decision(
        False,
        f"nothing due: no commit since the last publish ({commit[:10]}, {last.at:%Y-%m-%d %H:%M} UTC), "
        f"no embargo lifted since, the same ledger{next_one}",
    )
