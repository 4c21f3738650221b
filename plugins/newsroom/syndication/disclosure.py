"""Did material news reach every disclosure channel? One answer per (material post, channel), after a run.

Regulation FD wants material news out everywhere at once: a run reports, for each material post not yet
everywhere when it began, every channel configured with `disclosure: True` and the disclosure audiences' feeds
in the deployed build, reached or not. `invoke syndicate` exits non-zero, naming them, if any was not reached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsroom.kit.printed import printable
from newsroom.syndication.config import ChannelConfig
from newsroom.syndication.language_routing import EVERY_POST, LanguageRouting
from newsroom.syndication.ledger import Ledger
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.report import Report
from newsroom.syndication.states import Status


@dataclass(frozen=True)
class Reach:
    """Whether one material post reached one disclosure channel (or feed), and how we know."""

    post_id: str
    channel: str
    reached: bool
    detail: str


@dataclass(frozen=True)
class DisclosureReport:
    reaches: tuple[Reach, ...]

    @property
    def ok(self) -> bool:
        return all(reach.reached for reach in self.reaches)

    @property
    def unreached(self) -> tuple[Reach, ...]:
        return tuple(reach for reach in self.reaches if not reach.reached)

    def lines(self) -> list[str]:
        if not self.reaches:
            return []
        lines = ["Material news on the disclosure channels:"]
        for post_id in dict.fromkeys(reach.post_id for reach in self.reaches):
            mine = [reach for reach in self.reaches if reach.post_id == post_id]
            missed = [reach.channel for reach in mine if not reach.reached]
            verdict = f"NOT REACHED: {', '.join(missed)}" if missed else f"all {len(mine)} reached"
            lines.append(f"  {post_id}: {verdict}")
            lines.extend(f"    {'reached' if r.reached else 'MISSING':<8} {r.channel}: {r.detail}" for r in mine)
        return [printable(line) for line in lines]  # a value holding a line break cannot add a line


def disclosure_channels(channels: Iterable[ChannelConfig], only: str | None = None) -> list[ChannelConfig]:
    """The public channels configured with `disclosure: True` (just `only` when a run is limited to it)."""
    return [c for c in channels if c.disclosure and not c.internal and only in (None, c.name)]


def material_in_play(
    posts: Sequence[PublishedPost],
    channels: Sequence[ChannelConfig],
    ledger: Ledger,
    languages: LanguageRouting = EVERY_POST,
) -> list[str]:
    """Ids of the material posts that had not reached every disclosure channel (in their language) before this
    run. A channel that announced the post in another version (Ledger.announced) was reached: the plan sends it
    no other."""
    return [
        post.id
        for post in posts
        if post.material
        and post.syndicate
        and any(
            ledger.announced(post.id, channel.name) is None for channel in channels if languages.carries(post, channel)
        )
    ]


def disclosure_report(
    post_ids: Sequence[str],
    channels: Sequence[ChannelConfig],
    ledger: Ledger,
    report: Report,
    broken: Mapping[str, str],
    feeds: Mapping[str, Sequence[tuple[str, Path]]] | None = None,
    feed_ids: Mapping[str, str] | None = None,
    carries_post: Callable[[str, ChannelConfig], bool] = lambda post_id, channel: True,
) -> DisclosureReport:
    """After a run: each material post in play × each disclosure channel (and feed), reached or why not.

    `feeds` maps a post id to the feed files (address under the site, file) of the deployed build that must
    carry it; `feed_ids` maps a post id to its id in those feeds; `carries_post` says whether a channel carries a post
    (in a newsroom of several languages, a channel carries the version in its language, unless it announced the
    post in another version first: Ledger.announced)."""
    outcomes = {(o.post_id, o.channel): o for o in report.outcomes}
    reaches = []
    for post_id in post_ids:
        for channel in (channel for channel in channels if carries_post(post_id, channel)):
            announced = ledger.announced(post_id, channel.name)
            outcome = outcomes.get((post_id, channel.name))
            if announced is not None:
                sent = outcomes.get((announced.post, channel.name))
                now = sent is not None and sent.status == Status.POSTED
                version = "" if announced.post == post_id else f" (as {announced.post})"
                detail = f"{'posted now' if now else 'earlier'}{version}: {announced.where_seen}"
                reaches.append(Reach(post_id, channel.name, True, detail))
            elif channel.name in broken:
                reaches.append(Reach(post_id, channel.name, False, f"channel cannot run: {broken[channel.name]}"))
            elif outcome is not None:
                reaches.append(Reach(post_id, channel.name, False, f"{outcome.status}: {outcome.detail}"))
            else:
                reaches.append(Reach(post_id, channel.name, False, "not sent in this run"))
        for relative, path in (feeds or {}).get(post_id, ()):
            carried = _carries(path, (feed_ids or {}).get(post_id, post_id))
            detail = "in the deployed build" if carried else f"{path} does not carry it (rebuild and redeploy the site)"
            reaches.append(Reach(post_id, f"feed {relative}", carried, detail))
    return DisclosureReport(tuple(reaches))


def _carries(path: Path, feed_id: str) -> bool:
    try:
        return feed_id in path.read_text(encoding="utf-8")
    except OSError:
        return False
