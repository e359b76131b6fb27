"""The PDF reader's layout rules (`index.readers.pdf._blocks`) on rows of positioned
characters, as PDFium gives them: which rows are a table, which line is the wrapped rest of a
table row, and where a cell ends. Each case is a layout met in a real Thai plan exported to
PDF (justified prose, narrow year columns, a total row, a header repeated on each page)."""

from __future__ import annotations

from index.readers import pdf
from index.readers.base import Line, Table

SIZE = 14.0
WIDTH = 6.0  # every character's width, in points


def _chars(x: float, text: str) -> list[pdf._Char]:
    """`text` set from `x`, one character every WIDTH points (a space is a gap); a Thai mark
    sits on its letter, taking no width."""
    chars = []
    for ch in text:
        if ch in pdf._MARKS:
            chars.append(pdf._Char(ch, "F", x - WIDTH, x - 0.5, SIZE))
            continue
        chars.append(pdf._Char(ch, "F", x, x + WIDTH - 0.5, SIZE))
        x += WIDTH
    return chars


def _row(y: float, *cells: tuple[float, str]) -> pdf._Row:
    """A row of cells, each (left edge, text), as `_rows` makes it."""
    chars = [_chars(x, text) for x, text in cells]
    row = pdf._Row(y, chars, [x for x, _ in cells], SIZE,
                   [x + len(text) * WIDTH for x, text in cells])
    row.texts = [text for _, text in cells]
    return row


def _text_of(chars: list[pdf._Char]) -> str:
    return "".join(c.text for c in chars).strip()


def _read(*rows: pdf._Row) -> list[Line | Table]:
    return pdf._blocks([list(rows)], set(), _text_of)


YEARS = ((40, "ที่"), (70, "ตัวชี้วัด"), (300, "2568"), (340, "2569"), (380, "2570"))


def test_a_justified_line_with_one_wide_gap_does_not_take_in_the_lines_after_it():
    """Two cells from one justified line, then prose from the left margin: lines, not one
    table row holding the next heading (the vision had run into "พันธกิจ (Mission)")."""
    blocks = _read(_row(700, (72, "การศึกษาสู่มาตรฐานสากล"), (260, "ผู้เรียนมีสมรรถนะ")),
                   _row(682, (72, "บนพื้นฐานความเป็นไทย")),
                   _row(664, (72, "พันธกิจ")))
    assert [b.text for b in blocks] == ["การศึกษาสู่มาตรฐานสากล ผู้เรียนมีสมรรถนะ",
                                         "บนพื้นฐานความเป็นไทย", "พันธกิจ"]


def test_a_row_that_opens_with_its_number_is_a_row_even_with_fewer_cells():
    """Row 10's year cells printed close together came out as fewer cells: it is still row
    10, not the wrapped rest of row 9 ("ข้อ 9 10"), and its cells are cut at the columns."""
    blocks = _read(_row(700, *YEARS),
                   _row(682, (40, "9"), (70, "ร้อยละของสถานศึกษา"), (300, "90"), (340, "95"),
                        (380, "100")),
                   _row(664, (40, "10"), (70, "คะแนน ITA"), (300, "95.00 96.00"), (380, "97.00")))
    [table] = blocks
    assert table.rows[2] == ["10", "คะแนน ITA", "95.00", "96.00", "97.00"]


def test_a_total_row_is_its_own_row():
    blocks = _read(_row(700, (40, "ที่"), (70, "โครงการ"), (300, "งบประมาณ")),
                   _row(682, (40, "9"), (70, "โครงการสารสนเทศ"), (300, "-")),
                   _row(664, (70, "รวม"), (300, "1,575,000")))
    [table] = blocks
    assert table.rows[1:] == [["9", "โครงการสารสนเทศ", "-"], ["รวม", "1,575,000"]]


def test_numbers_wrapped_in_narrow_year_columns_go_on_in_their_own_columns():
    """"ไม่ / เกิน / 0.40" wrapped in a narrow column: "0.40 | 0.30" on the last line is two
    wrapped cells, not a list number and its text."""
    blocks = _read(_row(700, *YEARS),
                   _row(682, (40, "5"), (70, "อัตราการออกกลางคัน"), (300, "ไม่เกิน"), (340, "ไม่"),
                        (380, "ไม่")),
                   _row(664, (300, "0.50"), (340, "เกิน"), (380, "เกิน")),
                   _row(646, (340, "0.40"), (380, "0.30")))
    [table] = blocks
    assert table.rows[1][2:] == ["ไม่เกิน 0.50", "ไม่เกิน 0.40", "ไม่เกิน 0.30"]


def test_a_header_printed_again_on_the_next_page_is_not_a_row():
    blocks = _read(_row(700, *YEARS),
                   _row(682, (40, "1"), (70, "ร้อยละของนักเรียน"), (300, "30"), (340, "35"),
                        (380, "40")),
                   _row(664, *YEARS),
                   _row(646, (40, "2"), (70, "จำนวนนักเรียน"), (300, "60"), (340, "65"),
                        (380, "70")))
    [table] = blocks
    assert [row[0] for row in table.rows] == ["ที่", "1", "2"]


def _fragment(*runs: tuple[float, str]) -> pdf._Fragment:
    """One stream of text on a baseline: each run (left edge, text) set where it says."""
    fragment = pdf._Fragment(700, SIZE)
    for x, text in runs:
        fragment.chars += _chars(x, text)
    return fragment


def _pieces(fragment: pdf._Fragment) -> list[str]:
    return [_text_of(p.chars) for p in pdf._split_wide([fragment])]


def test_a_justified_line_after_its_label_stays_one_cell_at_its_widened_spaces():
    """"กลยุทธ์ที่ 1 ⇥ ยกระดับผลสัมฤทธิ์… ␣(widened)␣ โดยจัดการเรียนรู้": the label is a cell
    of its own, the justified text after it one cell (its words had been cut into cells and
    interleaved with the lines below)."""
    line = _fragment((40, "กลยุทธ์ที่ 1"), (130, "ยกระดับผลสัมฤทธิ์ "), (260, "โดยจัดการเรียนรู้"))
    assert _pieces(line) == ["กลยุทธ์ที่ 1", "ยกระดับผลสัมฤทธิ์ โดยจัดการเรียนรู้"]


def test_a_spreadsheet_rows_cells_are_cells_though_some_end_in_a_space():
    """A budget sheet row written as one stream: a cell ending in a space is still a cell
    when more cells follow it."""
    row = _fragment((40, "ดอกสว่าน 124 มม. "), (300, "4"), (360, "เพค"), (420, "80"))
    assert _pieces(row) == ["ดอกสว่าน 124 มม.", "4", "เพค", "80"]


def _texts(rows: list[pdf._Row]) -> list[str]:
    return [" ".join(_text_of(cell) for cell in row.cells) for row in rows]


def test_a_page_in_two_columns_is_read_one_column_then_the_other():
    """A vision beside the goals, each under its heading: the left column's lines, then the
    right one's (read across, the vision ran into the goals and neither was found)."""
    rows = [_row(700, (60, "วิสัยทัศน์"), (310, "เป้าประสงค์")),
            _row(682, (60, "โรงเรียนคุณภาพ"), (312, "1. ผู้เรียนมีผลสัมฤทธิ์")),
            _row(664, (60, "ผู้เรียนมีความรู้"), (328, "สูงขึ้น")),
            _row(646, (312, "2. ผู้เรียนมีทักษะชีวิต")),
            _row(640, (60, "พันธกิจ")),
            _row(628, (312, "3. ครูจัดการเรียนรู้")),
            _row(622, (62, "1. จัดการเรียนการสอน"))]
    assert _texts(pdf._columns_in_turn(rows)) == [
        "วิสัยทัศน์", "โรงเรียนคุณภาพ", "ผู้เรียนมีความรู้", "พันธกิจ", "1. จัดการเรียนการสอน",
        "เป้าประสงค์", "1. ผู้เรียนมีผลสัมฤทธิ์", "สูงขึ้น", "2. ผู้เรียนมีทักษะชีวิต",
        "3. ครูจัดการเรียนรู้"]


def test_a_two_column_table_stays_rows():
    """"ตัวชี้วัด | ค่าเป้าหมาย": both sides of every row are filled, as in a table."""
    rows = [_row(700 - 18 * n, (60, f"ตัวชี้วัดที่ {n}"), (310, f"ร้อยละ {80 + n}"))
            for n in range(1, 8)]
    assert pdf._columns_in_turn(rows) == rows
