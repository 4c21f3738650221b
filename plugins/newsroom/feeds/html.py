"""Post HTML made fit for feeds: sanitized by nh3, with every URL absolute and a valid ASCII URI."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import nh3

# Feed readers render item HTML inside their own pages, so anything that can run code is removed with its
# content (nh3 drops event-handler attributes and javascript: URLs whatever the tag).
REMOVED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed"}
ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "img": nh3.ALLOWED_ATTRIBUTES["img"] | {"srcset", "sizes"},
    "*": {"lang", "title", "dir"},
}
URL_ATTRIBUTES = {"href", "src", "cite", "srcset"}
# What a rewritten URL may point at; checked again after joining, since nh3 runs its own scheme check
# before our attribute filter rewrites a value.
SCHEMES = {"http", "https", "mailto", "tel"}

# RFC 3986 characters kept as they are in each part; everything else (spaces, non-ASCII) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_USERINFO_SAFE = "%:!$&'()*+,;=-._~"
_SRCSET_CANDIDATE = re.compile(r"\s*(\S+)(\s+[^,]+)?\s*(?:,|$)")
# A "%" that starts no escape (`50%.png`, `100%/x`) is a character of the name: written %25.
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def to_uri(url: str) -> str | None:
    """`url` as a valid URI: IDNA host, percent-encoded path, query and fragment; None if it cannot be one."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        userinfo, _, _ = parts.netloc.rpartition("@")
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{_escaped(userinfo, _USERINFO_SAFE)}@{host}{port}" if userinfo else f"{host}{port}"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            _escaped(parts.path, _PATH_SAFE),
            _escaped(parts.query, _QUERY_SAFE),
            _escaped(parts.fragment, _QUERY_SAFE),
        )
    )


def _escaped(part: str, safe: str) -> str:
    """`part` percent-encoded but for `safe`, its escapes kept and a bare "%" written as one."""
    return quote(_BARE_PERCENT.sub("%25", part), safe=safe)


def absolute_uri(url: str, page_url: str) -> str | None:
    """`url` as written on the page at `page_url`, made absolute and a URI; None unless it is a safe scheme."""
    uri = to_uri(urljoin(page_url, url.strip()))
    if uri is None or urlsplit(uri).scheme not in SCHEMES:
        return None
    return uri


def _absolute_srcset(value: str, page_url: str) -> str | None:
    candidates = []
    for match in _SRCSET_CANDIDATE.finditer(value):
        uri = absolute_uri(match.group(1), page_url)
        if uri:
            candidates.append(uri + (match.group(2) or "").rstrip())
    return ", ".join(candidates) or None


def feed_html(html: str, page_url: str) -> str:
    """Sanitize `html` (a post as it appears at `page_url`) and make each of its URLs absolute."""

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "srcset":
            return _absolute_srcset(value, page_url)
        if attribute in URL_ATTRIBUTES:
            return absolute_uri(value, page_url)
        return value

    return nh3.clean(
        html,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=rewrite,
        link_rel=None,
    )
