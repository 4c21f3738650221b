"""The one allowlist for HTML in posts and pages: nh3 applies it to every body, and the checks name what it removes.

Both uses read the same tables and the same URL rule below, so what `invoke check` tells an author is exactly what
the build would strip (nothing is removed silently, and nothing the checks accept can run in a reader's browser).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import html5lib
import nh3

from newsroom.kit.errors import clipped
from newsroom.model.markdown_code import without_markup_of_its_own
from newsroom.model.visible_text import describe, hidden_character

# What Markdown (with the extra and toc extensions) produces, and the plain HTML a press release needs.
ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del"),
        *("details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small"),
        *("source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead"),
        *("time", "tr", "u", "ul", "wbr"),
    }
)
# Embeds are refused unless the site names the hosts they may come from (NEWSROOM_EMBED_HOSTS).
EMBED_TAG = "iframe"
EMBED_ATTRIBUTES = frozenset({"src", "title", "width", "height", "allowfullscreen", "loading"})
# Every embed is sandboxed: the embedded player runs, but cannot navigate the newsroom's page or open forms.
EMBED_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"

GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "rel"}),
    "abbr": frozenset(),
    "blockquote": frozenset({"cite"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "del": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "img": frozenset({"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"}),
    "ins": frozenset({"cite", "datetime"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "q": frozenset({"cite"}),
    "source": frozenset({"srcset", "sizes", "media", "type"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "th": frozenset({"colspan", "rowspan", "scope", "abbr", "style"}),
    "time": frozenset({"datetime"}),
}
# Markdown's tables align columns with style="text-align: …"; no other property is kept.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset"})
# What a reader's browser fetches by itself, as the page loads (a link is fetched only when followed): only from
# the site, or from the hosts NEWSROOM_IMAGE_HOSTS names. An image from anywhere else tells its host who reads the
# page, and when (a tracking pixel), in every feed reader too.
FETCHED = frozenset({("img", "src"), ("img", "srcset"), ("source", "srcset")})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with everything inside them: their content is code or a fallback nobody should see alone.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "object", "embed", "svg", "math"})

_FRAME_WITHOUT_SOURCE = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Pelican's intrasite links: the placeholder, then the rest as written ({static}/x.jpg, |tag|annual-report).
_PELICAN_LINK = re.compile(r"^[{|](?:filename|static|attach|category|tag|author|index)[}|](?P<rest>.*)\Z", re.DOTALL)


def url_allowed(value: str) -> bool:
    """A URL a reader may follow: http(s), mailto, tel or a relative address. Browsers ignore whitespace and
    control characters inside a scheme ("java\tscript:"), so those are removed before the scheme is read;
    the value here is already entity-decoded (by nh3 or by the HTML parser)."""
    compact = _CONTROL.sub("", value)
    if (on_this_site := _pelican_link(compact)) is not None:
        return on_this_site
    scheme = _SCHEME.match(compact)
    return (scheme is None or scheme.group(1).lower() in URL_SCHEMES) and _parses(compact)


def _pelican_link(address: str) -> bool | None:
    """None when `address` is not Pelican's intrasite link; else whether it names a place on this site. At write
    time Pelican puts the site's address of what the placeholder names in place of the path written after it, and
    keeps the rest as written: a scheme or a host there (`{index}https://tracker.example/p.gif`,
    `{tag}javascript:...`) would survive into the page and every feed. So only a path may follow it."""
    match = _PELICAN_LINK.match(address)
    return None if match is None else site_path(match["rest"])


def site_path(address: str) -> bool:
    """A path on this site (relative or from its root, with a query or fragment), however the address is spelt:
    no scheme, no host; a browser reads a backslash as a slash, and `///host/` as `//host/`."""
    if not _parses(address) or "\\" in address or address.startswith("//"):
        return False
    parts = urlsplit(address)
    return not parts.scheme and not parts.netloc


def _parses(address: str) -> bool:
    """False for an address no browser could follow ("http://[x/"): the sanitiser would drop it anyway."""
    try:
        urlsplit(address)
    except ValueError:
        return False
    return True


def _srcset_allowed(value: str) -> bool:
    return all(url_allowed(address) for address in _srcset_addresses(value))


def _srcset_addresses(value: str) -> list[str]:
    return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]


def fetched_allowed(value: str, hosts: Iterable[str]) -> bool:
    """An image's address: the site's own (a relative address, or Pelican's {static} link), or https from one of
    the configured hosts; never another site, whatever the spelling (`//host/`, `HTTPS:`, a backslash)."""
    address = _CONTROL.sub("", value)
    if (on_this_site := _pelican_link(address)) is not None:
        return on_this_site
    if site_path(address):
        return url_allowed(address)
    return _from_hosts(address, hosts)


def embed_allowed(src: str, hosts: Iterable[str]) -> bool:
    """An iframe's address: https from one of the configured hosts, nothing else."""
    return _from_hosts(_CONTROL.sub("", src), hosts)


def _from_hosts(address: str, hosts: Iterable[str]) -> bool:
    """`address` is https from one of `hosts`, as a browser reads it: a backslash is a slash to a browser, not to
    urlsplit (`https://evil.example\\@host/` is evil.example's), so an address with one is never from a host."""
    if not _parses(address) or "\\" in address:
        return False
    parts = urlsplit(address)
    return parts.scheme.lower() == "https" and (parts.hostname or "") in set(hosts)


def _style_allowed(value: str) -> bool:
    declarations = [d for d in value.split(";") if d.strip()]
    return all(d.partition(":")[0].strip().lower() in STYLE_PROPERTIES for d in declarations)


def clean_html(html: str, embed_hosts: tuple[str, ...] = (), image_hosts: tuple[str, ...] = ()) -> str:
    """`html` with everything outside the allowlist removed (nh3 parses it as a browser would)."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == EMBED_TAG and attribute == "src":
            return value if embed_allowed(value, embed_hosts) else None
        if (tag, attribute) in FETCHED and not _fetched_allowed(attribute, value, image_hosts):
            return None
        if attribute == "srcset":
            return value if _srcset_allowed(value) else None
        if attribute in URL_ATTRIBUTES:
            return value if url_allowed(value) else None
        return value

    tags, attributes = set(ALLOWED_TAGS), {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    removed = set(REMOVED_WITH_CONTENT)
    if embed_hosts:
        tags.add(EMBED_TAG)
        attributes[EMBED_TAG] = set(EMBED_ATTRIBUTES)
    else:
        removed.add(EMBED_TAG)
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    cleaned = nh3.clean(
        html,
        tags=tags,
        clean_content_tags=removed,
        attributes=attributes,
        attribute_filter=keep,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        set_tag_attribute_values={EMBED_TAG: {"sandbox": EMBED_SANDBOX}} if embed_hosts else None,
        link_rel=None,
        strip_comments=True,
    )
    # An embed whose address was refused is removed whole: an empty sandboxed frame would only confuse readers.
    return _FRAME_WITHOUT_SOURCE.sub("", cleaned) if embed_hosts else cleaned


@dataclass(frozen=True)
class Removed:
    """One construct the build would not publish as the author wrote it (the allowlist removes it, or it is a
    character nobody sees written as a reference), as written, and why."""

    construct: str
    reason: str
    hint: str  # text to look for in the source, to find the line


def removed_constructs(
    html: str, embed_hosts: tuple[str, ...] = (), cleaned: str | None = None, image_hosts: tuple[str, ...] = ()
) -> list[Removed]:
    """Everything `clean_html` would remove from `html`, read with the same tables and URL rule. html5lib parses
    it as a browser (and nh3's html5ever) would: `<img/src=x/onerror=…>` has an onerror attribute here too.
    `cleaned`: what `clean_html` made of `html` with these hosts, when the caller already has it."""
    if (clean_html(html, embed_hosts, image_hosts) if cleaned is None else cleaned) == html:
        # The sanitiser leaves it as it is, so it removes nothing: no need to read it closely (html5lib is pure
        # Python, and this is nearly every post: the close reading cost more than rendering it).
        return []
    found: list[Removed] = []
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if not isinstance(element.tag, str):  # a comment
            if (element.text or "").strip():
                found.append(Removed("<!-- … -->", "comments are removed (expected visible text)", "<!--"))
            continue
        tag = _local(element.tag)
        if tag == "DOCUMENT_FRAGMENT":
            continue
        attributes = {_local(k): v for k, v in element.attrib.items()}
        found += _element_problems(tag, attributes, tuple(embed_hosts), tuple(image_hosts))
    return found


# A character reference as HTML reads one: numeric, or named (a few legacy names need no ";").
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")


def hidden_in_published(source: str, cleaned: str) -> list[Removed]:
    """Each character nobody sees as written (visible_text.hidden_character, the rule for header values and the
    body's own characters) that the body holds as it is published, `cleaned` being what clean_html made of its
    HTML, named by the reference in `source` it was written as (`&#x202E;`, `&ZeroWidthSpace;`, in text or in an
    attribute value). The sanitiser's serialiser decodes every reference but `&amp;`, `&lt;`, `&gt;`, `&quot;` and
    `&nbsp;`, so `cleaned` holds each character as a reader's browser and the feeds get it; a character the file
    holds as such is the body check's to name (and is skipped here). Line ends and tabs are the markup's spacing."""
    if cleaned.replace("\n", "").replace("\t", "").isprintable() and "\ufffd" not in cleaned:
        return []  # nearly every body
    hidden = {c for c in set(cleaned) - {"\n", "\t"} if hidden_character(c) is not None and c not in source}
    found: dict[str, Removed] = {}
    for match in _REFERENCE.finditer(source):
        written, character = match.group(0), _decoded(match.group(0))
        if character in hidden and written not in found:
            found[written] = Removed(
                written,
                f"is the character {describe(character)} written as a reference, which can make the text read "
                "otherwise in review than where it is published, or be dropped from the feeds (expected visible "
                "text only: delete the reference)",
                written,
            )
    named = {_decoded(written) for written in found}
    for character in sorted(hidden - named):  # made some other way than a reference: still not published unseen
        found[character] = Removed(
            describe(character),
            "is in the body as published, which can make the text read otherwise in review than where it is "
            "published (expected visible text only)",
            "",
        )
    return list(found.values())


def _decoded(reference: str) -> str:
    """The text a reference stands for, as a browser (and the sanitiser's parser) reads it: `html.unescape`, but
    for the references it drops (`&#11;`, `&#xFFFE;`), which the HTML parser keeps as their characters."""
    text = html.unescape(reference)
    if text or not reference.startswith("&#"):
        return text
    digits = reference[2:].rstrip(";")
    return chr(int(digits[1:], 16) if digits[:1] in "xX" else int(digits))


_RAW_TAG = re.compile(r"<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?P<rest>[^>]*)>?")
_EVENT_HANDLER = re.compile(r"[\s/\"'](?P<name>on[a-z]+)\s*=", re.IGNORECASE)


def suspicious_markup(source: str, embed_hosts: tuple[str, ...] = ()) -> list[Removed]:
    """Markup in the Markdown source that the rendered HTML no longer shows as such (Markdown escaped it, or the
    HTML parser ignored it, e.g. `<body onload=…>` or `<img/src=x/onerror=…>`): still named, so that an author
    never publishes something that merely happened to be defused. Code and autolinks (markdown_code.py) are
    skipped: Markdown shows code as text, and writes an autolink as a link of its own."""
    found = []
    for match in _RAW_TAG.finditer(without_markup_of_its_own(source)):
        tag = match["tag"].lower()
        allowed = tag in ALLOWED_TAGS or (tag == EMBED_TAG and embed_hosts)
        if not allowed:
            found.append(Removed(f"<{tag}>", _tag_reason(tag), f"<{match['tag']}"))
            continue
        handler = _EVENT_HANDLER.search(match["rest"])
        if handler:
            found.append(
                Removed(
                    f"<{tag} {handler['name']}>",
                    "event handlers run scripts (expected no on… attributes)",
                    handler["name"],
                )
            )
    return found


def _local(name: str) -> str:
    """A tag or attribute name without the namespace html5lib gives SVG and MathML names."""
    return name.rsplit("}", 1)[-1]


def _element_problems(
    tag: str, attrs: dict[str, str], embed_hosts: tuple[str, ...], image_hosts: tuple[str, ...]
) -> list[Removed]:
    found = []
    if tag == EMBED_TAG:
        src = attrs.get("src") or ""
        shown = f'<iframe src="{clipped(src)}">'
        if not embed_hosts:
            reason = "embeds are not allowed (expected NEWSROOM_EMBED_HOSTS to name the host)"
            return [Removed(shown, reason, "<iframe")]
        if not embed_allowed(src, embed_hosts):
            hosts = ", ".join(embed_hosts)
            reason = f"embeds are allowed only from https:// on {hosts} (expected one of: {hosts})"
            found.append(Removed(shown, reason, src or "<iframe"))
        allowed = EMBED_ATTRIBUTES | GLOBAL_ATTRIBUTES
    elif tag not in ALLOWED_TAGS:
        return [Removed(f"<{tag}>", _tag_reason(tag), f"<{tag}")]
    else:
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | GLOBAL_ATTRIBUTES
    for name, value in attrs.items():
        written = f'<{tag} {name}="{clipped(value)}">'
        if name not in allowed:
            reason = (
                "event handlers run scripts (expected no on… attributes)"
                if name.startswith("on")
                else f"the attribute {name!r} is not allowed on <{tag}> (expected plain HTML)"
            )
            found.append(Removed(written, reason, name))
        elif name == "style" and not _style_allowed(value):
            found.append(Removed(written, "only text-align may be styled (expected no style)", "style"))
        elif _unsafe_url(tag, name, value):
            if _pelican_link(_CONTROL.sub("", value)) is False:
                reason = (
                    "a {static}, {filename}, {tag}, {index}… link is followed by a path on this site, which the "
                    "build puts the site's address before; a scheme or a host written after it would stay in the "
                    "page (expected e.g. {static}/images/chart.png)"
                )
            elif name == "srcset" or _parses(_CONTROL.sub("", value)):
                reason = "links may only be http, https, mailto, tel or site addresses"
            else:
                reason = "is not a valid address: no browser can follow it (expected e.g. https://www.example.com/page)"
            found.append(Removed(written, reason, name))
        elif (tag, name) in FETCHED and not _fetched_allowed(name, value, image_hosts):
            hosts = f" or https:// on {', '.join(image_hosts)}" if image_hosts else ""
            reason = (
                "an image from another site tells that site who reads the page, and when (expected a file of "
                f"content/images, linked as {{static}}/images/… or /images/…{hosts}; NEWSROOM_IMAGE_HOSTS names "
                "the hosts whose images may be given in full)"
            )
            found.append(Removed(written, reason, name))
    return found


def _fetched_allowed(attribute: str, value: str, hosts: tuple[str, ...]) -> bool:
    addresses = _srcset_addresses(value) if attribute == "srcset" else [value]
    return all(fetched_allowed(address, hosts) for address in addresses)


def _unsafe_url(tag: str, name: str, value: str) -> bool:
    if tag == EMBED_TAG and name == "src":
        return False  # an embed's address is judged against NEWSROOM_EMBED_HOSTS instead
    if name == "srcset":
        return not _srcset_allowed(value)
    return name in URL_ATTRIBUTES and not url_allowed(value)


def _tag_reason(tag: str) -> str:
    if tag == "script":
        return "scripts are not allowed in posts (expected text, Markdown and plain HTML; ask the web team)"
    if tag in ("object", "embed", "applet", "frame", "frameset"):
        return "embedded objects are not allowed (expected a link, or an iframe from NEWSROOM_EMBED_HOSTS)"
    if tag in ("form", "input", "button", "select", "textarea", "option"):
        return "forms are not allowed in posts (expected a link to a form)"
    return f"<{tag}> is not allowed in posts (expected one of the elements docs/writing.md lists under 'HTML in posts')"


def content_security_policy(
    embed_hosts: Iterable[str] = (), image_hosts: Iterable[str] = (), form_origins: Iterable[str] = ()
) -> str:
    """The policy every page carries: only the site's own scripts (the search page's Pagefind needs
    WebAssembly), no plugins, no <base>, forms only to the site and to `form_origins` (the hosted alert
    service's sign-up forms: AlertSettings.form_origins()), frames only from the embed hosts, images only from
    the site and the image hosts. A second line of defence behind the sanitiser, for any hole in it.
    frame-ancestors cannot be set from a <meta> tag: hosts that can set headers should send this policy with
    "; frame-ancestors 'self'" added."""
    frames = " ".join(f"https://{host}" for host in embed_hosts) or "'none'"
    images = "".join(f" https://{host}" for host in image_hosts)
    forms = "".join(f" {origin}" for origin in form_origins)
    return (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:{images}; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
        f"frame-src {frames}; object-src 'none'; base-uri 'none'; form-action 'self'{forms}"
    )
