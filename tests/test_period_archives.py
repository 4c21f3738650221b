"""Year archives hold every post of their year even when posts in different time zones interleave at New Year
(Pelican groups posts sorted by instant by their local year, and wrote one year's page twice)."""

from __future__ import annotations

import pytest

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
