"""What an image hides beside what it shows never reaches the site: where a photo was taken, who took it, the
thumbnail of the uncropped original, an editor's history, a draft's comment. The site gets each image's pixels,
byte for byte, and what a browser needs to draw them; the file in git stays as committed. A damaged image, an AVIF
holding metadata, and an Office document holding comments or tracked changes are refused with one line.

Each image here is made as an attacker (or a careless export) would: by Pillow with metadata, then with more
spliced in by hand where Pillow writes none."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from servers.s3 import CREDENTIALS, S3Server

from conftest import fastest, files_containing
from newsroom.model import file_verdicts, office_documents, published_images
from newsroom.model.dates import parse_timestamp
from newsroom.model.published_images import jpeg_scan_end, published_image
from newsroom.model.settings import load_newsroom
from newsroom.publishing.config import TargetConfig
from newsroom.publishing.targets import TARGET_TYPES, Deployment, content_digest, deployable_files
from newsroom.publishing.verify import verify_output
from refusals import lines_naming, problems, refused_build

SECRETS = (
    b"PLANTSITE",  # a GPS position's place name, as an XMP or IPTC field would give it
    b"JANEDOE",  # the camera owner, artist, copyright holder
    b"UNCROPPED",  # the EXIF thumbnail of the original
    b"DRAFTNOTE",  # a comment or description of a draft
    b"HISTORY",  # the editor's history (XMP DocumentAncestors)
)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b"<rdf:Description photoshop:City='PLANTSITE' xmpMM:DocumentAncestors='HISTORY'/></rdf:RDF></x:xmpmeta>"
)


def picture() -> Image.Image:
    image = Image.new("RGB", (40, 30), (20, 120, 200))
    for x in range(40):
        image.putpixel((x, (x * 7) % 30), (255 - 6 * x, 4 * x, 90))
    return image


def exif_data(orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "JANEDOE"  # Artist
    exif[0x8298] = "JANEDOE 2026"  # Copyright
    exif.get_ifd(0x8825).update({1: "N", 2: (45.0, 12.0, 30.5), 3: "W", 4: (70.0, 15.0, 1.0)})  # GPS
    if orientation:
        exif[0x0112] = orientation
    return exif.tobytes()


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def hiding_jpeg(orientation: int | None = None) -> bytes:
    """A press photo with GPS, its owner, a thumbnail of the uncropped original inside its EXIF (where a camera
    puts it), XMP, IPTC, a comment, and a second picture after its end (as some phones append)."""
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG", quality=90, progressive=True, comment=b"DRAFTNOTE")
    data = buffer.getvalue()
    thumbnail = b"\xff\xd8" + segment(0xFE, b"UNCROPPED") + b"\xff\xd9"
    extra = (
        segment(0xE1, exif_data(orientation) + thumbnail)
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP)
        + segment(0xED, b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0cPLANTSITE")
    )
    return data[:2] + extra + data[2:] + b"UNCROPPED original appended"


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + kind + payload + zlib.crc32(kind + payload).to_bytes(4, "big")


def hiding_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "DRAFTNOTE: do not publish before 12 March")
    info.add_text("Author", "JANEDOE", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    picture().save(buffer, "PNG", pnginfo=info, exif=exif_data())
    data = buffer.getvalue()
    at = data.index(b"IDAT") - 4
    return data[:at] + png_chunk(b"tIME", b"\x07\xea\x03\x0c\x0a\0\0") + png_chunk(b"prVt", b"UNCROPPED") + data[at:]


def hiding_webp() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "WEBP", lossless=True, exif=exif_data(), xmp=XMP)
    return buffer.getvalue()


def hiding_gif() -> bytes:
    """An animated GIF with a comment and an XMP application extension beside its looping extension."""
    frames = [picture().convert("P"), picture().rotate(180).convert("P")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], loop=0, comment=b"DRAFTNOTE JANEDOE")
    data = buffer.getvalue()
    xmp = b"".join(bytes((len(part),)) + part for part in (XMP[i : i + 255] for i in range(0, len(XMP), 255)))
    application = b"\x21\xff\x0bXMP DataXMP" + xmp + b"\0"
    return data[:-1] + application + data[-1:]


HIDING = {"photo.jpg": hiding_jpeg, "photo.png": hiding_png, "photo.webp": hiding_webp, "photo.gif": hiding_gif}


def frames(data: bytes) -> list[bytes]:
    """Every frame's decoded pixels (in RGBA, as a browser draws them)."""
    image = Image.open(io.BytesIO(data))
    found = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        found.append(image.convert("RGBA").tobytes())
    return found


def show(site, name: str) -> None:
    """A public post that shows content/images/<name> in its body and as its lead image."""
    site.post("plant", f"![The plant]({{static}}/images/{name})", Image=f"{{static}}/images/{name}", Image_Alt="A")


def put(site, name: str, data: bytes) -> Path:
    path = site.content / "images" / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(HIDING))
def test_the_site_gets_an_image_without_what_it_hides_and_with_the_same_pixels(site, name):
    """Whatever the format, no metadata of the committed file is in any file of the site (the image, its feeds'
    enclosures, the pages), the pixels decode the same, and the file in git is left as the author committed it."""
    original = HIDING[name]()
    assert sum(secret in original for secret in SECRETS) >= 3  # the attack is really in the file
    source = put(site, name, original)
    show(site, name)
    assert problems(site) == []
    out = site.build()
    published = (out / "images" / name).read_bytes()
    for secret in SECRETS:
        assert files_containing(out, secret.decode()) == [], secret
    assert frames(published) == frames(original)
    assert source.read_bytes() == original


def test_a_phone_photo_keeps_its_orientation_and_nothing_else_of_its_exif(site):
    """A phone stores the photo sideways with Orientation 6: without it, the photo would show on its side."""
    put(site, "phone.jpg", hiding_jpeg(orientation=6))
    show(site, "phone.jpg")
    published = Image.open(site.build() / "images" / "phone.jpg")
    assert dict(published.getexif()) == {0x0112: 6}


def clean(kind: str) -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, kind, **({"lossless": True} if kind == "WEBP" else {}))
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["clean.jpg", "clean.png", "clean.webp", "clean.gif"])
def test_an_image_with_nothing_to_drop_is_published_byte_for_byte(site, name):
    original = clean(name.rsplit(".", 1)[1].upper().replace("JPG", "JPEG"))
    put(site, name, original)
    show(site, name)
    assert (site.build() / "images" / name).read_bytes() == original


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True},
        {"STATIC_CHECK_IF_MODIFIED": True},
        {"STATIC_CREATE_LINKS": True},
        {"STATIC_CREATE_LINKS": True, "STATIC_CHECK_IF_MODIFIED": True},
    ],
)
def test_every_way_pelican_writes_a_static_file_writes_the_clean_copy_and_a_rebuild_the_same_bytes(site, settings):
    """Copied, linked, skipped as up to date or rebuilt from the cache: the site's copy is the clean one, the
    same bytes as a cold build's, and the committed file is never written through a link."""
    original = hiding_jpeg()
    source = put(site, "photo.jpg", original)
    show(site, "photo.jpg")
    cold = (site.build(OUTPUT_PATH=str(site.root / "cold")) / "images" / "photo.jpg").read_bytes()
    out = site.root / "out"
    (out / "images").mkdir(parents=True)
    (out / "images" / "photo.jpg").write_bytes(original)  # as an older build left it, newer than the source
    os.utime(source, (1, 1))
    for _ in range(2):
        copy = site.build(OUTPUT_PATH=str(out), DELETE_OUTPUT_DIRECTORY=False, **settings) / "images" / "photo.jpg"
        assert copy.read_bytes() == cold and not copy.is_symlink()
        assert not os.path.samefile(copy, source) and source.read_bytes() == original
    assert b"JANEDOE" not in cold


@pytest.mark.parametrize("settings", [{}, {"STATIC_CHECK_IF_MODIFIED": True}, {"STATIC_CREATE_LINKS": True}])
def test_a_download_that_is_not_an_image_is_left_to_pelican_never_read_whole(site, settings, monkeypatch):
    """Only a raster image has a published copy of its own: a PDF, a video or a zip is copied, linked or skipped
    by Pelican as it is, never read whole into memory first (a 2 GB video would be), on a first build or a
    rebuild that finds it up to date."""
    pdf = site.content / "downloads" / "report.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 100_000)
    site.post("report", "Read [the report]({static}/downloads/report.pdf).")
    read_whole: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read_whole.append(path.name) or read_bytes(path))
    out = site.root / "out"
    for _ in range(2):
        copy = site.build(OUTPUT_PATH=str(out), DELETE_OUTPUT_DIRECTORY=False, **settings) / "downloads" / "report.pdf"
        assert read_bytes(copy) == read_bytes(pdf)
    assert "report.pdf" not in read_whole


CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


def counting_jpeg_walks(monkeypatch) -> list[int]:
    """Each time a JPEG's structure is walked, its length; and verdicts remembered for files however new (a test's
    files are seconds old, a checkout's are older by the time it builds)."""
    walks: list[int] = []
    walk = published_images._WALKERS[".jpg"]
    monkeypatch.setitem(published_images._WALKERS, ".jpg", lambda data: walks.append(len(data)) or walk(data))
    monkeypatch.setattr(file_verdicts, "SETTLED_NS", 0)
    return walks


def test_an_unchanged_photo_is_walked_once_per_build_and_not_at_all_by_a_rebuild_with_the_cache(site, monkeypatch):
    """Walking a 15 MB photo takes 10 ms: the checks, the static copy and the feeds each asking again cost a minute
    per build at 5,000 photos. One verdict per version of the file answers them all, kept with the content cache;
    a photo with metadata is walked again only to make the copy that is written."""
    clean, hiding = published_image(".jpg", hiding_jpeg()).data, hiding_jpeg()
    put(site, "clean.jpg", clean)
    put(site, "photo.jpg", hiding)
    site.post("plant", "![The plant]({static}/images/photo.jpg)", Image="{static}/images/clean.jpg", Image_Alt="A")
    walks = counting_jpeg_walks(monkeypatch)
    monkeypatch.setattr(file_verdicts.VERDICTS, "_now", {})  # as a new process would start
    site.build(**CACHED)
    assert (walks.count(len(clean)), walks.count(len(hiding))) == (1, 2)  # the verdicts; the copy written
    monkeypatch.setattr(file_verdicts.VERDICTS, "_now", {})  # the next build, in a process of its own
    output = site.build(**CACHED)
    assert (walks.count(len(clean)), walks.count(len(hiding))) == (1, 3)  # only the copy written again
    assert b"JANEDOE" not in (output / "images" / "photo.jpg").read_bytes()


def test_a_changed_photo_is_walked_again_even_with_its_size_and_times_put_back(site, monkeypatch):
    """A remembered verdict is for one version of a file: a photo replaced by one of the same size, its
    modification time set back (as `touch -r` or a careless copy would), is walked and judged again."""
    clean = published_image(".jpg", hiding_jpeg()).data
    path = put(site, "photo.jpg", clean)
    show(site, "photo.jpg")
    counting_jpeg_walks(monkeypatch)
    site.build(**CACHED)
    times = path.stat()
    path.write_bytes(clean[:-2] + b"\0\0")  # the same length, its end marker gone: it cannot be published
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    lines = lines_naming(refused_build(site, **CACHED), "images/photo.jpg", "file")
    assert lines and "cannot be read as a JPEG image" in lines[0]


def test_what_a_deploy_uploads_is_the_clean_copy(site):
    put(site, "photo.png", hiding_png())
    show(site, "photo.png")
    out = site.build()
    with S3Server() as server:
        server.client().create_bucket(Bucket="newsroom")
        options = {"bucket": "newsroom", "prefix": "", "endpoint_url": server.url, "region": "us-east-1"}
        secrets = {
            "access_key_id": CREDENTIALS["aws_access_key_id"],
            "secret_access_key": CREDENTIALS["aws_secret_access_key"],
        }
        target = TARGET_TYPES["s3"](TargetConfig("target", "s3", options, {}), site.root, secrets)
        files = deployable_files(out)
        target.deploy(Deployment("public", out, files, content_digest(files), {}, False))
        uploaded = server.objects("newsroom")["images/photo.png"]
    assert uploaded == (out / "images" / "photo.png").read_bytes()
    assert not any(secret in uploaded for secret in SECRETS)


def test_verify_refuses_an_image_in_the_output_that_still_holds_metadata(site):
    """However a file got into the output, what is deployed is held to the same rule as what the build writes."""
    put(site, "photo.jpg", hiding_jpeg())
    show(site, "photo.jpg")
    out = site.build()
    (out / "images" / "photo.jpg").write_bytes(hiding_jpeg())
    settings = site.settings()
    report = verify_output(out, settings, load_newsroom(settings), parse_timestamp(settings["NEWSROOM_NOW"]))
    assert [finding.file for finding in report.runnable] == ["images/photo.jpg"]
    assert "EXIF" in report.runnable[0].problem and not report.ok


def test_the_feeds_give_the_length_of_the_published_copy(site):
    put(site, "photo.jpg", hiding_jpeg())
    show(site, "photo.jpg")
    out = site.build()
    length = (out / "images" / "photo.jpg").stat().st_size
    assert length < len(hiding_jpeg())
    feeds = [path.read_text(encoding="utf-8") for path in out.rglob("*.xml")]
    assert any(f'length="{length}"' in feed for feed in feeds)
    assert not any(f'length="{len(hiding_jpeg())}"' in feed for feed in feeds)


def cut_png() -> bytes:
    data = clean("PNG")
    at = data.index(b"IDAT") - 4
    return data[:at] + (10_000).to_bytes(4, "big") + data[at + 4 : at + 40]  # IDAT's length runs past the end


DAMAGED = {
    "cut.png": cut_png,
    "cut.jpg": lambda: clean("JPEG")[:-40],  # ends in its compressed data
    "cut.gif": lambda: clean("GIF")[:-20],
    "cut.webp": lambda: clean("WEBP")[:40],
    "overrun.jpg": lambda: b"\xff\xd8" + segment(0xE1, b"Exif\0\0")[:4] + b"\xff\xff",
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_an_image_whose_structure_cannot_be_walked_is_refused_with_one_line(site, name):
    put(site, name, DAMAGED[name]())
    show(site, name)
    found = problems(site)
    named = lines_naming(found, f"images/{name}", "file")
    assert len(named) == 1 and "cannot be read as" in named[0] and "export it again" in named[0], found
    assert "Traceback" not in refused_build(site)


def with_fill_bytes(count: int) -> bytes:
    """A clean JPEG whose compressed data holds a run of `count` fill bytes (FF) ended by a stuffed 00: data, not a
    marker, so the walk must look past the whole run for where the scan ends."""
    jpeg = clean("JPEG")
    scan = jpeg.index(b"\xff\xda")
    data = scan + 2 + int.from_bytes(jpeg[scan + 2 : scan + 4], "big")
    return jpeg[:data] + b"\xff" * count + b"\x00" + jpeg[data:]


def test_walking_a_jpeg_takes_time_linear_in_its_fill_bytes():
    """`invoke check`, the build, verify and the feeds all walk every JPEG: four times the fill bytes must cost
    about four times as much, not sixteen (a 1 MB run would otherwise take hours), and the copy keeps them."""
    assert published_image(".jpg", with_fill_bytes(20_000)).data == with_fill_bytes(20_000)
    small, large = (with_fill_bytes(count) for count in (5_000, 20_000))
    ratio = fastest(lambda: published_image(".jpg", large), 5) / fastest(lambda: published_image(".jpg", small), 5)
    assert ratio < 8, f"four times the fill bytes took {ratio:.1f} times as long"
    assert fastest(lambda: published_image(".jpg", large), 5) < 0.5


def test_a_scan_ends_at_the_first_marker_that_is_not_data():
    """Where compressed data ends, on random bytes rich in fill bytes, stuffed zeros, restarts and markers: the
    first run of FF followed by anything but 00, a restart (D0-D7) or the end of the file, as the JPEG standard
    reads it (a pattern that says so, too slow on long runs to walk files with but a fine judge of small ones)."""
    next_marker = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")
    rng = random.Random(37)
    for _ in range(3000):
        data = bytes(rng.choice(b"\xff\xff\xff\x00\xd0\xd7\xd8\xd9\xc4\x01\x7f") for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(data))
        found = next_marker.search(data, start)
        assert jpeg_scan_end(data, start) == (found.start() if found else None), (data, start)


def test_a_progressive_jpeg_with_restart_markers_keeps_every_scan_byte_for_byte(site):
    """Restart markers (FF D0-D7) and stuffed zeros inside the scans are data: a photo with metadata to drop keeps
    every scan whole, so the copy decodes to the same pixels and is the clean file's bytes exactly."""
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG", quality=95, progressive=True, restart_marker_blocks=1)
    original = buffer.getvalue()
    assert re.search(rb"\xff[\xd0-\xd7]", original) and b"\xff\x00" in original
    hiding = original[:2] + segment(0xFE, b"DRAFTNOTE") + original[2:]
    published = published_image(".jpg", hiding)
    assert published.data == original and published.dropped == ("a comment",)


def avif(**options) -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "AVIF", **options)
    return buffer.getvalue()


def test_an_avif_holding_exif_or_xmp_is_refused_with_the_fix_and_a_clean_one_is_published_as_it_is(site):
    put(site, "held.avif", avif(exif=exif_data(), xmp=XMP))
    put(site, "plain.avif", avif())
    site.post("plain", "![Plain]({static}/images/plain.avif)", Slug="plain")
    named = lines_naming(problems(site), "images/held.avif", "file")
    assert len(named) == 1 and "Exif and XMP" in named[0] and "avifenc --ignore-exif" in named[0], named
    (site.content / "images" / "held.avif").unlink()
    assert (site.build() / "images" / "plain.avif").read_bytes() == avif()


WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Word's "Strict Open XML Document", Excel's and PowerPoint's: the same elements in ISO/IEC 29500 Strict namespaces.
STRICT_WORD = 'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"'
STRICT_SHEET = 'xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"'
STRICT_SLIDES = 'xmlns:p="http://purl.oclc.org/ooxml/presentationml/main"'


def office(path: Path, parts: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def word(body: str, namespace: str = WORD, **parts: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f"<w:document {namespace}><w:body><w:p>{body}</w:p></w:body></w:document>",
        **parts,
    }


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    """A package's [Content_Types].xml: a type for each extension, and for each part named apart."""
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items())
        + "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
        + "</Types>"
    )


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


RUN = "<w:r><w:t>Revenue rose 12%.</w:t></w:r>"
ODF = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
TRACKED = '<w:del w:id="1"><w:r><w:delText>Revenue fell.</w:delText></w:r></w:del>'
DOCUMENTS = {
    "comments.docx": (
        word(RUN, **{"word/comments.xml": f'<w:comments {WORD}><w:comment w:id="0"><w:p/></w:comment></w:comments>'}),
        "comments",
    ),
    "tracked.docx": (word(f"{TRACKED}{RUN}"), "tracked"),
    "strict-tracked.docx": (word(f"{TRACKED}{RUN}", STRICT_WORD), "tracked changes"),
    "strict-comments.docx": (
        word(
            RUN, STRICT_WORD, **{"word/comments.xml": f'<w:comments {STRICT_WORD}><w:comment w:id="0"/></w:comments>'}
        ),
        "comments",
    ),
    "strict-notes.xlsx": (
        {"xl/comments1.xml": f'<comments {STRICT_SHEET}><commentList><comment ref="A1"/></commentList></comments>'},
        "comments",
    ),
    "strict-comments.pptx": (
        {"ppt/comments/comment1.xml": f'<p:cmLst {STRICT_SLIDES}><p:cm authorId="0" idx="1"/></p:cmLst>'},
        "comments",
    ),
    "shared-workbook.xlsx": (  # a shared workbook's change history: its revision log, wherever its part is
        {"xl/history/log1.xml": f'<revisions {STRICT_SHEET}><rcc rId="1" sId="1"/></revisions>'},
        "tracked changes",
    ),
    # A part is what the package says it is: Office compares names in any case, and reads a part by its declared
    # content type whatever its name.
    "upper-case.docx": ({"word/document.XML": word(TRACKED)["word/document.xml"]}, "tracked changes"),
    "declared.docx": (
        {
            "[Content_Types].xml": content_types({}, {"word/main.part": WORD_MAIN}),
            "word/main.part": word(TRACKED)["word/document.xml"],
        },
        "tracked changes",
    ),
    "notes.xlsx": (
        {
            "xl/workbook.xml": "<workbook/>",
            "xl/threadedComments/threadedComment1.xml": '<ThreadedComments xmlns="http://schemas.microsoft.com/'
            'office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A1"/></ThreadedComments>',
        },
        "comments",
    ),
    "annotated.odt": (
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": f"<office:document-content {ODF}><office:body><text:p>Hi<office:annotation/></text:p>"
            "</office:body></office:document-content>",
        },
        "comments",
    ),
    "changed.odt": (
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": f"<office:document-content {ODF}><office:body><text:tracked-changes><text:changed-region/>"
            "</text:tracked-changes></office:body></office:document-content>",
        },
        "tracked changes",
    ),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_an_office_document_holding_comments_or_tracked_changes_is_refused_with_the_fix(site, name):
    parts, held = DOCUMENTS[name]
    office(site.content / "images" / name, parts)
    named = lines_naming(problems(site), f"images/{name}", "file")
    assert len(named) == 1 and held in named[0] and "accept or reject all changes" in named[0], named


def test_an_office_document_without_comments_or_changes_passes(site):
    """Transitional or Strict, with a picture in it: the members the package declares as something other than
    XML (the picture) are not read as XML."""
    office(site.content / "images" / "clean.docx", word(RUN))
    office(
        site.content / "images" / "strict.docx",
        {
            **word(RUN, STRICT_WORD),
            "[Content_Types].xml": content_types({"xml": "application/xml", "png": "image/png"}, {}),
            "word/media/image1.png": clean("PNG"),
        },
    )
    assert problems(site) == []


def test_a_damaged_or_inflating_office_document_is_refused_with_one_line(site, monkeypatch):
    (site.content / "images" / "damaged.docx").write_bytes(b"PK\x03\x04 not really a zip")
    office(site.content / "images" / "bomb.xlsx", {"xl/sharedStrings.xml": "<sst>" + " " * 200_000 + "</sst>"})
    monkeypatch.setattr(office_documents, "MAX_INFLATED", 100_000)
    found = problems(site)
    assert "is not a readable .docx document" in " ".join(lines_naming(found, "images/damaged.docx", "file"))
    assert "inflate to more than" in " ".join(lines_naming(found, "images/bomb.xlsx", "file"))


def damaged_deflate(path: Path) -> None:
    """A document whose part's compressed data is garbled, its sizes and checksum left as they were (a disk or a
    transfer that went wrong): the zip's directory reads, the part does not inflate."""
    office(path, word(RUN * 40))
    data = bytearray(path.read_bytes())
    start = data.index(b"word/document.xml") + len("word/document.xml")
    for index in range(start + 5, start + 40):
        data[index] ^= 0x55
    path.write_bytes(bytes(data))


def bad_checksum(path: Path) -> None:
    """A document whose part inflates but to bytes that do not match the checksum its zip holds for them."""
    office(path, word(RUN))
    data = bytearray(path.read_bytes())
    data[14] ^= 0xFF  # the local header's CRC-32
    data[data.index(b"PK\x01\x02") + 16] ^= 0xFF  # and the central directory's
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [damaged_deflate, bad_checksum])
def test_a_document_whose_zip_cannot_be_read_is_refused_with_one_line_not_a_traceback(site, damage):
    damage(site.content / "images" / "damaged.docx")
    named = lines_naming(problems(site), "images/damaged.docx", "file")
    assert len(named) == 1 and "is not a readable .docx document" in named[0], named
    assert "Traceback" not in refused_build(site)


def encrypted_member(path: Path) -> None:
    """A zip whose part is encrypted with a password (its general purpose flag says so)."""
    office(path, word(RUN))
    data = bytearray(path.read_bytes())
    data[6] |= 1  # the local header's "encrypted" flag
    data[data.index(b"PK\x01\x02") + 8] |= 1  # and the central directory's
    path.write_bytes(bytes(data))


def encrypted_opendocument(path: Path) -> None:
    """An OpenDocument saved with a password: its manifest says how each part is encrypted."""
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>'
    )
    office(path, {"mimetype": "application/vnd.oasis.opendocument.text", "META-INF/manifest.xml": manifest})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("content.xml", os.urandom(200))


@pytest.mark.parametrize("encrypt", [encrypted_member, encrypted_opendocument])
def test_an_encrypted_document_is_refused_with_its_own_line(site, encrypt):
    """Nothing in it can be looked into: the line says so and how to fix it, never that the file is damaged."""
    name = "locked.odt" if encrypt is encrypted_opendocument else "locked.docx"
    encrypt(site.content / "images" / name)
    named = lines_naming(problems(site), f"images/{name}", "file")
    assert len(named) == 1 and "is encrypted" in named[0] and "without a password" in named[0], named


def test_the_published_copy_of_a_published_copy_is_itself():
    """Walking a clean copy again drops nothing: the build's output passes verify, and a rebuild matches."""
    for name, make in HIDING.items():
        suffix = "." + name.rsplit(".", 1)[1]
        once = published_image(suffix, make()).data
        assert published_image(suffix, once).data is once and published_image(suffix, once).dropped == ()


# Parts the allowlists keep hold fields of a defined length; bytes after them are read by no browser, so they could
# carry anything (a name, a place) past the allowlist. Each case: (extension, the clean image, the same image with
# "JANEDOE" after a kept part's fields). The site's copy must be the clean image, byte for byte.
HIDDEN = b"JANEDOE"


def encoded(kind: str, image: Image.Image | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    (image or picture()).save(buffer, kind, **options)
    return buffer.getvalue()


def animated(kind: str, **options) -> bytes:
    return encoded(kind, picture(), save_all=True, append_images=[picture().rotate(180)], **options)


def longer_png_chunk(png: bytes, kind: bytes) -> bytes:
    at = png.index(kind) - 4
    length = int.from_bytes(png[at : at + 4], "big")
    return png[:at] + png_chunk(kind, png[at + 8 : at + 8 + length] + HIDDEN) + png[at + 12 + length :]


def with_png_chunk(kind: bytes, payload: bytes) -> tuple[str, bytes, bytes]:
    png = clean("PNG")
    at = png.index(b"IDAT") - 4
    clean_png = png[:at] + png_chunk(kind, payload) + png[at:]
    return ".png", clean_png, longer_png_chunk(clean_png, kind)


def longer_jpeg_segment(jpeg: bytes, marker: int) -> bytes:
    at = jpeg.index(bytes((0xFF, marker)))
    length = int.from_bytes(jpeg[at + 2 : at + 4], "big")
    return jpeg[:at] + segment(marker, jpeg[at + 4 : at + 2 + length] + HIDDEN) + jpeg[at + 2 + length :]


def longer_webp_chunk(webp: bytes, kind: bytes) -> bytes:
    at = webp.index(kind)
    size = int.from_bytes(webp[at + 4 : at + 8], "little")
    payload = webp[at + 8 : at + 8 + size] + HIDDEN + b"\0"
    body = webp[8:at] + kind + len(payload).to_bytes(4, "little") + payload + webp[at + 8 + size :]
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def gif_after_first_extension(gif: bytes, start: bytes, extra: bytes) -> bytes:
    """`extra` put in place of the terminator of the first extension that begins with `start`."""
    at = gif.index(start)
    end = at + 2
    while gif[end]:
        end += 1 + gif[end]
    return gif[:end] + extra + gif[end:]


def with_restarts() -> bytes:
    return encoded("JPEG", restart_marker_blocks=1)


def adobe(extra: bytes = b"") -> bytes:
    jpeg = clean("JPEG")
    return jpeg[:2] + segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01" + extra) + jpeg[2:]


def beyond_fields() -> dict[str, tuple[str, bytes, bytes]]:
    png, apng, jpeg, gif = clean("PNG"), animated("PNG"), clean("JPEG"), animated("GIF", loop=0)
    webp = animated("WEBP", lossless=True)
    sub_block = bytes((len(HIDDEN),)) + HIDDEN
    return {
        "png IHDR": (".png", png, longer_png_chunk(png, b"IHDR")),
        "png pHYs": with_png_chunk(b"pHYs", b"\0\0\x0b\x13\0\0\x0b\x13\x01"),
        "png gAMA": with_png_chunk(b"gAMA", b"\0\0\xb1\x8f"),
        "png sRGB": with_png_chunk(b"sRGB", b"\0"),
        "png cHRM": with_png_chunk(b"cHRM", bytes(32)),
        "png cICP": with_png_chunk(b"cICP", b"\x01\x0d\x00\x01"),
        "png bKGD": with_png_chunk(b"bKGD", b"\0\x10\0\x20\0\x30"),
        "apng acTL": (".png", apng, longer_png_chunk(apng, b"acTL")),
        "apng fcTL": (".png", apng, longer_png_chunk(apng, b"fcTL")),
        "jpeg Adobe": (".jpg", adobe(), adobe(HIDDEN)),
        "jpeg frame": (".jpg", jpeg, longer_jpeg_segment(jpeg, 0xC0)),
        "jpeg quantisation": (".jpg", jpeg, longer_jpeg_segment(jpeg, 0xDB)),
        "jpeg Huffman": (".jpg", jpeg, longer_jpeg_segment(jpeg, 0xC4)),
        "jpeg scan header": (".jpg", jpeg, longer_jpeg_segment(jpeg, 0xDA)),
        "jpeg restart interval": (".jpg", with_restarts(), longer_jpeg_segment(with_restarts(), 0xDD)),
        "gif graphic control": (".gif", gif, gif_after_first_extension(gif, b"\x21\xf9", sub_block)),
        "gif looping": (".gif", gif, gif_after_first_extension(gif, b"\x21\xffNETSCAPE"[:2], sub_block)),
        "gif looping block": (
            ".gif",
            gif,
            gif.replace(
                b"NETSCAPE2.0\x03\x01\x00\x00", b"NETSCAPE2.0" + bytes((3 + len(HIDDEN),)) + b"\x01\0\0" + HIDDEN
            ),
        ),
        "gif plain text": (".gif", gif, gif[:-1] + b"\x21\x01\x0c" + bytes(12) + sub_block + b"\0;"),
        "webp VP8X": (".webp", webp, longer_webp_chunk(webp, b"VP8X")),
        "webp ANIM": (".webp", webp, longer_webp_chunk(webp, b"ANIM")),
    }


# A decoder refuses these parts when they are too long (the image does not draw), yet their bytes would be served.
DECODERS_REFUSE = {"jpeg frame", "jpeg quantisation", "jpeg Huffman", "jpeg scan header", "jpeg restart interval"}
DECODERS_REFUSE |= {"webp VP8X"}


@pytest.mark.parametrize("name", sorted(beyond_fields()))
def test_a_kept_part_keeps_only_the_fields_its_format_defines(name):
    """Every part an allowlist keeps is cut to its defined length (a PNG chunk's checksum made again), and the GIF
    plain text extension, which no browser draws, is dropped: the copy is the clean image, its pixels the same."""
    suffix, clean_image, hiding = beyond_fields()[name]
    assert HIDDEN in hiding and HIDDEN not in clean_image
    published = published_image(suffix, hiding)
    assert published.data == clean_image, published.dropped
    assert published.dropped and frames(published.data) == frames(clean_image)
    if name not in DECODERS_REFUSE:
        assert frames(hiding) == frames(clean_image)
