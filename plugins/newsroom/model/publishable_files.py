"""The one allowlist of images and downloads: only kinds of file a browser shows or saves, never one it runs.

A file under content/images or content/downloads is served from the newsroom's own address. Opened on its own,
an HTML page, a script, XML naming XHTML or an SVG with a <script> would run there with the newsroom's authority
(reading and rewriting any page of it a reader has open), and the Content-Security-Policy of the pages does not
travel with such a file. So a file is published only if its kind is listed below, its first bytes are that kind's
(a page saved as `photo.png` is not a photo), and an SVG is a plain drawing (svg_drawing.py).

A file checked out as a Git LFS pointer (lfs_pointers.py) is refused whatever its kind: its bytes are three lines
of text, not the file.

What a file holds beside what it shows is the other half: a raster image's published copy keeps only its pixels
and what a browser needs to draw them (published_images.py), so an image whose structure cannot be walked is
refused here; and an Office document still holding comments or tracked changes is refused (office_documents.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsroom.model.file_verdicts import VERDICTS, FileVerdict
from newsroom.model.lfs_pointers import POINTER_START, pointer_problem
from newsroom.model.office_documents import OFFICE_DOCUMENTS, document_problems
from newsroom.model.published_images import RASTER_IMAGES, ImageRefused, published_image
from newsroom.model.svg_drawing import SVG_SUFFIX, drawing_problems


@dataclass(frozen=True)
class Kind:
    """One kind of file the newsroom publishes, and how its first bytes begin ((offset, bytes), any of them)."""

    name: str
    signatures: tuple[tuple[int, bytes], ...] = ()  # none: text, checked by its name only


_ZIP = ((0, b"PK\x03\x04"),)  # Office Open XML, OpenDocument and EPUB files are zip archives
_OLE = ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),)  # the older Word, Excel and PowerPoint files
_ISO_MEDIA = ((4, b"ftyp"),)

KINDS: dict[str, Kind] = {
    # images
    ".png": Kind("PNG image", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ".jpg": Kind("JPEG image", ((0, b"\xff\xd8\xff"),)),
    ".jpeg": Kind("JPEG image", ((0, b"\xff\xd8\xff"),)),
    ".gif": Kind("GIF image", ((0, b"GIF87a"), (0, b"GIF89a"))),
    ".webp": Kind("WebP image", ((8, b"WEBP"),)),
    ".avif": Kind("AVIF image", _ISO_MEDIA),
    SVG_SUFFIX: Kind("SVG drawing"),  # text, read whole by svg_drawing.py
    # documents
    ".pdf": Kind("PDF document", ((0, b"%PDF-"),)),
    ".txt": Kind("text file"),
    ".csv": Kind("CSV table"),
    ".ics": Kind("calendar file"),
    ".vcf": Kind("contact card"),
    ".zip": Kind("zip archive", _ZIP),
    ".docx": Kind("Word document", _ZIP),
    ".xlsx": Kind("Excel workbook", _ZIP),
    ".pptx": Kind("PowerPoint presentation", _ZIP),
    ".odt": Kind("OpenDocument text", _ZIP),
    ".ods": Kind("OpenDocument spreadsheet", _ZIP),
    ".odp": Kind("OpenDocument presentation", _ZIP),
    ".doc": Kind("Word document", _OLE),
    ".xls": Kind("Excel workbook", _OLE),
    ".ppt": Kind("PowerPoint presentation", _OLE),
    # audio and video
    ".mp4": Kind("MP4 video", _ISO_MEDIA),
    ".m4a": Kind("MP4 audio", _ISO_MEDIA),
    ".mov": Kind("QuickTime video", _ISO_MEDIA),
    ".webm": Kind("WebM video", ((0, b"\x1a\x45\xdf\xa3"),)),
    ".mp3": Kind("MP3 audio", ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2"))),
}
# What a post's lead image may be: a picture every browser shows in an <img>.
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", SVG_SUFFIX})
# How many first bytes `problems` needs for every kind but SVG (which it reads whole): a kind's signature, and
# enough to tell a Git LFS pointer.
SIGNATURE_BYTES = max(
    len(POINTER_START), *(offset + len(magic) for kind in KINDS.values() for offset, magic in kind.signatures)
)


def suffix_of(name: str) -> str:
    """The extension a web server chooses the Content-Type by: the last one, in lower case ("" if none)."""
    base = name.rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def reads_whole(name: str) -> bool:
    """True when `problems` needs the whole file rather than its first SIGNATURE_BYTES: an SVG, and a raster image
    (its structure is walked)."""
    suffix = suffix_of(name)
    return suffix == SVG_SUFFIX or suffix in RASTER_IMAGES


def problems_of_file(path: Path, *, published: bool = False) -> list[str]:
    """`problems` for a file on disk, reading no more of it than they need (a video is not read whole; an Office
    document is read as a zip, part by part), and each version of a file at most once (file_verdicts.py).
    `published`: the file is the site's copy of an image, which must hold nothing its published copy drops
    (published_images.py)."""
    verdict = file_verdict(path)
    if not verdict.problems and published and verdict.dropped:
        return [
            f"holds {', '.join(verdict.dropped)}, which the site's copy of an image does not keep (expected the "
            "build's copy: build the site again with `invoke build` or `invoke preview`)"
        ]
    return list(verdict.problems)


def file_verdict(path: Path) -> FileVerdict:
    """What the file at `path` is for publishing: its problems, what its published copy drops and its length."""
    return VERDICTS.verdict(path, _walk)


def _walk(path: Path) -> FileVerdict:
    """Read the file once, no more of it than needed, and a raster image's structure once."""
    with path.open("rb") as file:
        data = file.read() if reads_whole(path.name) else file.read(SIGNATURE_BYTES)
    suffix = suffix_of(path.name)
    found = problems(path.name, data)
    if not found and suffix in OFFICE_DOCUMENTS:
        found = document_problems(path)
    if found or suffix not in RASTER_IMAGES:
        return FileVerdict(tuple(found), (), path.stat().st_size)
    try:
        copy = published_image(suffix, data)
    except ImageRefused as refusal:
        return FileVerdict((str(refusal),), (), len(data))
    return FileVerdict((), copy.dropped, len(copy.data))


def problems(name: str, data: bytes) -> list[str]:
    """Why the file `name` may not be published, given its bytes (all of them when `reads_whole`, else at least
    the first SIGNATURE_BYTES): its kind, a Git LFS pointer in its place, its first bytes, an SVG's drawing; empty
    when it may. A raster image's
    structure and an Office document's contents are `problems_of_file`'s."""
    suffix = suffix_of(name)
    kind = KINDS.get(suffix)
    if kind is None:
        shown = f"a {suffix!r} file" if suffix else "a file without an extension"
        return [
            f"{shown} is not published: a browser could run it from the newsroom's address (expected one of: "
            f"{', '.join(sorted(KINDS))}; to offer another kind of file, put it in a .zip)"
        ]
    if (pointer := pointer_problem(data)) is not None:
        return [pointer]
    if suffix == SVG_SUFFIX:
        return drawing_problems(data)
    if kind.signatures and not any(data[offset : offset + len(magic)] == magic for offset, magic in kind.signatures):
        return [
            f"is not a {kind.name} (it begins {data[:12]!r}; expected a file whose contents match its "
            f"{suffix!r} extension: save or export it again as a {kind.name})"
        ]
    return []
