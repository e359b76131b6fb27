"""The one table of section kinds and the words that name them, in Thai and English.

The parser uses it to recognise headings in plan documents; question understanding uses it
to recognise what a teacher asks for. Typos are caught by edit distance (`fuzzy_kind`), not
by listing misspellings here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from index.text import fold


@dataclass(frozen=True)
class SectionKind:
    """One kind of plan section and its names."""

    kind: str
    label: str  # how the bot names it in Thai
    english: str  # how the bot names it in English
    thai: tuple[str, ...]  # heading words, most specific first
    latin: tuple[str, ...]  # English heading and question words, case-folded
    listy: bool = True  # usually a numbered list (False: usually one paragraph)


SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("vision", "วิสัยทัศน์", "Vision", ("วิสัยทัศน์",), ("vision",), listy=False),
    SectionKind("mission", "พันธกิจ", "Mission", ("พันธกิจ",), ("mission", "missions")),
    SectionKind(
        "indicator",
        "ตัวชี้วัด/เป้าหมายความสำเร็จ",
        "Indicators and targets",
        ("เป้าหมายความสำเร็จ", "ตัวชี้วัดความสำเร็จ", "ตัวชี้วัด", "ตัวบ่งชี้", "ค่าเป้าหมาย"),
        ("indicator", "indicators", "kpi", "kpis", "target", "targets"),
    ),
    SectionKind(
        "goal",
        "เป้าประสงค์",
        "Goals",
        ("เป้าประสงค์", "เป้าหมาย", "จุดมุ่งหมาย"),
        ("goal", "goals", "objective", "objectives"),
    ),
    SectionKind(
        "strategic_issue",
        "ยุทธศาสตร์",
        "Strategic issues",
        ("ประเด็นยุทธศาสตร์", "ประเด็นกลยุทธ์", "ยุทธศาสตร์"),
        ("strategic", "strategic issue", "strategic issues"),
    ),
    SectionKind("strategy", "กลยุทธ์", "Strategies", ("กลยุทธ์",), ("strategy", "strategies")),
    SectionKind("focus", "จุดเน้น", "Focus points", ("จุดเน้น",), ("focus",)),
    SectionKind(
        "identity",
        "อัตลักษณ์/เอกลักษณ์",
        "Identity",
        ("อัตลักษณ์", "เอกลักษณ์"),
        ("identity",),
        listy=False,
    ),
    SectionKind("values", "ค่านิยม", "Values", ("ค่านิยม",), ("values", "core values")),
    SectionKind(
        "guideline",
        "แนวทางการพัฒนา",
        "Development guidelines",
        ("แนวทางการพัฒนา", "แนวทางการดำเนินงาน", "แนวทาง"),
        ("guideline", "guidelines"),
    ),
    SectionKind("policy", "นโยบาย", "Policies", ("นโยบาย",), ("policy", "policies")),
    SectionKind("motto", "คำขวัญ", "Motto", ("คำขวัญ", "คติพจน์"), ("motto",), listy=False),
    SectionKind("philosophy", "ปรัชญา", "Philosophy", ("ปรัชญา",), ("philosophy",), listy=False),
    SectionKind(
        "signature",
        "ผู้ลงนามและการติดต่อ",
        "Signature and contact",
        ("ผู้ลงนาม", "ลงชื่อ", "ผู้จัดทำ", "ติดต่อ"),
        ("contact", "signature"),
        listy=False,
    ),
)

KINDS: dict[str, SectionKind] = {k.kind: k for k in SECTION_KINDS}

#: Kinds that may nest inside a strategic issue ("ยุทธศาสตร์ที่ 3 ... กลยุทธ์ ...").
NESTABLE = frozenset({"goal", "strategy", "indicator", "focus", "guideline"})

#: Every Thai heading word, longest first, with its kind.
THAI_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((fold(word), k.kind) for k in SECTION_KINDS for word in k.thai),
        key=lambda pair: -len(pair[0]),
    )
)

#: Every English word, longest first, with its kind.
LATIN_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((word, k.kind) for k in SECTION_KINDS for word in k.latin),
        key=lambda pair: -len(pair[0]),
    )
)


_LETTERS = {word: Counter(word) for word, _ in THAI_WORDS}
_LONGEST = max(len(word) for word, _ in THAI_WORDS) + 2


def label(kind: str | None) -> str:
    """The Thai name of a section kind ("other" sections carry their own heading)."""
    if kind in KINDS:
        return KINDS[kind].label
    return kind or ""


def kind_at_start(folded: str) -> tuple[str, str] | None:
    """(kind, matched word) when `folded` text starts with a Thai heading word, exactly."""
    for word, kind in THAI_WORDS:
        if folded.startswith(word):
            return kind, word
    return None


def latin_kind(word: str) -> str | None:
    """The kind an English word names ('Vision', 'GOALS', 'DENTITY'), allowing one typo."""
    word = word.casefold().strip()
    for latin, kind in LATIN_WORDS:
        if word == latin:
            return kind
    for latin, kind in LATIN_WORDS:
        if len(latin) >= 5 and edit_distance(word, latin, 1) <= 1:
            return kind
    return None


def fuzzy_kind(folded: str) -> tuple[str, str] | None:
    """(kind, matched text) when `folded` starts with a heading word typed slightly wrong.

    Allows one edit for words of five to seven letters and two for longer ones, and also a
    word cut short by its last marks (วิสัยทัศ for วิสัยทัศน์).
    """
    if not folded or not "\u0e00" <= folded[0] <= "\u0e7f":
        return None
    opening = Counter(folded[:_LONGEST])
    for word, kind in THAI_WORDS:
        if len(word) < 5:
            continue
        budget = 1 if len(word) < 8 else 2
        # Cheap necessary condition: a word within `budget` edits shares all but `budget`
        # of its letters with the line's opening (most lines fail here, in microseconds).
        shared = sum(min(n, opening[ch]) for ch, n in _LETTERS[word].items())
        if shared < len(word) - budget:
            continue
        for size in range(len(word) - budget, len(word) + budget + 1):
            head = folded[:size]
            if len(head) < size or size < 4:
                continue
            if edit_distance(head, word, budget) <= budget:
                return kind, head
    return None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 once it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
