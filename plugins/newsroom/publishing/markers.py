"""What must be absent from a build: the posts it withholds, and the distinctive traces each would leave.

The source of truth is the content itself, read the way the build reads it and classified with the same
rules and clock (visibility.py): every draft, hidden, internal-only (in the public edition) or not yet
public post is withheld. Its markers are its title, summary, id and address, and the name and bytes of each
file only withheld posts use.

A marker only proves a leak if the build could not have written it legitimately. So a text marker is used
only when it is at least MIN_LENGTH characters and does not occur anywhere the edition may legitimately
draw text from: the posts and pages it shows, the theme's templates and the settings. A withheld post
titled "Update" is then checked by its address and attachments only, and the report says so. An address is
never excused by what the shown posts and pages say, only by the theme and the settings: a shown post or page
that writes a withheld post's address (a link to it, under any of the newsroom's addresses: the intranet's copy
has the same path) is how the address leaks, not a legitimate use of it. Texts are compared normalised (HTML
entities and JSON escapes decoded, whitespace collapsed, case folded), because the same title is `A &amp; B` in
a page, `A \\u0026 B` in JSON and `A & B` in the source.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsroom.checks.sources import classified_posts
from newsroom.model.classification import PostFacts, body_links
from newsroom.model.frontmatter import Document
from newsroom.model.post import content_path
from newsroom.model.published_images import ImageRefused, published_image
from newsroom.model.settings import Newsroom
from newsroom.model.visibility import Visibility, shown_in

MIN_LENGTH = 8
REFERENCE = re.compile(r"[{|](?:static|attach)[}|](?P<target>[^)\s\"'>#?]+)")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\"\\/])")


def normalize(text: str) -> str:
    """The comparable form of a text wherever it was written: HTML, XML, JSON or Markdown."""
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], text)
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # JSON's surrogate pairs
    return " ".join(html.unescape(text).split()).casefold()


@dataclass(frozen=True)
class Marker:
    """A trace of one withheld post: where it could show up, and what to say if it does."""

    text: str  # normalised
    kind: str  # "title", "summary", "id", "address", "attachment"
    post: str  # the post's source file
    visibility: Visibility
    in_paths: bool = False  # also look for it in output file names

    def describe(self) -> str:
        return f"the {self.kind} of {self.post} ({self.visibility.value})"


@dataclass(frozen=True)
class Withheld:
    """Everything a build must not contain, as of its clock."""

    edition: str
    posts: tuple[str, ...]  # source files of the withheld posts
    markers: tuple[Marker, ...]
    hashes: Mapping[str, Marker]  # sha256 of a withheld-only attachment -> its marker
    not_distinctive: tuple[str, ...]  # "the title of x.md": too common to prove anything


@dataclass(frozen=True)
class _Post:
    path: str
    content_relative: str
    doc: Document
    visibility: Visibility | None
    files: frozenset[str]  # content files it uses (lead image, {static} and {attach} links)
    facts: PostFacts


def withheld_content(settings: Mapping, newsroom: Newsroom, now: datetime) -> Withheld:
    """The posts this edition withholds and their markers (pure over the content folder)."""
    content_root = Path(settings["PATH"])
    classified, _ = classified_posts(settings, newsroom, now)
    shown_as = Path(settings["PATH"]).name  # "content/posts/x.md": the same in every checkout and CI log
    siteurl = settings.get("SITEURL", "")
    posts = [
        _read(source, doc, facts, f"{shown_as}/{source.content_relative}", siteurl) for source, doc, facts in classified
    ]
    shown = [p for p in posts if p.visibility is not None and shown_in(newsroom.edition, p.visibility)]
    withheld = [p for p in posts if p.visibility is not None and not shown_in(newsroom.edition, p.visibility)]

    pages = _page_texts(settings)
    # What the edition may legitimately print that no author writes, and what the shown posts and pages say.
    fixed = normalize("\n".join([*_theme_texts(settings), *_strings(settings)]))
    authored = normalize("\n".join([*(p.doc.body + "\n" + _header_text(p.doc) for p in shown), *pages]))
    # Files the edition may legitimately contain: those its posts and pages use, and every other static file
    # (Pelican copies STATIC_PATHS whole, except what only withheld posts use).
    used_by_shown = set().union(*(p.files for p in shown), *(_references(text, "pages/page.md") for text in pages))
    withheld_only = set().union(*(p.files for p in withheld)) - used_by_shown
    public_static = [f for f in _static_files(settings) if f.relative_to(content_root).as_posix() not in withheld_only]
    public_names = {Path(f).name.casefold() for f in used_by_shown} | {f.name.casefold() for f in public_static}
    public_hashes = set().union(*(_digests(f) for f in public_static))

    markers: list[Marker] = []
    hashes: dict[str, Marker] = {}
    weak: list[str] = []
    for post in withheld:
        candidates = [
            ("title", _field(post.doc, "title"), False),
            ("summary", _field(post.doc, "summary"), False),
            ("id", post.facts.id, False),
        ]
        # The addresses the build gives the post (the one classification: see classification.py), now and
        # once published.
        for address in post.facts.addresses:
            candidates.append(("address", address, True))
        for kind, text, in_paths in candidates:
            value = normalize(text)
            marker = Marker(value, kind, post.path, post.visibility, in_paths)
            # An author's own link to a withheld address must not excuse it (see above).
            excused = value in fixed or (kind != "address" and value in authored)
            if len(value) >= MIN_LENGTH and not excused:
                markers.append(marker)
            elif value:
                weak.append(f"the {kind} of {post.path}")
        for relative in sorted(post.files - used_by_shown):
            file = content_root / relative
            if not file.is_file():
                continue
            name = file.name.casefold()
            marker = Marker(name, "attachment", post.path, post.visibility, in_paths=True)
            if len(name) >= MIN_LENGTH and name not in public_names:
                markers.append(marker)
            for digest in _digests(file) - public_hashes if file.stat().st_size else ():
                hashes[digest] = Marker(relative, "attachment", post.path, post.visibility)
    return Withheld(
        edition=newsroom.edition,
        posts=tuple(p.path for p in withheld),
        markers=tuple(dict.fromkeys(markers)),
        hashes=hashes,
        not_distinctive=tuple(dict.fromkeys(weak)),
    )


def _read(source, doc: Document, facts: PostFacts, shown_as: str, siteurl: str) -> _Post:
    # Every file the post uses, however it names it ({static}, a site path, a relative path), and its lead image:
    # by this edition's own address, as the build copies files (ownership.static_file_owners). A link to a file
    # under another edition's address (the intranet's) names it but does not publish it here: it cannot make
    # that file's name or bytes legitimate in this edition's output.
    links = body_links(doc, source.content_relative, (siteurl,), facts.public_url or "")
    files = _references(source.text, source.content_relative, doc) | {target for target, _ in links}
    return _Post(shown_as, source.content_relative, doc, facts.visibility, frozenset(files), facts)


def _references(text: str, content_relative: str, doc: Document | None = None) -> frozenset[str]:
    """The content files a post or page uses: its lead image and its {static}/{attach} links."""
    found = {content_path(m["target"], content_relative) for m in REFERENCE.finditer(text)}
    image = _field(doc, "image") if doc else ""
    if image:
        found.add(content_path(image, content_relative))
    return frozenset(found)


def _field(doc: Document | None, name: str) -> str:
    entry = doc.get(name) if doc else None
    return entry.text if entry else ""


def _header_text(doc: Document) -> str:
    return "\n".join(" ".join(field.values) for field in doc.fields.values())


def _page_texts(settings: Mapping) -> list[str]:
    root = Path(settings["PATH"])
    texts = []
    for folder in settings.get("PAGE_PATHS", ()):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".md", ".markdown", ".html", ".rst"):
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _theme_texts(settings: Mapping) -> list[str]:
    theme = Path(settings.get("THEME", ""))
    templates = theme / "templates"
    if not templates.is_dir():
        return []
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(templates.rglob("*.html"))]


def _static_files(settings: Mapping) -> list[Path]:
    root = Path(settings["PATH"])
    found = []
    for folder in settings.get("STATIC_PATHS", ()):
        found.extend(p for p in sorted((root / folder).rglob("*")) if p.is_file())
    return found


def _strings(value, depth: int = 0) -> Iterable[str]:
    """Every string in the settings a template could print (company, audiences, categories, contacts…)."""
    if depth > 6:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if depth or (isinstance(key, str) and (key.startswith("NEWSROOM_") or key in _PRINTED_SETTINGS)):
                yield from _strings(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, depth + 1)


_PRINTED_SETTINGS = {"SITENAME", "SITESUBTITLE", "AUTHOR", "MENUITEMS", "LINKS", "SOCIAL"}


def _digests(path: Path) -> set[str]:
    """The SHA-256 of a file as committed and of the copy the build publishes (an image without its metadata,
    published_images.py): a leak is either. An image the build would refuse is known by its own bytes."""
    data = path.read_bytes()
    try:
        published = published_image(path.suffix.lower(), data).data
    except ImageRefused:
        published = data
    return {hashlib.sha256(data).hexdigest(), hashlib.sha256(published).hexdigest()}
