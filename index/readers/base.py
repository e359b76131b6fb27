"""What every reader gives the parser: lines in reading order and tables as rows of cells."""

from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Line:
    """One line of text as a reader sees it, with where it came from."""

    text: str  # as printed: list numbers kept (Word's automatic numbering rebuilt)
    line: int  # 1-based line in a text file; for other formats a running line number
    page: int | None = None  # 1-based page, where the format has pages


@dataclass
class Table:
    """A table: rows of cell texts, merged cells repeated no more than once."""

    rows: list[list[str]]
    line: int
    page: int | None = None


@dataclass
class Document:
    """A plan file read into lines and tables, with its owner metadata and what was repaired."""

    source: str  # the file's path, as messages name it
    format: str  # "text", "pdf", "docx", "odt", "html"
    meta: dict  # front matter or sidecar keys: office, short, aliases, year, source, contact
    blocks: list[Line | Table] = field(default_factory=list)
    pages: int | None = None
    repairs: Counter = field(default_factory=Counter)  # repair name -> count
    warnings: list[str] = field(default_factory=list)
    meta_from: str = ""  # "front matter", "sidecar plan.pdf.yaml", "first page", ...
    #: Each line is a whole paragraph (Word, OpenDocument, web pages), not a printed line
    #: that may have been wrapped (PDF, text files).
    paragraph_lines: bool = False

    def lines(self) -> list[Line]:
        """The text lines alone, in reading order."""
        return [b for b in self.blocks if isinstance(b, Line)]


class ReaderError(Exception):
    """A file a reader cannot read. The message names the file and says what to do."""

    def __init__(self, source: str, message: str, line: int | None = None):
        where = f"{source} line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.reason = message


def check_file(source: str, status: os.stat_result, limit: int, line: int | None = None):
    """Refuse, before reading, what is not a regular file (a FIFO would block the reader
    forever, a device never ends) or is larger than `limit` bytes."""
    if not stat.S_ISREG(status.st_mode):
        raise ReaderError(source, "not a regular file (a pipe, device or socket): not read", line)
    if status.st_size > limit:
        raise ReaderError(source, f"file is larger than {limit} bytes", line)


def read_limited(path: str | Path, limit: int, line: int | None = None) -> bytes:
    """A regular file's bytes, its size checked before reading and never more than `limit`
    read (a file growing meanwhile is refused too); a ReaderError naming the file (and
    `line`, for formats whose errors have one) otherwise."""
    source = str(path)
    # O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        check_file(source, os.fstat(file.fileno()), limit, line)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ReaderError(source, f"file is larger than {limit} bytes", line)
    return data
