"""What a published image keeps: its pixels and what a browser needs to draw them, nothing else.

A photo carries more than it shows: where it was taken (EXIF GPS), who took it and with what camera, a thumbnail
of the uncropped original, the editor's history (XMP), captions (IPTC), comments (a JPEG's COM, a PNG's text
chunks, a GIF's comment blocks). The file in git stays as its author committed it; the site gets a copy that keeps,
for each format, only the parts named in the allowlists below (a part not named, known or not, is dropped), each
copied byte for byte up to the end of the fields its format defines (bytes after them, which no browser reads,
are dropped; the colour profile is kept whole): nothing is decoded or encoded again, so the pixels are exactly
the author's. Only the container is walked (chunk and segment headers; a JPEG's compressed data is searched for
its next marker, never decoded), and a file with nothing to drop is published as it is, same bytes.

A phone stores a photo sideways and says so in its EXIF (Orientation): that one tag is kept, in an EXIF of its
own, or the photo would show on its side. An AVIF holding Exif or XMP is refused rather than rewritten (its
items are found by offsets that would all move), and so is any image whose structure cannot be walked.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsroom.kit.errors import NewsroomError


class ImageRefused(NewsroomError):
    """The image cannot be published: the message says why and what to do, as a checks line does."""


@dataclass(frozen=True)
class Published:
    """The copy of an image the site gets, and the names of what was dropped from it (none: the same bytes)."""

    data: bytes
    dropped: tuple[str, ...] = ()


def published_image(suffix: str, data: bytes) -> Published:
    """The copy of an image (by its lower-case extension) that the site publishes; any other file as it is.
    Raises ImageRefused for an image that cannot be published."""
    walk = _WALKERS.get(suffix)
    if walk is None:
        return Published(data)
    try:
        parts, dropped = walk(data)
    except _Unwalkable as error:
        raise _unreadable(suffix, str(error)) from None
    except IndexError:  # a field read where the file had already ended
        raise _unreadable(suffix, "a header is cut short") from None
    if not dropped:
        return Published(data)
    return Published(b"".join(parts), tuple(dict.fromkeys(dropped)))


def published_copy(path: Path) -> Published:
    """The bytes the site publishes for the image or download at `path` (read whole: it is about to be copied)."""
    return published_image(path.suffix.lower(), path.read_bytes())


def _unreadable(suffix: str, detail: str) -> ImageRefused:
    return ImageRefused(
        f"cannot be read as {_KIND_NAMES[suffix]}: {detail} (expected a complete image: export it again from an "
        "image editor)"
    )


class _Unwalkable(NewsroomError):
    """The file's structure ends or overruns where its headers say it does not."""


Parts = tuple[list[bytes], list[str]]  # what is kept, in order, and the names of what was dropped


# --- EXIF: only the Orientation -------------------------------------------------------------------------------

ORIENTATION_TAG = 0x0112


def exif_orientation(tiff: bytes) -> int:
    """The Orientation (1 to 8) in an EXIF's TIFF structure; 1, upright, when it has none or cannot be read."""
    order = {b"II*\0": "little", b"MM\0*": "big"}.get(tiff[:4])
    if order is None or len(tiff) < 8:
        return 1
    ifd = int.from_bytes(tiff[4:8], order)
    count = int.from_bytes(tiff[ifd : ifd + 2], order) if ifd + 2 <= len(tiff) else 0
    for entry in range(ifd + 2, ifd + 2 + 12 * count, 12):
        if entry + 12 > len(tiff):
            break
        if int.from_bytes(tiff[entry : entry + 2], order) == ORIENTATION_TAG:
            value = int.from_bytes(tiff[entry + 8 : entry + 10], order)
            return value if 1 <= value <= 8 else 1
    return 1


def orientation_only(orientation: int) -> bytes:
    """An EXIF TIFF structure holding the Orientation alone (big-endian, one IFD of one SHORT)."""
    entry = ORIENTATION_TAG.to_bytes(2, "big") + b"\0\x03" + (1).to_bytes(4, "big") + orientation.to_bytes(2, "big")
    return b"MM\0*" + (8).to_bytes(4, "big") + b"\0\x01" + entry + b"\0\0" + b"\0\0\0\0"  # no next IFD


def _kept_exif(tiff: bytes) -> bytes | None:
    """The EXIF a published image keeps in place of `tiff`: the Orientation alone, or none when it is upright."""
    orientation = exif_orientation(tiff)
    return orientation_only(orientation) if orientation != 1 else None


# --- JPEG -----------------------------------------------------------------------------------------------------

_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and the restart markers: no length follows
# What decoding needs: frame headers (SOF0-15 but DHT, JPG and DAC), Huffman and arithmetic tables, quantisation
# tables, restart interval, number of lines, hierarchical progression and expansion.
_JPEG_CODING = frozenset({*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD, 0xDE, 0xDF}) - {0xC8}
# Application segments kept, by the signature their data begins with: JFIF (its thumbnail is removed), the colour
# profile and Adobe's colour transform. EXIF becomes its Orientation alone.
_JPEG_APP_KEPT = ((0xE2, b"ICC_PROFILE\0"), (0xEE, b"Adobe"))
_JFIF = b"JFIF\0"
_JFIF_WITHOUT_THUMBNAIL = 14  # "JFIF\0", version, units, densities, and a 0 x 0 thumbnail
_EXIF = b"Exif\0\0"
_JPEG_NAMES = {0xE1: "EXIF or XMP", 0xED: "IPTC (Photoshop)", 0xFE: "a comment", 0xE2: "multi-picture data"}
_FILL_BYTES = re.compile(rb"\xff+")  # matched where a run begins: it reads the run once, going back over nothing
_JPEG_SCAN_DATA = frozenset({0x00, *range(0xD0, 0xD8)})  # FF 00 is a stuffed FF, FF D0-D7 a restart: both data


def jpeg_scan_end(data: bytes, start: int) -> int | None:
    """Where the compressed data of a JPEG scan that begins at `start` ends: at the first run of FF (fill bytes)
    followed by a marker that is not data; None when the file ends first. Each byte is looked at once: a run of
    fill bytes is skipped whole, however long, never searched again from each of its bytes."""
    position = data.find(b"\xff", start)
    while position != -1:
        after = _FILL_BYTES.match(data, position).end()
        if after == len(data):
            return None
        if data[after] not in _JPEG_SCAN_DATA:
            return position
        position = data.find(b"\xff", after + 1)
    return None


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC} | {0xDE}  # SOFn and DHP: one layout
_ADOBE_FIELDS = 12  # "Adobe", version, two flag words, colour transform


def _jpeg_fields(marker: int, payload: bytes) -> int:
    """How many bytes of a kept segment's payload its fields take (ITU T.81 B.2, Adobe's APP14): the rest is none
    of the image. A field read where the payload has ended raises IndexError (refused as a header cut short)."""
    if marker in _JPEG_FRAMES:
        return 6 + 3 * payload[5]  # precision, height, width, components, 3 bytes for each
    if marker == 0xDA:
        return 1 + 2 * payload[0] + 3  # components, 2 bytes for each, spectral selection and approximation
    if marker == 0xDB:  # quantisation tables, 64 values of one or two bytes each
        return _tables_end(payload, lambda at: 1 + 64 * (2 if payload[at] >> 4 else 1))
    if marker == 0xC4:  # Huffman tables: class and id, 16 counts, then the values counted
        return _tables_end(payload, lambda at: 17 + sum(payload[at + 1 : at + 17]))
    if marker == 0xCC:
        return len(payload) - len(payload) % 2  # arithmetic conditioning: two bytes a table
    if marker in (0xDC, 0xDD):
        return 2  # number of lines, restart interval
    if marker == 0xDF:
        return 1  # expansion
    if marker == 0xEE:
        return _ADOBE_FIELDS
    return len(payload)  # the colour profile, kept whole


def _tables_end(payload: bytes, table_length: Callable[[int], int]) -> int:
    """Where the last whole table of a segment holding tables one after another ends."""
    at = 0
    while at < len(payload) and at + table_length(at) <= len(payload):
        at += table_length(at)
    return at


def _within_fields(marker: int, payload: bytes) -> tuple[bytes, str | None]:
    fields = _jpeg_fields(marker, payload)
    if fields >= len(payload):
        return payload, None
    return payload[:fields], f"data after the fields of its {marker:#04x} segment"


def _jpeg_segment(marker: int, payload: bytes) -> tuple[bytes | None, str | None]:
    """(the payload kept, or None) and the name of what was dropped (None when nothing was)."""
    if marker in _JPEG_CODING:
        return _within_fields(marker, payload)
    if marker == 0xE0 and payload.startswith(_JFIF):
        if len(payload) <= _JFIF_WITHOUT_THUMBNAIL:
            return payload, None
        return payload[: _JFIF_WITHOUT_THUMBNAIL - 2] + b"\0\0", "the JFIF thumbnail"
    if any(marker == app and payload.startswith(signature) for app, signature in _JPEG_APP_KEPT):
        return _within_fields(marker, payload)
    if marker == 0xE1 and payload.startswith(_EXIF):
        kept = _kept_exif(payload[len(_EXIF) :])
        if kept is not None and payload == _EXIF + kept:
            return payload, None
        return (_EXIF + kept if kept else None), "EXIF"
    return None, _JPEG_NAMES.get(marker, f"APP{marker - 0xE0} data" if 0xE0 <= marker <= 0xEF else f"{marker:#04x}")


def _jpeg(data: bytes) -> Parts:
    if data[:2] != b"\xff\xd8":
        raise _Unwalkable("it does not begin with a JPEG start marker")
    kept, dropped = [data[:2]], []
    position = 2
    while True:
        if position >= len(data) or data[position] != 0xFF:
            raise _Unwalkable(f"byte {position} is not a marker (the file is cut short or damaged)")
        position = _FILL_BYTES.match(data, position).end()
        if position >= len(data):
            raise _Unwalkable("it ends before its end marker")
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image: whatever follows is no part of it
            kept.append(b"\xff\xd9")
            if position < len(data):
                dropped.append("data after the image's end")
            return kept, dropped
        if marker in _JPEG_STANDALONE:
            kept.append(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            raise _Unwalkable(f"its segment at byte {position - 2} runs past the end of the file")
        payload, end = data[position + 2 : position + length], position + length
        if marker == 0xDA:  # start of scan: the compressed data runs to the next marker
            found = jpeg_scan_end(data, end)
            if found is None:
                raise _Unwalkable("it ends inside its compressed data, before its end marker")
            header, name = _within_fields(marker, payload)
            if name:
                dropped.append(name)
                kept.append(bytes((0xFF, marker)) + (len(header) + 2).to_bytes(2, "big") + header + data[end:found])
            else:
                kept.append(data[position - 2 : found])
            position = found
            continue
        payload_kept, name = _jpeg_segment(marker, payload)
        if name:
            dropped.append(name)
        if payload_kept is payload:
            kept.append(data[position - 2 : end])
        elif payload_kept is not None:
            kept.append(bytes((0xFF, marker)) + (len(payload_kept) + 2).to_bytes(2, "big") + payload_kept)
        position = end


# --- PNG ------------------------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The image, its colours and how it is drawn: header, palette, data, end; transparency, gamma, chromaticities,
# sRGB, the colour profile, significant bits, background, pixel size, coding-independent code points and HDR
# levels; and APNG's animation control, frame control and frame data.
_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs"}
    | {b"cICP", b"mDCV", b"cLLI", b"acTL", b"fcTL", b"fdAT"}
)


# How long each kept chunk's fields are: exact where the specification fixes the length, by colour type for three
# (greyscale 0, truecolour 2, indexed 3, greyscale and alpha 4, truecolour and alpha 6), a bound for the palette
# and an indexed image's transparency. The image data, the colour profile and APNG's frame data have no fixed length.
_PNG_FIELDS = {
    b"IHDR": 13,
    b"IEND": 0,
    b"PLTE": 3 * 256,
    b"gAMA": 4,
    b"cHRM": 32,
    b"sRGB": 1,
    b"pHYs": 9,
    b"cICP": 4,
    b"mDCV": 24,
    b"cLLI": 8,
    b"acTL": 8,
    b"fcTL": 26,
}
_PNG_FIELDS_BY_COLOUR = {
    b"sBIT": {0: 1, 2: 3, 3: 3, 4: 2, 6: 4},
    b"bKGD": {0: 2, 2: 6, 3: 1, 4: 2, 6: 6},
    b"tRNS": {0: 2, 2: 6, 3: 256},  # none with an alpha channel
}


def _png_fields(kind: bytes, colour_type: int) -> int | None:
    """How many bytes a kept chunk's fields take at most; None when its length is the data's own."""
    if kind in _PNG_FIELDS_BY_COLOUR:
        return _PNG_FIELDS_BY_COLOUR[kind].get(colour_type, 0)
    return _PNG_FIELDS.get(kind)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + kind + payload + zlib.crc32(kind + payload).to_bytes(4, "big")


def _png(data: bytes) -> Parts:
    if not data.startswith(_PNG_SIGNATURE):
        raise _Unwalkable("it does not begin with the PNG signature")
    kept, dropped = [_PNG_SIGNATURE], []
    position = len(_PNG_SIGNATURE)
    colour_type = data[position + 17] if data[position + 4 : position + 8] == b"IHDR" else None
    while True:
        if position + 12 > len(data):
            raise _Unwalkable("it ends before its IEND chunk")
        length, kind = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise _Unwalkable(f"its {kind.decode('latin-1')!r} chunk at byte {position} runs past the end of the file")
        fields = _png_fields(kind, colour_type)
        if kind in _PNG_KEPT and fields is not None and length > fields:
            kept.append(_png_chunk(kind, data[position + 8 : position + 8 + fields]))
            dropped.append(f"data after the fields of its {kind.decode('latin-1')!r} chunk")
        elif kind in _PNG_KEPT:
            kept.append(data[position:end])
        elif kind == b"eXIf":
            exif = _kept_exif(data[position + 8 : end - 4])
            if exif is not None and data[position + 8 : end - 4] == exif:
                kept.append(data[position:end])
            else:
                kept += [_png_chunk(kind, exif)] if exif else []
                dropped.append("EXIF")
        else:
            dropped.append(f"a {kind.decode('latin-1')!r} chunk")
        position = end
        if kind == b"IEND":
            if position < len(data):
                dropped.append("data after the image's end")
            return kept, dropped


# --- GIF ------------------------------------------------------------------------------------------------------

# The extensions kept, by label and (for an application extension) its name, with the length of each sub-block a
# browser reads: the graphic control (delay, disposal, transparency) and NETSCAPE2.0, the one application
# extension a browser reads (its name, then 1 and how often to loop). Sub-blocks are cut to those lengths and any
# after them dropped; every other extension is dropped (comments, the plain text no browser draws, XMP...).
_GIF_KEPT = {(0xF9, b""): (4,), (0xFF, b"NETSCAPE2.0"): (11, 3)}


def _colour_table(flags: int) -> int:
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


def _sub_blocks_end(data: bytes, position: int) -> int:
    while True:
        if position >= len(data):
            raise _Unwalkable("it ends inside a block, before its trailer")
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def _sub_blocks(data: bytes, position: int) -> tuple[list[bytes], int]:
    """The data sub-blocks of an extension from `position` on, and where their terminator ends."""
    end = _sub_blocks_end(data, position)
    blocks = []
    while position < end - 1:
        blocks.append(data[position + 1 : position + 1 + data[position]])
        position += 1 + data[position]
    return blocks, end


def _gif_extension(label: int, blocks: list[bytes]) -> bytes | None:
    """The extension a published GIF keeps in place of this one, cut to the sub-blocks a browser reads; None."""
    name = blocks[0] if label == 0xFF and blocks else b""
    lengths = _GIF_KEPT.get((label, name))
    if lengths is None:
        return None
    kept = [block[:length] for block, length in zip(blocks, lengths, strict=False)]
    return bytes((0x21, label)) + b"".join(bytes((len(block),)) + block for block in kept) + b"\0"


def _gif(data: bytes) -> Parts:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise _Unwalkable("it does not begin with a GIF header")
    position = 13 + _colour_table(data[10])
    kept, dropped = [data[:position]], []
    while True:
        if position >= len(data):
            raise _Unwalkable("it ends before its trailer")
        block = data[position]
        if block == 0x3B:
            kept.append(b";")
            if position + 1 < len(data):
                dropped.append("data after the image's end")
            return kept, dropped
        if block == 0x2C:  # an image: descriptor, its colours, the LZW code size, then the data
            if position + 11 > len(data):
                raise _Unwalkable(f"its image at byte {position} runs past the end of the file")
            end = _sub_blocks_end(data, position + 10 + _colour_table(data[position + 9]) + 1)
            kept.append(data[position:end])
        elif block == 0x21 and position + 1 < len(data):
            label = data[position + 1]
            blocks, end = _sub_blocks(data, position + 2)
            extension = _gif_extension(label, blocks)
            if extension == data[position:end]:
                kept.append(data[position:end])
            elif extension is not None:
                kept.append(extension)
                dropped.append(f"data after the fields of its extension {label:#04x}")
            else:
                application = blocks[0] if label == 0xFF and blocks else b""
                names = {
                    0xFE: "a comment",
                    0x01: "plain text",
                    0xFF: f"application data {application.decode('latin-1')!r}",
                }
                dropped.append(names.get(label, f"extension {label:#04x}"))
        else:
            raise _Unwalkable(f"byte {position} begins no block a GIF has")
        if end > len(data):
            raise _Unwalkable(f"its block at byte {position} runs past the end of the file")
        position = end


# --- WebP -----------------------------------------------------------------------------------------------------

_WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
_WEBP_FRAME_KEPT = frozenset({b"ALPH", b"VP8 ", b"VP8L"})  # what an animation frame (ANMF) holds
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04
_ANMF_HEADER = 16  # position, size, duration and flags before the frame's own chunks
_WEBP_FIELDS = {b"VP8X": 10, b"ANIM": 6}  # flags and canvas size; background colour and loop count


def _riff_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "little") + payload + b"\0" * (len(payload) % 2)


def _riff_chunks(data: bytes, position: int, end: int) -> list[tuple[bytes, bytes, bytes]]:
    """(fourcc, payload, the whole chunk) of each chunk from `position` to `end`."""
    found = []
    while position < end:
        if position + 8 > end:
            raise _Unwalkable(f"a chunk header at byte {position} runs past the end of its container")
        kind, size = data[position : position + 4], int.from_bytes(data[position + 4 : position + 8], "little")
        stop = position + 8 + size + size % 2
        if position + 8 + size > end:
            raise _Unwalkable(f"its {kind.decode('latin-1')!r} chunk at byte {position} runs past its container")
        found.append((kind, data[position + 8 : position + 8 + size], data[position : min(stop, end)]))
        position = stop
    return found


def _webp(data: bytes) -> Parts:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _Unwalkable("it does not begin with a RIFF WEBP header")
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise _Unwalkable("its RIFF size runs past the end of the file")
    chunks, dropped, has_exif = [], [], False
    for kind, payload, whole in _riff_chunks(data, 12, end):
        if kind == b"ANMF":
            frame = _riff_chunks(payload, _ANMF_HEADER, len(payload))
            lost = [k for k, _, _ in frame if k not in _WEBP_FRAME_KEPT]
            if lost:
                dropped += [f"a {k.decode('latin-1')!r} chunk" for k in lost]
                payload = payload[:_ANMF_HEADER] + b"".join(w for k, _, w in frame if k in _WEBP_FRAME_KEPT)
                whole = _riff_chunk(kind, payload)
            chunks.append([kind, whole])
        elif kind in _WEBP_FIELDS and len(payload) > _WEBP_FIELDS[kind]:
            chunks.append([kind, _riff_chunk(kind, payload[: _WEBP_FIELDS[kind]])])
            dropped.append(f"data after the fields of its {kind.decode('latin-1')!r} chunk")
        elif kind in _WEBP_KEPT:
            chunks.append([kind, whole])
        elif kind == b"EXIF":
            tiff = payload[len(_EXIF) :] if payload.startswith(_EXIF) else payload
            exif = _kept_exif(tiff)
            if exif is not None and payload == exif:
                chunks.append([kind, whole])
            else:
                chunks += [[kind, _riff_chunk(kind, exif)]] if exif else []
                dropped.append("EXIF")
            has_exif = exif is not None
        else:
            dropped.append("XMP" if kind == b"XMP " else f"a {kind.decode('latin-1')!r} chunk")
    if end < len(data):
        dropped.append("data after the image's end")
    if not dropped:
        return [data], []
    for chunk in chunks:  # the extended header says which of the chunks the file has
        if chunk[0] == b"VP8X" and len(chunk[1]) > 8:
            flags = chunk[1][8] & ~(_VP8X_EXIF | _VP8X_XMP) | (_VP8X_EXIF if has_exif else 0)
            chunk[1] = chunk[1][:8] + bytes((flags,)) + chunk[1][9:]
    body = b"WEBP" + b"".join(whole for _, whole in chunks)
    return [b"RIFF", len(body).to_bytes(4, "little"), body], dropped


# --- AVIF: refused, not rewritten -----------------------------------------------------------------------------

_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def _boxes(data: bytes, position: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, where its content begins, where it ends) of each ISO-BMFF box from `position` to `end`."""
    found = []
    while position < end:
        if position + 8 > end:
            raise _Unwalkable(f"a box header at byte {position} runs past the end of its container")
        size, kind, start = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8], 8
        if size == 1:
            size, start = int.from_bytes(data[position + 8 : position + 16], "big"), 16
        elif size == 0:
            size = end - position
        if size < start or position + size > end:
            raise _Unwalkable(f"its {kind.decode('latin-1')!r} box at byte {position} runs past its container")
        found.append((kind, position + start, position + size))
        position += size
    return found


def _avif_metadata(data: bytes) -> list[str]:
    """Exif and XMP items of an AVIF (and an XMP box beside them)."""
    held = []
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind == b"uuid" and data[start : start + 16] == _XMP_UUID:
            held.append("XMP")
        if kind != b"meta":
            continue
        for child, child_start, child_end in _boxes(data, start + 4, end):  # meta is a full box
            if child != b"iinf":
                continue
            version = data[child_start]
            first = child_start + 4 + (2 if version == 0 else 4)
            for entry, entry_start, entry_end in _boxes(data, first, child_end):
                if entry != b"infe" or data[entry_start] < 2:
                    continue
                type_at = entry_start + 4 + (2 if data[entry_start] == 2 else 4) + 2
                item_type = data[type_at : type_at + 4]
                if item_type == b"Exif":
                    held.append("Exif")
                elif item_type == b"mime" and b"rdf+xml" in data[type_at + 4 : entry_end]:
                    held.append("XMP")
    return held


def _avif(data: bytes) -> Parts:
    held = _avif_metadata(data)
    if held:
        raise ImageRefused(
            f"holds {' and '.join(dict.fromkeys(held))} metadata (where and when it was taken, by whom, its editing "
            "history), which the site cannot remove from an AVIF without encoding it again (expected an AVIF saved "
            "without it, e.g. `avifenc --ignore-exif --ignore-xmp`, or the image as JPEG, PNG or WebP, from which "
            "the site removes it)"
        )
    return [data], []


_WALKERS: dict[str, Callable[[bytes], Parts]] = {
    ".jpg": _jpeg,
    ".jpeg": _jpeg,
    ".png": _png,
    ".gif": _gif,
    ".webp": _webp,
    ".avif": _avif,
}
_KIND_NAMES = {
    ".jpg": "a JPEG image",
    ".jpeg": "a JPEG image",
    ".png": "a PNG image",
    ".gif": "a GIF image",
    ".webp": "a WebP image",
    ".avif": "an AVIF image",
}
# The images whose published copy is made here (an SVG is text, checked whole by svg_drawing.py).
RASTER_IMAGES = frozenset(_WALKERS)
