"""Turn a plan document into a tree: owner -> sections -> numbered items -> sub-items.

A plan document is UTF-8 text that starts with a YAML front matter naming its owner::

    ---
    office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1
    short: สพป.แพร่ เขต 1        # optional
    aliases: [สพป.พร.1]          # optional
    ---
    วิสัยทัศน์ (Vision)
    ...

The text below is loosely formatted web text. The parser copes with what real pages do:
list numbers repeated by a broken renderer ("1. 1. 1. 2."), hard-wrapped items, two items on
one line, sub-items (1.1), bullets, `1)` and `๑.` numbering, numbered and misspelt headings
with English tags, `label : value` lines, page noise and a signature block. Everything that is
not fatal becomes a warning on the plan; what is fatal raises `PlanParseError` with the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pythainlp.util import thai_digit_to_arabic_digit

from index.headings import KINDS, fuzzy_kind, kind_at_start, label, latin_kind
from index.model import Item, Plan, PlanParseError, Section
from index.text import clean, fold_clean, join_wrapped
from index.vocab import (
    HONORIFIC_PATTERNS,
    HONORIFICS,
    MAIL_LABELS,
    NESTABLE,
    PAGE_NOISE,
    PAGE_NOISE_WORDS,
    PHONE_LABELS,
    PLACE_LABELS,
    POSITIONS,
    SIGN_WORD,
)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
#: A paragraph line at least this long that runs on into the next line was hard-wrapped.
WRAP_WIDTH = 50


# --- line shapes -------------------------------------------------------------------------

def _either(*patterns: str) -> str:
    """One regular-expression alternative of several patterns."""
    return "|".join(patterns)


def _words(words: tuple[str, ...]) -> str:
    """One regular-expression alternative matching any of `words` literally."""
    return _either(*map(re.escape, words))


_DIGIT = r"[0-9๐-๙]"
_NUMBER = re.compile(
    rf"^\(?\s*({_DIGIT}{{1,3}}(?:\.{_DIGIT}{{1,3}})+)\s*[.)]?(?:\s+|(?=[^\d\s.]))(.*)$"
    rf"|^\(?\s*({_DIGIT}{{1,3}})\s*(?:\.(?!{_DIGIT})|\))\s*(.*)$"
)
_BARE_NUMBER = re.compile(rf"^({_DIGIT}{{1,3}})\s+(\S.*)$")
_BULLET = re.compile(r"^[•●○◦▪▫■□◆◇►▸▹➢➤✓✔✗❖\-–—*·]+\s*(.*)$")
_ORDINAL = re.compile(rf"^ที่\s*({_DIGIT}{{1,3}})\s*[:：.\-–]?\s*(.*)$")
_TAG = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_HONORIFIC = re.compile(
    rf"^({_either(*map(re.escape, HONORIFICS), *HONORIFIC_PATTERNS)})\s*\S+(\s+\S+){{0,2}}$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    rf"^(?:(?:{_words(PHONE_LABELS + MAIL_LABELS)})\s*[.:：]?\s*[0-9๐-๙(+]"
    rf"|(?:{_words(MAIL_LABELS)})\s*[.:：]?\s*\S+@"
    rf"|(?:{_words(PLACE_LABELS)})\s*[:：])",
    re.I,
)
#: A line under a signer's name: their position.
_POSITION = re.compile(rf"^({_words(POSITIONS)})")
_NOISE_WORDS = re.compile(
    rf"{_words(PAGE_NOISE)}|\b(?:{_words(PAGE_NOISE_WORDS)})\b", re.IGNORECASE
)
_LABEL_VALUE = re.compile(r"^([^:：]{2,40}?)\s*[:：]\s*(\S.*)$")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
#: Markdown heading and quote marks at the start of a line, and bold/italic markers.
_MARKUP = re.compile(r"^(?:#{1,6}|>)\s*|\*\*|__")


def _to_int(number: str) -> int:
    return int(thai_digit_to_arabic_digit(number).split(".")[0])


def _number_parts(number: str) -> list[str]:
    return [p for p in re.split(r"\s*\.\s*", thai_digit_to_arabic_digit(number)) if p]


@dataclass
class _Heading:
    kind: str  # a kind or "other"; "" for a title line naming several sections
    inline: str = ""  # text after "label :" on the same line
    number: str | None = None  # "ยุทธศาสตร์ที่ 3" -> "3": a titled, numbered item
    weak: bool = False  # "2. พันธกิจของโรงเรียน": a heading only where a heading fits
    qualified: bool = False  # "จุดเน้นการดำเนินงาน": a heading word with a few words more


def _strip_tags(text: str) -> str:
    """Remove parenthesised tags such as (Vision) and [GOALS]."""
    return _TAG.sub(" ", text).strip()


def _tag_kinds(text: str) -> list[str]:
    """Kinds named by English tags in a heading: '(Focus Function/Focus Area)' -> ['focus']."""
    kinds = []
    for tag in _TAG.findall(text):
        for word in re.split(r"[^A-Za-z]+", tag):
            kind = latin_kind(word) if len(word) > 2 else None
            if kind:
                kinds.append(kind)
    return kinds


def _short_enough(folded: str, numbered: bool) -> bool:
    """Only a short line, or a 'label : value' line, can be a misspelt heading."""
    plain = _strip_tags(folded)
    if numbered:
        return len(plain) <= 22
    return len(plain) <= 45 or bool(re.match(r"^[^:：]{1,25}[:：]", plain))


def classify_heading(text: str, numbered: bool) -> _Heading | None:
    """Decide whether a line (its list number already removed) is a section heading."""
    folded = fold_clean(text)
    found = kind_at_start(folded)
    if found is None and _short_enough(folded, numbered):
        found = fuzzy_kind(folded)
    if found is None:
        latin = re.match(r"^([A-Za-z]+(?: [A-Za-z]+)?)\s*(?:[:：]\s*(.*))?$", text.strip())
        if latin and latin_kind(latin.group(1)) and not (numbered and latin.group(2)):
            return _Heading(latin_kind(latin.group(1)), inline=(latin.group(2) or "").strip())
        return None
    kind, word = found
    rest = folded[len(word):].strip()
    if re.fullmatch(r"[:：\-–\s]*", rest):
        rest = ""  # "1. วิสัยทัศน์ :" — a heading whose text starts on the next line
    ordinal = _ORDINAL.match(rest)
    if ordinal:  # "ยุทธศาสตร์ที่ 1 : การพัฒนา...": a titled, numbered item
        if numbered:
            return None
        return _Heading(kind, inline=_exact_tail(text, ordinal.group(2)), number=ordinal.group(1))
    label_value = re.match(r"^[:：\-–]\s*(\S.*)$", rest) or re.match(
        r"^[^:：\d]{1,30}?\s*[:：]\s*(\S.*)$", rest)
    if label_value:  # "วิสัยทัศน์ : ...", "ปรัชญาโรงเรียน : ..." — a label and its value
        return _Heading(kind, inline=_exact_tail(text, label_value.group(1)))
    plain = _strip_tags(rest)
    tags = _tag_kinds(rest)
    if tags and tags[0] != kind and not plain:
        kind = tags[0] if kind not in KINDS else kind
    if not plain:
        return _Heading(kind)
    if kind == "signature" and word != SIGN_WORD:
        return None  # "ติดต่อสื่อสารได้ดี" is a sentence, "ติดต่อ" alone a heading
    if _NUMBER.match(plain):  # "พันธกิจ 1. สอนดี 2. เรียนดี": the items on the heading's line
        return _Heading(kind, inline=_exact_tail(text, rest))
    if numbered:  # "1. จุดเน้นด้านผู้เรียน" is an item unless a heading fits there
        short = len(plain) <= 25 and not re.search(_DIGIT, plain)
        return _Heading(kind, weak=True) if short else None
    others = [k for k in _kinds_named_in(plain) if k != kind]
    if others and "/" not in rest:  # "วิสัยทัศน์ พันธกิจ": a page title naming sections
        return _Heading("")
    if len(plain) <= 30 and not re.search(_DIGIT + r"{2,}", plain) or "/" in plain and tags:
        # "จุดเน้นการดำเนินงาน", "ยุทธศาสตร์ (Strategic) สพป.ลป.1"
        return _Heading(kind, qualified=not tags and "/" not in plain)
    if not KINDS[kind].listy and not plain.startswith(("ของ", "ที่")):
        return _Heading(kind, inline=_exact_tail(text, plain))  # "วิสัยทัศน์ มุ่งพัฒนา..."
    return None


def _kinds_named_in(folded: str) -> list[str]:
    kinds = []
    for piece in re.split(r"\s+|/|และ|,", folded):
        found = kind_at_start(piece) if piece else None
        if found:
            kinds.append(found[0])
    return kinds


def _exact_tail(text: str, folded_tail: str) -> str:
    """The part of `text` (clean, not folded) that corresponds to a folded tail."""
    if not folded_tail:
        return ""
    size = len(folded_tail)
    tail = text[-size:] if size <= len(text) else text
    return tail.strip()


def _split_inline_ordinals(text: str) -> list[str]:
    """'เป้าประสงค์ที่ 5 ... เป้าประสงค์ที่ 6 ...' -> one line per numbered item."""
    if "ที่" not in text:
        return [text]
    folded = fold_clean(text)
    found = kind_at_start(folded)
    if not found:
        return [text]
    word = found[1]
    pattern = re.compile(rf"\s(?={re.escape(word)}\s*ที่\s*{_DIGIT})")
    if len(folded) != len(text):
        return [text]
    cuts = [m.end() for m in pattern.finditer(folded)]
    if not cuts:
        return [text]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


# --- the parser ----------------------------------------------------------------------------


class _Builder:
    """Walks the lines once, keeping what is open: section, container item, list items."""

    def __init__(self, source: str):
        self.source = source
        self.sections: list[Section] = []
        self.preamble: list[str] = []
        self.warnings: list[str] = []
        self.section: Section | None = None
        self.section_number: str | None = None  # "2" for a heading written "2. พันธกิจ"
        self.container: Item | None = None  # "ยุทธศาสตร์ที่ 3", where goals/strategies nest
        self.group_kind: str | None = None  # kind of items now being listed in the container
        self.titled: Item | None = None  # "กลยุทธ์ที่ 1 ..." whose body paragraphs follow
        self.last: Item | None = None  # the item that continuation text belongs to
        self.blank = False  # a blank line came since the last text
        self.paragraph_open = False
        self.previous_line = ""  # the last text line, to tell a hard wrap from a new paragraph
        self.pending_number: str | None = None  # "1." alone on a line: its text comes next
        self.last_numbers: dict[tuple[int, str], int] = {}  # list -> its last number
        self.repairs = 0  # list numbers repaired in this section (a renderer that repeats "1.")
        self.flat_lists: dict[int, dict[str, str]] = {}  # lists numbered "2.1, 2.2" under "2."

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.source} line {line}: {message}")

    # where new items go
    def _siblings(self) -> list[Item]:
        if self.container is not None and self.group_kind:
            return self.container.children
        if self.container is not None:
            return self.container.children
        return self.section.items

    def _item_kind(self) -> str:
        if self.container is not None and self.group_kind:
            return self.group_kind
        return self.section.kind if self.section.kind in KINDS else "other"

    def open_section(self, kind: str, heading: str, line: int) -> None:
        previous = self.section
        if previous is not None and previous.kind == kind and not (previous.intro or previous.items):
            previous.heading, previous.line = heading, line  # a repeated heading
        else:
            self.section = Section(kind, heading, line)
            self.sections.append(self.section)
        self.container = None
        self.group_kind = None
        self.titled = None
        self.last = None
        self.paragraph_open = False
        self.section_number = None
        self.repairs = 0

    def ensure_section(self, line: int, kind: str = "other", heading: str = "") -> None:
        if self.section is None:
            self.open_section(kind, heading, line)

    def heading(self, found: _Heading, text: str, line: int) -> None:
        kind = found.kind
        in_container = self.container is not None
        if found.number is not None:
            self.numbered_heading(found, text, line)
            return
        if in_container and kind in NESTABLE and not _TAG.search(text):
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

    def numbered_heading(self, found: _Heading, text: str, line: int) -> None:
        kind = found.kind
        number = str(_to_int(found.number))
        if self.container is not None and kind in NESTABLE and kind != self.container.kind:
            self.group_kind = kind
            item = self._append(self.container.children, kind, number, found.inline, line)
            self.titled = item
            self.last = item
            return
        if self.section is None or self.section.kind != kind:
            self.open_section(kind, text, line)
        item = self._append(self.section.items, kind, number, found.inline, line, explicit=True)
        item.container = kind == "strategic_issue"
        self.container = item if item.container else None
        self.group_kind = None
        self.titled = item
        self.last = item

    def _append(
        self, siblings: list[Item], kind: str, number: str, text: str, line: int, explicit=True
    ) -> Item:
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
        siblings = self._siblings()
        return self.last_numbers.get((id(siblings), self._item_kind()), 0) + 1

    def add_item(self, text: str, line: int, number: str | None, bullet: bool = False) -> None:
        self.ensure_section(line)
        siblings = self._siblings()
        kind = self._item_kind()
        parts = _number_parts(number) if number else []
        owner_number = self.container.number if self.container is not None else self.section_number
        flat = self.flat_lists.get(id(siblings), {}).get(kind)
        if len(parts) == 2 and parts[0] == owner_number and (flat == parts[0] or not any(
            s.number == parts[0] and s.kind == kind for s in siblings
        )):  # "2. พันธกิจ" (or "ยุทธศาสตร์ที่ 2") then "2.1", "2.2": its own items 1, 2
            self.flat_lists.setdefault(id(siblings), {})[kind] = parts[0]
            parts = parts[1:]
            number = parts[0]
        if len(parts) > 1:  # "2.1", "2.1.3": a sub-item of item 2 (of 2.1) of this list
            parent = next((s for s in reversed(siblings) if s.number == parts[0]), None)
            parent = parent or (siblings[-1] if siblings else None)
            for part in parts[1:-1]:  # walk down "1.1" to find the parent of "1.1.2"
                child = next((c for c in reversed(parent.children) if c.kind == kind
                              and c.number.split(".")[-1] == part), None) if parent else None
                if child is None:
                    break
                parent = child
            if parent is not None:
                sub = f"{parent.number}.{parts[-1]}"
                self.last = self._append(parent.children, kind, sub, text, line, explicit=True)
                return
            number = parts[-1]
        if bullet and siblings and self.last is not None:
            top = siblings[-1]
            if top.number.isdigit() and not getattr(top, "_bulleted", False):
                sub = f"{top.number}.{len(top.children) + 1}"
                child = self._append(top.children, kind, sub, text, line, explicit=True)
                child._bulleted = True  # type: ignore[attr-defined]
                self.last = child
                return
        if number is None:
            number = str(len(siblings) + 1)
            item = self._append(siblings, kind, number, text, line, explicit=True)
            item._bulleted = bullet  # type: ignore[attr-defined]
        else:
            item = self._append(siblings, kind, str(_to_int(number)), text, line, explicit=False)
        self.last = item
        self.titled = None

    def add_paragraph(self, text: str, line: int) -> None:
        """Plain text: a wrapped continuation, a body paragraph or section text."""
        if self.section is None:
            self.preamble.append(text)
            return
        if self.last is not None and self.titled is not self.last:
            self.last.text = join_wrapped(self.last.text, text)  # a hard-wrapped item
            return
        target = self.titled.body if self.titled is not None else self.section.intro
        wrapped = len(self.previous_line) >= WRAP_WIDTH  # short lines are lines of their own
        if target and self.paragraph_open and not self.blank and wrapped:
            target[-1] = join_wrapped(target[-1], text)
        else:
            target.append(text)
        self.paragraph_open = True

    def finish(self) -> list[Section]:
        kept = []
        for section in self.sections:
            _assign_paths(section)
            if not section.intro and not section.items:
                if section.kind:
                    self.warn(section.line, f"section '{section.heading}' has no text")
                continue
            if KINDS.get(section.kind) and KINDS[section.kind].listy and not section.items:
                self.warn(section.line, f"section '{section.heading}' has no numbered items")
            kept.append(section)
        return kept


def _assign_paths(section: Section) -> None:
    def visit(item: Item, prefix: str, parent_kind: str) -> None:
        if item.kind != parent_kind and prefix:
            item.path = f"{prefix} / {label(item.kind).split('/')[0]} {item.number}"
        elif prefix and "/" in prefix:
            item.path = f"{prefix.rsplit(' ', 1)[0]} {item.number}"
        else:
            item.path = item.number
        for child in item.children:
            if child.kind != item.kind:
                visit(child, f"{label(item.kind).split('/')[0]} {item.number}", item.kind)
            else:
                visit(child, item.path if "/" in item.path else "", item.kind)

    for item in section.items:
        visit(item, "", section.kind)


def parse_body(text: str, source: str = "<text>", first_line: int = 1) -> Plan:
    """Parse the plan text below the front matter. Line numbers count from `first_line`."""
    builder = _Builder(source)
    signature = False
    lines = []
    for offset, raw in enumerate(text.split("\n")):
        line = _MARKUP.sub("", clean(raw)).strip()
        if line:
            lines.extend((first_line + offset, piece) for piece in _split_inline_ordinals(line))
        else:
            lines.append((first_line + offset, ""))
    following = ""
    upcoming = [""] * len(lines)
    for index in range(len(lines) - 1, -1, -1):
        upcoming[index] = following
        if lines[index][1]:
            following = lines[index][1]
    for index, (line_no, line) in enumerate(lines):
        if not line:
            builder.blank = True
            continue
        signature = _take_line(builder, line, line_no, signature, upcoming[index])
        builder.previous_line = line
        builder.blank = False
    sections = builder.finish()
    return Plan(source, {}, sections, builder.warnings, builder.preamble)


def _take_line(
    builder: _Builder, line: str, line_no: int, signature: bool, upcoming: str = ""
) -> bool:
    """Feed one cleaned line to the builder; returns whether a signature block is open.

    `upcoming` is the next non-blank line: a signer's name is one only when a position or
    the end of the page follows, and a heading-like line inside a list is a wrapped line
    when the list goes on right after it.
    """
    has_thai = bool(_THAI.search(line))
    if not has_thai and len(line) <= 40 and (signature or _NOISE_WORDS.search(line)):
        if not _BULLET.match(line) and not _NUMBER.match(line):
            builder.warn(line_no, f"page noise dropped: '{line}'")
            return signature

    numbered = _NUMBER.match(line)
    number, body = _marker(numbered) if numbered else (None, line)
    if numbered and not body:
        builder.pending_number = number  # "1." alone: the item's text is on the next line
        return signature
    found = classify_heading(body, numbered=bool(numbered))
    if signature:
        if found is None or found.kind in ("signature", "") or found.weak or found.qualified:
            builder.section.intro.append(line)
            return True
        signature = False  # a real heading after the signer: the plan goes on
    elif builder.sections and _signs(line, upcoming):
        builder.open_section("signature", line, line_no)
        builder.section.intro.append(line)
        return True
    if found is not None and _is_heading_here(builder, found, number, upcoming):
        if found.kind == "":
            builder.warn(line_no, f"title line naming several sections skipped: '{line}'")
            builder.open_section("", line, line_no)
            return signature
        if found.kind == "signature":
            builder.open_section("signature", line, line_no)
            if found.inline:
                builder.section.intro.append(found.inline)
            return True
        inline_items = found.inline and _NUMBER.match(found.inline)
        if inline_items:
            found.inline = ""
        builder.heading(found, line, line_no)
        if number is not None and found.number is None:
            builder.section_number = str(_to_int(number))
        if inline_items:  # "พันธกิจ 1. สอนดี 2. เรียนดี"
            for piece in _split_inline_items(line[len(line) - len(inline_items.string):]):
                signature = _take_line(builder, piece, line_no, signature)
        return signature
    if numbered:
        builder.add_item(body, line_no, number)
        return signature
    bullet = _BULLET.match(line)
    if bullet and bullet.group(1):
        builder.add_item(bullet.group(1), line_no, None, bullet=True)
        return signature
    bare = _BARE_NUMBER.match(line)
    if bare and builder.section is not None and _expects(builder, bare.group(1)):
        builder.add_item(bare.group(2), line_no, bare.group(1))
        return signature
    if builder.pending_number is not None:
        number, builder.pending_number = builder.pending_number, None
        builder.add_item(line, line_no, number)
        return signature
    label_value = _LABEL_VALUE.match(line)
    if label_value and builder.section is not None and not builder.section.items:
        if builder.section.kind in ("other", "") or builder.section.intro:
            builder.warn(line_no, f"unknown heading '{label_value.group(1)}'")
            builder.open_section("other", label_value.group(1).strip(), line_no)
            builder.add_paragraph(label_value.group(2).strip(), line_no)
            return signature
    if _unknown_heading(line, upcoming) or _new_list_heading(builder, line, upcoming):
        builder.warn(line_no, f"unknown heading '{line}'")
        builder.open_section("other", _strip_tags(line), line_no)
        return signature
    if builder.section is not None and builder.section.kind == "":
        builder.preamble.append(line)
        return signature
    builder.add_paragraph(line, line_no)
    return signature


def _unknown_heading(line: str, upcoming: str) -> bool:
    """'นโยบาย (Policy)' over a new list: a heading the table doesn't know."""
    if not re.search(r"\([A-Za-z][A-Za-z /&-]*\)\s*$", line) or _tag_kinds(line):
        return False
    thai = _strip_tags(line)
    if not thai or len(thai) > 30 or not _THAI.search(thai):
        return False
    following = _NUMBER.match(upcoming)
    starts_list = following is not None and _to_int(_marker(following)[0]) == 1
    return starts_list or bool(_BULLET.match(upcoming))


def _new_list_heading(builder: _Builder, line: str, upcoming: str) -> bool:
    """'นโยบาย' between item 2 and a new '1.': a heading the table doesn't know.

    Only where the list so far was numbered cleanly: on pages whose renderer repeats '1.',
    a restart proves nothing.
    """
    following = _NUMBER.match(upcoming)
    if following is None or _to_int(_marker(following)[0]) != 1:
        return False
    if builder.section is None or builder.repairs or builder.next_number() < 3:
        return False
    return len(line) <= 30 and not re.search(r"[.。!?:;,]$|" + _DIGIT, line)


def _signs(line: str, upcoming: str) -> bool:
    """A signer's name (a position or the page's end follows), or a contact line."""
    if _CONTACT.match(line):
        return True
    if not _HONORIFIC.match(line):
        return False
    return not upcoming or bool(_POSITION.match(upcoming)) or not _THAI.search(upcoming)


def _is_heading_here(builder: _Builder, found: _Heading, number: str | None, upcoming: str) -> bool:
    """Whether a heading-like line opens a section where it stands."""
    section = builder.section
    if found.weak:  # "2. พันธกิจของโรงเรียน": after "1. วิสัยทัศน์...", or first of all
        if section is None or section.kind == "":
            return True
        if section.kind == found.kind:
            return False
        return builder.section_number is not None and number is not None and (
            _to_int(number) == _to_int(builder.section_number) + 1)
    if found.qualified and section is not None and builder.last is not None:
        if found.kind != section.kind and builder.titled is not builder.last:
            following = _NUMBER.match(upcoming)
            if following and _to_int(_marker(following)[0]) == builder.next_number():
                return False  # "...ตาม / เป้าหมายของหลักสูตร / 2. ...": a wrapped item
    return True


def _split_inline_items(text: str) -> list[str]:
    """'1. สอนดี 2. เรียนดี' -> ['1. สอนดี', '2. เรียนดี'] when the numbers run 1, 2, 3..."""
    starts = [m.start() for m in re.finditer(rf"(?:^|(?<=\s))({_DIGIT}{{1,2}})[.)]\s*\S", text)]
    numbers = [_to_int(re.match(rf"{_DIGIT}+", text[i:]).group(0)) for i in starts]
    if not starts or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return [text]
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _marker(match: re.Match) -> tuple[str, str]:
    """(number, text) of a numbered line: '2.1 text' or '3. text'."""
    if match.group(1) is not None:
        return match.group(1), match.group(2)
    return match.group(3), match.group(4)


def _expects(builder: _Builder, number: str) -> bool:
    """A bare '2 text' counts as item 2 only where item 2 is the next one expected."""
    siblings = builder._siblings()
    expected = int(siblings[-1].number.split(".")[0]) + 1 if siblings else 1
    return _to_int(number) == expected


# --- documents -----------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str, source: str) -> tuple[dict, str, int]:
    """(front matter, body, line number of the body's first line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT.match(text)
    if not match:
        raise PlanParseError(
            source, 1, "no front matter: the file must start with '---', 'office: ...', '---'"
        )
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlanParseError(source, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(meta, dict):
        raise PlanParseError(source, 2, "front matter must be 'key: value' lines")
    office = meta.get("office")
    if not isinstance(office, str) or not office.strip():
        raise PlanParseError(source, 2, "front matter has no 'office:' (the owner's full name)")
    for key in ("short",):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str | int):
            raise PlanParseError(source, _key_line(match.group(1), key), f"'{key}' must be text")
    aliases = meta.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
        raise PlanParseError(
            source, _key_line(match.group(1), "aliases"), "'aliases' must be a list of names"
        )
    meta["aliases"] = [str(a) for a in aliases]
    body_start = match.group(0).count("\n") + 1
    return meta, text[match.end():], body_start


def _key_line(front: str, key: str) -> int:
    for number, line in enumerate(front.split("\n"), 2):
        if line.startswith(f"{key}:"):
            return number
    return 2


def parse_text(text: str, source: str = "<text>") -> Plan:
    """Parse a whole document (front matter and plan text) given as a string."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PlanParseError(source, line, "the file contains NUL bytes: not a text document")
    meta, body, first_line = split_front_matter(text, source)
    plan = parse_body(body, source, first_line)
    plan.meta = meta
    if not plan.sections:
        raise PlanParseError(
            source,
            first_line,
            "no plan sections found (expected headings such as วิสัยทัศน์, พันธกิจ, กลยุทธ์)",
        )
    return plan


def parse_file(path: str | Path) -> Plan:
    """Read and parse one plan document."""
    path = Path(path)
    source = str(path)
    data = path.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PlanParseError(source, 1, f"file is larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanParseError(source, line, "not UTF-8 text (save the file as UTF-8)") from None
    return parse_text(text, source)
