"""Section kinds and the words that name them, in Thai and English: lookups over the table.

The table itself is `index.vocab.SECTION_KINDS`. The parser uses these lookups to recognise
headings in plan documents; question understanding uses them to recognise what a teacher asks
for. Typos are caught by edit distance (`fuzzy_kind`), not by listing misspellings.
"""

from __future__ import annotations

from collections import Counter

from index.text import fold
from index.vocab import DOCUMENT_KINDS, SECTION_KINDS, SectionKind

#: The kinds a question asks for (vision, goals, ...).
KINDS: dict[str, SectionKind] = {k.kind: k for k in SECTION_KINDS}
#: Those and the kinds only documents have (projects): what the parser recognises.
ALL_KINDS: dict[str, SectionKind] = {k.kind: k for k in (*SECTION_KINDS, *DOCUMENT_KINDS)}

#: Every Thai heading word, longest first, with its kind.
THAI_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((fold(word), k.kind) for k in SECTION_KINDS for word in k.thai),
        key=lambda pair: -len(pair[0]),
    )
)

#: Every Thai heading word of a document, the document-only kinds' too, longest first.
DOCUMENT_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((fold(word), k.kind) for k in ALL_KINDS.values() for word in k.thai),
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
    if kind in ALL_KINDS:
        return ALL_KINDS[kind].label
    return kind or ""


def short_label(kind: str | None) -> str:
    """The first of a kind's Thai names ("ตัวชี้วัด" for ตัวชี้วัด/เป้าหมายความสำเร็จ)."""
    return label(kind).split("/")[0]


def kind_at_start(folded: str) -> tuple[str, str] | None:
    """(kind, matched word) when `folded` text starts with a Thai heading word of a document
    (projects' included), exactly."""
    for word, kind in DOCUMENT_WORDS:
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
