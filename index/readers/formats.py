"""Which reader reads which file: binary plan formats by suffix, and the ones refused.

`index/readers/__init__.py` wires these in beside the text reader. A suffix refused here gets
a message naming the file and saying what to do; nothing is skipped without a word.
"""

from __future__ import annotations

from pathlib import Path

from index.readers import docx, html, odt, pdf
from index.readers.base import Document, ReaderError

BINARY_READERS = {
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".odt": odt.read,
    ".html": html.read,
    ".htm": html.read,
}

_SAVE_AS = "open it and save it as .docx or .pdf (File > Save As)"
_SHEET = "a spreadsheet: put its table in the plan's .docx, or save it as .pdf"
_SLIDES = "a slide show: save it as .pdf"
_IMAGE = "an image has no text: OCR it, or save the original document as .docx or .pdf"
_ARCHIVE = "an archive: unpack it and put the plan files themselves in the corpus"
_WEB_ARCHIVE = f"a single-file web archive: save the page as .html, or {_SAVE_AS}"
#: What a refused suffix is and what to do with it.
REFUSED = {
    ".doc": f"an old Word 97-2003 file: {_SAVE_AS}",
    ".rtf": f"a Rich Text file: {_SAVE_AS}",
    ".docm": f"a macro-enabled Word file: {_SAVE_AS}",
    ".dotx": f"a Word template, not a plan: {_SAVE_AS}",
    ".xls": _SHEET, ".xlsx": _SHEET, ".ods": _SHEET, ".csv": _SHEET,
    ".ppt": _SLIDES, ".pptx": _SLIDES, ".odp": _SLIDES,
    ".jpg": _IMAGE, ".jpeg": _IMAGE, ".png": _IMAGE, ".tif": _IMAGE, ".tiff": _IMAGE,
    ".zip": _ARCHIVE, ".rar": _ARCHIVE,
    ".mht": _WEB_ARCHIVE, ".mhtml": _WEB_ARCHIVE,
}
_OTHER = "not a plan document the bot can read: save it as .docx or .pdf (or UTF-8 text " \
    "with front matter)"


def refusal(path: str | Path, known: list[str] | None = None) -> ReaderError:
    """The error for a file no reader reads: what it is and what to do, naming the file."""
    suffix = Path(path).suffix.lower()
    kind = f"'{suffix}' files" if suffix else "files without a suffix"
    known = sorted(BINARY_READERS) + [".md", ".txt"] if known is None else known
    return ReaderError(
        str(path), f"cannot read {kind}: {REFUSED.get(suffix, _OTHER)}; plans are read from "
        f"{', '.join(sorted(known))} files"
    )


def read_binary(path: str | Path) -> Document:
    """Read a PDF, Word, OpenDocument or HTML plan; a ReaderError for any other suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in BINARY_READERS:
        return BINARY_READERS[suffix](path)
    raise refusal(path)
