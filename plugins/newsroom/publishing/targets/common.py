"""What every deploy target shares: the files to deploy, their content types and cache headers, and the
contract (`deploy(deployment) -> DeployReport`)."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from newsroom.kit.errors import NewsroomError
from newsroom.model.feed_catalogue import FEEDS_DIR
from newsroom.publishing.config import TargetConfig
from newsroom.search.index import BUNDLE_DIR

# Short for what changes when news breaks (pages, listings, feeds): a reader or CDN sees a lifted embargo
# within a minute. Long for files whose name changes with their content: they can never be stale.
CACHE_DOCUMENT = "public, max-age=60"
CACHE_ASSET = "public, max-age=3600"
CACHE_FINGERPRINTED = "public, max-age=31536000, immutable"
# A content hash in the name, e.g. `chart.3f9a2b7c1d.svg`; at least one a-f letter, so that a date such as
# `report-20261029.pdf` is not mistaken for one (a mistake would cache a file for a year).
FINGERPRINT = re.compile(r"[._-](?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\.[A-Za-z0-9_.]+$")
# Pagefind names every index file by its hash, which can be all digits (`en_3141592.pf_fragment`): in the
# search bundle these kinds of file are fingerprinted whatever their hash looks like.
PAGEFIND_HASHED = re.compile(r"_[0-9a-f]{7,64}\.pf_(?:fragment|index|filter|meta)$")

TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + TEXT,
    ".opml": "text/x-opml" + TEXT,
    ".xml": "application/xml" + TEXT,
    ".json": "application/json" + TEXT,
    ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".mjs": "text/javascript" + TEXT,
    ".txt": "text/plain" + TEXT,
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}
DOCUMENT_SUFFIXES = (".html", ".xml", ".json", ".opml", ".txt")
DERIVED = (f"{BUNDLE_DIR}/",)  # rebuilt from the pages at every build (the search index)


class TargetError(NewsroomError):
    """A deploy failed; the message is one line a person can act on. It never puts a secret in, and the publish
    redacts the target's secrets from it before showing it (a server's message may echo one back)."""


@dataclass(frozen=True)
class OutputFile:
    """A file of the built site as a target sees it."""

    path: str  # relative to the output folder, with forward slashes
    size: int
    md5: str  # what S3 reports as the ETag of a single-part upload
    sha256: str

    @property
    def content_type(self) -> str:
        return content_type(self.path)

    @property
    def cache_control(self) -> str:
        return cache_control(self.path)

    @property
    def is_document(self) -> bool:
        return self.path.endswith(DOCUMENT_SUFFIXES)


def is_private(relative: str) -> bool:
    """Dotfiles and dot-folders (`.newsroom/manifest.json`, `.well-known/…` put there by hand) are never
    deployed, and never deleted from a target either: they are not the build's to manage."""
    return any(part.startswith(".") for part in PurePosixPath(relative).parts)


def deployable_files(output: Path) -> tuple[OutputFile, ...]:
    """Every file of the built site that goes to a target, sorted by path."""
    output = Path(output)
    files = []
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if not path.is_file() or is_private(relative):
            continue
        data = path.read_bytes()
        files.append(OutputFile(relative, len(data), hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest()))
    return tuple(files)


def verified_bytes(output: Path, file: OutputFile, where: str) -> bytes:
    """`file`'s bytes, read once, as verify hashed them; TargetError if they are not (the file changed on this disk
    since: nothing unverified is ever sent)."""
    data = (output / file.path).read_bytes()
    if hashlib.sha256(data).hexdigest() != file.sha256:
        raise TargetError(
            f"{where}: {file.path} changed since the build was verified, so it was not sent; run `invoke publish` "
            "again (and let nothing else write the output folder while it runs)"
        )
    return data


def site_digest(files: Iterable[OutputFile]) -> str:
    """One hash for the whole deployable site: equal digests, identical sites."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.path):
        digest.update(f"{file.path}\0{file.sha256}\n".encode())
    return digest.hexdigest()


def is_derived(relative: str) -> bool:
    """Derived from the pages by a tool whose bytes differ from build to build (Pagefind's index orders its
    filters anew each time): the index deployed with the same pages is as good as a new one."""
    return relative.startswith(DERIVED)


def content_digest(files: Iterable[OutputFile]) -> str:
    """The digest of what readers see: every file but the derived ones."""
    return site_digest(file for file in files if not is_derived(file.path))


def content_type(relative: str) -> str:
    """The Content-Type a browser and a feed reader expect for this file."""
    name = PurePosixPath(relative).name
    if name.endswith(".rss.xml"):
        return "application/rss+xml" + TEXT
    if name.endswith(".atom.xml"):
        return "application/atom+xml" + TEXT
    if name.endswith(".json") and relative.startswith(f"{FEEDS_DIR}/"):
        return "application/feed+json" + TEXT
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def cache_control(relative: str) -> str:
    """Short for pages and feeds, long and immutable for fingerprinted assets, an hour for the rest."""
    if relative.endswith(DOCUMENT_SUFFIXES):
        return CACHE_DOCUMENT
    name = PurePosixPath(relative).name
    if FINGERPRINT.search(name) or (relative.startswith(DERIVED) and PAGEFIND_HASHED.search(name)):
        return CACHE_FINGERPRINTED
    return CACHE_ASSET


def upload_order(files: Iterable[OutputFile]) -> list[OutputFile]:
    """Assets before the pages and feeds that refer to them, so a reader never meets a link to a file that
    is not there yet."""
    return sorted(files, key=lambda f: (f.is_document, f.path == "index.html", f.path))


@dataclass(frozen=True)
class Deployment:
    """What a target is asked to make live: a verified build, what the last deploy there recorded, and
    whether to send everything whatever the target holds."""

    edition: str
    output: Path
    files: tuple[OutputFile, ...]
    digest: str  # content_digest(files)
    last: Mapping = field(default_factory=dict)  # the record of the last deploy to this target ({} if none)
    force: bool = False


@dataclass(frozen=True)
class DeployReport:
    """What a target did, or would do in a dry run. `record` is what the next deploy to this target starts from."""

    destination: str
    uploaded: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    note: str = ""
    record: Mapping = field(default_factory=dict)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.uploaded or self.deleted)

    def lines(self) -> list[str]:
        sent, removed = ("would upload", "would delete") if self.dry_run else ("uploaded", "deleted ")
        shown = [
            *(f"  {sent} {path}" for path in self.uploaded[:20]),
            *(f"  {removed} {path}" for path in self.deleted),
        ]
        if len(self.uploaded) > 20:
            shown.insert(20, f"  … and {len(self.uploaded) - 20} more {'to upload' if self.dry_run else 'uploaded'}")
        counts = f"{len(self.uploaded)} uploaded, {len(self.deleted)} deleted, {self.unchanged} unchanged"
        if self.dry_run:
            counts = f"would be {counts} (dry run: nothing was changed)"
        summary = f"{self.destination}: {counts}"
        return [summary + (f" ({self.note})" if self.note else ""), *shown]


class Target(ABC):
    """One kind of place a site can be deployed to. Subclasses describe themselves with class attributes."""

    type_name: str = ""
    options: Mapping = MappingProxyType({})  # setting name -> config.Option
    credentials: Mapping = MappingProxyType({})  # secret role -> what it is
    # Environment variables the target's own library reads when no credentials are configured (the CI's ambient
    # credentials): never named in the settings, they are secrets all the same, and redacted like the others.
    ambient_credentials: tuple[str, ...] = ()
    public_only: bool = False  # True: everything it serves is public (never the intranet edition)
    # Set when the site is made live by a CI workflow's own steps, which it names, rather than by `deploy` (which
    # then only prepares the site for them): a publish is then two runs around those steps, `--until deploy` and
    # `--after deploy`, and the second records the prepared build as live.
    made_live_by: str = ""

    def __init__(self, config: TargetConfig, project: Path, secrets: Mapping[str, str]):
        self.config = config
        self.settings = config.options
        self.project = Path(project)
        self.secrets = secrets

    @classmethod
    def check(cls, options: Mapping) -> list[str]:
        """Problems with option values beyond their types, as 'key: message' lines."""
        return []

    @classmethod
    @abstractmethod
    def destination(cls, options: Mapping) -> str:
        """Where this target puts the site, as a URL-like string (for reports and overlap checks)."""

    @classmethod
    def identity(cls, options: Mapping) -> str:
        """Everything that tells this target from any other (the key of its deploy record): two settings
        with the same identity deploy to the same place."""
        return cls.destination(options)

    @property
    def where(self) -> str:
        return self.destination(self.settings)

    @abstractmethod
    def deploy(self, deployment: Deployment, dry_run: bool = False) -> DeployReport:
        """Make the target hold exactly `deployment.files` (`dry_run`: only say what that would take);
        raise TargetError on failure."""
