"""What a build published, as syndication sees it: the manifest the build writes and `invoke syndicate` reads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import IO

from newsroom.kit.errors import NewsroomError
from newsroom.model.real_clock import ahead_of_real_time
from newsroom.syndication.post_words import PostWords

# 2: the manifest records the clock its build was made on. A version 1 manifest does not say, so it is rebuilt
# rather than taken to be on the real clock.
MANIFEST_VERSION = 2
MANIFEST_PATH = ".newsroom/manifest.json"  # inside the build's output folder; deploys leave it out


class ManifestError(NewsroomError, ValueError):
    """The manifest is missing or unreadable; the message says which build to run."""


@dataclass(frozen=True)
class PostImage:
    """The lead image: its public URL, its file in the build output, and its text alternative."""

    url: str
    file: str  # relative to the output folder in the manifest; read_manifest makes it a full path
    alt: str


@dataclass(frozen=True)
class PublishedPost:
    """A post as it is live on the site: everything a channel needs to announce it."""

    id: str
    title: str
    url: str
    summary: str
    published: datetime
    audiences: tuple[str, ...]
    category: str
    tags: tuple[str, ...] = ()
    image: PostImage | None = None
    syndicate: bool = True
    # Custom texts written by the comms team: "" applies to every channel, otherwise a channel name.
    texts: Mapping[str, str] = field(default_factory=dict)
    material: bool = False
    # A newsroom in several languages: the version's language and the Id every version shares. On a site in
    # one language both stay "" (and out of the manifest): every post is in its only language.
    language: str = ""
    shared_id: str = ""
    # What a channel writes around the post, in the version's language (syndication/post_words.py). Never in
    # the manifest: a run gives each post the words of its language as it reads it; until then (and for a post
    # made by hand, such as an alert) they are the default language's.
    words: PostWords = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self):
        if self.words is None:  # frozen: the one way to give a field a default made from another field
            object.__setattr__(self, "words", PostWords(self.category))

    def custom_text(self, channel: str) -> str | None:
        return self.texts.get(channel) or self.texts.get("")


@dataclass(frozen=True)
class Manifest:
    """One build's published posts, oldest first, where its files are, and the clock it was made on."""

    edition: str
    siteurl: str
    output: Path
    posts: tuple[PublishedPost, ...]
    # NEWSROOM_NOW as the build used it; None: the real time when it was built. What the build shows as published
    # (and so what a channel may announce) was decided on this clock.
    clock: datetime | None = None


_POST_FIELDS = tuple(f.name for f in fields(PublishedPost) if f.name != "words")  # words: in memory only
_LANGUAGE_FIELDS = ("language", "shared_id")  # written only when set
_IMAGE_FIELDS = tuple(f.name for f in fields(PostImage))
# Made once: json.dumps with options builds a new encoder on every call, and the manifest has a line per post.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def write_manifest(
    file: IO[str], edition: str, siteurl: str, posts: Iterable[PublishedPost], clock: datetime | None = None
) -> None:
    """Write the manifest into an open text file, as it goes: deterministic (sorted, no build time: the `clock`
    is NEWSROOM_NOW, or null for the real clock), so that rebuilding changes nothing."""
    # One JSON document with one post per line, encoded without an indent so that it runs in C (with one, the
    # encoder is pure Python: a third of the manifest's time at 5,000 posts), and lines keep it greppable.
    written_clock = json.dumps(clock.isoformat() if clock is not None else None)
    file.write(
        f'{{"edition": {json.dumps(edition)}, "siteurl": {json.dumps(siteurl)}, "clock": {written_clock}, '
        f'"version": {MANIFEST_VERSION}, "posts": [\n'
    )
    # By timestamp: comparing datetimes in different zones asks each zone for its offset on every comparison.
    for number, post in enumerate(sorted(posts, key=lambda p: (p.published.timestamp(), p.id))):
        # What dataclasses.asdict(post) gives, without its deep copy of every value (half the manifest's time).
        record = {
            name: getattr(post, name) for name in _POST_FIELDS if name not in _LANGUAGE_FIELDS or getattr(post, name)
        }
        image = post.image
        record["image"] = {name: getattr(image, name) for name in _IMAGE_FIELDS} if image else None
        record["published"] = post.published.isoformat()
        record["texts"] = dict(sorted(post.texts.items()))
        file.write(("," if number else "") + _ENCODER.encode(record) + "\n")
    file.write("]}\n")


def read_manifest(output: Path) -> Manifest:
    """Read the manifest of the build in `output`, or raise ManifestError saying what to do."""
    path = Path(output) / MANIFEST_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: no build manifest (expected a production build first: `invoke preview` or `invoke publish`)"
        ) from None
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: unreadable build manifest ({error}); rebuild the site") from None
    if data.get("version") != MANIFEST_VERSION:
        raise ManifestError(f"{path}: manifest version {data.get('version')!r} (expected {MANIFEST_VERSION}); rebuild")
    try:
        clock = datetime.fromisoformat(data["clock"]) if data["clock"] is not None else None
    except (KeyError, TypeError, ValueError):
        raise ManifestError(
            f"{path}: clock {data.get('clock')!r} is not a time (expected one, or null); rebuild"
        ) from None
    if clock is not None and clock.tzinfo is None:
        raise ManifestError(f"{path}: clock {data['clock']!r} has no time zone (expected one, or null); rebuild")
    return Manifest(
        edition=data["edition"],
        siteurl=data["siteurl"],
        output=Path(output),
        posts=tuple(_post(record, Path(output)) for record in data["posts"]),
        clock=clock,
    )


def on_the_real_clock(manifest: Manifest, *, nothing: str) -> Manifest:
    """The manifest of a build that may be deployed or announced, or ManifestError when its build was made on a
    clock ahead of the real time (a preview's NEWSROOM_NOW): it shows posts whose embargo has not lifted.
    `nothing` says what was not done. A dry run reads any manifest; everything that sends asks this first."""
    problem = ahead_of_real_time(
        f"{manifest.output / MANIFEST_PATH}: the build's clock",
        manifest.clock,
        nothing=nothing,
        fix="a build on the real clock: `invoke preview` with no NEWSROOM_NOW ahead of the real time, or "
        "`invoke publish`",
    )
    if problem:
        raise ManifestError(problem)
    return manifest


def _post(record: Mapping, output: Path) -> PublishedPost:
    image = record.get("image")
    if image:  # in memory, the image file is where this machine can read it
        image = {**image, "file": str(output / image["file"])}
    return PublishedPost(
        id=record["id"],
        title=record["title"],
        url=record["url"],
        summary=record["summary"],
        published=datetime.fromisoformat(record["published"]),
        audiences=tuple(record["audiences"]),
        category=record["category"],
        tags=tuple(record.get("tags", ())),
        image=PostImage(**image) if image else None,
        syndicate=record.get("syndicate", True),
        texts=dict(record.get("texts", {})),
        material=record.get("material", False),
        language=record.get("language", ""),
        shared_id=record.get("shared_id", ""),
    )
