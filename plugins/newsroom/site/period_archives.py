"""Year, month and day archives: one per period, made in one pass over the posts.

Pelican groups the posts, sorted by instant, with itertools.groupby on each post's own calendar date, then finds
each group's posts among all posts by searching the group's list for every post: a list search per post and per
period (a third of a second at 5,000 posts, more with every year). Posts dated in different time zones around New
Year also interleave: 2023-12-31 20:00 America/New_York (01:00 UTC) comes after 2024-01-01 00:30 Europe/London,
so 2024 formed two groups, both written to archive/2024/index.html, and Pelican stopped the build for writing one
file twice (a ten-year archive in four zones met it at 20,000 posts).

`period_archives` makes the same archives (the same keys, periods in the order Pelican meets them, each period's
posts in sorted order) with one archive per period by construction, each post looked at once per granularity.
The article generator uses it in place of its own method (`use_period_archives`), and so does each language's
edition of the listings (listing_editions.py).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping, Sequence
from operator import attrgetter

PERIOD_OF = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def use_period_archives(generator) -> None:
    """article_generator_pretaxonomy: the article generator makes its period archives with `period_archives`."""
    generator._build_period_archives = period_archives


def period_archives(sorted_articles: Sequence, articles: Sequence, settings: Mapping) -> dict[str, list[dict]]:
    """{granularity: [archive]} as Pelican's ArticlesGenerator._build_period_archives makes it, one archive per
    period: `dates` the period's posts in `sorted_articles` order, `articles` in `articles` order."""
    archives = defaultdict(list)
    for granularity, period_of in PERIOD_OF.items():
        save_as, url = (
            settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"],
            settings[f"{granularity.upper()}_ARCHIVE_URL"],
        )
        if not save_as:
            continue  # Pelican's rule: no archives of this granularity are written
        dates: dict = defaultdict(list)
        for article in sorted_articles:
            dates[period_of(article)].append(article)  # a dict keeps the order periods are first met in
        listed: dict = defaultdict(list)
        for article in articles:
            listed[period_of(article)].append(article)
        for period, posts in dates.items():
            first = posts[0].date  # any post of the period gives its address
            archives[granularity].append(
                {
                    "dates": posts,
                    "articles": listed[period],
                    "save_as": save_as.format(date=first),
                    "url": url.format(date=first),
                    "period": _period_words(granularity, period),
                    "period_num": (period,) if granularity == "year" else tuple(period),
                }
            )
    return archives


def _period_words(granularity: str, period) -> tuple:
    if granularity == "year":
        return (period,)
    month = calendar.month_name[period[1]]
    return (period[0], month) if granularity == "month" else (period[0], month, period[2])
