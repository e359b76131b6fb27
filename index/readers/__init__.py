"""Readers turn a plan file of one format into a `Document` the parser reads.

One module per format, each with a `read(path) -> Document` that raises `ReaderError` naming
the file (and the line, where there is one). `read(path)` picks the reader by the file's
suffix. Adding a format is one new module and one `register` line below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.readers import formats, text
from index.readers.base import Document, Line, ReaderError, Table

Reader = Callable[[Path], Document]

#: Readers by lower-case file suffix.
READERS: dict[str, Reader] = {}


def register(suffixes: tuple[str, ...], reader: Reader) -> None:
    """Read files with these suffixes (".pdf") with `reader`."""
    for suffix in suffixes:
        READERS[suffix.lower()] = reader


register(text.SUFFIXES, text.read)
for _suffix, _reader in formats.BINARY_READERS.items():
    register((_suffix,), _reader)


def reader_for(path: str | Path) -> Reader:
    """The reader for a file, by its suffix; ReaderError naming the file when there is none."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise formats.refusal(path, list(READERS))
    return reader


def read(path: str | Path) -> Document:
    """Read one plan file with the reader for its format."""
    return reader_for(path)(Path(path))


__all__ = ["READERS", "Document", "Line", "ReaderError", "Table", "read", "reader_for", "register"]
