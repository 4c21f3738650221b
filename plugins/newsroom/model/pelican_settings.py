"""The Pelican settings the newsroom leans on, checked as its own are: Pelican takes a wrong one as it is (a
SITEURL without its scheme makes every link relative to the page it is on) or fails later with a traceback.
(A list given as a string, which Pelican replaces by its default with a warning, is refused where Pelican reads
the file: site/build.py.)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

from newsroom.model.dates import named_zones
from newsroom.model.languages import LANGUAGE_TAG


def pelican_problems(settings: Mapping) -> list[str]:
    """A line for each Pelican setting the newsroom cannot build a site with."""
    problems = []
    language = settings.get("DEFAULT_LANG", "en")
    if not isinstance(language, str) or not LANGUAGE_TAG.match(language):
        problems.append(f"DEFAULT_LANG: {language!r} must be a language tag such as 'en' or 'fr-CA'")
    siteurl = settings.get("SITEURL", "")
    address = urlsplit(siteurl) if isinstance(siteurl, str) else None
    if siteurl != "" and (address is None or address.scheme not in ("http", "https") or not address.netloc):
        problems.append(
            f"SITEURL: {siteurl!r} must be the site's address with its scheme, e.g. 'https://newsroom.example.com' "
            "(or '' for relative links): every link, feed and card is built on it"
        )
    elif address is not None and not siteurl.isascii():
        problems.append(
            f"SITEURL: {siteurl!r} holds characters an address cannot (feeds need a URI, not an IRI): write the host "
            f"in its ASCII form, e.g. {_ascii_form(address)!r}"
        )
    zone = settings.get("TIMEZONE", "UTC")
    if not isinstance(zone, str) or (zone != "UTC" and zone not in named_zones()):
        problems.append(
            f"TIMEZONE: {zone!r} is not a time zone (expected an IANA name such as 'America/New_York', or 'UTC'): "
            "Pelican dates every listing by it"
        )
    per_page = settings.get("DEFAULT_PAGINATION", False)
    if per_page is not False and not _is_page_size(per_page):
        problems.append(
            f"DEFAULT_PAGINATION: {per_page!r} is not a number of posts per listing page (expected a whole number "
            "from 1, e.g. 12, or False for every post on one page)"
        )
    templates = settings.get("PAGINATED_TEMPLATES", {})
    if not isinstance(templates, Mapping):
        problems.append(
            f"PAGINATED_TEMPLATES: {templates!r} is not a table of templates (expected e.g. {{'index': None, 'tag': "
            "None}: each paginated template, with None for DEFAULT_PAGINATION or its own number of posts per page)"
        )
    else:
        problems += [
            f"PAGINATED_TEMPLATES: {template!r}: {size!r} is not a number of posts per listing page (expected None "
            "for DEFAULT_PAGINATION, or a whole number from 1, e.g. 12)"
            for template, size in templates.items()
            if size is not None and not _is_page_size(size)
        ]
    translation_id = settings.get("ARTICLE_TRANSLATION_ID", "slug")
    if translation_id not in ("slug", None):  # Pelican's default, or the newsroom's own (site/plugin.py)
        problems.append(
            f"ARTICLE_TRANSLATION_ID: {translation_id!r} is not used: the newsroom links a post's language versions "
            "by their Id (expected the setting removed)"
        )
    content, output = settings.get("PATH"), settings.get("OUTPUT_PATH")
    if isinstance(content, str) and isinstance(output, str):
        content_path, output_path = Path(content).resolve(), Path(output).resolve()
        if output_path.is_relative_to(content_path) or content_path.is_relative_to(output_path):
            problems.append(
                f"OUTPUT_PATH: {output!r} is {'inside' if output_path.is_relative_to(content_path) else 'around'} "
                f"the content folder {content!r}: the build would write into what it reads (expected a folder beside "
                "it, e.g. 'output')"
            )
    return problems


def _is_page_size(value) -> bool:
    """A number of posts per listing page: a whole number from 1 (True is a bool, not a number of posts)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _ascii_form(address) -> str:
    """The address with its host in IDNA (punycode) and the rest percent-encoded."""
    try:
        host = (address.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        host = address.hostname or ""
    port = f":{address.port}" if address.port else ""
    return f"{address.scheme}://{host}{port}{quote(address.path)}"
