"""The one way an image or download reaches the output: as its published copy (published_images.py), never as the
file was committed, whether Pelican copies it, links it (STATIC_CREATE_LINKS) or skips it as up to date
(STATIC_CHECK_IF_MODIFIED).

Everything that publishes or serves a static file reads it from the output (`invoke serve` and livereload, the
deploy targets and verify, the syndication channels' images, the feeds' enclosures), so this is the one place
the clean copy is made. Pelican's StaticGenerator has no hook for how it writes a file: its two methods that decide
are wrapped on the generator as it is made. A file with nothing to drop is still Pelican's to copy or link (same
bytes); one with something to drop is written as its clean copy, with its source's times as Pelican's copy keeps
them. A file is skipped as up to date only when the output already holds its published copy: a link to an
unclean source, or a copy an older build left, is written again.

Only a raster image has a published copy that can differ from its file (RASTER_IMAGES): every other file (a PDF,
a video, a zip) is left to Pelican to copy, link or skip exactly as it would, and never read here. An image's
output is compared by its size first, which tells most stale copies apart without reading either file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.model.publishable_files import file_verdict
from newsroom.model.published_images import RASTER_IMAGES, ImageRefused, published_copy

# The StaticGenerator methods wrapped (Pelican 4.x); a Pelican without them stops the build rather than publish
# files as they are.
WRAPPED = ("_link_or_copy_staticfile", "_file_update_required")


class StaticCopyFailed(NewsroomError):
    """An image cannot be published (the checks refuse it first; this holds the rule where files are written)."""


def write_published_copies(generator) -> None:
    """static_generator_init: make `generator` write each image or download as its published copy."""
    missing = [name for name in WRAPPED if not callable(getattr(generator, name, None))]
    if missing:
        raise StaticCopyFailed(
            f"this Pelican's StaticGenerator has no {', '.join(missing)}: the newsroom cannot make it publish images "
            "without their metadata (expected the Pelican version in requirements.txt)"
        )
    pelican_copy, pelican_required = generator._link_or_copy_staticfile, generator._file_update_required
    generator._link_or_copy_staticfile = lambda static: (
        _write(generator, static, pelican_copy) if _is_raster_image(static) else pelican_copy(static)
    )
    generator._file_update_required = lambda static: (
        pelican_required(static) or (_is_raster_image(static) and not _holds_published_copy(generator, static))
    )


def _is_raster_image(static) -> bool:
    """Whether the file has a published copy of its own (published_images.py); any other file is Pelican's."""
    return Path(static.source_path).suffix.lower() in RASTER_IMAGES


def _paths(generator, static) -> tuple[Path, Path]:
    return Path(generator.path, static.source_path), Path(generator.output_path, static.save_as)


def _verdict(source: Path):
    verdict = file_verdict(source)
    if verdict.problems:
        raise StaticCopyFailed(f"{source}: {verdict.problems[0]}")
    return verdict


def _published(source: Path):
    try:
        return published_copy(source)
    except ImageRefused as refusal:
        raise StaticCopyFailed(f"{source}: {refusal}") from None


def _write(generator, static, pelican_copy) -> None:
    source, target = _paths(generator, static)
    if not _verdict(source).dropped:  # remembered: an image with nothing to drop is not read here at all
        pelican_copy(static)
        return
    published = _published(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Renamed into place: the target may be a link to the source left by STATIC_CREATE_LINKS, which writing
    # through would change the committed file.
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temporary.write_bytes(published.data)
        times = source.stat()
        os.utime(temporary, ns=(times.st_atime_ns, times.st_mtime_ns))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _holds_published_copy(generator, static) -> bool:
    source, target = _paths(generator, static)
    if not target.is_file():
        return False
    # The size first (remembered for the source): a copy of another length is stale without reading either file.
    if target.stat().st_size != _verdict(source).published_size:
        return False
    return target.read_bytes() == _published(source).data
