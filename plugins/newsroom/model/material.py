"""Material (price-sensitive) news: the company's rules for it, and where it must appear.

A post with `Material: yes` must meet NEWSROOM_MATERIAL_RULES (checked by `invoke check`), is listed on the
regulatory news page with its exact time, and goes to every disclosure channel in one syndication run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsroom.model.audiences import Audience
from newsroom.model.categories import Category
from newsroom.model.feed_catalogue import FORMATS, Feed, plan_feeds

MATERIAL_NEWS_URL = "material-news/"
MATERIAL_NEWS_SAVE_AS = "material-news/index.html"


@dataclass(frozen=True)
class MaterialRules:
    """NEWSROOM_MATERIAL_RULES, validated: what every material post must have."""

    audiences: tuple[str, ...] = ("investors",)  # the post must name every one of these audiences
    categories: tuple[str, ...] = ()  # category slugs a material post may have; () allows any
    require_contact: bool = True  # a `Contact:` line naming who answers questions about it
    require_syndication: bool = True  # `Syndicate: no` is refused: every disclosure channel must carry it


def is_material(value: object) -> bool:
    """True for `Material: yes` (the checks reject anything but yes or no)."""
    return str(value or "").strip().lower() == "yes"


def disclosure_feeds(
    audiences: Sequence[str],
    category: str,
    rules: MaterialRules,
    site_name: str,
    public_audiences: Sequence[Audience],
    categories: Sequence[Category],
) -> tuple[str, ...]:
    """The feed files (under the output folder, every format) of the disclosure audiences that carry a post
    with these audience slugs and this category name: what the publish step checks and pings for a material post.
    """
    carrying: list[Feed] = [
        feed
        for feed in plan_feeds(site_name, public_audiences, categories)
        if feed.audience is not None
        and feed.audience.slug in rules.audiences
        and feed.audience.slug in audiences
        and (feed.category is None or feed.category.name == category)
    ]
    return tuple(feed.path(fmt) for feed in carrying for fmt in FORMATS)
