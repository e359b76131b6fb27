"""The plan tree every part shares: a plan's sections, their numbered items and sub-items.

The parser builds it, the index stores it (as JSON per owner, `to_dict`/`from_dict`) and the
engine reads it back; all three use these classes, so `walk`, `title` and "where does this
plan keep its goals" (`Plan.view`) have one home.

A plan may hold goals as a section of their own, nested in strategic issues
(ยุทธศาสตร์ที่ 3 / เป้าประสงค์ที่ 6), or under a heading that names several kinds
(จุดเน้น/.../ตัวชี้วัดความสำเร็จ). `Plan.view` finds them in each of these places; the build
records `Plan.available_kinds()` per owner, so the bot can tell who has goals without reading
every plan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import NamedTuple

from index.headings import ALL_KINDS, KINDS, label
from index.tables import year_of
from index.text import fold


class PlanParseError(Exception):
    """A plan document that cannot be parsed. The message names the file and line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source} line {line}: {message}")
        self.source = source
        self.line = line
        self.reason = message


@dataclass
class Item:
    """A numbered (or bulleted) item with its exact text."""

    kind: str
    number: str  # "1", "2.1" — as repaired when the page's numbering was broken
    text: str
    line: int
    body: list[str] = field(default_factory=list)  # paragraphs under a titled item
    children: list[Item] = field(default_factory=list)
    path: str = ""  # "3", "2.1", "ยุทธศาสตร์ 3 / กลยุทธ์ 4"
    container: bool = False  # opened by "ยุทธศาสตร์ที่ 3": other kinds may nest inside
    #: A table row's cells by column name, exactly as printed ("ค่าเป้าหมาย 2568": "75",
    #: "งบประมาณ (บาท)": "250,000"); empty for an item of running text. `text` is the cell of
    #: the table's main column (the indicator, the project).
    cells: dict[str, str] = field(default_factory=dict)
    #: The number as the plan prints it when that is not `number`: "1.2" for strategy 2 of
    #: issue 1 printed "กลยุทธ์ที่ 1.2" (its issue's number before its own); else "".
    printed: str = ""
    #: The word the plan titles a strategic issue with when it is not the usual one
    #: ("ประเด็นกลยุทธ์" in "ประเด็นกลยุทธ์ที่ ๑ …"); else "".
    word: str = ""

    def walk(self):
        """This item and all items below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The item's text, its body paragraphs and its other table cells, one per line."""
        cells = [f"{name}: {value}" for name, value in self.cells.items() if value != self.text]
        return "\n".join([self.text, *self.body, *cells])

    def cell(self, name: str) -> str | None:
        """The cell of the first column whose name starts with `name` ('หน่วย', 'งบประมาณ'),
        digits and case folded; None when the item has no such column."""
        wanted = fold(name)
        for column, value in self.cells.items():
            if fold(column).startswith(wanted):
                return value
        return None

    def yearly(self) -> dict[int, tuple[str, str]]:
        """Year -> (column, value as printed) for columns named by a year ('ค่าเป้าหมาย ๒๕๖๘'
        gives 2568): an indicator's targets."""
        found: dict[int, tuple[str, str]] = {}
        for column, value in self.cells.items():
            year = year_of(column)
            if year is not None and year not in found:
                found[year] = (column, value)
        return found

    def to_dict(self) -> dict:
        """The item as JSON-ready data (children included)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        """An item from `to_dict` output."""
        return cls(
            data["kind"], data["number"], data["text"], data["line"], list(data["body"]),
            [cls.from_dict(child) for child in data["children"]], data["path"],
            data.get("container", False), dict(data.get("cells", {})), data.get("printed", ""),
            data.get("word", ""),
        )


@dataclass
class Section:
    """One section of a plan: its heading as written, paragraphs and items."""

    kind: str  # a kind of index.headings, or "other"
    heading: str
    line: int
    intro: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    chapter: str = ""  # the chapter it stands in ("ส่วนที่ 3 ทิศทางการพัฒนา"), if the plan has them

    @property
    def own_heading(self) -> str:
        """The heading, or "" when the section has none of its own: its first item's line
        opened it ("ยุทธศาสตร์ที่ ๑ ...", a heading of that item, not of the items after it)."""
        opened_by_item = bool(self.items) and self.items[0].line == self.line
        return "" if opened_by_item else self.heading

    @property
    def title(self) -> str:
        """The section's Thai name ("other" sections use their own heading)."""
        return label(self.kind) if self.kind != "other" else self.heading

    def walk(self):
        """Every item of the section, depth first."""
        for item in self.items:
            yield from item.walk()

    def to_dict(self) -> dict:
        """The section as JSON-ready data, as the index stores it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Section:
        """A section from `to_dict` output."""
        return cls(data["kind"], data["heading"], data["line"], list(data["intro"]),
                   [Item.from_dict(item) for item in data["items"]], data.get("chapter", ""))


class SectionView(NamedTuple):
    """What a plan says about one kind: the heading it is under, its items, its paragraphs."""

    heading: str  # "" when the items are nested in strategic issues
    items: list[Item]
    intro: list[str]


@dataclass
class Plan:
    """A parsed plan document."""

    source: str
    meta: dict
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)

    def section(self, kind: str) -> Section | None:
        """The first section of this kind, if any."""
        return next((s for s in self.sections if s.kind == kind), None)

    def view(self, kind: str) -> SectionView | None:
        """Where this plan says something of `kind`, or None when it says nothing.

        A section of that kind first; then items of that kind nested in strategic issues;
        then a section whose heading names the kind ("จุดเน้น/.../ตัวชี้วัดความสำเร็จ").
        """
        same = [section for section in self.sections if section.kind == kind]
        if len(same) == 1:
            return SectionView(same[0].own_heading, same[0].items, same[0].intro)
        if same:  # "อัตลักษณ์ของผู้เรียน" and "เอกลักษณ์ของโรงเรียน": quote both, each headed
            intro = [f"{s.heading}: {p}" for s in same for p in s.intro]
            items = [item for s in same for item in s.items]
            return SectionView(" / ".join(s.heading for s in same), items, intro)
        nested = [
            child
            for section in self.sections
            for item in section.items
            for child in item.children
            if child.kind == kind and item.kind != kind
        ]
        if nested:
            return SectionView("", nested, [])
        words = _kind_words(kind)
        for section in self.sections:
            heading = _folded(section.heading)
            for longer in _longer_words(kind):
                heading = heading.replace(longer, " ")
            if any(word in heading for word in words):
                return SectionView(section.heading, section.items, section.intro)
        return None

    def kinds(self) -> list[str]:
        """The kinds this plan has as sections or nested items, in plan order, signature last;
        a project table counts ("project"): it is one of the plan's headings a reader sees."""
        kinds: list[str] = []
        for section in self.sections:
            if section.kind in ALL_KINDS and section.kind not in kinds:
                kinds.append(section.kind)
            for item in section.items:
                for child in item.children:
                    if child.kind != item.kind and child.kind not in kinds:
                        kinds.append(child.kind)
        signature = ["signature"] if "signature" in kinds else []
        return [k for k in kinds if k != "signature"] + signature

    def available_kinds(self) -> list[str]:
        """Every kind a question could be answered with from this plan (`view` not None)."""
        return [kind for kind in KINDS if self.view(kind) is not None]

    def strategic_issue(self, number: str) -> Item | None:
        """The strategic issue (ยุทธศาสตร์ที่ n) with this number, wherever it is listed."""
        for section in self.sections:
            for item in section.items:
                if item.kind == "strategic_issue" and item.number == number:
                    return item
        return None


@lru_cache(maxsize=65536)
def _folded(heading: str) -> str:
    """A heading's matching form (headings repeat across plans: computed once each)."""
    return fold(heading)


@lru_cache(maxsize=64)
def _kind_words(kind: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in KINDS[kind].thai) if kind in KINDS else ()


@lru_cache(maxsize=64)
def _longer_words(kind: str) -> tuple[str, ...]:
    """Heading words of other kinds that contain a word of `kind` (เป้าหมายความสำเร็จ ⊃ เป้าหมาย)."""
    if kind not in KINDS:
        return ()
    mine = [fold(w) for w in KINDS[kind].thai]
    return tuple(
        fold(word)
        for other in KINDS.values()
        if other.kind != kind
        for word in other.thai
        if any(m in fold(word) and m != fold(word) for m in mine)
    )
