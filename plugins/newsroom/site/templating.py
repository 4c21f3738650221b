"""Jinja filters the theme uses to show times, build absolute URLs, embed JSON-LD safely and name a post's audiences."""

from __future__ import annotations

from datetime import datetime

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.kit.translated import localized
from newsroom.model.dates import iso, newsroom_date, newsroom_time, per_moment, utc_time
from newsroom.model.sanitize import content_security_policy
from newsroom.site.structured_data import news_article, organization, script_json


def utc_note(moment: datetime) -> Markup:
    """' (20:05 UTC)' after a time in another zone; nothing after one already at UTC's offset, which would
    read "03:26 UTC (03:26 UTC)"."""
    if not moment.utcoffset():
        return Markup("")
    return Markup(' <span class="utc">({})</span>').format(utc_time(moment))


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
    language = article.language.code if newsroom.languages.several else None
    data = news_article(
        headline=article.title,
        description=article.summary,
        url=url or f"{siteurl}/{article.url}",
        published=article.date,
        modified=article.updated,
        image_url=f"{siteurl}/{article.lead_image.path}" if article.lead_image else "",
        section=localized(article.newsroom_category or article.category, "name", language),
        keywords=[tag.name for tag in getattr(article, "tags", [])],
        author=(getattr(article, "author", None) and article.author.name) or company.name,
        company=company,
        logo_url=f"{siteurl}/{company.logo}" if company.logo else "",
    )
    if language:
        data["inLanguage"] = language
    return data


@pass_context
def edition_audiences(context, audiences) -> list:
    """The audiences among `audiences` this edition has a page for, in their order: the public site never names
    an internal audience. In Python rather than a map/select pipeline over `audience_articles` in the template:
    every post card on every listing asks it."""
    shown = {audience.slug for audience, _posts in context.get("audience_articles") or ()}
    return [audience for audience in audiences if audience.slug in shown]


GLOBALS = {
    "edition_audiences": edition_audiences,
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
