"""Line shapes: what one line of a plan looks like, read without any context.

List numbers ("1.", "2.1", "๑)", "(3)"), bullets, signers and contacts, page noise, English
tags such as (Vision), and above all whether a line is a section heading. `classify_heading`
tries its named rules in order (`HEADING_RULES`); a new heading shape is one new rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pythainlp.util import thai_digit_to_arabic_digit

from index.headings import ALL_KINDS, DOCUMENT_WORDS, fuzzy_kind, kind_at_start, latin_kind
from index.text import fold_clean
from index.vocab import (
    CHAPTER_WORDS,
    HONORIFIC_PATTERNS,
    HONORIFICS,
    INDICATOR_OPENINGS,
    LATIN_FILLERS,
    LATIN_PROSE_HEADINGS,
    MAIL_LABELS,
    NAMED_TITLE_KINDS,
    NAMED_TITLE_OPENINGS,
    PAGE_NOISE,
    PAGE_NOISE_WORDS,
    PHONE_LABELS,
    PLACE_LABELS,
    POSITIONS,
    PROSE_HEADING_OPENINGS,
    PROSE_HEADINGS,
    SIGN_WORD,
    THAI_PAGE_NOISE,
)


def _either(*patterns: str) -> str:
    """One regular-expression alternative of several patterns."""
    return "|".join(patterns)


def _words(words: tuple[str, ...]) -> str:
    """One regular-expression alternative matching any of `words` literally."""
    return _either(*map(re.escape, words))


DIGIT = r"[0-9๐-๙]"
#: "2.1 text", "3. text", "(4) text", "๕) text": group 1/2 for dotted numbers, 3/4 for plain.
NUMBER = re.compile(
    rf"^\(?\s*({DIGIT}{{1,3}}(?:\.{DIGIT}{{1,3}})+)\s*[.)]?(?:\s+|(?=[^\d\s.]))(.*)$"
    rf"|^\(?\s*({DIGIT}{{1,3}})\s*(?:\.(?!{DIGIT})|\))\s*(.*)$"
    rf"|^ข้อ(?:ที่)?\s*({DIGIT}{{1,3}})(?!{DIGIT}|\.{DIGIT})\s*[.:：)]?\s+(\S.*)$"
)
#: "2 text": a number without its dot (an item only where item 2 is expected).
BARE_NUMBER = re.compile(rf"^({DIGIT}{{1,3}})\s+(\S.*)$")
BULLET = re.compile(r"^[•●○◦▪▫■□◆◇►▸▹➢➤✓✔✗❖\-–—*·]+\s*(.*)$")
#: "ที่ 3 : ..." after a heading word: a titled, numbered item.
ORDINAL = re.compile(rf"^ที่\s*({DIGIT}{{1,3}}(?:\.{DIGIT}{{1,3}})*)(?!\.?{DIGIT})\s*[:：.\-–]?\s*(.*)$")
TAG = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
#: What follows "กลยุทธ์ที่ 1" in a line that names an item rather than titles one: "… ของ
#: สพป.แพร่ เขต 1 ผู้รับผิดชอบ …" (a project's wrapped line), "… ของ สพฐ. เชื่อมโยงกับ…".
REFERENCE = re.compile(r"^(?:ของ|(?:ให้)?สอดคล้อง|เชื่อมโยง|สนอง|ตอบสนอง|และ(?:กลยุทธ์|ยุทธศาสตร์|ข้อ)|[,/])")
HONORIFIC = re.compile(
    rf"^({_either(*map(re.escape, HONORIFICS), *HONORIFIC_PATTERNS)})\s*\S+(\s+\S+){{0,2}}$",
    re.IGNORECASE,
)
CONTACT = re.compile(
    rf"^(?:(?:{_words(PHONE_LABELS + MAIL_LABELS)})\s*[.:：]?\s*[0-9๐-๙(+]"
    rf"|(?:{_words(MAIL_LABELS)})\s*[.:：]?\s*\S+@"
    rf"|(?:{_words(PLACE_LABELS)})\s*[:：])",
    re.I,
)
#: A line under a signer's name: their position.
POSITION = re.compile(rf"^({_words(POSITIONS)})")
NOISE_WORDS = re.compile(
    rf"{_words(PAGE_NOISE)}|\b(?:{_words(PAGE_NOISE_WORDS)})\b", re.IGNORECASE
)
LABEL_VALUE = re.compile(r"^([^:：]{2,40}?)\s*[:：]\s*(\S.*)$")
THAI = re.compile(r"[\u0e00-\u0e7f]")
#: Markdown heading and quote marks at the start of a line, and bold/italic markers.
MARKUP = re.compile(r"^(?:#{1,6}|>)\s*|\*\*|__")
#: "ส่วนที่ 2 ผลการวิเคราะห์สภาพแวดล้อม", "บทที่ ๑ บทนำ", "Part 3": a chapter of a whole plan.
CHAPTER = re.compile(rf"^(?:{_words(CHAPTER_WORDS)})\s*({DIGIT}{{1,2}}(?!{DIGIT}|\.{DIGIT})"
                     r"|[IVX]{1,5}(?=[\s:：.\-–]|$))"
                     r"\s*[:：.\-–]?\s*(.{0,80})$", re.IGNORECASE)
_TAG_TEXT = r"\([A-Za-z][A-Za-z /&'-]*\)"
_HEADING_WORDS = _either(*(re.escape(word) for word, _ in DOCUMENT_WORDS))
#: A heading word inside a line, before its list ("... สากล พันธกิจ 1. สอนดี") or with its
#: English tag ("... สากล พันธกิจ (Mission) ..."): the place to cut the line.
_GLUED_INSIDE = re.compile(
    rf"(?<=\S)\s+(?=(?:{_HEADING_WORDS})\s*(?:{_TAG_TEXT})?\s*[:：]?\s*[1๑][.)]\s*\S"
    rf"|(?:{_HEADING_WORDS})\s*{_TAG_TEXT})"
)
#: A list number or bullet alone: what stands before a heading, not text glued to it.
_MARKER_ONLY = re.compile(rf"^\s*(?:\(?{DIGIT}{{1,3}}(?:\.{DIGIT}{{1,3}})*\s*[.)]?|[•●○◦▪■◆►➢\-–—*·]+)\s*$")
#: A heading word (maybe tagged) ending a line of text: "... แบบมีส่วนร่วม พันธกิจ".
_GLUED_AT_END = re.compile(
    rf"^(.*\S)\s+((?:{_HEADING_WORDS})\s*(?:{_TAG_TEXT})?\s*[:：]?)$"
)


def to_int(number: str) -> int:
    """The first part of a list number as an int: '๒.๑' -> 2."""
    return int(thai_digit_to_arabic_digit(number).split(".")[0])


def number_parts(number: str) -> list[str]:
    """The parts of a list number in Arabic digits: '๒. ๑' -> ['2', '1']."""
    return [p for p in re.split(r"\s*\.\s*", thai_digit_to_arabic_digit(number)) if p]


def marker(match: re.Match) -> tuple[str, str]:
    """(number, text) of a numbered line: '2.1 text' or '3. text'."""
    if match.group(1) is not None:
        return match.group(1), match.group(2)
    if match.group(3) is not None:
        return match.group(3), match.group(4)
    return match.group(5), match.group(6)  # "ข้อ 2 ..."


def starts_list_at(line: str) -> int | None:
    """The list number a line starts with ('1. ...' -> 1), or None."""
    numbered = NUMBER.match(line)
    return to_int(marker(numbered)[0]) if numbered else None


def strip_tags(text: str) -> str:
    """Remove parenthesised tags such as (Vision) and [GOALS]."""
    return TAG.sub(" ", text).strip()


def tag_kinds(text: str) -> list[str]:
    """Kinds named by English tags in a heading: '(Focus Function/Focus Area)' -> ['focus']."""
    kinds = []
    for tag in TAG.findall(text):
        for word in re.split(r"[^A-Za-z]+", tag):
            kind = latin_kind(word) if len(word) > 2 else None
            if kind:
                kinds.append(kind)
    return kinds


def signs(line: str, upcoming: str) -> bool:
    """A signer's name (a position or the page's end follows), or a contact line."""
    if CONTACT.match(line):
        return True
    if not HONORIFIC.match(re.sub(r"^\s*\((.*)\)\s*$", r"\1", line)):  # "(นายธนพล วงศ์สวัสดิ์)"
        return False
    return not upcoming or bool(POSITION.match(upcoming)) or not THAI.search(upcoming)


def is_page_noise(line: str) -> bool:
    """'Google Calendar', 'Share', '© 2566': a short line of web-page furniture, no Thai;
    or a Thai one that says when the page was updated or who keeps it (`THAI_PAGE_NOISE`)."""
    if line.startswith(THAI_PAGE_NOISE) and len(line) <= 100:
        return True
    return not THAI.search(line) and len(line) <= 40 and bool(NOISE_WORDS.search(line))


def split_inline_items(text: str) -> list[str]:
    """'1. สอนดี 2. เรียนดี' -> ['1. สอนดี', '2. เรียนดี'] when the numbers run 1, 2, 3..."""
    starts = [m.start() for m in re.finditer(rf"(?:^|(?<=\s))({DIGIT}{{1,2}})[.)]\s*\S", text)]
    numbers = [to_int(re.match(rf"{DIGIT}+", text[i:]).group(0)) for i in starts]
    if not starts or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return [text]
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def split_inline_ordinals(text: str) -> list[str]:
    """'เป้าประสงค์ที่ 5 ... เป้าประสงค์ที่ 6 ...' -> one line per numbered item."""
    if "ที่" not in text:
        return [text]
    folded = fold_clean(text)
    found = kind_at_start(folded)
    if not found or len(folded) != len(text):
        return [text]
    pattern = re.compile(rf"\s(?={re.escape(found[1])}\s*ที่\s*{DIGIT})")
    return cut_at(text, [m.end() for m in pattern.finditer(folded)])


def cut_at(text: str, cuts: list[int]) -> list[str]:
    """The non-empty pieces of `text` cut at these offsets, stripped."""
    pieces, start = [], 0
    for cut in [*cuts, len(text)]:
        pieces.append(text[start:cut].strip())
        start = cut
    return [p for p in pieces if p]


# --- headings ------------------------------------------------------------------------------


@dataclass
class Heading:
    """What a heading line says: its kind, and how it opens its section."""

    kind: str  # a kind or "other"; "" for a title line naming several sections
    inline: str = ""  # text after "label :" on the same line
    number: str | None = None  # "ยุทธศาสตร์ที่ 3" -> "3": a titled, numbered item
    weak: bool = False  # "2. พันธกิจของโรงเรียน": a heading only where a heading fits
    qualified: bool = False  # "จุดเน้นการดำเนินงาน": a heading word with a few words more


#: A heading rule's verdict that the line is no heading (None lets the next rule decide).
NOT_HEADING = False


@dataclass
class Candidate:
    """A line that starts with a heading word: the word, its kind and the rest of the line."""

    text: str  # the line, clean, its list number removed
    numbered: bool  # the line had a list number
    kind: str
    word: str  # the heading word as matched, folded
    rest: str  # the folded text after the word

    @cached_property
    def plain(self) -> str:
        """The rest without its English tags."""
        return strip_tags(self.rest)

    @cached_property
    def tags(self) -> list[str]:
        """Kinds the rest's English tags name."""
        return tag_kinds(self.rest)

    def tail(self, folded_tail: str) -> str:
        """The part of the (unfolded) line that corresponds to a folded tail."""
        return exact_tail(self.text, folded_tail)


def exact_tail(text: str, folded_tail: str) -> str:
    """The part of `text` (clean, not folded) that corresponds to a folded tail."""
    if not folded_tail:
        return ""
    size = len(folded_tail)
    tail = text[-size:] if size <= len(text) else text
    return tail.strip()


def classify_heading(text: str, numbered: bool) -> Heading | None:
    """Decide whether a line (its list number already removed) is a section heading."""
    folded = fold_clean(text)
    found = kind_at_start(folded)
    if found is None and _short_enough(folded, numbered):
        found = fuzzy_kind(folded)
    if found is None:
        return english_heading(text, numbered)
    kind, word = found
    rest = folded[len(word):].strip()
    if re.fullmatch(r"[:：\-–\s]*", rest):
        rest = ""  # "1. วิสัยทัศน์ :" — a heading whose text starts on the next line
    candidate = Candidate(text, numbered, kind, word, rest)
    for rule in HEADING_RULES:
        verdict = rule(candidate)
        if verdict is not None:
            return verdict or None
    return None


def _short_enough(folded: str, numbered: bool) -> bool:
    """Only a short line, or a 'label : value' line, can be a misspelt heading."""
    plain = strip_tags(folded)
    if numbered:
        return len(plain) <= 22
    return len(plain) <= 45 or bool(re.match(r"^[^:：]{1,25}[:：]", plain))


def english_heading(text: str, numbered: bool) -> Heading | None:
    """A heading written in English alone: "VISION", "Mission: to serve", "Our Mission",
    "Vision Statement", "OUR CORE VALUES" (words that add nothing are set aside)."""
    latin = re.match(r"^([A-Za-z']+(?: [A-Za-z']+){0,3})\s*(?:[:：]\s*(.*))?$", text.strip())
    if not latin or numbered and latin.group(2):
        return None
    kind = latin_kind(latin.group(1))
    if kind is None:
        words = [w for w in latin.group(1).split() if w.casefold() not in LATIN_FILLERS]
        kind = latin_kind(" ".join(words)) if 0 < len(words) <= 2 else None
    return Heading(kind, inline=(latin.group(2) or "").strip()) if kind else None


def chapter(text: str) -> str | None:
    """The line itself when it opens a chapter ('ส่วนที่ 3 ทิศทางการพัฒนา'), else None."""
    found = CHAPTER.match(text)
    if not found or re.search(r"[.。!?]$|\s(?:และ|ที่|ของ)$", found.group(2)):
        return None
    return text


def chapter_kind(text: str) -> str:
    """The kind of section a chapter's title names ('ส่วนที่ 3 โครงการ/กิจกรรม และงบประมาณ':
    project), or "other" for a chapter of the plan's prose ('บทที่ ๑ บทนำ')."""
    found = CHAPTER.match(text)
    heading = classify_heading(found.group(2), numbered=False) if found and found.group(2) else None
    if heading is None or heading.inline or heading.number is not None:
        return "other"
    return heading.kind if heading.kind in ALL_KINDS and heading.kind != "signature" else "other"


def prose_heading(text: str, after_break: bool = False) -> bool:
    """'จุดแข็ง (Strengths)', 'บทนำ', 'โอกาส :': a heading of a plan's prose or analysis part.
    After a blank or short line (`after_break`), also a short line that opens as such a
    heading does ('ความเชื่อมโยงกับยุทธศาสตร์ชาติ', `PROSE_HEADING_OPENINGS`)."""
    plain = fold_clean(strip_tags(text)).strip(" :：")
    if plain in PROSE_HEADINGS:
        return True
    if (after_break and plain.startswith(PROSE_HEADING_OPENINGS) and len(plain) <= 60
            and not re.search(rf"[.。!?;,]$|{DIGIT}", plain)):
        return True
    tags = [fold_clean(tag.strip("()[] ")) for tag in TAG.findall(text)]
    return bool(tags) and len(plain) <= 30 and all(t in LATIN_PROSE_HEADINGS for t in tags)


def split_glued_headings(text: str) -> list[str]:
    """'... มาตรฐานสากล พันธกิจ 1. สอนดี' -> ['... มาตรฐานสากล', 'พันธกิจ 1. สอนดี']: a
    heading word glued into a line, before its list or with its English tag."""
    return cut_at(text, [m.end() for m in _GLUED_INSIDE.finditer(text)
                         if not _MARKER_ONLY.match(text[:m.start()])])


def glued_at_end(text: str, upcoming: str) -> tuple[str, str] | None:
    """(text, heading) for a heading word glued to the end of a line whose next line starts
    its list ('... แบบมีส่วนร่วม พันธกิจ' over '1. สอนดี'), or a tagged one; else None."""
    found = _GLUED_AT_END.match(text)
    if not found or _MARKER_ONLY.match(found.group(1)):
        return None
    heading = found.group(2)
    listed = starts_list_at(upcoming) == 1 or bool(BULLET.match(upcoming))
    return (found.group(1), heading) if listed or TAG.search(heading) else None


# Heading rules: each gets the line as a Candidate and returns a Heading, NOT_HEADING, or None
# to pass the line to the next rule. They are tried in the order of HEADING_RULES.


def numbered_title(c: Candidate) -> Heading | bool | None:
    """'ยุทธศาสตร์ที่ 1 : การพัฒนาคุณภาพผู้เรียน': a titled, numbered item of its kind.

    Not after a list number: "1. กลยุทธ์ที่ 2 ..." is an item that mentions a strategy.
    """
    ordinal = ORDINAL.match(re.sub(r"^(?:ชาติ)?ด้าน\s*(?=ที่)", "", c.rest))  # ยุทธศาสตร์ด้านที่ 3
    if not ordinal:
        return None
    if c.numbered or REFERENCE.match(ordinal.group(2)):
        return NOT_HEADING
    return Heading(c.kind, inline=c.tail(ordinal.group(2)), number=ordinal.group(1))


def named_title(c: Candidate) -> Heading | None:
    """'ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์': a strategy titled by
    name rather than number; it is numbered in the order it comes (number "")."""
    if c.numbered or c.kind not in NAMED_TITLE_KINDS or not c.plain.startswith(NAMED_TITLE_OPENINGS):
        return None
    if len(c.plain) > 90 or re.search(r"[.。!?,]$|\s(?:และ|ที่|ของ|ซึ่ง)$", c.plain):
        return None
    return Heading(c.kind, inline=c.text, number="")


def label_and_value(c: Candidate) -> Heading | None:
    """'วิสัยทัศน์ : โรงเรียนคุณภาพ', 'ปรัชญาโรงเรียน : ...': a label and its value."""
    value = re.match(r"^[:：\-–]\s*(\S.*)$", c.rest) or re.match(
        r"^[^:：\d]{1,30}?\s*[:：]\s*(\S.*)$", c.rest)
    return Heading(c.kind, inline=c.tail(value.group(1))) if value else None


def word_alone(c: Candidate) -> Heading | None:
    """'พันธกิจ', 'พันธกิจ (Mission)', 'ตัวชี้วัด :': the heading word alone, maybe tagged."""
    return Heading(c.kind) if not c.plain else None


def signature_in_a_sentence(c: Candidate) -> bool | None:
    """'ติดต่อสื่อสารได้ดี' is a sentence; only 'ลงชื่อ ...' signs with words after it."""
    return NOT_HEADING if c.kind == "signature" and c.word != SIGN_WORD else None


def name_after_the_sign_word(c: Candidate) -> Heading | None:
    """'ลงชื่อ นายวิชัย คำปัน': the signer's name is the signature's text, not only its heading
    ("ใครเป็น ผอ." answered with the position alone)."""
    if c.kind == "signature" and c.word == SIGN_WORD and HONORIFIC.match(c.plain):
        return Heading(c.kind, inline=c.tail(c.plain))
    return None


def items_on_the_heading_line(c: Candidate) -> Heading | None:
    """'พันธกิจ 1. สอนดี 2. เรียนดี': the heading's items follow on its own line."""
    return Heading(c.kind, inline=c.tail(c.plain)) if NUMBER.match(c.plain) else None


def numbered_heading_line(c: Candidate) -> Heading | bool | None:
    """'2. พันธกิจของโรงเรียน', '๖. จุดเน้นการดำเนินงาน ปีงบประมาณ ๒๕๖๘': a heading only where a
    heading fits; '1. จุดเน้นด้าน ... 80' not. '๕. ยุทธศาสตร์ เป้าประสงค์ และกลยุทธ์': a
    numbered title of a part naming several sections, no section.

    A short numbered line without digits in its text (a year it is for set aside) is a weak
    heading; a longer one is an item that starts with a heading word.
    """
    if not c.numbered:
        return None
    if _only_heading_words(c.word + " " + c.plain):
        return Heading("", weak=True)
    plain = without_year(c.plain)
    short = len(plain) <= 25 and not re.search(DIGIT, plain)
    return Heading(c.kind, weak=True) if short else NOT_HEADING


#: A year or fiscal year a heading is for, at its end: 'ปีงบประมาณ 2568', '(พ.ศ. 2566 - 2570)',
#: 'ประจำปีการศึกษา 2567' (folded: Arabic digits).
YEAR_TAIL = re.compile(
    r"\s*\(?\s*(?:ประจำ\s*)?(?:ปี\s*(?:งบประมาณ|การศึกษา)?|พ\.\s*ศ\.)\s*(?:พ\.\s*ศ\.\s*)?"
    r"25\d\d(?:\s*[-–]\s*(?:25)?\d\d)?\s*\)?\s*$")


def without_year(folded: str) -> str:
    """A heading's folded text without the year it is for ('การดำเนินงาน ปีงบประมาณ 2568')."""
    return YEAR_TAIL.sub("", folded)


def _only_heading_words(folded: str) -> bool:
    """'ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด และกลยุทธ์': two heading words or more and nothing else."""
    words = _words_named(strip_tags(folded))
    return len(words) >= 2 and all(found and found[1] == piece for piece, found in words)


def page_title(c: Candidate) -> Heading | None:
    """'วิสัยทัศน์ พันธกิจ เป้าประสงค์': a page title naming several sections, no section.

    'วิสัยทัศน์/พันธกิจ' with a slash is left to the rules below.
    """
    others = [k for k in kinds_named_in(c.plain) if k != c.kind]
    return Heading("") if others and "/" not in c.rest else None


def qualified_heading(c: Candidate) -> Heading | None:
    """'จุดเน้นการดำเนินงาน', 'ยุทธศาสตร์ (Strategic) สพป.ลป.1': a heading word and a few words.

    Short, without a number of two digits or more (a year, a percentage): such a line says
    what it heads. Untagged ones are "qualified": inside a list they may be a wrapped line.
    """
    plain = without_year(c.plain)
    short = len(plain) <= 30 and not re.search(DIGIT + r"{2,}", plain)
    if short or "/" in c.plain and c.tags:
        return Heading(c.kind, qualified=not c.tags and "/" not in c.plain)
    return None


def paragraph_after_the_word(c: Candidate) -> Heading | None:
    """'วิสัยทัศน์ มุ่งพัฒนาผู้เรียนให้มีคุณภาพ...': a paragraph section's text on its line.

    Only for kinds that are usually one paragraph, and not for 'วิสัยทัศน์ของ...' or
    'วิสัยทัศน์ที่...', which are sentences about the vision.
    """
    if not ALL_KINDS[c.kind].listy and not c.plain.startswith(("ของ", "ที่")):
        return Heading(c.kind, inline=c.tail(c.plain))
    return None


def mission_after_the_word(c: Candidate) -> Heading | None:
    """'พันธกิจ จัดการศึกษาให้มีคุณภาพตามมาตรฐาน' (a space, then a sentence) right after the
    vision's paragraph: the mission and its text, not the vision's wrapped rest. Only the
    mission: other listy words open continuations ("เป้าหมาย ร้อยละ 80 …")."""
    spaced = fold_clean(c.text)[len(c.word):len(c.word) + 1].isspace()
    if c.kind != "mission" or c.numbered or not spaced or len(c.plain) < 10:
        return None
    if re.match(rf"(?:ของ|ที่|และ|ใน|นี้|ดังกล่าว|เพื่อ|ข้อ|{DIGIT})", c.plain):
        return None
    return Heading(c.kind, inline=c.tail(c.plain))


HEADING_RULES = (
    numbered_title,
    named_title,
    label_and_value,
    word_alone,
    signature_in_a_sentence,
    name_after_the_sign_word,
    items_on_the_heading_line,
    numbered_heading_line,
    page_title,
    qualified_heading,
    paragraph_after_the_word,
    mission_after_the_word,
)


def kinds_named_in(folded: str) -> list[str]:
    """Kinds whose heading word starts a word of the text: 'วิสัยทัศน์ และพันธกิจ'."""
    return [found[0] for _, found in _words_named(folded) if found]


def _words_named(folded: str) -> list[tuple[str, tuple[str, str] | None]]:
    """Each word of a title (split at spaces, '/', 'และ' and commas) with the (kind, heading
    word) it starts with, if any."""
    return [(piece, kind_at_start(piece)) for piece in re.split(r"\s+|/|และ|,", folded) if piece]


# --- what an untitled list is -------------------------------------------------------------

#: Share of an untitled list's items that must agree for the list to be classified.
AGREEING = 0.8
_NAMED_ANYWHERE = re.compile(_HEADING_WORDS)


def content_kind(items: list[str], titles: list[str]) -> tuple[str, str] | None:
    """(kind, why) for an untitled list whose items clearly are of one kind, else None.

    Items that start with one heading word ('กลยุทธ์ที่ 1 ...'), or with the words an
    indicator starts with ('ร้อยละของ...', 'จำนวน...'); else one kind named in the page's title
    lines ('แผนกลยุทธ์ สพป.แพร่ เขต 1').
    """
    folded = [fold_clean(text) for text in items]
    if len(folded) >= 2:
        starts = [kind_at_start(text) for text in folded]
        kinds = {found[0] for found in starts if found}
        agreeing = sum(1 for found in starts if found)
        if len(kinds) == 1 and agreeing >= AGREEING * len(folded):
            kind = kinds.pop()
            return kind, f"its items start with {ALL_KINDS[kind].thai[-1]}"
        measured = sum(1 for text in folded if text.startswith(INDICATOR_OPENINGS))
        if measured >= AGREEING * len(folded):
            return "indicator", "its items are measures (ร้อยละ, จำนวน, ...)"
    named = {kind_at_start(m.group(0))[0] for title in titles if len(title) <= 60
             for m in _NAMED_ANYWHERE.finditer(fold_clean(title))}
    if len(named) == 1:
        kind = named.pop()
        return kind, "its page's title names it"
    return None
