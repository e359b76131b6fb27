"""What every binary reader does last: repair the text, find the owner, make the Document."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from index import repair
from index.readers import sidecar
from index.readers.base import Document, Line, ReaderError, Table, check_file

#: Formats whose lines are whole paragraphs (a PDF's lines are printed lines).
PARAGRAPH_FORMATS = frozenset({"docx", "odt", "html"})
#: Without pages, the "first page" is the first lines of the document.
FIRST_PAGE_LINES = 40


def checked(path: str | Path, limit: int) -> tuple[Path, str]:
    """(path, source name) of a regular file no larger than `limit` bytes, checked before
    reading."""
    path = Path(path)
    check_file(str(path), path.stat(), limit)
    return path, str(path)


def check_unpacked(archive: zipfile.ZipFile, source: str, limit: int,
                   members: list[zipfile.ZipInfo] | None = None) -> None:
    """Refuse a zip (a .docx, an .odt) whose members, all or those given, unpack to more than
    `limit` bytes, before any is unpacked: a few MB can hold gigabytes of repeated XML.
    zipfile stops at each member's declared size, so the sum cannot be lied about."""
    members = archive.infolist() if members is None else members
    if sum(info.file_size for info in members) > limit:
        what = members[0].filename if len(members) == 1 else "its parts"
        raise ReaderError(source, f"{what} would unpack to more than {limit} bytes")


def repaired(blocks: list[Line | Table], repairs: Counter) -> list[Line | Table]:
    """The blocks with their text repaired (clean text comes back unchanged), empty ones out."""
    out: list[Line | Table] = []
    for block in blocks:
        if isinstance(block, Line):
            block.text = " ".join(repair.repair(block.text, repairs)[0].split())
            if block.text:
                out.append(block)
        else:
            block.rows = [[" ".join(repair.repair(c, repairs)[0].split()) for c in row]
                          for row in block.rows]
            block.rows = [row for row in block.rows if any(row)]
            if block.rows:
                out.append(block)
    return out


def first_page(blocks: list[Line | Table]) -> list[str]:
    """The texts of the first page (or, without pages, of the first lines), tables included."""
    texts: list[str] = []
    for block in blocks:
        if block.page not in (None, 1) or len(texts) >= FIRST_PAGE_LINES:
            break
        if isinstance(block, Line):
            texts.append(block.text)
        else:
            texts.extend(cell for row in block.rows for cell in row)
    return texts


def document(source: str, fmt: str, blocks: list[Line | Table], pages: int | None = None,
             repairs: Counter | None = None) -> Document:
    """A Document with its owner from a sidecar or its first page (a ReaderError if neither)."""
    repairs = Counter() if repairs is None else repairs
    result = Document(source=source, format=fmt, meta={}, blocks=blocks, pages=pages,
                      repairs=repairs, paragraph_lines=fmt in PARAGRAPH_FORMATS)
    result.meta, result.meta_from, warnings = sidecar.owner(source, first_page(blocks))
    result.warnings.extend(warnings)
    return result
