"""What a second language costs a build: the two-language build against the one-language build of the same
English posts, per language edition, per post, and for the second language's own posts.

A build whose second language costs what its posts cost spends as much per post in both; a second language that
costs more (its own feeds, audience pages, search index) shows as a French post costing more than an English one.
"""

from __future__ import annotations

from typing import Protocol


class Cost(Protocol):
    """What one build took (benchmarks/build.py's Run has these)."""

    wall: float
    cpu: float
    peak_mb: float


def language_cost_lines(name: str, english: Cost, both: Cost, english_posts: int, french_posts: int) -> list[str]:
    """The report's lines for one generator (`name`): per language edition, per post, and per French post."""
    posts = english_posts + french_posts
    lines = []
    for measure, label in (("cpu", "CPU"), ("wall", "wall")):
        alone, together = getattr(english, measure), getattr(both, measure)
        per_english_post = alone / english_posts
        lines += [
            f"  {name}, {label}: two languages {together:.1f} s, English alone {alone:.1f} s",
            f"      per language edition {together / 2:.1f} s ({together / 2 / alone:.2f} of the English build); "
            f"per post {together / posts * 1000:.2f} ms ({together / posts / per_english_post:.2f} of an English "
            f"post's {per_english_post * 1000:.2f} ms)",
        ]
        if french_posts:
            per_french_post = (together - alone) / french_posts
            verdict = "no more than" if per_french_post <= per_english_post else "MORE than"
            share = per_french_post / per_english_post
            lines.append(
                f"      each French post adds {per_french_post * 1000:.2f} ms ({share:.2f} of an English post's): "
                f"the second language costs {verdict} its posts"
            )
    lines.append(
        f"  {name}, peak memory: two languages {both.peak_mb:.0f} MB, English alone {english.peak_mb:.0f} MB "
        f"({both.peak_mb / english.peak_mb:.2f})"
    )
    return lines
