"""Jinja filters the theme uses to show times, build absolute URLs and embed JSON-LD safely."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from jinja2 import pass_context
from markupsafe import Markup

from .sanitize import content_security_policy
from .structured_data import news_article, organization, script_json


def per_moment(format_moment: Callable[[datetime], str]) -> Callable[[datetime], str]:
    """Remember what `format_moment` made of each moment: a post's times are shown on its page and in every
    listing, ~10 times a build, always as the same datetime object. So the key is that object (its id, checked
    with `is`): equal datetimes would not do, as aware datetimes are equal when they name one instant in two
    zones, and hashing one works out its UTC offset, which costs about as much as formatting it."""
    remembered: dict[int, tuple[datetime, str]] = {}

    @wraps(format_moment)
    def formatted(moment: datetime) -> str:
        entry = remembered.get(id(moment))
        if entry is not None and entry[0] is moment:
            return entry[1]
        if len(remembered) > 50_000:  # a long-lived process (livereload, the tests) builds many sites
            remembered.clear()
        text = format_moment(moment)
        remembered[id(moment)] = (moment, text)  # keeping the object keeps its id from being reused
        return text

    return formatted


@per_moment
def newsroom_time(moment: datetime) -> str:
    """'29 October 2026, 16:05 EDT': a reader-facing time that always names its zone."""
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone_name(moment)}"


def newsroom_date(moment: datetime) -> str:
    """'29 October 2026'."""
    return f"{moment.day} {moment:%B %Y}"


def zone_name(moment: datetime) -> str:
    """The zone's abbreviation ('EDT', 'CET') or, where it has none, its UTC offset ('UTC+05:30')."""
    name = moment.tzname() or ""
    if (name and not name.startswith(("+", "-", "UTC"))) or name == "UTC":
        return name
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


@per_moment
def utc_time(moment: datetime) -> str:
    """'20:05 UTC', for readers in other zones."""
    return f"{moment.astimezone(UTC):%H:%M} UTC"


def utc_note(moment: datetime) -> Markup:
    """' (20:05 UTC)' after a time in another zone; nothing after one already at UTC's offset, which would
    read "03:26 UTC (03:26 UTC)"."""
    if not moment.utcoffset():
        return Markup("")
    return Markup(' <span class="utc">({})</span>').format(utc_time(moment))


@per_moment
def iso(moment: datetime) -> str:
    return moment.isoformat()


@per_moment
def time_element(moment: datetime) -> Markup:
    """A <time> element: the machine-readable instant and the reader-facing time (every listing shows one per
    post, so one remembered piece of markup rather than two filters and a macro per post)."""
    return Markup('<time datetime="{}">{}</time>').format(iso(moment), newsroom_time(moment))


def json_ld(data: dict) -> Markup:
    return Markup(script_json(data))


@pass_context
def organization_json_ld(context, logo_url: str = "") -> dict:
    return organization(context["NEWSROOM"].company, context["SITEURL"], logo_url)


@pass_context
def news_article_json_ld(context, article, url: str = "") -> dict:
    """`url`: the article's address when the template has it already (Pelican computes `article.url` anew on
    every access)."""
    newsroom, siteurl = context["NEWSROOM"], context["SITEURL"]
    company = newsroom.company
    data = news_article(
        headline=article.title,
        description=article.summary,
        url=url or f"{siteurl}/{article.url}",
        published=article.date,
        modified=article.updated,
        image_url=f"{siteurl}/{article.lead_image.path}" if article.lead_image else "",
        section=article.category.name,
        keywords=[tag.name for tag in getattr(article, "tags", [])],
        author=(getattr(article, "author", None) and article.author.name) or company.name,
        company=company,
        logo_url=f"{siteurl}/{company.logo}" if company.logo else "",
    )
    if newsroom.languages.several:
        data["inLanguage"] = article.language.code
    return data


GLOBALS = {
    "content_security_policy": content_security_policy,
    "organization_json_ld": organization_json_ld,
    "news_article_json_ld": news_article_json_ld,
}

FILTERS = {
    "newsroom_time": newsroom_time,
    "time_element": time_element,
    "newsroom_date": newsroom_date,
    "utc_time": utc_time,
    "utc_note": utc_note,
    "iso": iso,
    "json_ld": json_ld,
}
