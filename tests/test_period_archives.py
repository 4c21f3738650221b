"""Year archives hold every post of their year even when posts in different time zones interleave at New Year
(Pelican groups posts sorted by instant by their local year, and wrote one year's page twice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG

from newsroom.site.period_archives import period_archives

NOW = "2026-11-26 12:00 UTC"


@pytest.mark.parametrize("two_processes", [False, True])
def test_posts_around_new_year_in_different_zones_give_one_archive_per_year(site, two_processes):
    # 00:30 UTC on 1 January 2024, then 01:00 UTC, which is still 31 December 2023 in New York, then later in 2024.
    site.post("london", Title="London New Year", Date="2024-01-01 00:30 Europe/London")
    site.post("new-york", Title="New York New Year Eve", Date="2023-12-31 20:00 America/New_York")
    site.post("spring", Title="Spring results", Date="2024-04-02 09:00 UTC")
    output = site.build(NEWSROOM_NOW=NOW, NEWSROOM_PARALLEL_RENDER=two_processes)

    year_2024 = (output / "archive/2024/index.html").read_text(encoding="utf-8")
    year_2023 = (output / "archive/2023/index.html").read_text(encoding="utf-8")
    assert "London New Year" in year_2024 and "Spring results" in year_2024
    assert "New York New Year Eve" not in year_2024
    assert "New York New Year Eve" in year_2023 and "London New Year" not in year_2023
    assert year_2024.index("Spring results") < year_2024.index("London New Year")  # newest first, as Pelican sorts


def pelican_archives_merged(sorted_articles, articles, settings) -> dict:
    """What the build made before: Pelican's own grouping, then each period's groups merged into the first."""
    made = ArticlesGenerator._build_period_archives(None, sorted_articles, articles, settings)
    for granularity, archives in made.items():
        merged: dict = {}
        for archive in archives:
            first = merged.setdefault(archive["period_num"], archive)
            if first is not archive:
                first["dates"] = first["dates"] + archive["dates"]
        for archive in merged.values():
            shown = {id(article) for article in archive["dates"]}
            archive["articles"] = [article for article in articles if id(article) in shown]
        made[granularity] = list(merged.values())
    return made


ZONES = [ZoneInfo("UTC"), ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")]


@pytest.mark.parametrize("newest_first", [True, False])
def test_the_period_archives_are_pelicans_with_each_period_once(newest_first):
    posts = [
        SimpleNamespace(
            title=f"post {number}",
            date=datetime(2023, 12, 31, 20, tzinfo=UTC).astimezone(ZONES[number % 4]) + timedelta(hours=3 * number),
        )
        for number in range(300)
    ]
    articles = sorted(posts, key=lambda post: post.title)  # Pelican's `articles` order differs from `dates`
    dates = sorted(posts, key=lambda post: post.date, reverse=newest_first)
    settings = {
        **DEFAULT_CONFIG,
        "YEAR_ARCHIVE_SAVE_AS": "archive/{date:%Y}/index.html",
        "YEAR_ARCHIVE_URL": "archive/{date:%Y}/",
        "MONTH_ARCHIVE_SAVE_AS": "archive/{date:%Y}/{date:%m}/index.html",
        "MONTH_ARCHIVE_URL": "archive/{date:%Y}/{date:%m}/",
        "DAY_ARCHIVE_SAVE_AS": "archive/{date:%Y}/{date:%m}/{date:%d}/index.html",
        "DAY_ARCHIVE_URL": "archive/{date:%Y}/{date:%m}/{date:%d}/",
    }
    expected = pelican_archives_merged(dates, articles, settings)
    assert dict(period_archives(dates, articles, settings)) == dict(expected)
    assert len(expected["day"]) > 20 and len(expected["year"]) == 2
    split = ArticlesGenerator._build_period_archives(None, dates, articles, settings)
    assert len(split["day"]) > len(expected["day"])  # the zones interleave: Pelican alone splits some days
    assert dict(period_archives(dates, articles, {**settings, "MONTH_ARCHIVE_SAVE_AS": ""})).keys() == {"year", "day"}
