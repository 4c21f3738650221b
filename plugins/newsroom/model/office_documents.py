"""Office documents that still hold their comments or tracked changes: refused, because the site cannot clean them.

A Word, Excel or PowerPoint file (Office Open XML) or an OpenDocument file is a zip of XML parts. Comments and
tracked changes live in those parts, invisible in the view a reader opens but there for anyone who turns on
"Show markup": the deleted sentence, the reviewer's "legal says we cannot say this". Rewriting a document is not
the site's to do (it could change what the document says), so the checks refuse one that holds either, and the
author accepts or rejects the changes and deletes the comments. The zip is read with bounds: a part that inflates
past MAX_INFLATED bytes, and a file that is not a readable zip, are refused with a line too.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

OFFICE_DOCUMENTS = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"})
MAX_INFLATED = 256 * 1024 * 1024  # all of a document's XML parts together, inflated
_CHUNK = 1024 * 1024

_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"

# What each thing is, by the element that holds it ({namespace}local name) or the part it lives in.
COMMENT_ELEMENTS = frozenset(
    {
        f"{_WORD}comment",  # word/comments.xml
        "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}comment",  # xl/commentsN.xml (notes)
        "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}threadedComment",
        "{http://schemas.openxmlformats.org/presentationml/2006/main}cm",  # ppt/comments/
        "{http://schemas.microsoft.com/office/powerpoint/2018/8/main}cm",  # PowerPoint's modern comments
        f"{_ODF_OFFICE}annotation",
    }
)
CHANGE_ELEMENTS = frozenset(
    {f"{_WORD}{name}" for name in ("ins", "del", "moveFrom", "moveTo", "cellIns", "cellDel", "cellMerge")}
    | {f"{_WORD}{name}Change" for name in ("rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "numbering")}
    | {f"{_ODF_TEXT}changed-region", f"{_ODF_TABLE}cell-content-change", f"{_ODF_TABLE}insertion"}
    | {f"{_ODF_TABLE}deletion", f"{_ODF_TABLE}movement"}
)
CHANGE_PARTS = ("xl/revisions/",)  # a shared workbook's tracked changes: their own parts
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
        return [f"is not a readable {path.suffix} document (its zip is damaged: expected the document saved again)"]
    except etree.XMLSyntaxError as error:
        return [f"is not a readable {path.suffix} document ({error.msg}: expected the document saved again)"]
    if not held:
        return []
    return [f"holds {' and '.join(held)}, which anyone who downloads it can read (expected: {_FIX})"]


class _TooLarge(Exception):
    pass


def _held(archive: zipfile.ZipFile) -> list[str]:
    """ "comments" and/or "tracked changes", as the document holds them."""
    found = _Found()
    budget = [MAX_INFLATED]
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.filename.startswith(CHANGE_PARTS):
            found.changes = True
        if info.filename.endswith(".xml") and not (found.comments and found.changes):
            _read_part(archive, info, found, budget)
    return [what for what, held in (("comments", found.comments), ("tracked changes", found.changes)) if held]


class _Found:
    """A parser target: notes which elements a part holds, and builds no tree (a part may be large)."""

    def __init__(self) -> None:
        self.comments = self.changes = False

    def start(self, tag: str, attributes) -> None:
        self.comments = self.comments or tag in COMMENT_ELEMENTS
        self.changes = self.changes or tag in CHANGE_ELEMENTS

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
