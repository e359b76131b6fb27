"""The plan tree every part shares: a plan's sections, their numbered items and sub-items.

The parser builds it, the index stores it (as JSON per owner) and the engine reads it back;
all three use these classes, so `walk` and `title` have one home.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.headings import label


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

    def walk(self):
        """This item and all items below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The item's text and its body paragraphs, one per line."""
        return "\n".join([self.text, *self.body]) if self.body else self.text


@dataclass
class Section:
    """One section of a plan: its heading as written, paragraphs and items."""

    kind: str  # a kind of index.headings, or "other"
    heading: str
    line: int
    intro: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The section's Thai name ("other" sections use their own heading)."""
        return label(self.kind) if self.kind != "other" else self.heading

    def walk(self):
        """Every item of the section, depth first."""
        for item in self.items:
            yield from item.walk()


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
