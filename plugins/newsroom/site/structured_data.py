"""Schema.org JSON-LD for search engines and news aggregators: NewsArticle and Organization."""

from __future__ import annotations

import json
from datetime import datetime

from newsroom.model.organization import Company


def organization(company: Company, siteurl: str, logo_url: str = "") -> dict:
    """The publisher, as schema.org Organization."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": company.name,
        "legalName": company.legal_name,
        "url": company.url,
    }
    if logo_url:
        data["logo"] = logo_url
    if company.same_as:
        data["sameAs"] = list(company.same_as)
    if company.ticker:
        data["tickerSymbol"] = company.ticker
    return data


def news_article(
    *,
    headline: str,
    description: str,
    url: str,
    published: datetime,
    modified: datetime | None,
    image_url: str,
    section: str,
    keywords: list[str],
    author: str,
    company: Company,
    logo_url: str,
) -> dict:
    """One article, as schema.org NewsArticle with zoned publish and modify times."""
    publisher = {"@type": "Organization", "name": company.name, "url": company.url}
    if logo_url:
        publisher["logo"] = {"@type": "ImageObject", "url": logo_url}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "description": description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "articleSection": section,
        "author": {"@type": "Organization", "name": author, "url": company.url},
        "publisher": publisher,
    }
    if image_url:
        data["image"] = [image_url]
    if keywords:
        data["keywords"] = keywords
    return data


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))  # one per page: made once


def script_json(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">: no '</script>' can close it early."""
    text = _ENCODER.encode(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
