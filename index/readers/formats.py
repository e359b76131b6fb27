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
REFUSED = {
    ".doc": f"an old Word 97-2003 file (.doc) cannot be read: {_SAVE_AS}",
    ".rtf": f"a Rich Text file cannot be read: {_SAVE_AS}",
    ".docm": f"a macro-enabled Word file is not read: {_SAVE_AS}",
    ".dotx": f"a Word template is not a plan: {_SAVE_AS}",
    ".xls": "a spreadsheet cannot be read: put its table in the plan's .docx, or save it as .pdf",
    ".xlsx": "a spreadsheet cannot be read: put its table in the plan's .docx, or save it as .pdf",
    ".ods": "a spreadsheet cannot be read: put its table in the plan's .docx, or save it as .pdf",
    ".csv": "a spreadsheet cannot be read: put its table in the plan's .docx, or save it as .pdf",
    ".ppt": "a slide show cannot be read: save it as .pdf",
    ".pptx": "a slide show cannot be read: save it as .pdf",
    ".odp": "a slide show cannot be read: save it as .pdf",
    ".jpg": "an image has no text: OCR it, or save the original document as .docx or .pdf",
    ".jpeg": "an image has no text: OCR it, or save the original document as .docx or .pdf",
    ".png": "an image has no text: OCR it, or save the original document as .docx or .pdf",
    ".tif": "an image has no text: OCR it, or save the original document as .docx or .pdf",
    ".tiff": "an image has no text: OCR it, or save the original document as .docx or .pdf",
    ".zip": "an archive is not read: unpack it and put the plan files themselves in the corpus",
    ".rar": "an archive is not read: unpack it and put the plan files themselves in the corpus",
    ".mht": f"a single-file web archive cannot be read: save the page as .html, or {_SAVE_AS}",
    ".mhtml": f"a single-file web archive cannot be read: save the page as .html, or {_SAVE_AS}",
}


def read_binary(path: str | Path) -> Document:
    """Read a PDF, Word, OpenDocument or HTML plan; a ReaderError for any other suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in BINARY_READERS:
        return BINARY_READERS[suffix](path)
    if suffix in REFUSED:
        raise ReaderError(str(path), REFUSED[suffix])
    raise ReaderError(
        str(path), f"files ending in '{suffix or '(no suffix)'}' are not plan documents the bot "
        "can read: save it as .docx or .pdf (or UTF-8 text with front matter)",
    )
