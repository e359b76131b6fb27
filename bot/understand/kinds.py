"""Which kind of section a question names: exact heading words first, then English, then typos."""

from __future__ import annotations

import re

from index.headings import LATIN_WORDS, THAI_WORDS, edit_distance, latin_kind
from index.tokenize import segment

#: Any section word, Thai or English (plural allowed), as a regular expression.
KIND_WORD = "|".join(
    [re.escape(w) for w, _ in THAI_WORDS] + [re.escape(w) + "s?" for w, _ in LATIN_WORDS]
)
KIND_RE = re.compile(KIND_WORD)


def find_kind(folded: str) -> tuple[str | None, str]:
    """(section kind, text without the section word): exact words first, then typos."""
    best = None
    for word, kind in THAI_WORDS:
        at = folded.find(word)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, word, kind)
    if best is not None:
        at, word, kind = best
        return kind, folded[:at] + " " + folded[at + len(word):]
    for word in re.findall(r"[a-z]+(?: [a-z]+)?", folded):
        for latin, kind in LATIN_WORDS:
            if word == latin or word.startswith(latin + " "):
                return kind, folded.replace(latin, " ", 1)
    for word in re.findall(r"[a-z]{5,}", folded):
        kind = latin_kind(word)
        if kind:
            return kind, folded.replace(word, " ", 1)
    return _fuzzy_kind(folded)


def word_kind(word: str) -> str | None:
    """The kind a section word (as matched by KIND_WORD) names."""
    for thai, kind in THAI_WORDS:
        if word == thai:
            return kind
    for latin, kind in LATIN_WORDS:
        if word.rstrip("s") == latin.rstrip("s"):
            return kind
    return None


def _fuzzy_kind(folded: str) -> tuple[str | None, str]:
    """A section word typed with a slip or two: "วิสัยทัด", "พันธกจ"."""
    pieces = [w for w in segment(folded)][:60]
    for size in (1, 2, 3):
        for start in range(len(pieces) - size + 1):
            chunk = "".join(pieces[start:start + size]).strip()
            if len(chunk) < 4 or not re.match(r"^[\u0e00-\u0e7f]+$", chunk):
                continue
            for word, kind in THAI_WORDS:
                if len(word) < 6 or (chunk[0] not in word[:2] and word[0] not in chunk[:2]):
                    continue  # a typo rarely spoils both of the first two letters
                budget = 1 if len(word) < 8 else 2
                if edit_distance(chunk, word, budget) <= budget or _same_start(chunk, word):
                    return kind, folded.replace(chunk, " ", 1)
    return None, folded


def _same_start(chunk: str, word: str) -> bool:
    """วิสัยทัด for วิสัยทัศน์: most of the word typed right, the ending typed wrong."""
    if len(chunk) > len(word) + 1 or chunk[:5] != word[:5]:
        return False
    common = 0
    for a, b in zip(chunk, word, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(5, 0.7 * len(word)) and common >= len(chunk) - 2
