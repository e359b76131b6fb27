"""Turn a plan document into a tree: owner -> sections -> numbered items -> sub-items.

A reader (`index.readers`) turns a file into a `Document`: owner metadata and lines in reading
order. `parse_document` reads the lines with the rules of `index.rules`, which recognise line
shapes (`index.lines`) and grow the tree (`index.tree`) of the model's classes
(`index.model`). A text plan is UTF-8 text below a YAML front matter naming its owner
(`index.readers.text`).

The text is often loosely formatted web text. The parser copes with what real pages do:
list numbers repeated by a broken renderer ("1. 1. 1. 2."), hard-wrapped items, two items on
one line, sub-items (1.1), bullets, `1)` and `๑.` numbering, numbered and misspelt headings
with English tags, `label : value` lines, page noise and a signature block. Everything that is
not fatal becomes a warning on the plan; what is fatal raises `PlanParseError` with the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from index import readers
from index.headings import short_label
from index.lines import (
    MARKUP,
    classify_heading,
    content_kind,
    glued_at_end,
    split_glued_headings,
    split_inline_ordinals,
)
from index.model import Item, Plan, PlanParseError, Section
from index.readers import text as text_reader
from index.readers.base import Document, Line, ReaderError, Table
from index.rules import take_line
from index.tables import ReadTable, is_rule_row, pipe_row, read_table, tab_row
from index.text import clean
from index.tree import WRAP_WIDTH, Builder, assign_paths

MAX_DOCUMENT_BYTES = text_reader.MAX_DOCUMENT_BYTES

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "WRAP_WIDTH",
    "Item",
    "Plan",
    "PlanParseError",
    "Section",
    "classify_heading",
    "parse_body",
    "parse_document",
    "parse_file",
    "parse_text",
    "read_document",
    "split_front_matter",
]


def parse_document(doc: Document) -> Plan:
    """Parse a document a reader gave.

    A document without any recognised heading is read as an untitled list, with a warning
    (classified by its content where its items clearly are of one kind); one with neither a
    heading nor a list has nothing to quote and raises PlanParseError at its first line.
    """
    first_line = next((b.line for b in doc.blocks), 1)
    plan = _parse_blocks(doc.blocks, doc.source, doc.paragraph_lines)
    plan.meta = doc.meta
    plan.warnings[:0] = doc.warnings
    if not plan.sections:
        raise PlanParseError(
            doc.source,
            first_line,
            "no plan sections found: no heading (such as วิสัยทัศน์, พันธกิจ, กลยุทธ์) and no "
            "numbered list",
        )
    if all(s.kind == "other" and not s.heading for s in plan.sections):
        _untitled(plan)
    return plan


def _untitled(plan: Plan) -> None:
    """A plan without headings: its lists are one untitled list, classified if it can be."""
    section = plan.sections[0]
    items = [item for s in plan.sections for item in s.items]
    found = content_kind([item.text for item in items], plan.preamble)
    message = f"no heading found: read as an untitled list of {len(items)} items"
    if found is not None:
        kind, why = found
        for s in plan.sections:
            s.kind = kind
            for item in s.walk():
                item.kind = kind if item.kind == "other" else item.kind
            assign_paths(s)
        message += f", classified as {short_label(kind)} because {why}"
    plan.warnings.append(f"{plan.source} line {section.line}: {message}")


def parse_body(text: str, source: str = "<text>", first_line: int = 1) -> Plan:
    """Parse the plan text below the front matter. Line numbers count from `first_line`."""
    return _parse_blocks(text_reader.body_lines(text, first_line), source)


def parse_text(text: str, source: str = "<text>") -> Plan:
    """Parse a whole document (front matter and plan text) given as a string."""
    return parse_document(_reading(text_reader.text_document, text, source))


def parse_file(path: str | Path) -> Plan:
    """Read one plan document with the reader for its format and parse it."""
    return parse_document(read_document(path))


def read_document(path: str | Path) -> Document:
    """Read one plan file with the reader for its format; a reader's error with a line is a
    PlanParseError (file and line), one without stays a ReaderError naming the file."""
    return _reading(readers.read, path)


def split_front_matter(text: str, source: str) -> tuple[dict, str, int]:
    """(front matter, body, line number of the body's first line)."""
    return _reading(text_reader.split_front_matter, text, source)


def _reading(read, *args):
    """Call a reader; its errors with a line become PlanParseError (file and line)."""
    try:
        return read(*args)
    except ReaderError as exc:
        if exc.line is None:
            raise
        raise PlanParseError(exc.source, exc.line, exc.reason) from None


def _parse_blocks(blocks: Iterable[Line | Table], source: str, paragraph_lines=False) -> Plan:
    """Feed a document's lines and tables to the rules, one at a time, and collect the tree.

    `paragraph_lines`: each line is a whole paragraph (a word processor's), as if a blank
    line followed it; otherwise a long line running on into the next was hard-wrapped.
    """
    blocks = list(blocks)
    builder = Builder(source, {b.line: b.page for b in blocks if b.page})
    builder.paragraph_lines = paragraph_lines
    entries = _without_contents(_entries(blocks), builder)
    upcoming = _upcoming(entries)
    for (line_no, entry), following in zip(entries, upcoming, strict=True):
        if isinstance(entry, str) and entry and (glued := glued_at_end(entry, following)):
            take_line(builder, glued[0], line_no, glued[1])  # "... สากล พันธกิจ" over "1. ..."
            builder.previous_line, entry = glued[0], glued[1]
        if isinstance(entry, ReadTable):
            _take_table(builder, entry, line_no)
            builder.previous_line = ""
            builder.blank = True
            continue
        if not entry:
            builder.blank = True
            continue
        take_line(builder, entry, line_no, following)
        builder.previous_line = entry
        builder.blank = paragraph_lines
    sections = builder.finish()
    return Plan(source, {}, sections, builder.warnings, builder.preamble)


Entry = tuple[int, "str | ReadTable"]

#: A table of contents' title, and its lines: "เรื่อง หน้า", "ส่วนที่ ๓ โครงการ… 9".
CONTENTS_TITLE = re.compile(r"\s*(?:สารบัญ|สารบาญ|(?:table of )?contents)\s*", re.IGNORECASE)
CONTENTS_LINE = re.compile(r".*\S\s+(?:\d{1,3}|[๐-๙]{1,3})|\s*(?:เรื่อง|หัวข้อ|สารบัญ)?\s*หน้า\s*")


def _without_contents(entries: list[Entry], builder: Builder) -> list[Entry]:
    """The entries without a table of contents ("สารบัญ" and the lines under it that end in a
    page number, up to a blank line): its lines name the plan's parts, not their text, and
    read as headings they had opened a second project section ("… 9" over "ภาคผนวก 21")."""
    kept: list[Entry] = []
    contents: list[Entry] = []  # the title and the lines taken as its so far

    def settle() -> None:
        if len(contents) > 1:
            builder.warn(contents[0][0], "table of contents skipped "
                                         f"(lines {contents[0][0]}-{contents[-1][0]})")
        else:
            kept.extend(contents)  # a title alone: kept as it was
        contents.clear()

    for line_no, entry in entries:
        text = entry if isinstance(entry, str) else None
        if text is not None and CONTENTS_TITLE.fullmatch(text):
            settle()
            contents.append((line_no, entry))
            continue
        if contents and text and CONTENTS_LINE.fullmatch(text):
            contents.append((line_no, entry))
            continue
        settle()
        kept.append((line_no, entry))
    settle()
    return kept


def _entries(blocks: Iterable[Line | Table]) -> list[Entry]:
    """(line number, clean text or table) pairs: markup removed, 'ที่ 5 ... ที่ 6 ...' lines
    split, runs of '| a | b |' lines and of rows pasted from a spreadsheet (cells between
    tabs) read as tables."""
    entries: list[Entry] = []
    pipes: list[tuple[int, list[str]]] = []
    tabbed: list[tuple[Line, list[str]]] = []
    for block in [*blocks, None]:
        cells = pipe_row(block.text) if isinstance(block, Line) else None
        if cells is not None and len([c for c in cells if c]) >= 2 or (
            cells is not None and is_rule_row(cells)
        ):
            pipes.append((block.line, cells))
            continue
        tabs = tab_row(block.text) if isinstance(block, Line) and not pipes else None
        if tabs is not None:
            tabbed.append((block, tabs))
            continue
        if pipes:
            rows = [row for _, row in pipes if not is_rule_row(row)]
            entries.append((pipes[0][0], _read(rows)))
            pipes = []
        if tabbed:
            entries += _tabbed_entries(tabbed)
            tabbed = []
        if block is None:
            break
        if isinstance(block, Table):
            entries.append((block.line, _read(block.rows)))
            continue
        entries += _line_entries(block, cells)
    return entries


def _tabbed_entries(tabbed: list[tuple[Line, list[str]]]) -> list[Entry]:
    """A run of lines with cells between tabs: a table when it has two rows or more and
    three cells in a row somewhere ('กลยุทธ์⇥จำนวนโครงการ⇥งบประมาณ'); otherwise lines
    ('วิสัยทัศน์⇥…' is a heading and its text)."""
    if len(tabbed) >= 2 and max(len([c for c in cells if c]) for _, cells in tabbed) >= 3:
        return [(tabbed[0][0].line, _read([cells for _, cells in tabbed]))]
    return [entry for block, _ in tabbed for entry in _line_entries(block, None)]


def _line_entries(block: Line, cells: list[str] | None) -> list[Entry]:
    """One line's entries: its clean text, split where headings or ordinals were glued."""
    text = " ".join(c for c in cells if c) if cells else block.text  # "| 1. สอนดี |"
    text = MARKUP.sub("", clean(text)).strip()
    if not text:
        return [(block.line, "")]
    return [(block.line, piece) for glued in split_glued_headings(text)
            for piece in split_inline_ordinals(glued)]


def _read(rows: list[list[str]]) -> ReadTable:
    return read_table([[clean(cell) for cell in row] for row in rows])


def _take_table(builder: Builder, table: ReadTable, line: int) -> None:
    """A table's rows as items; a row across the whole table is a line of its own (it may be
    a heading such as 'ยุทธศาสตร์ที่ 1 ...' that the following rows belong to)."""
    if not table.headed and len(table.rows) > 1 and len(table.columns) > 2:
        builder.warn(line, "table read without a heading row: its columns have no names, so "
                           "its budgets, targets and links cannot be found by name (is its "
                           "first row a heading with a figure in it?)")
    pending: list = []
    for row in table.rows:
        if not row.spanning:
            pending.append(row)
            continue
        if pending:
            builder.add_table(replace(table, rows=pending, totals=[]), line)
            pending = []
        take_line(builder, row.text, line)
    if pending or table.totals:
        builder.add_table(replace(table, rows=pending), line)


def _upcoming(entries: list[Entry]) -> list[str]:
    """For each entry, the next non-blank line after it ("" at the end or before a table)."""
    following = ""
    upcoming = [""] * len(entries)
    for index in range(len(entries) - 1, -1, -1):
        upcoming[index] = following
        entry = entries[index][1]
        if isinstance(entry, ReadTable):
            following = ""
        elif entry:
            following = entry
    return upcoming
