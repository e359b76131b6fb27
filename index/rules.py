"""Line rules: what one line of a plan does to the tree being built.

`take_line` tries the rules of `LINE_RULES` in order; the first that takes the line ends
the turn. Each rule is a small function with the line shape it handles in its docstring, so
a new line shape is one new rule (and one test in tests/test_parse.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from index.lines import (
    BARE_NUMBER,
    BULLET,
    DIGIT,
    LABEL_VALUE,
    NUMBER,
    THAI,
    Heading,
    chapter,
    chapter_kind,
    classify_heading,
    is_page_noise,
    marker,
    prose_heading,
    signs,
    split_inline_items,
    starts_list_at,
    strip_tags,
    tag_kinds,
    to_int,
)
from index.repair import is_page_number, is_running_header
from index.tree import WRAP_WIDTH, Builder

#: A heading inside a chapter's prose is at most this long.
PROSE_HEADING_CHARS = 40


@dataclass
class Seen:
    """One cleaned line as the rules see it, with the next non-blank line."""

    builder: Builder
    text: str
    line: int  # its line in the file
    upcoming: str = ""  # the next non-blank line ("" at the end, or for a split piece)
    signing: bool = field(init=False)  # a signature block was open when the line came

    def __post_init__(self) -> None:
        self.signing = self.builder.signing

    @cached_property
    def numbered(self) -> re.Match | None:
        """The list-number match of the line ('1. ...', '2.1 ...', '(3) ...')."""
        return NUMBER.match(self.text)

    @cached_property
    def number(self) -> str | None:
        """The line's list number as written, or None."""
        return marker(self.numbered)[0] if self.numbered else None

    @cached_property
    def body(self) -> str:
        """The line without its list number."""
        return marker(self.numbered)[1] if self.numbered else self.text

    @cached_property
    def heading(self) -> Heading | None:
        """What the line would be as a heading, wherever it stands."""
        return classify_heading(self.body, numbered=bool(self.numbered))

    @cached_property
    def heading_here(self) -> Heading | None:
        """The heading, if it opens a section where it stands."""
        found = self.heading
        return found if found is not None and _is_heading_here(self, found) else None


def take_line(builder: Builder, text: str, line: int, upcoming: str = "") -> None:
    """Feed one cleaned line to the builder.

    `upcoming` is the next non-blank line: a signer's name is one only when a position or
    the end of the page follows, and a heading-like line inside a list is a wrapped line
    when the list goes on right after it.
    """
    seen = Seen(builder, text, line, upcoming)
    for rule in LINE_RULES:
        if rule(seen):
            return


def _is_heading_here(seen: Seen, found: Heading) -> bool:
    """Whether a heading-like line opens a section where it stands."""
    builder = seen.builder
    section = builder.section
    if found.weak:  # "2. พันธกิจของโรงเรียน": after "1. วิสัยทัศน์...", or first of all
        if section is None or section.kind == "":
            return True
        if section.kind == found.kind:
            return False
        return seen.number is not None and (
            _follows(seen.number, builder.section_number) or _continues_outline(seen))
    if found.qualified and section is not None and builder.last is not None:
        if found.kind != section.kind and builder.titled is not builder.last:
            if starts_list_at(seen.upcoming) == builder.next_number():
                return False  # "...ตาม / เป้าหมายของหลักสูตร / 2. ...": a wrapped item
    return True


def _follows(number: str, previous: str | None) -> bool:
    return previous is not None and to_int(number) == to_int(previous) + 1


def _continues_outline(seen: Seen) -> bool:
    """'๖. จุดเน้น...' after '๕. ยุทธศาสตร์...' and its strategic issues: the next heading of
    the plan's own numbered outline, where a container's items stand."""
    builder = seen.builder
    return (seen.number is not None and builder.container is not None
            and _follows(seen.number, builder.outline_number))


def _number_outline(seen: Seen) -> None:
    """A heading written with a list number ('2. พันธกิจ'): the plan's outline is there now."""
    if seen.number is not None:
        seen.builder.section_number = seen.builder.outline_number = str(to_int(seen.number))


# --- the rules, in the order they are tried ------------------------------------------------


def page_noise(seen: Seen) -> bool:
    """'Google Calendar', 'Share', '© 2566' between วิสัยทัศน์ and พันธกิจ: web-page furniture.

    It is dropped with a warning; inside a signature block so is every short line without
    Thai (an English name, a web address). So is a page number pasted with its page ('- 12 -',
    'หน้า ๕'), which would otherwise be read as a bulleted item "12 -" (a bare '12' or '(3)'
    is not dropped: it may be an item's number, its text on the next line, or a cell), and a
    running header with its page ('แผนปฏิบัติการประจำปี … พ.ศ. 2568 หน้า 5').
    """
    text = seen.text
    if is_page_number(text) and not seen.numbered and not re.fullmatch(rf"\s*{DIGIT}+\s*", text):
        seen.builder.warn(seen.line, f"page number dropped: '{text.strip()}'")
        return True
    if is_running_header(text) and not seen.numbered:
        seen.builder.warn(seen.line, f"page header dropped: '{text.strip()}'")
        return True
    short_latin = not THAI.search(text) and len(text) <= 40
    if not (seen.signing and short_latin or is_page_noise(text)):
        return False
    if BULLET.match(text) or seen.numbered:
        return False
    seen.builder.warn(seen.line, f"page noise dropped: '{text}'")
    return True


def number_alone(seen: Seen) -> bool:
    """'1.' alone on a line: the item's text ('ส่งเสริมการเรียนรู้') is on the next line."""
    if not seen.numbered or seen.body:
        return False
    seen.builder.pending_number = seen.number
    return True


def chapter_heading(seen: Seen) -> bool:
    """'ส่วนที่ 2 ผลการวิเคราะห์สภาพแวดล้อม', 'บทที่ ๑ บทนำ': a chapter of a whole plan opens."""
    if seen.numbered or not chapter(seen.text):
        return False
    seen.builder.signing = False
    seen.builder.open_chapter(seen.text, seen.line, chapter_kind(seen.text))
    return True


def inside_signature(seen: Seen) -> bool:
    """'ผู้อำนวยการสำนักงานเขตพื้นที่...' under 'ลงชื่อ': the signature block goes on.

    A real heading ends the block and is read as usual ("ค่านิยม" after the signer).
    """
    if not seen.signing:
        return False
    found = seen.heading
    if found is None or found.kind in ("signature", "") or found.weak or found.qualified:
        seen.builder.section.intro.append(seen.text)
        return True
    seen.builder.signing = False
    return False


def signer(seen: Seen) -> bool:
    """'นายสมชาย ใจดี' over a position or the page's end, or 'โทร 0 5451 1234': a signature."""
    builder = seen.builder
    if seen.signing or not builder.sections or not signs(seen.text, seen.upcoming):
        return False
    builder.open_section("signature", seen.text, seen.line)
    builder.section.intro.append(seen.text)
    builder.signing = True
    return True


def title_line(seen: Seen) -> bool:
    """'วิสัยทัศน์ พันธกิจ เป้าประสงค์': a page title naming several sections is skipped."""
    found = seen.heading_here
    if found is None or found.kind != "":
        return False
    seen.builder.warn(seen.line, f"title line naming several sections skipped: '{seen.text}'")
    seen.builder.open_section("", seen.text, seen.line)
    _number_outline(seen)
    return True


def signature_heading(seen: Seen) -> bool:
    """'ลงชื่อ นายสมชาย ใจดี', 'ผู้จัดทำ': a signature heading opens the signature block."""
    found = seen.heading_here
    if found is None or found.kind != "signature":
        return False
    builder = seen.builder
    builder.open_section("signature", seen.text, seen.line)
    if found.inline:
        builder.section.intro.append(found.inline)
    builder.signing = True
    return True


def section_heading(seen: Seen) -> bool:
    """'พันธกิจ (Mission)', '2. เป้าประสงค์', 'กลยุทธ์ที่ 1 ...': a heading where it fits.

    Items written on the heading's own line ('พันธกิจ 1. สอนดี 2. เรียนดี') are read as
    lines of their own after it.
    """
    found = seen.heading_here
    if found is None:
        return False
    builder, text = seen.builder, seen.text
    inline_items = found.inline and NUMBER.match(found.inline)
    if inline_items:
        found.inline = ""
    builder.heading(found, text, seen.line, outline=_continues_outline(seen))
    if found.number is None:
        _number_outline(seen)
    if inline_items:
        for piece in split_inline_items(text[len(text) - len(inline_items.string):]):
            take_line(builder, piece, seen.line)
    return True


def part_heading(seen: Seen) -> bool:
    """'จุดแข็ง (Strengths)', 'อุปสรรค', 'บทนำ', 'ความเชื่อมโยงกับยุทธศาสตร์ชาติ': a heading of
    a prose or analysis (SWOT) part, a section of its own that no question kind names."""
    builder = seen.builder
    after_break = builder.blank or len(builder.previous_line) < WRAP_WIDTH
    if seen.numbered or not prose_heading(seen.text, after_break):
        return False
    seen.builder.open_section("other", seen.text, seen.line)
    return True


def numbered_item(seen: Seen) -> bool:
    """'1. ส่งเสริมการเรียนรู้', '2.1 ...', '๓) ...': a numbered item or sub-item."""
    if not seen.numbered:
        return False
    seen.builder.add_item(seen.body, seen.line, seen.number)
    return True


def bulleted_item(seen: Seen) -> bool:
    """'• พัฒนาครู', '- ...': a bulleted item (under a numbered item, its sub-item)."""
    bullet = BULLET.match(seen.text)
    if not bullet or not bullet.group(1):
        return False
    for piece in _bullets_on_one_line(seen.text.lstrip(), bullet.group(1)):
        seen.builder.add_item(piece, seen.line, None, bullet=True)
    return True


#: Bullet marks that never stand inside a sentence (a dash does: "ปี 2565 - 2567").
INLINE_BULLETS = "•●○◦▪▫■□◆◇►▸▹➢➤✓✔❖"


def _bullets_on_one_line(text: str, first: str) -> list[str]:
    """'❖ ซื่อสัตย์ ❖ รับผิดชอบ ❖ บริการด้วยใจ': the items a line lists with its own mark."""
    mark = text[0]
    if mark not in INLINE_BULLETS:
        return [first]
    pieces = [piece.strip() for piece in first.split(f" {mark} ")]
    return pieces if all(pieces) else [first]


def bare_number_item(seen: Seen) -> bool:
    """'2 พัฒนาครู' after item 1: a list number whose dot the page lost."""
    bare = BARE_NUMBER.match(seen.text)
    builder = seen.builder
    if not bare or builder.section is None or not builder.expects(bare.group(1)):
        return False
    builder.add_item(bare.group(2), seen.line, bare.group(1))
    return True


def text_after_number(seen: Seen) -> bool:
    """'ส่งเสริมการเรียนรู้' after a line '1.' alone: the text of item 1."""
    builder = seen.builder
    if builder.pending_number is None:
        return False
    number, builder.pending_number = builder.pending_number, None
    builder.add_item(seen.text, seen.line, number)
    return True


def label_heading(seen: Seen) -> bool:
    """'สีประจำโรงเรียน : ฟ้า-ขาว' where no list has begun: a heading and its text."""
    label_value = LABEL_VALUE.match(seen.text)
    builder = seen.builder
    section = builder.section
    if not label_value or section is None or section.items:
        return False
    if section.kind not in ("other", "") and not section.intro:
        return False
    builder.warn(seen.line, f"unknown heading '{label_value.group(1)}'")
    builder.open_section("other", label_value.group(1).strip(), seen.line)
    builder.add_paragraph(label_value.group(2).strip(), seen.line)
    return True


#: An English tag ending a line: "(Organizational Culture)".
ENGLISH_TAG_END = r"\([A-Za-z][A-Za-z /&-]*\)\s*$"


def unknown_heading(seen: Seen) -> bool:
    """'งานเร่งด่วน (Urgent Tasks)' over a new list, or after the text of a heading tagged
    so too: a heading the table doesn't know."""
    if not (_tagged_heading(seen) or _new_list_heading(seen)):
        return False
    seen.builder.warn(seen.line, f"unknown heading '{seen.text}'")
    seen.builder.open_section("other", strip_tags(seen.text), seen.line)
    return True


def _tagged_heading(seen: Seen) -> bool:
    """'นโยบาย (Policy)' over '1. ...' or a bullet: an English tag the table doesn't know. Or
    'วัฒนธรรมองค์กร (Organizational Culture)' after the text of 'ค่านิยมองค์กร (Core Values)':
    a plan that tags its headings so tags this one, whatever follows it (a slogan)."""
    line, upcoming = seen.text, seen.upcoming
    if not re.search(ENGLISH_TAG_END, line) or tag_kinds(line):
        return False
    thai = strip_tags(line)
    if not thai or len(thai) > 30 or not THAI.search(thai):
        return False
    if starts_list_at(upcoming) == 1 or BULLET.match(upcoming):
        return True
    section = seen.builder.section
    return bool(section is not None and section.intro and not section.items
                and re.search(ENGLISH_TAG_END, section.heading))


def _new_list_heading(seen: Seen) -> bool:
    """'นโยบาย' between item 2 and a new '1.': a heading the table doesn't know.

    Only where the list so far was numbered cleanly: on pages whose renderer repeats '1.',
    a restart proves nothing.
    """
    builder, line = seen.builder, seen.text
    if starts_list_at(seen.upcoming) != 1:
        return False
    if builder.section is None or builder.repairs or builder.next_number() < 3:
        return False
    return len(line) <= 30 and not re.search(r"[.。!?:;,]$|" + DIGIT, line)


def chapter_prose_heading(seen: Seen) -> bool:
    """'ความสอดคล้องกับนโยบาย' between paragraphs of a chapter: a heading of its prose.

    Only inside a chapter, outside any list: a short line after a short line (or a blank),
    with a long paragraph line after it.
    """
    builder, text = seen.builder, seen.text
    if not builder.chapter or builder.container is not None or builder.last is not None:
        return False
    section = builder.section
    if (section is not None and section.heading and section.heading != builder.chapter
            and not section.intro and not section.items):
        return False  # the first line under a heading is its text ("“ยิ้มง่าย ไหว้สวย”")
    if len(text) > PROSE_HEADING_CHARS or re.search(rf"[.。!?:;,]$|{DIGIT}", text):
        return False
    after_break = builder.blank or len(builder.previous_line) < WRAP_WIDTH
    upcoming = seen.upcoming
    if not after_break or len(upcoming) < WRAP_WIDTH or NUMBER.match(upcoming) or BULLET.match(
            upcoming):
        return False
    builder.open_section("other", text, seen.line)
    return True


def preamble(seen: Seen) -> bool:
    """'ทิศทางการพัฒนาการศึกษา' under a title line 'วิสัยทัศน์ พันธกิจ': the page's preamble."""
    section = seen.builder.section
    if section is None or section.kind != "":
        return False
    seen.builder.preamble.append(seen.text)
    return True


def paragraph(seen: Seen) -> bool:
    """'มุ่งพัฒนาผู้เรียนให้มีคุณภาพ': plain text, a wrapped line of an item or a paragraph."""
    seen.builder.add_paragraph(seen.text, seen.line)
    return True


LINE_RULES = (
    page_noise,
    number_alone,
    chapter_heading,
    inside_signature,
    signer,
    title_line,
    signature_heading,
    section_heading,
    part_heading,
    numbered_item,
    bulleted_item,
    bare_number_item,
    text_after_number,
    label_heading,
    unknown_heading,
    chapter_prose_heading,
    preamble,
    paragraph,
)
