"""One classification of every post, made once from its file: id, audiences, visibility, address and links.

The checks, the archive register and the build all read these facts instead of working them out again, so they
cannot disagree about which posts an edition withholds or where a post lives.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from html import unescape
from urllib.parse import unquote, urlsplit

from newsroom.model.audiences import is_internal_only, split_list_field
from newsroom.model.dates import TimestampError, parse_timestamp
from newsroom.model.editions import site_addresses
from newsroom.model.frontmatter import Document
from newsroom.model.post import post_id, status_of
from newsroom.model.settings import Newsroom
from newsroom.model.visibility import Visibility, page_visibility, visibility_of

# Every address a body can name: Markdown links and images, reference definitions, autolinks, HTML attributes.
# A Markdown destination may hold balanced parentheses, as CommonMark and Python-Markdown allow: (a(b)c).
_MARKDOWN_TARGET = re.compile(r"\]\(\s*<?(?P<url>(?:[^()\s<>]|\([^()\s]*\))+)")
_REFERENCE_TARGET = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<url>[^\s>]+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]+)>")
_HTML_TARGET = re.compile(
    r"""\b(?P<name>href|src|srcset|poster|cite)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""", re.I
)
# What a browser drops from an address before reading it (the WHATWG URL standard).
_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and the space, at either end
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")  # anywhere
_INTRASITE = re.compile(r"^[{|](?P<kind>filename|static|attach)[}|](?P<path>.*)$")


# Pelican's defaults, for settings files that leave them out.
DEFAULT_PATTERNS = {
    "ARTICLE_URL": "{slug}.html",
    "ARTICLE_LANG_URL": "{slug}-{lang}.html",
    "DRAFT_URL": "drafts/{slug}.html",
    "DRAFT_LANG_URL": "drafts/{slug}-{lang}.html",
    "PAGE_URL": "pages/{slug}.html",
    "PAGE_LANG_URL": "pages/{slug}-{lang}.html",
    "ARTICLE_SAVE_AS": "{slug}.html",
    "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html",
    "DRAFT_SAVE_AS": "drafts/{slug}.html",
    "DRAFT_LANG_SAVE_AS": "drafts/{slug}-{lang}.html",
    "PAGE_SAVE_AS": "pages/{slug}.html",
    "PAGE_LANG_SAVE_AS": "pages/{slug}-{lang}.html",
    "DRAFT_PAGE_SAVE_AS": "drafts/pages/{slug}.html",
    "DRAFT_PAGE_LANG_SAVE_AS": "drafts/pages/{slug}-{lang}.html",
}


# Where the build keeps every post's PostFacts, by path (lower case: the build's state, not a setting).
POST_FACTS = "newsroom_post_facts"


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the whole newsroom knows about one post file before Pelican reads it."""

    path: str  # under content/, e.g. "posts/2026/q3.md"
    id: str
    audiences: tuple[str, ...]
    published: datetime | None  # None when the Date cannot be read (the checks say why)
    visibility: Visibility | None
    url: str | None  # the site path Pelican will give it (ARTICLE_URL), None if its fields cannot say
    public_url: str | None  # the address it will have once published (a draft's differs: DRAFT_URL)
    addresses: tuple[str, ...]  # every address the build could give it: ARTICLE_URL and DRAFT_URL forms
    # The file the build writes it to (ARTICLE_SAVE_AS, DRAFT_SAVE_AS, PAGE_SAVE_AS…, under its language's
    # prefix), None when that pattern is "" (never written) or its fields cannot say.
    file: str | None
    withdrawn: datetime | None
    links: tuple[tuple[str, int], ...]  # (site path or content path, line) of every address its body names

    @property
    def public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


def describe_file(
    doc: Document,
    content_relative: str,
    newsroom: Newsroom,
    settings: Mapping,
    slugify: Callable[[str], str],
) -> PostFacts:
    """The facts of one post that follow from its file and the settings alone: everything but its visibility,
    which the clock decides (as_of). The same file and settings always give the same facts
    (checks/remembered_facts.py keeps them between builds)."""
    published = _time(doc, "date")
    is_draft = status_of(doc) == "draft"
    public_url = _url(doc, newsroom, settings, slugify, published, "ARTICLE")
    draft_url = _url(doc, newsroom, settings, slugify, published, "DRAFT")
    url = draft_url if is_draft else public_url
    file = _url(doc, newsroom, settings, slugify, published, "DRAFT" if is_draft else "ARTICLE", "SAVE_AS")
    return PostFacts(
        path=content_relative,
        id=newsroom.languages.version_key(post_id(doc, content_relative), doc.text("lang")),
        audiences=audiences_of(doc, newsroom),
        published=published,
        visibility=None,
        url=url,
        public_url=public_url,
        addresses=tuple(dict.fromkeys(a for a in (public_url, draft_url) if a)),
        file=file,
        withdrawn=_time(doc, "withdrawn"),
        links=tuple(body_links(doc, content_relative, site_addresses(settings), public_url or "")),
    )


def as_of(facts: PostFacts, doc: Document, newsroom: Newsroom, now: datetime) -> PostFacts:
    """The post's `facts` with its visibility as of `now` (none when its Date cannot be read)."""
    if facts.published is None:
        return facts
    return replace(facts, visibility=_visibility(doc, facts.audiences, facts.published, newsroom, now))


def header_date(doc: Document) -> datetime | None:
    """The post's Date as its header gives it (None when it cannot be read)."""
    return _time(doc, "date")


def header_visibility(doc: Document, newsroom: Newsroom, now: datetime) -> Visibility | None:
    """The visibility a post's header alone gives it as of `now`, by the rule as_of applies (None when its Date
    cannot be read): for a header read from elsewhere than today's file, such as the file as an earlier commit
    left it (site/history.py asks when an edition first showed a post)."""
    published = header_date(doc)
    if published is None:
        return None
    return _visibility(doc, audiences_of(doc, newsroom), published, newsroom, now)


def _visibility(
    doc: Document, audiences: tuple[str, ...], published: datetime, newsroom: Newsroom, now: datetime
) -> Visibility:
    return visibility_of(status_of(doc), is_internal_only(audiences, newsroom.audience_by_slug), published, now)


def audiences_of(doc: Document, newsroom: Newsroom) -> tuple[str, ...]:
    """The audiences a post names, or the newsroom's default ones when it names none."""
    written = split_list_field(doc.get("audience").values) if doc.get("audience") else ()
    return tuple(written or newsroom.default_audiences)


def body_links(doc: Document, content_relative: str, siteurls: tuple[str, ...], page_url: str) -> list[tuple[str, int]]:
    """Every address the body names that points into this newsroom (under any of `siteurls`, its base addresses:
    editions.site_addresses), as a path: "news/2026/x/" for a page address, "posts/2026/x.md" for a {filename}
    link, "images/a.svg" for a file. External addresses are left out.

    The body is read as one text, not line by line: Markdown lets a link's address follow on the line after
    `[text](` or a reference's `[r]:`, and HTML lets an attribute's `=` and value do the same; the published
    page links there all the same. Each address is given the line it starts on."""
    body, found = doc.body, []
    for at, url in _addresses(body):
        target = site_path(url, content_relative, siteurls, page_url)
        if target:
            found.append((target, doc.body_line + body.count("\n", 0, at)))
    return found


def _addresses(body: str) -> list[tuple[int, str]]:
    """(where it starts, the address as written) for every address of the body: its Markdown links and images,
    reference definitions and autolinks, and its HTML attributes that hold one; in the order they come."""
    # Each pattern only where its text can be (a plain substring test): scanning every word of every post for an
    # HTML attribute's name tripled this function's cost, on posts nearly all of which have none.
    patterns = [_MARKDOWN_TARGET] + [_REFERENCE_TARGET] * ("]:" in body) + [_AUTOLINK] * ("<" in body)
    found = [(m.start("url"), m["url"]) for p in patterns for m in p.finditer(body)]
    for m in _HTML_TARGET.finditer(body) if "=" in body else ():
        quoted = next(group for group in ("dq", "sq", "bare") if m[group] is not None)
        at, value = m.start(quoted), m[quoted]
        if m["name"].lower() == "srcset":  # "a.png 1x, b.png 2x": an address in each candidate
            found += [(at, c.split()[0]) for c in value.split(",") if c.strip()]
        else:
            found.append((at, value))
    return sorted(found, key=lambda address: address[0])


def site_path(url: str, content_relative: str, siteurls: Iterable[str], page_url: str = "") -> str | None:
    """`url` as written in the post at `content_relative` (whose page is at `page_url`), as a path inside the
    site, or None if it leaves it. The site is every one of `siteurls`, the newsroom's base addresses: each
    edition shows a post at the same path under its own, so a link to the intranet's copy of a post names that
    post as surely as a link to the public one. Read as a browser reads it, so that no spelling of this site's
    address passes for another site's: spaces and control characters at either end and tabs and newlines
    anywhere are ignored, a backslash is a slash, and the scheme (http or https), the host's case, a port or a
    user name do not make it another site."""
    url = _TAB_OR_NEWLINE.sub("", unescape(url).strip(_EDGES))
    intrasite = _INTRASITE.match(url.split("#")[0].split("?")[0])
    if intrasite:
        target = intrasite["path"]
        base = posixpath.dirname(content_relative)
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        return posixpath.normpath(unquote(joined))
    try:
        parts = urlsplit(url.replace("\\", "/").split("#")[0].split("?")[0])
    except ValueError:
        return None  # no browser can follow it ("http://[x/"): it names no page of this site, nor any other
    path = parts.path
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("", "http", "https"):
            return None
        base = _base_path(parts.hostname, path, siteurls)
        if base is None:
            return None
        path = path[len(base) :] or "/"
    if not path:
        return None
    path = unquote(path)
    if not path.startswith("/"):
        if not page_url:
            return None  # relative to a page whose address is not known: resolved on the built site
        path = posixpath.join("/" + posixpath.dirname(page_url.rstrip("/") + "/index.html"), path) + (
            "/" if path.endswith("/") else ""
        )
    normal = posixpath.normpath(path).lstrip("/")
    return normal + "/" if path.endswith("/") and normal not in ("", ".") else normal


def _base_path(hostname: str | None, path: str, siteurls: Iterable[str]) -> str | None:
    """The path of the base address, of `siteurls`, that an address on `hostname` at `path` lies under (the
    longest, when one base address lies under another: the intranet at /newsroom on the public host), or None."""
    bases = []
    for siteurl in siteurls:
        site = urlsplit(siteurl)
        base = site.path.rstrip("/")
        if site.hostname and hostname == site.hostname and (path + "/").startswith(base + "/"):
            bases.append(base)
    return max(bases, key=len, default=None)


def classify_page(
    doc: Document, content_relative: str, newsroom: Newsroom, settings: Mapping, slugify: Callable[[str], str]
) -> PostFacts:
    """The facts of one page of content/pages: no audience and no date, so its Status alone withholds it."""
    title = doc.text("title")
    slug = doc.text("slug") or (slugify(title) if title else "")
    url = _address(doc, newsroom, settings, "PAGE", slug=slug) if slug else None
    kind = "DRAFT_PAGE" if status_of(doc) == "draft" else "PAGE"
    file = _address(doc, newsroom, settings, kind, "SAVE_AS", slug=slug) if slug else None
    return PostFacts(
        path=content_relative,
        id=post_id(doc, content_relative),
        audiences=(),
        published=None,
        visibility=page_visibility(status_of(doc)),
        url=url,
        public_url=url,
        addresses=(url,) if url else (),
        file=file,
        withdrawn=None,
        links=tuple(body_links(doc, content_relative, site_addresses(settings), url or "")),
    )


def _url(
    doc: Document,
    newsroom: Newsroom,
    settings: Mapping,
    slugify: Callable[[str], str],
    published: datetime | None,
    kind: str,
    pattern: str = "URL",
) -> str | None:
    """The address (or, with `pattern` "SAVE_AS", the file) Pelican gives the post as an article or a draft
    (`kind`), or None if its fields cannot say."""
    title = doc.text("title")
    category = newsroom.category_named(doc.text("category"))
    slug = doc.text("slug") or (slugify(title) if title else "")
    if not slug or category is None or published is None:
        return None
    return _address(doc, newsroom, settings, kind, pattern, slug=slug, category=category.slug, date=published)


def _address(
    doc: Document, newsroom: Newsroom, settings: Mapping, kind: str, pattern: str = "URL", **values
) -> str | None:
    """The address (`pattern` "URL") or the file ("SAVE_AS") Pelican gives a post or page of this `kind`
    (ARTICLE, DRAFT, PAGE, DRAFT_PAGE) with these values; None for a file whose pattern is "" (never written)."""
    # Pelican's choice of pattern: drafts live under DRAFT_URL, and a post in another language than the site's
    # under the *_LANG_URL variant; a newsroom in several languages puts it under its language's prefix instead.
    lang = doc.text("lang") or settings.get("DEFAULT_LANG", "en")
    setting = f"{kind}_LANG_{pattern}" if lang != settings.get("DEFAULT_LANG", "en") else f"{kind}_{pattern}"
    language = newsroom.languages.find(lang) if newsroom.languages.several else None
    prefix = f"{language.prefix}/" if language and language.prefix else ""
    if language:
        setting = f"{kind}_{pattern}"
    template = settings.get(setting, DEFAULT_PATTERNS[setting])
    if pattern == "SAVE_AS" and not template:
        return None
    try:
        return prefix + template.format(lang=lang, **values)
    except (KeyError, IndexError, ValueError):
        return None  # an ARTICLE_URL with placeholders we do not model: the address is not compared


def _time(doc: Document, name: str) -> datetime | None:
    text = doc.text(name).partition("|")[0]
    try:
        return parse_timestamp(text) if text else None
    except TimestampError:
        return None
