"""The one rule that holds a site's clock to the real time: NEWSROOM_NOW may show the site as it will be later,
for a preview or a drill, but nothing made on a clock ahead of the real time is deployed or announced (it shows
posts whose embargo has not lifted). A publish's settings, its verified build and every build manifest that is
deployed or syndicated are held to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# The scheduled publish builds in one CI job and announces in another, on another machine, minutes later: the
# build's clock is that machine's real time, and the two machines' clocks may disagree by a few seconds.
SKEW = timedelta(minutes=2)


def shown(clock: datetime) -> str:
    """A clock as the messages show it: in UTC, to the minute."""
    return clock.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ahead_of_real_time(
    where: str, clock: datetime | None, *, nothing: str, fix: str, real: datetime | None = None
) -> str | None:
    """One line when `clock` (what `where` records: a setting, or a file and its field) is ahead of the real time
    by more than SKEW, saying `nothing` (what was not done) and `fix`; None otherwise. A clock of None is the real
    clock itself."""
    real = real or datetime.now(UTC)
    if clock is None or clock <= real + SKEW:
        return None
    return (
        f"{where}: {shown(clock)} is later than the real time ({shown(real)}): deploying or announcing a site on "
        f"that clock would release embargoed posts early. {nothing} (expected {fix})"
    )
