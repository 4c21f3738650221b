"""Verify a built edition before anything leaves the machine: no trace of a withheld post in any file,
every link to the site resolves, every feed is well-formed.

The whole output tree is searched, whatever wrote it (Pelican, the feeds, the manifest syndication reads,
a search index built afterwards): nothing here lists which files to look at. Gzip-compressed files (a
Pagefind index) are searched decompressed. See markers.py for what counts as a trace and why.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import posixpath
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from newsroom.model import publishable_files
from newsroom.model.feed_catalogue import FEEDS_DIR, site_base_url
from newsroom.model.ownership import COPIED_KINDS, OWNERS_PATH, output_files, owner_by_place, read_owners
from newsroom.model.settings import Newsroom
from newsroom.publishing.markers import Marker, Withheld, normalize, withheld_content
from newsroom.syndication.published import MANIFEST_PATH

MAX_TEXT = 64 * 1024 * 1024  # larger files (videos, archives) are checked by name and hash only
XML_SUFFIXES = (".xml", ".opml", ".rss", ".atom")
ATOM = "{http://www.w3.org/2005/Atom}feed"


@dataclass(frozen=True)
class Finding:
    """One problem in one output file."""

    file: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"


@dataclass(frozen=True)
class VerifyReport:
    edition: str
    files: int
    withheld: int
    markers: int
    leaks: tuple[Finding, ...] = ()
    broken_links: tuple[Finding, ...] = ()
    malformed: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    unowned: tuple[Finding, ...] = ()  # files nothing this edition publishes accounts for
    runnable: tuple[Finding, ...] = ()  # copied images and downloads of a kind a browser could run
    owners: tuple[tuple[str, int], ...] = ()  # (kind of owner, number of files), for the report

    @property
    def ok(self) -> bool:
        return not (self.leaks or self.broken_links or self.malformed or self.unowned or self.runnable)

    def lines(self, limit: int = 25) -> list[str]:
        summary = (
            f"{self.edition} edition: {self.files} files searched for {self.markers} traces of "
            f"{self.withheld} withheld post(s): {len(self.leaks)} leak(s), {len(self.broken_links)} broken "
            f"link(s), {len(self.malformed)} malformed file(s), {len(self.unowned)} file(s) without an owner, "
            f"{len(self.runnable)} file(s) a browser could run"
        )
        owners = ["  owners: " + ", ".join(f"{count} {kind}" for kind, count in self.owners)] if self.owners else []
        problems = [
            *(f"  OWNER  {f}" for f in self.unowned),
            *(f"  RUNS   {f}" for f in self.runnable),
            *(f"  LEAK   {f}" for f in self.leaks),
            *(f"  LINK   {f}" for f in self.broken_links),
            *(f"  FORMAT {f}" for f in self.malformed),
        ]
        if len(problems) > limit:
            problems = [*problems[:limit], f"  … and {len(problems) - limit} more"]
        return [summary, *owners, *problems, *(f"  note: {note}" for note in self.notes)]


def verify_output(output: Path, settings: Mapping, newsroom: Newsroom, now: datetime) -> VerifyReport:
    """Check the edition built in `output` with `settings` (`newsroom` validated), as of the build's clock `now`."""
    output = Path(output)
    withheld = withheld_content(settings, newsroom, now)
    entries = output_files(output)
    recorded = read_owners(output)  # read once: both the owners' findings and the copied files' kinds need it
    unowned, owners = ownership_findings(output, entries, settings, recorded)
    # Links and special files are never read (a link could point at the verifier's own secrets): they are
    # refused above, by name.
    files = [
        output / relative for relative in entries if (output / relative).is_file() and not _is_link(output, relative)
    ]
    leaks = list(find_leaks(output, files, withheld))
    malformed = list(malformed_files(output, files))
    malformed.extend(_manifest_problems(output, newsroom.edition))
    links = list(broken_links(output, files, site_base_url(settings)))
    runnable = list(runnable_copies(output, entries, settings, recorded or {}))
    notes = []
    if withheld.not_distinctive:
        shown = ", ".join(withheld.not_distinctive[:5]) + (" …" if len(withheld.not_distinctive) > 5 else "")
        notes.append(f"not used as evidence, too common to prove a leak: {shown}")
    return VerifyReport(
        edition=newsroom.edition,
        files=len(files),
        withheld=len(withheld.posts),
        markers=len(withheld.markers) + len(withheld.hashes),
        leaks=tuple(leaks),
        broken_links=tuple(links),
        malformed=tuple(malformed),
        notes=tuple(notes),
        unowned=tuple(unowned),
        runnable=tuple(runnable),
        owners=owners,
    )


def _is_link(output: Path, relative: str) -> bool:
    # output_files() never descends into a linked folder (it lists the link itself), so one lstat is enough.
    return (output / relative).is_symlink()


def ownership_findings(
    output: Path, entries: list[str], settings: Mapping, recorded: Mapping[str, str] | None
) -> tuple[list[Finding], tuple[tuple[str, int], ...]]:
    """A finding for every file the build's ownership record (`recorded`, None when the build left none) does not
    account for (or that is not a regular file), and how many files each kind of owner accounts for."""
    if recorded is None:
        return [Finding(OWNERS_PATH, "missing: the build recorded no owners (expected a build by `invoke build`)")], ()
    findings, kinds = [], {}
    for relative in entries:
        if relative == OWNERS_PATH:
            continue
        if _is_link(output, relative) or not (output / relative).is_file():
            findings.append(Finding(relative, "is a symbolic link or special file (expected a regular file)"))
            continue
        owner = recorded.get(relative) or owner_by_place(relative, settings)
        if owner is None:
            findings.append(Finding(relative, "has no owner: nothing this edition publishes refers to it"))
            continue
        kind = owner.partition(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return findings, tuple(sorted(kinds.items(), key=lambda item: -item[1]))


def runnable_copies(
    output: Path, entries: list[str], settings: Mapping, recorded: Mapping[str, str]
) -> Iterable[Finding]:
    """Every image or download copied from content/ that is not of a kind a browser only shows or saves, or that
    holds what its published copy may not (an image's metadata, a document's comments): the checks refuse such
    files in content/, the build copies images without their metadata, and this holds both rules for what is
    actually deployed."""
    for relative in entries:
        owner = recorded.get(relative) or owner_by_place(relative, settings) or ""
        path = output / relative
        if owner.partition(":")[0] not in COPIED_KINDS or _is_link(output, relative) or not path.is_file():
            continue
        for problem in publishable_files.problems_of_file(path, published=True):
            yield Finding(relative, problem)


def find_leaks(output: Path, files: Iterable[Path], withheld: Withheld) -> Iterable[Finding]:
    """Every output file holding a trace of a withheld post: in its name, its text or its bytes."""
    if not withheld.markers and not withheld.hashes:
        return
    by_text: dict[str, Marker] = {}
    for marker in withheld.markers:
        by_text.setdefault(marker.text, marker)
    pattern = re.compile("|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True)))
    for path in files:
        relative = path.relative_to(output).as_posix()
        found: dict[str, Marker] = {}
        name = relative.casefold()
        for marker in withheld.markers:
            if marker.in_paths and marker.text in name:
                found.setdefault(marker.describe(), marker)
        data = path.read_bytes() if path.stat().st_size <= MAX_TEXT else b""
        digest = hashlib.sha256(data).hexdigest() if data else ""
        if digest in withheld.hashes:
            copied = withheld.hashes[digest]
            found.setdefault(f"a copy of {copied.text}, {copied.describe()}", copied)
        if data and by_text:
            for match in pattern.finditer(normalize(_text_of(data))):
                marker = by_text[match.group(0)]
                found.setdefault(marker.describe(), marker)
        for description in found:
            yield Finding(relative, f"contains {description}")


def _text_of(data: bytes) -> str:
    """The text of a file, decompressed when it is gzip (a Pagefind index). Binary files are searched too:
    a title cannot appear by chance in an image, and text inside an index or a PDF's metadata is found."""
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError, zlib.error):
            data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def malformed_files(output: Path, files: Iterable[Path]) -> Iterable[Finding]:
    """Feeds, OPML, sitemaps and JSON that a reader or a crawler would choke on."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for path in files:
        relative = path.relative_to(output).as_posix()
        is_feed = relative.startswith(f"{FEEDS_DIR}/")
        if relative.endswith(XML_SUFFIXES):
            try:
                root = etree.fromstring(path.read_bytes(), parser)
            except etree.XMLSyntaxError as error:
                yield Finding(relative, f"not well-formed XML ({error})")
                continue
            if relative.endswith(".rss.xml") and (root.tag != "rss" or root.find("channel") is None):
                yield Finding(relative, f"not an RSS 2.0 feed (root element <{root.tag}>, expected <rss><channel>)")
            elif relative.endswith(".atom.xml") and root.tag != ATOM:
                yield Finding(
                    relative, f"not an Atom feed (root element <{root.tag}>, expected <feed> in the Atom namespace)"
                )
            elif relative.endswith(".opml") and root.tag != "opml":
                yield Finding(relative, f"not OPML (root element <{root.tag}>)")
        elif relative.endswith(".json"):
            try:
                data = json.loads(path.read_bytes())
            except ValueError as error:
                yield Finding(relative, f"not valid JSON ({error})")
                continue
            if is_feed and not (
                isinstance(data, dict)
                and str(data.get("version", "")).startswith("https://jsonfeed.org/version/1")
                and isinstance(data.get("items"), list)
            ):
                yield Finding(
                    relative, "not a JSON Feed (expected 'version' https://jsonfeed.org/version/1.1 and 'items')"
                )


def _manifest_problems(output: Path, edition: str) -> Iterable[Finding]:
    path = output / MANIFEST_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        yield Finding(MANIFEST_PATH, "missing (syndication could not tell what this build published)")
        return
    except ValueError as error:
        yield Finding(MANIFEST_PATH, f"not valid JSON ({error})")
        return
    if data.get("edition") != edition:
        yield Finding(MANIFEST_PATH, f"says edition {data.get('edition')!r}, but this is the {edition} edition")


def broken_links(output: Path, files: Iterable[Path], base_url: str) -> Iterable[Finding]:
    """Every href/src in every HTML file that points into the site at a file the build did not write."""
    files = list(files)
    written = {path.relative_to(output).as_posix() for path in files}
    base = urlsplit(base_url)
    base_path = base.path.rstrip("/")
    for path in files:
        if path.suffix != ".html":
            continue
        relative = path.relative_to(output).as_posix()
        try:
            document = lxml.html.fromstring(path.read_bytes())
        except (etree.ParserError, ValueError):
            yield Finding(relative, "not parseable HTML")
            continue
        seen = set()
        for _, attribute, link, _ in document.iterlinks():
            if attribute not in ("href", "src") or link in seen:
                continue
            seen.add(link)
            target = _site_path(link, relative, base.netloc, base_path)
            if target is not None and not _exists(written, target):
                yield Finding(relative, f"links to {link}, which is not in the build")


def _site_path(link: str, page: str, netloc: str, base_path: str) -> str | None:
    """The output path a link points to, or None when it points outside the site."""
    link = link.strip()
    if not link or link.startswith("#"):
        return None
    parts = urlsplit(link)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data:…
    if parts.netloc:
        if parts.netloc != netloc or not (parts.path + "/").startswith(base_path + "/"):
            return None
        path = parts.path[len(base_path) :]
    elif parts.path.startswith("/"):
        path = parts.path[len(base_path) :] if base_path and parts.path.startswith(base_path + "/") else parts.path
    else:
        path = posixpath.join(posixpath.dirname("/" + page), parts.path) if parts.path else "/" + page
    return unquote(path)


def _exists(written: set[str], site_path: str) -> bool:
    """Whether a web server would find `site_path` among the files written (a folder means its index.html)."""
    normalized = posixpath.normpath(site_path).lstrip("/")
    if normalized.startswith(".."):
        return False
    index = f"{normalized}/index.html" if normalized not in ("", ".") else "index.html"
    if site_path.endswith("/"):
        return index in written
    return normalized in written or index in written
