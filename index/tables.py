"""Tables as data: a plan's indicator and project tables read into rows of named columns.

A reader gives a table as rows of cell texts (`index.readers.base.Table`); here its header
rows become column names ("ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย 2568"), its main column (the
one a heading word names: ตัวชี้วัด, โครงการ, กลยุทธ์, ...) decides the kind of item each row
becomes, and every data row keeps its cells exactly as printed. Text pages write tables as
``| a | b |`` rows (Markdown and hand-typed); `pipe_row` reads those.

Merged header cells come in three shapes, all handled: a full-width row with empty cells
under a vertical merge (Word, OpenDocument, HTML), a short first row whose spanning cell covers
the columns a full-width row below names (``ค่าเป้าหมาย`` over the years), and a short row of
years alone (PDF, where empty cells are not printed), which stands under the last columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pythainlp.util import thai_digit_to_arabic_digit

from index.headings import kind_at_start
from index.text import fold_clean, join_wrapped
from index.vocab import NUMBER_COLUMNS, TOTAL_WORDS

_DIGIT = "[0-9๐-๙]"
#: A year as a column heads a target: "2568", "๒๕๖๘", "ปี 2568", "พ.ศ. 2568", "ปีงบประมาณ 2568".
_YEAR = re.compile(rf"^(?:ปี(?:งบประมาณ|การศึกษา)?|พ\.?\s?ศ\.?)?\s*(25{_DIGIT}{{2}}|๒๕{_DIGIT}{{2}})$")
#: A list number alone in a cell ("1", "1.", "๑)") or at the start of the main cell.
_LIST_NUMBER = re.compile(rf"^\(?({_DIGIT}{{1,3}}(?:\.{_DIGIT}{{1,3}})*)[.)]?(?:\s+|$)")
#: At most this many leading rows are column headings.
MAX_HEADER_ROWS = 3
#: A heading cell is short; a longer one is data.
MAX_HEADING_CHARS = 60
#: The kinds a main column can name, most specific first: a table that lists projects by
#: strategy is a project table; one that lists indicators by goal an indicator table.
MAIN_KIND_ORDER = ("project", "indicator")


@dataclass
class Row:
    """One data row: its list number (if printed), main text, and every cell by column name."""

    number: str | None
    text: str
    cells: dict[str, str]
    spanning: bool = False  # a one-cell row across the table ("ยุทธศาสตร์ที่ 1", "ด้านผู้เรียน")


#: The name of a column under no heading ("คอลัมน์ 2").
UNNAMED_COLUMN = "คอลัมน์"


@dataclass
class ReadTable:
    """A table read as data: column names, the kind its main column names, and its rows."""

    columns: list[str]
    kind: str | None  # the kind the main column's heading names, None when none does
    rows: list[Row] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)  # "รวม 750,000" rows, as text
    #: Its rows sum up items named by reference only ("กลยุทธ์ที่ 1 | 1 | 320,000"), a plan's
    #: summary by strategy: not a list of the items themselves.
    summary: bool = False
    #: The kind of the plan's own items whose links to other plans the table lays out, one
    #: row each ("กลยุทธ์โรงเรียน | กลยุทธ์ สพม.X | ยุทธศาสตร์ สพฐ." with "กลยุทธ์ที่ 2" in
    #: the first column): its rows are cells of those items, not items; else None.
    links_of: str | None = None

    @property
    def headed(self) -> bool:
        """Whether a heading row named its columns."""
        return not (self.columns and self.columns[0] == f"{UNNAMED_COLUMN} 1")


def pipe_row(text: str) -> list[str] | None:
    """The cells of a '| a | b |' line, or None when the line is not a table row."""
    stripped = text.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")) or len(stripped) < 3:
        return None
    return [cell.strip() for cell in stripped[1:-1].split("|")]


def tab_row(text: str) -> list[str] | None:
    """The cells of a line pasted from a spreadsheet ('กลยุทธ์ที่ 1⇥1⇥320,000'): two filled
    cells or more between tabs. None for a line indented by tabs, and for a list item with a
    tab after its number or bullet ('1.⇥ส่งเสริม…')."""
    cells = [cell.strip() for cell in text.strip().split("\t")]
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or re.fullmatch(r"[(\[]?\w{1,3}[.)\]]|\W", cells[0]):
        return None
    return cells


def is_rule_row(cells: list[str]) -> bool:
    """A Markdown separator row: '|---|:---:|'."""
    return all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells if cell) and any(cells)


def is_year(text: str) -> bool:
    """'2568', '๒๕๖๘', 'ปี 2568', 'พ.ศ. 2568' heading a column of yearly targets."""
    return bool(_YEAR.match(" ".join(text.split())))


def year_of(text: str) -> int | None:
    """The Buddhist-era year a column name ends with ('ค่าเป้าหมาย ๒๕๖๘' -> 2568), or None."""
    found = re.search(r"(25\d\d)\s*$", thai_digit_to_arabic_digit(text))
    return int(found.group(1)) if found else None


#: A number that is part of a name in a column's heading: an office's area ("เขต 1",
#: "สพม.13", "สพป.ชม.๓" with its province's letters) or a quarter ("ไตรมาส 2"), not a
#: figure of the table's data.
_NAMED_NUMBER = re.compile(rf"(?:เขต|สพ[ปมท]\.?\s*(?:[ก-ฮ]{{1,3}}\.)*|ไตรมาส)\s*{_DIGIT}{{1,3}}"
                           rf"(?!{_DIGIT}|[.,]{_DIGIT})")


def _heading_like(cell: str) -> bool:
    """A cell that can head a column: short, no figures but years or a unit in brackets."""
    if len(cell) > MAX_HEADING_CHARS:
        return False
    if is_year(cell):
        return True
    plain = re.sub(rf"\([^()]*\)|(?:25|๒๕){_DIGIT}{{2}}", "", cell)  # units, years
    plain = _NAMED_NUMBER.sub("", plain)  # "สนองกลยุทธ์ สพป.ลำปาง เขต 1", "ไตรมาส 2"
    return not re.search(_DIGIT, plain)


def _header_rows(rows: list[list[str]], width: int) -> int:
    """How many leading rows are column headings (0 for a table of data alone)."""
    count = 0
    for index, row in enumerate(rows[:MAX_HEADER_ROWS]):
        filled = [cell for cell in row if cell]
        if not filled or not all(_heading_like(cell) for cell in filled):
            break
        if len(rows) - index < 2:  # a heading needs a data row under it
            break
        if index and not (all(is_year(c) for c in filled) or _spans(rows[index - 1], width)):
            break  # a second heading row only under merged headings
        count += 1
    return count


def _spans(row: list[str], width: int) -> bool:
    """A heading row with merged cells: fewer cells than columns, or empty ones."""
    return len(row) < width or any(not cell for cell in row)


def column_names(header: list[list[str]], width: int) -> list[str]:
    """One name per column, the heading rows' texts above it joined: 'ค่าเป้าหมาย 2568'."""
    placed: list[list[str]] = []
    for index, row in enumerate(header):
        if len(row) >= width:
            placed.append(row[:width])
            continue
        below = next((r for r in header[index + 1:] if len(r) >= width), None)
        if below is not None:
            placed.append(_spread_over(row, below, width))
        elif index == 0:  # its last cell spans the rest
            placed.append(row[:-1] + [row[-1]] * (width - len(row) + 1) if row else [])
        else:  # a short lower row (years) stands under the last columns
            placed.append([""] * (width - len(row)) + row)
    for upper, lower in zip(placed, placed[1:], strict=False):
        for column in range(1, min(width, len(upper), len(lower))):
            left = upper[column - 1]
            if (not upper[column] and left and is_year(lower[column])
                    and _over_years(left)):
                upper[column] = left  # "ค่าเป้าหมาย" merged over its years
    names = []
    for column in range(width):
        parts: list[str] = []
        for row in placed:
            cell = row[column] if column < len(row) else ""
            if cell and cell not in parts:
                parts.append(cell)
        names.append(" ".join(parts))
    return names


def _over_years(cell: str) -> bool:
    """A heading that stands over year columns ("ค่าเป้าหมาย", "ปีงบประมาณ", "ผลการดำเนินงาน"),
    not one naming the items ("ตัวชี้วัด", "โครงการ")."""
    return column_kind(cell) in (None, "goal") or fold_clean(cell).startswith("ค่าเป้าหมาย")


def _spread_over(row: list[str], below: list[str], width: int) -> list[str]:
    """A short heading row placed over a full one: the spanning cell covers the run of
    columns the row below names."""
    extra = width - len(row)
    filled = [i for i, cell in enumerate(below[:width]) if cell]
    start = next((i for i in filled if i + extra < width and all(
        below[j] for j in range(i, i + extra + 1))), len(row) - 1)
    start = min(start, len(row) - 1)
    return row[:start] + [row[start]] * (extra + 1) + row[start + 1:]


def column_kind(name: str) -> str | None:
    """The kind a column's heading names: 'กลยุทธ์', 'ชื่อโครงการ' (the name of a project)."""
    if not name or is_year(name):
        return None
    found = kind_at_start(re.sub(r"^ชื่อ\s*", "", fold_clean(name)))
    return found[0] if found else None


def _links_of(columns: list[str], rows: list[list[str]]) -> str | None:
    """The kind of the items a linkage table's first column names by number, when every
    other column names a kind too (items of other plans), not money or figures."""
    first = column_kind(columns[0]) if columns else None
    if first is None or len(columns) < 2 or not _references(rows, 0):
        return None
    return first if all(column_kind(name) for name in columns[1:]) else None


def _references(rows: list[list[str]], index: int) -> bool:
    """A column of numbers only ('๑', '2.1') or of bare references ('กลยุทธ์ที่ 1'): which
    item a row serves or sums up, not what it is."""
    cells = [row[index] for row in rows if index < len(row) and row[index]]
    return bool(cells) and all(_reference(cell) for cell in cells)


def _reference(cell: str) -> bool:
    """'๑', '2.1', 'กลยุทธ์ที่ 1', 'ยุทธศาสตร์ 2', 'รวม': a number, alone or after a heading
    word, or the total's own word (a summary table's last row)."""
    folded = fold_clean(cell)
    found = kind_at_start(folded)
    rest = folded[len(found[1]):] if found else folded
    number = rf"(?:{_DIGIT}|[.,\s]){{1,12}}"
    return bool(re.fullmatch(rf"\s*(?:ที่)?\s*{number}", rest) if found
                else re.fullmatch(number, rest) or rest.strip().startswith(TOTAL_WORDS))


def _number_column(columns: list[str], rows: list[list[str]]) -> int | None:
    """The column of list numbers ('ที่', 'ลำดับ'), if the table has one."""
    for index, name in enumerate(columns):
        if fold_clean(name).strip(" .") in NUMBER_COLUMNS:
            return index
    if columns and rows and column_kind(columns[0]) is None and all(  # not "ยุทธศาสตร์ | …"
        not row[0] or re.fullmatch(rf"{_DIGIT}{{1,3}}[.)]?", row[0]) for row in rows
    ) and any(row[0] for row in rows):
        return 0
    return None


def _main_column(columns: list[str], rows: list[list[str]], skip: int | None) -> tuple[int, str | None]:
    """(index, kind) of the column each row is about: the one a heading word names."""
    kinds = [None if _references(rows, i) else column_kind(name) for i, name in enumerate(columns)]
    for wanted in MAIN_KIND_ORDER:
        if wanted in kinds:
            return kinds.index(wanted), wanted
    for index, kind in enumerate(kinds):
        if kind is not None and index != skip:
            return index, kind
    lengths = [sum(len(row[i]) for row in rows if i < len(row)) for i in range(len(columns))]
    candidates = [i for i in range(len(columns)) if i != skip] or [0]
    return max(candidates, key=lambda i: (lengths[i], -i)), None


#: Columns that group a table's rows: a cell merged down over an issue's rows is read by
#: Word, web pages and PDFs as the first row's cell and empty ones below it.
GROUPING_KINDS = frozenset({"strategic_issue", "goal", "strategy", "focus"})


def _fill_merged(columns: list[str], body: list[list[str]], main: int) -> None:
    """Empty cells of a grouping column ("ยุทธศาสตร์", "เป้าประสงค์") under a filled one, in
    rows that have their own main cell: the cell above, merged down over them. Only columns
    before the main one group rows ("ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด"); one after it says
    something of its own row ("โครงการ | งบประมาณ | กลยุทธ์โรงเรียน"), and an empty cell there
    is the plan saying nothing: filled, it had made a project serve the strategy of the
    project above. A total row is nobody's group."""
    grouping = [i for i, name in enumerate(columns)
                if i < main and column_kind(name) in GROUPING_KINDS]
    for above, row in zip(body, body[1:], strict=False):  # each row under the one above
        if row[main] and not _is_total(row):
            for i in grouping:
                if not row[i] and above[i]:
                    row[i] = above[i]


def _is_total(row: list[str]) -> bool:
    """A total row: its first filled cell starts with a total word ("รวม", "รวมทั้งสิ้น")."""
    first = fold_clean(next((cell for cell in row if cell), ""))
    return any(first.startswith(word) for word in TOTAL_WORDS)


def read_table(rows: list[list[str]]) -> ReadTable:
    """A reader's table as named columns and data rows (see the module's docstring)."""
    width = max((len(row) for row in rows), default=0)
    header_count = _header_rows(rows, width)
    if header_count:
        columns = column_names(rows[:header_count], width)
    else:
        columns = [f"{UNNAMED_COLUMN} {n}" for n in range(1, width + 1)]
    body = [row + [""] * (width - len(row)) for row in rows[header_count:]]
    number_at = _number_column(columns, body)
    main, kind = _main_column(columns, body, number_at)
    table = ReadTable(columns, kind, summary=_references(body, main),
                      links_of=_links_of(columns, body))
    _fill_merged(columns, body, main)
    for printed, raw in zip(rows[header_count:], body, strict=True):
        filled = [cell for cell in raw if cell]
        if not filled:
            continue
        if len(printed) == 1 and width > 2:  # one cell merged across the table
            table.rows.append(Row(None, filled[0], {}, spanning=True))
            continue
        if _is_total(raw):
            table.totals.append(" ".join(filled))
            continue
        last = table.rows[-1] if table.rows and not table.rows[-1].spanning else None
        if not raw[main] and last and (number_at is None or not raw[number_at]):
            _continue_row(last, raw, columns)  # a row that crosses a page
            continue
        table.rows.append(_row(raw, columns, main, number_at))
    return table


def _row(raw: list[str], columns: list[str], main: int, number_at: int | None) -> Row:
    text = raw[main]
    number = None
    if number_at is not None and raw[number_at]:
        number = raw[number_at].strip(" .)(")
    else:
        printed = _LIST_NUMBER.match(text)
        if printed and len(printed.group(0)) < len(text):
            number, text = printed.group(1), text[printed.end():].strip()
    cells = {name: cell for name, cell in zip(columns, raw, strict=True) if cell}
    cells[columns[main]] = text
    return Row(number, text, cells)


def _continue_row(row: Row, raw: list[str], columns: list[str]) -> None:
    """Cells of a row's continuation (the row crossed a page) joined onto the row."""
    for name, cell in zip(columns, raw, strict=True):
        if cell:
            row.cells[name] = join_wrapped(row.cells.get(name, ""), cell)
