"""Office documents that still hold their comments or tracked changes: refused, because the site cannot clean them.

A Word, Excel or PowerPoint file (Office Open XML) or an OpenDocument file is a zip of XML parts. Comments and
tracked changes live in those parts, invisible in the view a reader opens but there for anyone who turns on
"Show markup": the deleted sentence, the reviewer's "legal says we cannot say this". Rewriting a document is not
the site's to do (it could change what the document says), so the checks refuse one that holds either, and the
author accepts or rejects the changes and deletes the comments. Every part the package declares as XML (or names
.xml, in any case) is read, and an element is known by its vocabulary and local name, whichever of the namespaces
the vocabulary has (Transitional or Strict) it is written in. The zip is read with bounds: a part that inflates
past MAX_INFLATED bytes, an encrypted document and a file whose zip cannot be read (whatever the reading met)
are refused with a line too.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from newsroom.kit.errors import NewsroomError

OFFICE_DOCUMENTS = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"})
MAX_INFLATED = 256 * 1024 * 1024  # all of a document's XML parts together, inflated
_CHUNK = 1024 * 1024

# Each vocabulary by every namespace it is written in: Office Open XML's Transitional and its Strict (ISO/IEC
# 29500 Strict, Word's "Strict Open XML Document"), Microsoft's extensions, OpenDocument. An element is known by
# its vocabulary and local name, so a document saved either way is read by the same rule.
VOCABULARIES = {
    "wordprocessingml": (
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ),
    "spreadsheetml": (
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    ),
    "presentationml": (
        "http://schemas.openxmlformats.org/presentationml/2006/main",
        "http://purl.oclc.org/ooxml/presentationml/main",
    ),
    "excel threaded comments": ("http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments",),
    "powerpoint modern comments": ("http://schemas.microsoft.com/office/powerpoint/2018/8/main",),
    "odf office": ("urn:oasis:names:tc:opendocument:xmlns:office:1.0",),
    "odf text": ("urn:oasis:names:tc:opendocument:xmlns:text:1.0",),
    "odf table": ("urn:oasis:names:tc:opendocument:xmlns:table:1.0",),
}
_VOCABULARY_OF = {namespace: vocabulary for vocabulary, namespaces in VOCABULARIES.items() for namespace in namespaces}

# What each thing is, by the element that holds it: (vocabulary, local name).
COMMENT_ELEMENTS = frozenset(
    {
        ("wordprocessingml", "comment"),  # word/comments.xml
        ("spreadsheetml", "comment"),  # xl/commentsN.xml (notes)
        ("excel threaded comments", "threadedComment"),
        ("presentationml", "cm"),  # ppt/comments/
        ("powerpoint modern comments", "cm"),
        ("odf office", "annotation"),
    }
)
CHANGE_ELEMENTS = frozenset(
    {("wordprocessingml", name) for name in ("ins", "del", "moveFrom", "moveTo", "cellIns", "cellDel", "cellMerge")}
    | {("wordprocessingml", f"{name}Change") for name in ("rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr")}
    | {("wordprocessingml", f"{name}Change") for name in ("tblGrid", "numbering")}
    | {("spreadsheetml", "revisions"), ("spreadsheetml", "headers")}  # a shared workbook's revision log, headers
    | {("odf text", "changed-region"), ("odf table", "cell-content-change"), ("odf table", "insertion")}
    | {("odf table", "deletion"), ("odf table", "movement")}
)

# Which members are XML, as the package declares them: Office Open XML in [Content_Types].xml (by part name, else
# by extension), OpenDocument in its manifest; and any member named .xml. Names are compared in lower case, as
# Office compares them.
_DECLARATIONS = ("[content_types].xml", "meta-inf/manifest.xml")
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_XML_TYPE = re.compile(r"(?:application|text)/(?:[\w.+-]*\+)?xml(?:\s*;.*)?", re.IGNORECASE)
_ENCRYPTED_MEMBER = 0x1  # a zip member's general purpose flag: its data is encrypted
_FIX = "accept or reject all changes and delete the comments, then save again"


def document_problems(path: Path) -> list[str]:
    """Why the Office document at `path` may not be published as it is; empty when it may."""
    try:
        with zipfile.ZipFile(path) as archive:
            held = _held(archive)
    except _TooLarge:
        return [
            f"is a document whose parts inflate to more than {MAX_INFLATED // 2**20} MB (expected a document "
            "saved again by its office program, or put in a .zip)"
        ]
    except _Encrypted:
        return [
            "is encrypted: the site cannot look into it, nor can its readers open it (expected: save it without a "
            "password)"
        ]
    except etree.XMLSyntaxError as error:
        return [f"is not a readable {path.suffix} document ({error.msg}: expected the document saved again)"]
    except Exception:  # whatever reading the zip met: damaged headers, a corrupt deflate stream, a bad checksum...
        return [f"is not a readable {path.suffix} document (its zip is damaged: expected the document saved again)"]
    if not held:
        return []
    return [f"holds {' and '.join(held)}, which anyone who downloads it can read (expected: {_FIX})"]


class _TooLarge(NewsroomError):
    """A document's parts inflate past MAX_INFLATED (never raised out of this module)."""


class _Encrypted(NewsroomError):
    """A document holds a part only its password opens (never raised out of this module)."""


def _held(archive: zipfile.ZipFile) -> list[str]:
    """ "comments" and/or "tracked changes", as the document holds them."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if any(info.flag_bits & _ENCRYPTED_MEMBER for info in members):
        raise _Encrypted
    budget = [MAX_INFLATED]
    declared = _Declared()
    for info in members:
        if info.filename.lower() in _DECLARATIONS:
            _read_part(archive, info, declared, budget)
    if declared.encrypted:
        raise _Encrypted
    found = _Found()
    for info in members:
        if declared.is_xml(info.filename) and not (found.comments and found.changes):
            _read_part(archive, info, found, budget)
    return [what for what, held in (("comments", found.comments), ("tracked changes", found.changes)) if held]


class _Declared:
    """A parser target: the content types a package declares for its members, by part name and by extension, and
    whether it says they are encrypted."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}
        self.by_extension: dict[str, str] = {}
        self.encrypted = False  # OpenDocument encrypts with a password member by member, saying so in its manifest

    def start(self, tag: str, attributes) -> None:
        if tag == f"{_PACKAGE}Override":
            self.by_name[attributes.get("PartName", "").lstrip("/").lower()] = attributes.get("ContentType", "")
        elif tag == f"{_PACKAGE}Default":
            self.by_extension[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
        elif tag == f"{_MANIFEST}file-entry":
            path = attributes.get(f"{_MANIFEST}full-path", "").lstrip("/").lower()
            self.by_name[path] = attributes.get(f"{_MANIFEST}media-type", "")
        elif tag == f"{_MANIFEST}encryption-data":
            self.encrypted = True

    def close(self) -> None:
        pass

    def is_xml(self, name: str) -> bool:
        """Whether a program reads the member `name` as XML: its declared type says so, or its name does."""
        name = name.lower()
        declared = self.by_name.get(name, self.by_extension.get(name.rpartition(".")[2], ""))
        return name.endswith(".xml") or bool(_XML_TYPE.fullmatch(declared.strip()))


class _Found:
    """A parser target: notes which elements a part holds, and builds no tree (a part may be large)."""

    def __init__(self) -> None:
        self.comments = self.changes = False

    def start(self, tag: str, attributes) -> None:
        namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        element = (_VOCABULARY_OF.get(namespace), name)
        self.comments = self.comments or element in COMMENT_ELEMENTS
        self.changes = self.changes or element in CHANGE_ELEMENTS

    def close(self) -> None:
        pass


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, found: _Found, budget: list[int]) -> None:
    """Feed one XML part to the parser in chunks that count against `budget` (a zip bomb stops there); no entity
    is expanded and nothing is fetched."""
    parser = etree.XMLParser(target=found, resolve_entities=False, no_network=True, huge_tree=False)
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _TooLarge
            parser.feed(chunk)
    parser.close()
