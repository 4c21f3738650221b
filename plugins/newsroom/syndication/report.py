"""What a syndication run did, as values: the CLI prints it and decides the exit code, tests assert on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsroom.kit.printed import printable
from newsroom.syndication.states import PROBLEMS, Status


@dataclass(frozen=True)
class Outcome:
    channel: str
    post_id: str
    status: Status
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

    def of(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def summary(self, verbose_skips: bool = False) -> str:
        lines = []
        for channel in sorted({o.channel for o in self.outcomes}):
            mine = [o for o in self.outcomes if o.channel == channel]
            counts = Counter(o.status for o in mine)
            lines.append(f"{channel}: " + ", ".join(f"{counts[s]} {s}" for s in Status))
            for outcome in mine:
                if outcome.status == Status.POSTED:
                    lines.append(f"  posted     {outcome.post_id} -> {outcome.url or outcome.detail}")
                elif outcome.status != Status.SKIPPED or verbose_skips:
                    lines.append(f"  {outcome.status:<10} {outcome.post_id}: {outcome.detail}")
        lines += [f"{name}: cannot run: {reason}" for name, reason in sorted(self.broken_channels.items())]
        lines += [f"warning: {warning}" for warning in self.warnings]
        if not self.outcomes and not self.broken_channels:
            lines.append("Nothing to syndicate.")
        return "\n".join(map(printable, lines))  # a value holding a line break cannot add a line
