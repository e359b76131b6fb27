"""Text normalisation, shared by the parser, the index build and question understanding.

Two levels, both built from PyThaiNLP's utilities:

* `clean` fixes only what a reader cannot see (zero-width and other format characters,
  no-break spaces, runs of spaces, decomposed SARA AM, doubled vowels typed as two marks),
  so quoted text stays the plan's own words as the page showed them.
* `fold` is for matching: `clean`, then compatibility forms to plain ones (NFKC), Thai
  digits to Arabic and Latin case-folded. The index and the questions go through the same
  function: `fold_clean` for text already cleaned (the parsed plans) gives what `fold` does.
"""

from __future__ import annotations

import re
import unicodedata

from pythainlp.util import normalize, thai_digit_to_arabic_digit


def _character_class(categories: tuple[str, ...], keep: str = "") -> re.Pattern:
    """A regex matching every BMP character of the given Unicode categories (built once)."""
    chars = [
        chr(code) for code in range(0x10000)
        if unicodedata.category(chr(code)) in categories and chr(code) not in keep
    ]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


#: Zero-width and bidi marks, BOMs, lone surrogates and private-use code points: nothing a
#: reader can see.
_INVISIBLE = _character_class(("Cf", "Cs", "Co"))
#: No-break and other spaces, tabs and control characters: a plain space.
_SPACES = _character_class(("Zs", "Cc"), keep=" \n")


def clean(text: str) -> str:
    """The text as a reader sees it: invisible characters dropped, spaces single, Thai normalised."""
    if not text:
        return ""
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    return normalize(text).strip()


def fold(text: str) -> str:
    """The matching form of `text`: cleaned, compatibility forms as their plain letters and
    digits (NFKC: ① ² Ⅳ ﬁ Ａ), Thai digits as Arabic digits, case-folded."""
    return fold_clean(clean(text))


def fold_clean(text: str) -> str:
    """`fold` for text that is already `clean` (the parser's hot path). Defined so that a
    plan's passage, cleaned when parsed, and a question fold alike: `fold` is this after
    `clean`. Most text needs no NFKC, which `is_normalized` tells without copying it."""
    if not unicodedata.is_normalized("NFKC", text.replace(SARA_AM, SARA_AA)):
        text = clean(_nfkc(text))
    return thai_digit_to_arabic_digit(text).casefold()


#: NFKC writes SARA AM as NIKHAHIT + SARA AA, which `clean` joins back (and nothing composes
#: with either side of it): it is kept as it is, so that Thai text is NFKC already.
SARA_AM, SARA_AA = "\u0e33", "\u0e32"


def _nfkc(text: str) -> str:
    """NFKC, SARA AM kept."""
    return SARA_AM.join(unicodedata.normalize("NFKC", part) for part in text.split(SARA_AM))


def squash(text: str, folded: bool = False) -> str:
    """`fold` without any spaces, dots or dashes: 'สพป. แพร่ เขต ๑' -> 'สพปแพร่เขต1'.

    `folded` says the text already went through `fold` (fold is idempotent; this skips it).
    """
    return "".join(ch for ch in (text if folded else fold(text))
                   if ch.isalnum() or _is_thai_mark(ch))


def _is_thai_mark(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def is_thai(ch: str) -> bool:
    """True for a character of the Thai block."""
    return _is_thai_mark(ch)


#: A line that starts by labelling a value ("งบประมาณ 85,000 บาท", "ผู้รับผิดชอบ กลุ่ม…",
#: "ค่าเป้าหมาย ปี 2565 …"): the label, then what shows it labels (group 1: a colon, or a
#: figure or year right after it; group 2: a plain space).
_LABEL_WORDS = (r"(?:งบประมาณ|ผู้รับผิดชอบ|ค่าเป้าหมาย|เป้าหมาย|ระยะเวลา(?:ดำเนินการ)?|หน่วยงาน|"
                r"ตัวชี้วัด|สอดคล้องกับ|สนอง|แหล่งงบประมาณ|วงเงิน|ชื่อโครงการ|ชื่อกิจกรรม)")
_LABEL_WORD = re.compile(_LABEL_WORDS)
_LABEL = re.compile(_LABEL_WORDS + r"(?:(\s*[:：]|\s+(?=\d|ปี|พ\.ศ|ร้อยละ|จำนวน))|(\s))")


def join_wrapped(left: str, right: str, short: bool = False) -> str:
    """Join a line and its hard-wrapped continuation: Thai to Thai without a space.

    A continuation that labels a value starts a phrase of its own and keeps a space: with a
    colon or a figure after the label always ("…เพิ่มขึ้น" + "ค่าเป้าหมาย ปี 2565 …"), with a
    plain space when the line before was `short` (ended on purpose: "• โครงการแนะแนวสัญจร" +
    "งบประมาณ 85,000 บาท"), since a long line may break anywhere in a sentence."""
    if not left:
        return right
    if not right:
        return left
    if is_thai(left[-1]) and is_thai(right[0]) and not labels_value(right, short):
        return left + right
    return left + " " + right


def labels_value(line: str, short: bool = True) -> bool:
    """True when `line` starts by labelling a value (see `_LABEL`); with `short` False, only
    a label a colon or a figure follows."""
    match = _LABEL.match(line)
    return match is not None and (match.group(1) is not None or short)


def labelled_lines(line: str, following: str) -> bool:
    """'ผู้รับผิดชอบ …' over 'สอดคล้องกับกลยุทธ์ …': a block of labelled lines, each a line of
    its own however long (the second may run its label into its first word)."""
    return labels_value(line) and _LABEL_WORD.match(following) is not None


#: The line that names a project in a block of labelled lines ("ชื่อโครงการ  ส่งเสริมนิสัยรัก
#: การอ่าน"): group 1, the name.
NAME_LABEL = re.compile(r"^ชื่อ(?:โครงการ|กิจกรรม)\s*[:：]?\s*(\S.*)$")
