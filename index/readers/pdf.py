"""The PDF reader: the text layer, rebuilt into lines and tables from character positions.

Built on pypdfium2 (PDFium; Apache-2.0/BSD) rather than PyMuPDF (AGPL-3.0), see
docs/pdf-readers.md. PDFium's own line breaks split Thai marks from their letters and its
generated spaces follow the gaps of justified lines, so the reader takes each real character
with its baseline, box and font and rebuilds the page itself:

* characters on one baseline form a row; a wide gap splits a row into cells, and two or more
  rows of cells in a row of the page make a table (rows of cells, as printed);
* a space goes where the PDF has one, or where the gap is a word gap (not a justified letter
  gap);
* a font that gives SARA AA as SARA AM is found and fixed per font (`repair.swapped_fonts`);
* every line then goes through `repair.repair`, and running headers, footers and page numbers
  are dropped (`repair.running_lines`), also inside items that cross a page.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index import quality, repair
from index.readers import assemble
from index.readers.base import Document, Line, ReaderError, Table
from index.text import join_wrapped

MAX_PDF_BYTES = 200 * 1024 * 1024
#: Fewer visible characters than this per page on average: no text layer (a scan).
MIN_CHARS_PER_PAGE = 20
#: More cells than this in a row: a line spaced out for justification, not a table row.
MAX_COLUMNS = 15
_MARKS = frozenset(chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])
#: A table row's own number opening its first column: "12", "๓", "1.", "2.1", "12 แท่น…".
_ROW_NUMBER = re.compile(r"^[0-9๐-๙]{1,3}(?:\.[0-9๐-๙]{1,3})*\.?(?:\s|$)")
#: A table's total row: "รวม", "รวมทั้งสิ้น 1,575,000".
_TOTAL = re.compile(r"^(?:รวม|total)", re.I)
_LIST_MARKER = re.compile(r"^(?:[0-9๐-๙]{1,3}(?:[.)][0-9๐-๙]{0,3})*[.)]?|[•●○◦▪■□\-–*])$")


@dataclass
class _Char:
    text: str
    font: str
    left: float
    right: float
    size: float = 10.0


@dataclass
class _Fragment:
    """Characters in stream order on one baseline."""

    y: float
    size: float
    chars: list[_Char] = field(default_factory=list)
    order: int = 0  # place in the page's text stream

    @property
    def left(self) -> float:
        return min((c.left for c in self.chars if c.text not in _MARKS), default=0.0)

    @property
    def right(self) -> float:
        return max((c.right for c in self.chars if c.text not in _MARKS), default=0.0)


@dataclass
class _Row:
    y: float
    cells: list[list[_Char]]
    starts: list[float]
    size: float = 10.0
    ends: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def read(path: str | Path) -> Document:
    """Read a PDF's text layer into lines and tables, repaired; refuse scans and mojibake."""
    import pypdfium2 as pdfium

    path, source = assemble.checked(path, MAX_PDF_BYTES)
    try:
        pdf = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        raise ReaderError(source, _why_unreadable(path, exc)) from None
    try:
        pages = [_page_rows(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    return _document(source, pages)


def _why_unreadable(path: Path, error: Exception) -> str:
    """Why PDFium could not open a file named .pdf: not a PDF at all (a text plan or a Word
    file renamed), or a damaged or password-protected one."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        kind = ("a Word or OpenDocument file (zip)" if head.startswith(b"PK")
                else "text" if head and _is_text(head) else "another kind of file")
        return (f"not a PDF: the file does not start as a PDF does (it looks like {kind}); "
                "give it the extension of what it is (.txt, .docx, .odt) or export it as PDF")
    return (f"not a readable PDF ({error}): damaged or password-protected; open it and save it "
            "again as PDF")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the end of the sample is still text
        return exc.start >= len(head) - 3
    return True


def _page_rows(page) -> list[_Row]:
    """The rows of one page, top to bottom, each a list of cells of characters."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        fragments = _fragments(textpage, text, count, raw)
    finally:
        textpage.close()
        page.close()
    return _columns_in_turn(_rows(fragments))


def _fragments(textpage, text: str, count: int, raw) -> list[_Fragment]:
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    fonts: dict[int, str] = {}
    fragments: list[_Fragment] = []
    current: _Fragment | None = None
    for i in range(min(count, len(text))):
        ch = text[i]
        if raw.FPDFText_IsGenerated(textpage, i) == 1 or ch in "\r\n\x00\ufffe":
            continue
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        raw.FPDFText_GetLooseCharBox(textpage, i, box)
        left.value, right.value = box.left, box.right
        size = raw.FPDFText_GetFontSize(textpage, i) or 10.0
        font = _font_name(raw, raw.FPDFText_GetTextObject(textpage, i), fonts)
        if current is None or (
            ch not in _MARKS and abs(y.value - current.y) > 0.4 * max(size, current.size)
        ):
            current = _Fragment(y.value, size)
            fragments.append(current)
        current.chars.append(_Char(ch, font, left.value, right.value, size))
    return fragments


def _font_name(raw, text_object, cache: dict[int, str]) -> str:
    key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
    if key not in cache:
        name = ""
        font = raw.FPDFTextObj_GetFont(text_object) if key else None
        if font:
            buffer = ctypes.create_string_buffer(256)
            length = raw.FPDFFont_GetBaseFontName(font, buffer, 256)
            name = buffer.raw[: max(0, length - 1)].decode("utf-8", "replace")
        cache[key] = name.split("+", 1)[-1]  # "BCDEEE+THSarabunPSK" is THSarabunPSK
    return cache[key]


def _split_wide(fragments: list[_Fragment]) -> list[_Fragment]:
    """Fragments cut where two letters stand a cell apart (a spreadsheet row is one stream),
    but not at the widened word spaces of a justified line: a wide gap holding a space the
    PDF wrote, with no gap without one after it (cells follow a row's label, "กลยุทธ์ที่ 1",
    and the text after it is justified; a spreadsheet's cells go on after a spaced one)."""
    out = []
    for order, fragment in enumerate(fragments):
        piece = _Fragment(fragment.y, fragment.size, order=order)
        gaps = _wide_gaps(fragment)
        last_cell = max((i for i, spaced in gaps.items() if not spaced), default=-1)
        for i, char in enumerate(fragment.chars):
            if i in gaps and (not gaps[i] or i < last_cell):
                out.append(piece)
                piece = _Fragment(fragment.y, fragment.size, order=order)
            piece.chars.append(char)
        out.append(piece)
    return out


def _wide_gaps(fragment: _Fragment) -> dict[int, bool]:
    """The letters that stand a cell apart from the letter before them (by index), each with
    whether a space the PDF wrote lies in the gap."""
    gaps, last, spaced = {}, None, False
    for i, char in enumerate(fragment.chars):
        if char.text.strip() and char.text not in _MARKS:
            if last is not None and char.left - last.right > 0.7 * fragment.size:
                gaps[i] = spaced
            last, spaced = char, False
        elif char.text == " ":
            spaced = True
    return gaps


def _rows(fragments: list[_Fragment]) -> list[_Row]:
    """Fragments on one baseline joined into a row, sorted left to right, split into cells.

    Two fragments become two cells at a wide gap, or at a word gap when the stream put other
    lines between them (a table is drawn cell by cell, a line of prose in one go).
    """
    rows: list[list[_Fragment]] = []
    for fragment in sorted(_split_wide(fragments), key=lambda f: -f.y):
        if not any(c.text.strip() for c in fragment.chars):
            continue
        if rows and abs(rows[-1][0].y - fragment.y) <= 0.3 * fragment.size:
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    out = []
    for group in rows:
        group.sort(key=lambda f: f.left)
        cells: list[list[_Char]] = [list(group[0].chars)]
        starts, ends = [group[0].left], []
        end, order = group[0].right, group[0].order
        for fragment in group[1:]:
            gap = fragment.left - end
            apart = abs(fragment.order - order) > 1
            if gap > 0.7 * fragment.size or (apart and gap > 0.25 * fragment.size):
                cells.append(list(fragment.chars))
                starts.append(fragment.left)
                ends.append(end)
            else:
                if gap > 0.15 * fragment.size:
                    cells[-1].append(_Char(" ", "", end, fragment.left))
                cells[-1].extend(fragment.chars)
            end, order = max(end, fragment.right), fragment.order
        ends.append(end)
        out.append(_Row(group[0].y, cells, starts, group[0].size, ends))
    return out


#: Rows of a page set in two columns: at least this many in the run, and at least
#: ONE_SIDED of them with text on the left only and as many on the right only.
MIN_COLUMN_ROWS = 6
ONE_SIDED = 2


def _columns_in_turn(rows: list[_Row]) -> list[_Row]:
    """A page (or a part of one) set in two columns, read column by column: the left one's
    lines top to bottom, then the right one's. Two columns are a run of rows that no cell
    crosses at one gutter, none of more than two cells, some with text on the left only and
    some on the right only (a vision beside the goals, each with its heading); a table fills
    both sides of most rows, or has more columns, and is left as rows."""
    for gutter in sorted({_gap(row) for row in rows if len(row.cells) >= 2}):
        start = 0
        while start < len(rows):
            end = start
            while end < len(rows) and not _crosses(rows[end], gutter):
                end += 1
            if end - start >= MIN_COLUMN_ROWS and _two_columns(rows[start:end], gutter):
                return rows[:start] + _split_columns(rows[start:end], gutter) + \
                    _columns_in_turn(rows[end:])
            start = end + 1
    return rows


def _gap(row: _Row) -> float:
    """The middle of a row's first gap between cells (a gutter, where columns are)."""
    return round((row.ends[0] + row.starts[1]) / 2)


def _crosses(row: _Row, gutter: float) -> bool:
    return any(start < gutter < end for start, end in zip(row.starts, row.ends, strict=False))


def _two_columns(rows: list[_Row], gutter: float) -> bool:
    if any(len(row.cells) > 2 for row in rows):
        return False  # a row of three cells or more: a table's
    left = sum(all(end < gutter for end in row.ends) for row in rows)
    right = sum(all(start > gutter for start in row.starts) for row in rows)
    return left >= ONE_SIDED and right >= ONE_SIDED


def _split_columns(rows: list[_Row], gutter: float) -> list[_Row]:
    """The rows' cells left of the gutter, then those right of it, each side in its order."""
    sides: tuple[list[_Row], list[_Row]] = ([], [])
    for row in rows:
        for side, keep in ((0, lambda x: x < gutter), (1, lambda x: x > gutter)):
            cells = [i for i, start in enumerate(row.starts) if keep(start)]
            if cells:
                sides[side].append(_Row(row.y, [row.cells[i] for i in cells],
                                        [row.starts[i] for i in cells], row.size,
                                        [row.ends[i] for i in cells]))
    return sides[0] + sides[1]


def _cell_text(chars: list[_Char], swapped: set[str]) -> str:
    """A cell's characters as text: spaces at word gaps, a swapped font's SARA AA restored.

    A word gap is measured against the line's own letter spacing (the median gap), so a line
    justified by spacing out its letters does not come apart into letters.
    """
    letters = [c for c in chars if c.text.strip() and c.text not in _MARKS]
    gaps = sorted(b.left - a.right for a, b in zip(letters, letters[1:], strict=False))
    spacing = max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0
    parts: list[tuple[str, str]] = []  # (font, text) runs
    previous: _Char | None = None
    for char in chars:
        piece = char.text
        if (
            previous is not None and piece.strip() and piece not in _MARKS
            and previous.text.strip() and char.left - previous.right > spacing + 0.15 * char.size
        ):
            piece = " " + piece
        if parts and parts[-1][0] == char.font:
            parts[-1] = (char.font, parts[-1][1] + piece)
        else:
            parts.append((char.font, piece))
        if piece.strip() and char.text not in _MARKS:
            previous = char
    text = "".join(repair.swap_aa_am(t) if f in swapped else t for f, t in parts)
    return " ".join(text.split())


def _document(source: str, pages: list[list[_Row]]) -> Document:
    spans: list[tuple[str, str]] = []
    for rows in pages:
        for row in rows:
            for cell in row.cells:
                run_font, run = None, []
                for char in cell:
                    if char.font != run_font and run:
                        spans.append((run_font, "".join(run)))
                        run = []
                    run_font = char.font
                    run.append(char.text)
                if run:
                    spans.append((run_font, "".join(run)))
    swapped = repair.swapped_fonts(spans)
    repairs: Counter = Counter()
    if swapped:
        repairs["aa_am_swap"] += sum(
            text.count(repair.SARA_AM) for font, text in spans if font in swapped
        )
    def text_of(chars: list[_Char]) -> str:
        return repair.repair(_cell_text(chars, swapped), repairs)[0]

    texts: list[list[str]] = []
    for rows in pages:
        page_texts = []
        for row in rows:
            row.texts = [text_of(c) for c in row.cells]
            page_texts.append(" ".join(t for t in row.texts if t))
        texts.append(page_texts)
    visible = sum(len(t.replace(" ", "")) for page in texts for t in page)
    if visible < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise ReaderError(
            source, "no text layer: the PDF is a scanned image. A scan needs OCR (for example "
            "`ocrmypdf -l tha`) or the original document saved as PDF from Word",
        )
    quality.refuse_mojibake(source, "\n".join(t for page in texts for t in page))
    running = repair.running_lines(texts)
    if running:
        repairs["running"] += len(running)
    return assemble.document(source, "pdf", _blocks(pages, running, text_of), len(pages),
                             repairs)


def _blocks(pages: list[list[_Row]], running: set[int], text_of) -> list[Line | Table]:
    """Rows in reading order: a run of two or more rows of cells is a table, the rest lines.
    `text_of` gives a cell's text from its characters (a cell split at a column is read
    again)."""
    blocks: list[Line | Table] = []
    number = 0
    index = 0
    pending: list[tuple[_Row, int, int]] = []  # table rows waiting: (row, line, page)

    def flush() -> None:
        if len(pending) >= 2 and _columns_line_up([row for row, _, _ in pending]):
            row, line, page = pending[0]
            _split_at_columns([r for r, _, _ in pending], text_of)
            head = pending[0][0].texts  # a header printed again atop each page is one header
            rows = [head] + [r.texts for r, _, _ in pending[1:] if r.texts != head]
            blocks.append(Table(rows, line, page))
        else:
            for row, line, page in pending:
                blocks.append(Line(" ".join(row.texts), line, page))
        pending.clear()

    for page_number, rows in enumerate(pages, 1):
        for row in rows:
            keep = index not in running
            index += 1
            if not keep:
                continue
            in_table = bool(pending) and _in_a_table(pending)
            if not in_table:
                _merge_list_markers(row)  # in a table a number is a cell ("0.40 | 0.30")
            if not any(row.texts):
                continue
            if in_table and _continues(pending[-1][0], row, text_of):
                continue
            kept = [(s, e, t, c) for s, e, t, c in zip(row.starts, row.ends, row.texts,
                                                         row.cells, strict=False) if t]
            texts = [k[2] for k in kept]
            number += 1
            if len(texts) >= 2:
                row.starts, row.ends, row.texts, row.cells = (
                    [k[0] for k in kept], [k[1] for k in kept], texts, [k[3] for k in kept])
                pending.append((row, number, page_number))
                continue
            flush()
            blocks.append(Line(texts[0], number, page_number))
    flush()
    return blocks


def _columns_line_up(rows: list[_Row]) -> bool:
    """True when rows of cells share column edges, as a table's do and a justified line's
    wide word gaps do not: most pairs of rows share a third of their cell edges (two at
    least) besides the left margin, and no row has more than MAX_COLUMNS cells."""
    def shared(a: _Row, b: _Row) -> int:
        tolerance = 0.5 * a.size
        edges_a = a.starts[1:] + a.ends
        edges_b = b.starts[1:] + b.ends
        if max(len(a.starts), len(b.starts)) > MAX_COLUMNS:
            return False
        matched = sum(any(abs(x - y) <= tolerance for y in edges_b) for x in edges_a)
        return matched >= max(2, min(len(edges_a), len(edges_b)) / 3)

    pairs = list(zip(rows, rows[1:], strict=False))
    return sum(shared(a, b) for a, b in pairs) * 2 >= len(pairs)


def _split_at_columns(rows: list[_Row], text_of, edges: list[float] | None = None) -> None:
    """Cells that run over a column edge of their table (two cells printed so close together
    that they came out as one: "ไม่เกิน 0.40 0.30" under 2569) are split there, at the gap
    between characters nearest the edge. The edges are those of the row with the most cells
    (or `edges`, a row's own, for the wrapped line about to join it); a row whose wrapped
    lines were joined keeps its cells."""
    widest = max(rows, key=lambda r: len(r.texts))
    edges = widest.starts[1:] if edges is None else edges
    for row in rows:
        if len(row.texts) >= len(edges) + 1 or len(row.cells) != len(row.texts):
            continue
        cells, starts, ends, texts = [], [], [], []
        for chars, start, end, text in zip(row.cells, row.starts, row.ends, row.texts,
                                           strict=True):
            inside = [e for e in edges if start + row.size < e < end - 0.5 * row.size]
            pieces = _cut(chars, inside, row.size) if inside else [chars]
            if len(pieces) == 1:
                cells.append(chars), starts.append(start), ends.append(end), texts.append(text)
                continue
            for piece in pieces:
                visible = [c for c in piece if c.text.strip() and c.text not in _MARKS]
                cells.append(piece)
                starts.append(min(c.left for c in visible))
                ends.append(max(c.right for c in visible))
                texts.append(text_of(piece))
        row.cells, row.starts, row.ends, row.texts = cells, starts, ends, texts


def _cut(chars: list[_Char], edges: list[float], size: float) -> list[list[_Char]]:
    """A cell's characters cut at each column edge inside it, where a word-wide gap between
    two letters lies within half a letter of the edge; uncut where none does."""
    pieces, piece = [], []
    remaining = list(edges)
    last = None
    for char in chars:
        letter = char.text.strip() and char.text not in _MARKS
        if letter and last is not None and remaining and piece:
            edge = remaining[0]
            if (last.right - 0.5 * size <= edge <= char.left + 0.5 * size
                    and char.left - last.right >= 0.25 * size):
                pieces.append(piece)
                piece = []
                remaining.pop(0)
            elif char.left > edge + 0.5 * size:
                remaining.pop(0)  # passed without a gap there: not a column break
        piece.append(char)
        if letter:
            last = char
    pieces.append(piece)
    return [p for p in pieces if any(c.text.strip() for c in p)]


def _in_a_table(pending: list[tuple[_Row, int, int]]) -> bool:
    """Whether the rows of cells waiting are a table's, into which a wrapped line may go: two
    rows whose columns line up, or one of three cells or more. A lone row of two cells is as
    often a justified line with one wide word gap, and the lines after it are prose."""
    rows = [row for row, _, _ in pending]
    return (len(rows) >= 2 and _columns_line_up(rows[-2:])) or len(rows[-1].texts) >= 3


def _continues(last: _Row, row: _Row, text_of) -> bool:
    """Join a row into the table row above when it is the wrapped rest of that row's cells.

    It is when it sits one line below in the same type size, has fewer cells, and each cell
    starts where a cell of the row above starts; its text then goes on in those cells. A row
    that opens with a number in the first column, or holds a total ("รวม"), is a row of its
    own: cells printed close together merely came out as fewer cells.
    """
    if (last.y - row.y > 2.2 * max(row.size, last.size) or len(row.texts) >= len(last.texts)
            or abs(row.size - last.size) > 0.15 * last.size):
        return False
    first = next((i for i, t in enumerate(row.texts) if t), None)
    if first is None or any(_TOTAL.match(t) for t in row.texts if t):
        return False
    if (abs(row.starts[first] - last.starts[0]) <= 0.5 * row.size
            and _ROW_NUMBER.match(row.texts[first]) and _ROW_NUMBER.match(last.texts[0])):
        return False
    if len(row.cells) == len(row.texts):
        _split_at_columns([last, row], text_of, edges=last.starts[1:])
    columns = []
    for start, text in zip(row.starts, row.texts, strict=False):
        if not text:
            continue
        near = [i for i, s in enumerate(last.starts) if abs(s - start) <= 0.5 * row.size]
        if not near or near[0] >= len(last.texts):
            return False
        columns.append((near[0], text))
    for column, text in columns:
        last.texts[column] = join_wrapped(last.texts[column], text)
    last.y = row.y  # the next wrapped line is measured from this one
    return True


def _merge_list_markers(row: _Row) -> None:
    """'1.' or '•' set apart by a tab starts its line; it is not a table cell of its own."""
    texts = [t for t in row.texts if t]
    if len(texts) == 2 and _LIST_MARKER.match(texts[0]):
        row.texts = [f"{texts[0]} {texts[1]}"]
