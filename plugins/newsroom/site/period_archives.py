"""Year, month and day archives hold every post of their period, even when time zones interleave the posts.

Pelican sorts the posts by instant and groups them with itertools.groupby on each post's own calendar date. Posts
dated in different time zones around New Year interleave: 2023-12-31 20:00 America/New_York (01:00 UTC) comes
after 2024-01-01 00:30 Europe/London, so 2024 forms two groups, both written to archive/2024/index.html, and
Pelican stops the build for writing one file twice (a ten-year archive in four zones met it at 20,000 posts).
Groups of the same period are merged here, in the order Pelican sorted them, before anything is written.
"""

from __future__ import annotations


def merge_split_periods(generator) -> None:
    """article_generator_finalized: one archive per period (Pelican's context shares these lists)."""
    for archives in generator.period_archives.values():
        merged: dict[tuple, dict] = {}
        for archive in archives:
            first = merged.setdefault(archive["period_num"], archive)
            if first is not archive:
                first["dates"] = first["dates"] + archive["dates"]  # each group in sorted order: so is the sum
        if len(merged) == len(archives):
            continue
        for archive in merged.values():
            shown = {id(article) for article in archive["dates"]}
            archive["articles"] = [article for article in generator.articles if id(article) in shown]
        archives[:] = merged.values()
