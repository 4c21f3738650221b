"""What a syndication run did, as values: the CLI prints it and decides the exit code, tests assert on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

POSTED, SKIPPED, DEFERRED = "posted", "skipped", "deferred"
FAILED = "failed"  # this try was not accepted and nothing of it reached the platform: the next run tries again
REFUSED = "refused"  # the platform refuses this message and always will: recorded, never retried
PENDING = "pending"  # it may have reached the platform; the next run checks and finishes the same attempt
UNCERTAIN = "uncertain"  # it may have reached the platform and only a person can tell
STATUSES = (POSTED, SKIPPED, DEFERRED, FAILED, REFUSED, PENDING, UNCERTAIN)
PROBLEMS = (FAILED, REFUSED, PENDING, UNCERTAIN)


@dataclass(frozen=True)
class Outcome:
    channel: str
    post_id: str
    status: str
    detail: str = ""
    url: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    broken_channels: dict[str, str] = field(default_factory=dict)  # channel -> why it could not run at all

    @property
    def ok(self) -> bool:
        """Exit code 0 only when every send of this run settled well and every channel could run."""
        return not self.broken_channels and not any(o.status in PROBLEMS for o in self.outcomes)

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def summary(self, verbose_skips: bool = False) -> str:
        lines = []
        for channel in sorted({o.channel for o in self.outcomes}):
            mine = [o for o in self.outcomes if o.channel == channel]
            counts = Counter(o.status for o in mine)
            lines.append(f"{channel}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES))
            for outcome in mine:
                if outcome.status == POSTED:
                    lines.append(f"  posted     {outcome.post_id} -> {outcome.url or outcome.detail}")
                elif outcome.status != SKIPPED or verbose_skips:
                    lines.append(f"  {outcome.status:<10} {outcome.post_id}: {outcome.detail}")
        lines += [f"{name}: cannot run: {reason}" for name, reason in sorted(self.broken_channels.items())]
        lines += [f"warning: {warning}" for warning in self.warnings]
        if not self.outcomes and not self.broken_channels:
            lines.append("Nothing to syndicate.")
        return "\n".join(lines)
