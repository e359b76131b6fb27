"""The tree builder: the state of a plan being read, line by line, and how a line changes it.

`Builder` keeps what is open (the section, a container item such as "ยุทธศาสตร์ที่ 3", the
list being numbered, a signature block) and offers the operations the line rules in
`index.rules` call: open a section, add an item or a paragraph, warn.
"""

from __future__ import annotations

import re

from index.headings import ALL_KINDS, short_label
from index.lines import TAG, Heading, exact_tail, number_parts, to_int
from index.model import Item, Section
from index.tables import ReadTable, column_kind
from index.text import NAME_LABEL, fold_clean, join_wrapped, labelled_lines
from index.vocab import NESTABLE

#: A paragraph that sums up the list above it ("สรุปงบประมาณตามแผนปฏิบัติการ", "รวมทั้งสิ้น
#: 263,500 บาท"): after a blank line it is not the last item's.
SUMS_UP = re.compile(r"^(?:สรุป|รวมทั้งสิ้น|รวมทั้งหมด|รวมงบประมาณ)")
#: A list's total on the line after its last item: "รวมงบประมาณทั้งสิ้น 1,505,500 บาท",
#: "รวม 4 โครงการ 615,000 บาท" (not "รวมถึง…", a wrapped sentence going on).
TOTAL_LINE = re.compile(r"^(?:รวม(?!ถึง|กับ|กัน|ตัว|พลัง)|total\b)\D{0,40}\d", re.IGNORECASE)
#: A summary line giving the total: "สรุปงบประมาณตามแผนปฏิบัติการ รวมทั้งสิ้น 171,000 บาท".
SUMMED_UP = re.compile(r"สรุป.*?\sรวม\D{0,20}\d")

#: A line opening by naming an item ("ยุทธศาสตร์ที่ ๒ ของ สพฐ. เชื่อมโยงกับ…"): a statement of
#: its own, not the rest of the line above.
NAMES_AN_ITEM = re.compile(r"^(?:ประเด็น)?(?:ยุทธศาสตร์|กลยุทธ์|เป้าประสงค์|จุดเน้น|ตัวชี้วัด)"
                           r"(?:ชาติ)?\s*(?:ด้าน)?\s*ที่\s*[0-9๐-๙]")
#: A goal column's cell: "1.1 ผู้เรียนมี…", "เป้าประสงค์ที่ 2 …" or the goal's words alone.
GOAL_CELL = re.compile(r"^\s*(?:เป้าประสงค์\s*(?:ที่)?\s*)?(\d{1,2}(?:\.\d{1,2})*)?\s*[.)]?\s*(.*)$",
                       re.S)
#: A table cell that writes an issue out: "ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน" (folded).
ISSUE_TITLE = re.compile(r"^\s*(?:ประเด็น)?ยุทธศาสตร์\s*(?:ที่)?\s*(\d{1,2})(?!\d|\.\d)\s*[:.\-–]?\s*(.*)$")
#: A paragraph line at least this long that runs on into the next line was hard-wrapped.
WRAP_WIDTH = 50
#: A titled item's wrapped rest is at most this long and has no space: the last word or two.
RUN_ON_CHARS = 20
THAI_START = re.compile(r"^[\u0e01-\u0e2e\u0e40-\u0e44]")


class Builder:
    """Walks the lines once, keeping what is open: section, container item, list items."""

    def __init__(self, source: str, pages: dict[int, int] | None = None):
        self.source = source
        self.pages = pages or {}  # line -> page, for a paged document's warnings
        self.sections: list[Section] = []
        self.linked: set[int] = set()  # sections whose linkage table went into items' cells
        self.preamble: list[str] = []
        self.warnings: list[str] = []
        self.section: Section | None = None
        self.section_number: str | None = None  # "2" for a heading written "2. พันธกิจ"
        # The plan's own outline: the number of the last heading written with one ("5. ..."),
        # kept while a container's items and groups come ("6. จุดเน้น" then leaves it).
        self.outline_number: str | None = None
        self.container: Item | None = None  # "ยุทธศาสตร์ที่ 3", where goals/strategies nest
        self.group_kind: str | None = None  # kind of items now being listed in the container
        self.titled: Item | None = None  # "กลยุทธ์ที่ 1 ..." whose body paragraphs follow
        self.last: Item | None = None  # the item that continuation text belongs to
        self.blank = False  # a blank line came since the last text
        self.paragraph_open = False
        self.previous_line = ""  # the last text line, to tell a hard wrap from a new paragraph
        self.paragraph_lines = False  # each line is a whole paragraph (see parse._parse_blocks)
        self.sub_lists: set[int] = set()  # titled items whose own list follows (`_sub_list_of`)
        self.pending_number: str | None = None  # "1." alone on a line: its text comes next
        self.last_numbers: dict[tuple[int, str], int] = {}  # list -> its last number
        self.repairs = 0  # list numbers repaired in this section (a renderer that repeats "1.")
        self.flat_lists: dict[int, dict[str, str]] = {}  # lists numbered "2.1, 2.2" under "2."
        self.bulleted: set[int] = set()  # ids of items written as bullets, not numbered
        self.signing = False  # a signature block is open: names, positions, contacts follow
        self.chapter = ""  # the chapter being read ("ส่วนที่ 3 ทิศทางการพัฒนา"), in a whole plan

    def warn(self, line: int, message: str) -> None:
        """Note something the parser repaired or skipped, with the file and line (and the
        page of a PDF, where its running line number is no help to find it)."""
        page = f" (page {self.pages[line]})" if line in self.pages else ""
        self.warnings.append(f"{self.source} line {line}{page}: {message}")

    # where new items go
    def siblings(self) -> list[Item]:
        """The list a new item joins: the open container's children, or the section's items."""
        if self.container is not None:
            return self.container.children
        return self.section.items

    def _item_kind(self) -> str:
        if self.container is not None and self.group_kind:
            return self.group_kind
        return self.section.kind if self.section.kind in ALL_KINDS else "other"

    def open_section(self, kind: str, heading: str, line: int) -> None:
        """Start a section (a repeated heading over an empty section just renames it)."""
        previous = self.section
        empty = previous is not None and not (previous.intro or previous.items)
        if empty and previous.kind == kind:
            previous.heading, previous.line = heading, line  # a repeated heading
        else:
            if empty and previous.kind != "other" and previous.heading == self.chapter:
                self.sections.remove(previous)  # a chapter titled as a section, whose own
                # headings follow at once ('ส่วนที่ 4 กลยุทธ์การพัฒนา', 'ยุทธศาสตร์ที่ 1 ...')
            self.section = Section(kind, heading, line, chapter=self.chapter)
            self.sections.append(self.section)
        self.container = None
        self.group_kind = None
        self.titled = None
        self.last = None
        self.paragraph_open = False
        self.section_number = None
        self.repairs = 0

    def ensure_section(self, line: int, kind: str = "other", heading: str = "") -> None:
        """Open an untitled section for text that comes before any heading."""
        if self.section is None:
            self.open_section(kind, heading, line)

    def open_chapter(self, text: str, line: int, kind: str = "other") -> None:
        """'ส่วนที่ 2 ผลการวิเคราะห์': a chapter; its prose is the text of a section of its own,
        and every section up to the next chapter records it. A chapter titled as a section
        ('ส่วนที่ 3 โครงการ/กิจกรรม และงบประมาณ') is a section of that `kind`."""
        self.chapter = text
        self.outline_number = None
        self.open_section(kind, text, line)

    def heading(self, found: Heading, text: str, line: int, outline: bool = False) -> None:
        """A heading line: a new section, a titled item, or a group inside a container. An
        `outline` heading (numbered next in the plan's outline) is a section of the plan's,
        never a group of the container before it."""
        kind = found.kind
        in_container = self.container is not None and not outline
        if found.number is not None:
            self.numbered_heading(found, text, line)
            return
        if in_container and kind in NESTABLE and not TAG.search(text):
            self.group_kind = kind  # "กลยุทธ์" inside "ยุทธศาสตร์ที่ 1"
            self.titled = None
            self.last = None
            if found.inline:
                self.add_item(found.inline, line, number=None)
            return
        heading = text
        if found.inline and text.endswith(found.inline):  # "คำขวัญ : เรียนดี" -> "คำขวัญ"
            heading = text[: len(text) - len(found.inline)].rstrip(" :：-–") or text
        self.open_section(kind, heading, line)
        if found.inline:
            self.add_paragraph(found.inline, line)

    def numbered_heading(self, found: Heading, text: str, line: int) -> None:
        """'ยุทธศาสตร์ที่ 3 ...', 'กลยุทธ์ที่ 1 ...': a titled item; strategic issues contain."""
        kind = found.kind
        number = self._titled_number(found.number) if found.number else None  # "": by name
        if self.container is not None and kind in NESTABLE and kind != self.container.kind:
            number = number or self._next_titled(self.container.children, kind)
            self.group_kind = kind
            item = self._append(self.container.children, kind, number, found.inline, line)
            item.printed = _printed(found.number, number)
            self.titled = item
            self.last = item
            return
        if self.section is None or self.section.kind != kind:
            self.open_section(kind, text, line)
        number = number or self._next_titled(self.section.items, kind)
        item = self._append(self.section.items, kind, number, found.inline, line, explicit=True)
        item.container = kind == "strategic_issue"
        if item.container:
            item.word = _title_word(text, kind)
        self.container = item if item.container else None
        self.group_kind = None
        self.titled = item
        self.last = item

    def _titled_number(self, number: str) -> str:
        """'กลยุทธ์ที่ 2.1' under 'ยุทธศาสตร์ที่ 2' is its strategy 1, as '2.1' in its list is;
        elsewhere the number is kept whole ("1.1"), in Arabic digits."""
        parts = number_parts(number)
        container = self.container
        if len(parts) > 1 and container is not None and parts[0] == container.number:
            parts = parts[1:]
        return ".".join(str(int(p)) for p in parts)

    @staticmethod
    def _next_titled(siblings: list[Item], kind: str) -> str:
        """The number of a titled item named rather than numbered: the next in its list."""
        return str(sum(1 for s in siblings if s.kind == kind) + 1)

    def _append(
        self, siblings: list[Item], kind: str, number: str, text: str, line: int, explicit=True
    ) -> Item:
        """Append an item; a list number that does not go up is repaired (unless explicit)."""
        key = (id(siblings), kind)
        previous = self.last_numbers.get(key)
        if not explicit and previous is not None and int(number) <= previous:
            self.warn(line, f"list number {number} repaired to {previous + 1}")
            self.repairs += 1
            number = str(previous + 1)
        item = Item(kind, number, text, line)
        siblings.append(item)
        last = number.split(".")[-1]
        if last.isdigit():
            self.last_numbers[key] = int(last)
        self.paragraph_open = False
        return item

    def next_number(self) -> int:
        """The number the next item of the current list would have."""
        if self.section is None:
            return 1
        siblings = self.siblings()
        return self.last_numbers.get((id(siblings), self._item_kind()), 0) + 1

    def add_item(self, text: str, line: int, number: str | None, bullet: bool = False) -> None:
        """A numbered or bulleted item: top level, a sub-item ("2.1"), or a flat list's item."""
        self.ensure_section(line)
        siblings = self.siblings()
        kind = self._item_kind()
        printed = number
        parts = self._own_numbering(siblings, kind, number_parts(number) if number else [])
        if len(parts) == 1:
            number = parts[0]
            parent = self._sub_list_of(siblings, kind, number)
            if parent is not None:
                sub = f"{parent.number}.{to_int(number)}"
                self.last = self._append(parent.children, kind, sub, text, line, explicit=True)
                return
        if len(parts) > 1:
            if self._add_sub_item(siblings, kind, parts, text, line):
                return
            number = parts[-1]
        if bullet and self._add_bullet_child(siblings, kind, text, line):
            return
        if number is None:
            item = self._append(siblings, kind, str(len(siblings) + 1), text, line, explicit=True)
            if bullet:
                self.bulleted.add(id(item))
        else:
            item = self._append(siblings, kind, str(to_int(number)), text, line, explicit=False)
            if self.container is not None:  # "1.2 …" listed in ยุทธศาสตร์ที่ 1: its strategy 2
                item.printed = _printed(printed, item.number)
        self.last = item
        self.titled = None

    def _sub_list_of(self, siblings: list[Item], kind: str, number: str) -> Item | None:
        """'กลยุทธ์ที่ 1 …' then '1) …', '2) …': the titled item's own sub-items 1.1, 1.2, not
        strategies 2 and 3 (a list starting again at 1 right under it, and going on)."""
        top = siblings[-1] if siblings else None
        if top is None or top.kind != kind or top.container or not top.number.isdigit():
            return None
        if top is self.titled and not top.children and to_int(number) == 1:
            self.sub_lists.add(id(top))
            return top
        children = top.children
        if (id(top) in self.sub_lists and children and self.last is children[-1]
                and to_int(number) == len(children) + 1):
            return top
        return None

    def _own_numbering(self, siblings: list[Item], kind: str, parts: list[str]) -> list[str]:
        """'2. พันธกิจ' (or 'ยุทธศาสตร์ที่ 2') then '2.1', '2.2': its own items 1, 2."""
        owner_number = self.container.number if self.container is not None else self.section_number
        if len(parts) < 2 or parts[0] != owner_number:
            return parts
        flat = self.flat_lists.get(id(siblings), {}).get(kind)
        if flat != parts[0] and any(s.number == parts[0] and s.kind == kind for s in siblings):
            return parts  # an item 2 of this list exists: "2.1" is its sub-item
        self.flat_lists.setdefault(id(siblings), {})[kind] = parts[0]
        return parts[1:]

    def _add_sub_item(
        self, siblings: list[Item], kind: str, parts: list[str], text: str, line: int
    ) -> bool:
        """'2.1', '2.1.3': a sub-item of item 2 (of 2.1) of this list, if there is a parent."""
        parent = next((s for s in reversed(siblings) if s.number == parts[0]), None)
        parent = parent or (siblings[-1] if siblings else None)
        for part in parts[1:-1]:  # walk down "1.1" to find the parent of "1.1.2"
            child = next((c for c in reversed(parent.children) if c.kind == kind
                          and c.number.split(".")[-1] == part), None) if parent else None
            if child is None:
                break
            parent = child
        if parent is None:
            return False
        sub = f"{parent.number}.{parts[-1]}"
        self.last = self._append(parent.children, kind, sub, text, line, explicit=True)
        return True

    def _add_bullet_child(self, siblings: list[Item], kind: str, text: str, line: int) -> bool:
        """A bullet under a numbered item is its sub-item ("3." then "• ..." gives 3.1)."""
        if not siblings or self.last is None:
            return False
        top = siblings[-1]
        if not top.number.isdigit() or id(top) in self.bulleted:
            return False
        sub = f"{top.number}.{len(top.children) + 1}"
        child = self._append(top.children, kind, sub, text, line, explicit=True)
        self.bulleted.add(id(child))
        self.last = child
        return True

    def add_table(self, table: ReadTable, line: int) -> None:
        """A table's data rows as items that keep their cells, placed where the table stands.

        Rows of the kind the section lists join the section's list; in a strategic issue
        (ยุทธศาสตร์ที่ 3) they are its indicators or projects; under a titled item
        (เป้าประสงค์ที่ 1) its children; anywhere else they open a section of their kind.
        """
        if table.links_of and self._link_items(table):
            return
        kind = table.kind or (self._item_kind() if self.section is not None and not table.summary
                              else "other")
        caption = self._caption() if table.summary else ""
        siblings = self._table_siblings(kind, line)
        issues = self._issues_named(table, kind) or self._issues_titled(table, kind, line)
        if caption and self.section.kind == "other" and not self.section.heading:
            self.section.heading = caption  # "สรุปงบประมาณตามกลยุทธ์" names the summary
        elif caption:
            self.section.intro.append(caption)
        goals = _column_naming(table, "goal") if kind != "goal" else None
        for place, row in enumerate(table.rows):
            row_siblings = issues[place].children if issues else siblings
            if goals and (issues or self.container is not None):
                self._goal_of(row_siblings, row.cells.get(goals, ""), line)
            if row.number is not None and number_parts(row.number):
                number = ".".join(number_parts(row.number))
            else:
                number = str(len([s for s in row_siblings if s.kind == kind]) + 1)
            item = self._append(row_siblings, kind, number, row.text, line, explicit=True)
            item.cells = dict(row.cells)
        for total in table.totals:
            self.section.intro.append(total)
        self.last = None
        self.titled = None
        self.paragraph_open = False

    def _link_items(self, table: ReadTable) -> bool:
        """A linkage table ("กลยุทธ์โรงเรียน | กลยุทธ์ สพม.X | ยุทธศาสตร์ สพฐ."): each row's
        cells join the plan's own item its first cell names ("กลยุทธ์ที่ 2"), as that item's
        word on what it serves; True when every row found its item (else it is read as any
        table)."""
        own = {item.number: item for section in self.sections if section.kind == table.links_of
               for item in section.items}
        first = table.columns[0]
        found = []
        for row in table.rows:
            numbers = re.findall(r"\d+", fold_clean(row.cells.get(first, "")))
            item = own.get(str(int(numbers[0]))) if len(numbers) == 1 else None
            if item is None:
                return False
            found.append((item, row))
        for item, row in found:
            item.cells.update({k: v for k, v in row.cells.items() if k != first})
        if self.section is not None:
            self.linked.add(id(self.section))  # its heading's text went to those items
        self.last = self.titled = None
        return bool(found)

    def _goal_of(self, siblings: list[Item], cell: str, line: int) -> None:
        """A goal written in an issue's table ("ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด", "1.1
        ผู้เรียนมี…") is that issue's goal: an item before the rows it heads, not only a cell
        of each ("เป้าประสงค์ของ สพม.X" had found none). A goal merged over several rows is one
        goal; its number is the last part of the one printed."""
        found = GOAL_CELL.match(fold_clean(cell))
        if not found or not found.group(2):
            return
        text = exact_tail(cell, found.group(2))
        goals = [item for item in siblings if item.kind == "goal"]
        if goals and goals[-1].text == text:
            return
        printed = number_parts(found.group(1) or "")
        number = printed[-1] if printed else str(len(goals) + 1)
        self._append(siblings, "goal", number, text, line, explicit=True)

    def _issues_named(self, table: ReadTable, kind: str) -> list[Item] | None:
        """The issue each row names in a column of the issues' kind ("ยุทธศาสตร์ | ตัวชี้วัด
        | …" after the last "ยุทธศาสตร์ที่ 5"): a table of the whole plan's indicators, each
        row under its own issue, not all under the last. None unless every row names one."""
        container = self.container
        if container is None or kind == container.kind or self.section is None:
            return None
        column = _column_naming(table, container.kind)
        if column is None:
            return None
        issues = {i.number: i for i in self.section.items if i.kind == container.kind}
        found = [issues.get(_issue_number(row.cells.get(column, ""))) for row in table.rows]
        return found if found and all(found) else None

    def _issues_titled(self, table: ReadTable, kind: str, line: int) -> list[Item] | None:
        """'ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด | ค่าเป้าหมาย 2568 …' with the issues written
        out ('ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน') and no issue open: the issues are the
        plan's, each a titled item of a section of issues holding its rows; not a table of
        indicators alone (asked for "ยุทธศาสตร์ที่ 2", it answered indicator 2)."""
        if self.container is not None or kind not in NESTABLE or kind == "strategic_issue":
            return None
        column = _column_naming(table, "strategic_issue")
        titles = [ISSUE_TITLE.match(fold_clean(row.cells.get(column, ""))) for row in table.rows]
        if column is None or not titles or not all(titles):
            return None
        if self.section is None or self.section.kind != "strategic_issue":
            self.open_section("strategic_issue", column, line)
        issues = {i.number: i for i in self.section.items if i.kind == "strategic_issue"}
        found = []
        for row, title in zip(table.rows, titles, strict=True):
            number = str(int(title.group(1)))
            if number not in issues:
                text = exact_tail(row.cells[column], title.group(2))
                issues[number] = self._append(self.section.items, "strategic_issue", number,
                                              text, line, explicit=True)
                issues[number].container = True
            found.append(issues[number])
        self.group_kind = kind
        return found

    def _caption(self) -> str:
        """The short line of text right before a table, taken out of the section it ended
        (its title: "สรุปงบประมาณตามกลยุทธ์"); "" when there is none."""
        intro = self.section.intro if self.section is not None else []
        if intro and intro[-1] == self.previous_line and len(intro[-1]) < WRAP_WIDTH:
            return intro.pop()
        return ""

    def _table_siblings(self, kind: str, line: int) -> list[Item]:
        """The list a table's rows join (see `add_table`)."""
        section = self.section
        if section is not None and self.container is not None and kind != self.container.kind:
            self.group_kind = kind
            return self.container.children
        if section is not None and (section.kind == kind or section.kind == "other"
                                    and not section.items):
            return self.siblings() if self.container is None else self.container.children
        if section is not None and self.titled is not None and self.titled.kind != kind:
            return self.titled.children
        if kind in ALL_KINDS:
            name = short_label(kind)
            self.warn(line, f"a table of {name} without a heading of its own: read as a "
                            f"section '{name}'")
            self.open_section(kind, name, line)
        else:
            self.open_section("other", "", line)
        return self.section.items

    def add_paragraph(self, text: str, line: int) -> None:
        """Plain text: a wrapped continuation, a body paragraph or section text."""
        if self.section is None:
            self.preamble.append(text)
            return
        if self.last is not None and self.titled is not self.last and TOTAL_LINE.match(text):
            self.section.intro.append(text)  # a list's total, as a table's total row is
            self.last = None
            return
        if self.last is not None and self.titled is not self.last and self._continues_item():
            short = len(self.previous_line) < WRAP_WIDTH
            self.last.text = join_wrapped(self.last.text, text, short)  # a hard-wrapped item
            return
        if self.titled is not None and self.titled is self.last and self._title_runs_on(text):
            self.titled.text = join_wrapped(self.titled.text, text)  # "… และการคิด" / "คำนวณ"
            return
        if self.titled is not None and self.blank and SUMS_UP.match(text):
            self.titled = self.last = None  # "สรุปงบประมาณ…" after the last block: the list's
        target = self.titled.body if self.titled is not None else self.section.intro
        wrapped = len(self.previous_line) >= WRAP_WIDTH  # short lines are lines of their own
        if (target and self.paragraph_open and not self.blank and wrapped
                and not labelled_lines(target[-1], text) and not NAMES_AN_ITEM.match(text)):
            target[-1] = join_wrapped(target[-1], text)
        else:
            target.append(text)
        self.paragraph_open = True

    def _title_runs_on(self, text: str) -> bool:
        """'กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียนด้านการอ่าน การเขียน และการคิด' over 'คำนวณ': a
        titled item's line cut inside its last words (a PDF's hard wrap), right under it,
        is no body paragraph: a word or two, no space, after a long title line."""
        return (not self.titled.body and not self.blank and not self.paragraph_lines
                and len(self.previous_line) >= WRAP_WIDTH and len(text) <= RUN_ON_CHARS
                and " " not in text and THAI_START.match(text) is not None)

    def _continues_item(self) -> bool:
        """Whether a plain line after an item is the item's hard-wrapped rest: not after a
        blank line under an item line that ended short of the width (it ended there:
        "• โครงการ… กลุ่มอำนวยการ" / "" / "สรุปงบประมาณตามกลยุทธ์"). A word processor's
        paragraphs (`paragraph_lines`) are each whole: one after an item is its text."""
        return (self.paragraph_lines or not self.blank
                or len(self.previous_line) >= WRAP_WIDTH)

    def expects(self, number: str) -> bool:
        """A bare '2 text' counts as item 2 only where item 2 is the next one expected."""
        siblings = self.siblings()
        expected = int(siblings[-1].number.split(".")[0]) + 1 if siblings else 1
        return to_int(number) == expected

    def finish(self) -> list[Section]:
        """The sections with their item paths; empty ones dropped with a warning."""
        kept = []
        for section in self.sections:
            assign_paths(section)
            for item in section.walk():
                _named_by_its_label(item)
            if not section.intro and not section.items:
                if (section.kind and section.heading != section.chapter
                        and id(section) not in self.linked):
                    self.warn(section.line, f"section '{section.heading}' has no text")
                continue
            if ALL_KINDS.get(section.kind) and ALL_KINDS[section.kind].listy and not section.items:
                self.warn(section.line, f"section '{section.heading}' has no numbered items")
            kept.append(section)
        return kept


def _named_by_its_label(item: Item) -> None:
    """'โครงการที่ 6' over 'ชื่อโครงการ ห้องเรียนคุณภาพ…', 'ผู้รับผิดชอบ …', 'งบประมาณ …': the
    titled item's text is the name its first line gives (the plan's words, label left out);
    the other labelled lines stay its body."""
    if item.text or not item.body or not (name := NAME_LABEL.match(item.body[0])):
        return
    item.text = name.group(1)
    item.body = item.body[1:]


#: A path of an item nested in a strategic issue ("ยุทธศาสตร์ 2 / กลยุทธ์ 1", as
#: `assign_paths` writes it): group 1 is the issue's number.
IN_ISSUE = re.compile(rf"^{re.escape(short_label('strategic_issue'))} (\d+) / ")


def issue_of(paths) -> str | None:
    """The number of the strategic issue every one of these item paths sits in, if one."""
    issues = {m.group(1) if (m := IN_ISSUE.match(p)) else None for p in paths}
    return issues.pop() if len(issues) == 1 and None not in issues else None


def _title_word(text: str, kind: str) -> str:
    """The word before an issue's number ("ประเด็นกลยุทธ์" of "ประเด็นกลยุทธ์ที่ ๑ …") when it
    is not the usual name of its kind ("ยุทธศาสตร์"); else ""."""
    found = re.match(r"\s*([^\d๐-๙]+?)\s*(?:ที่)?\s*[\d๐-๙]", text)
    word = found.group(1).strip() if found else ""
    return "" if not word or fold_clean(word) == fold_clean(short_label(kind)) else word


def _printed(written: str | None, number: str) -> str:
    """The number as printed ("1.2", Arabic digits) when it is more than the item's own
    number under its issue (`Item.printed`); else ""."""
    parts = number_parts(written or "")
    whole = ".".join(str(int(p)) for p in parts if p.isdigit())
    return whole if len(parts) > 1 and whole != number else ""


def dotted_number(path: str) -> str | None:
    """The number a plan prints for an item nested in a strategic issue, its issue's number
    before its own ("2.1" for "ยุทธศาสตร์ 2 / กลยุทธ์ 1"), as project tables cite it; None
    for an item not nested in one."""
    found = IN_ISSUE.match(path)
    return f"{found.group(1)}.{path.rsplit(' ', 1)[-1]}" if found else None


def _issue_number(cell: str) -> str:
    """The issue a cell of an issue column names: "2", "๒", "ยุทธศาสตร์ที่ 2 …"."""
    title = ISSUE_TITLE.match(fold_clean(cell))
    return str(int(title.group(1))) if title else ".".join(number_parts(cell))


def _column_naming(table: ReadTable, kind: str) -> str | None:
    """The first column whose heading names `kind` ("ยุทธศาสตร์"), if the table has one."""
    return next((c for c in table.columns if column_kind(c) == kind), None)


def assign_paths(section: Section) -> None:
    """Give every item its path: "3", "2.1", "ยุทธศาสตร์ 3 / กลยุทธ์ 4"."""

    def visit(item: Item, prefix: str, parent_kind: str) -> None:
        if item.kind != parent_kind and prefix:
            item.path = f"{prefix} / {short_label(item.kind)} {item.number}"
        elif prefix and "/" in prefix:
            item.path = f"{prefix.rsplit(' ', 1)[0]} {item.number}"
        else:
            item.path = item.number
        for child in item.children:
            if child.kind != item.kind:
                visit(child, f"{short_label(item.kind)} {item.number}", item.kind)
            else:
                visit(child, item.path if "/" in item.path else "", item.kind)

    for item in section.items:
        visit(item, "", section.kind)
