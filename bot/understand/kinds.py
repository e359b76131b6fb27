"""Which kind of section a question names: exact heading words first, then English, then typos."""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.soundex import soundex
from rapidfuzz.distance import Levenshtein

from index.headings import LATIN_WORDS, THAI_WORDS, latin_kind
from index.tokenize import segment, word_list

#: Any section word, Thai or English (plural allowed), as a regular expression.
KIND_WORD = "|".join(
    [re.escape(w) for w, _ in THAI_WORDS] + [re.escape(w) + "s?" for w, _ in LATIN_WORDS]
)
KIND_RE = re.compile(KIND_WORD)
#: The Thai section words alone, longest first (as `THAI_WORDS`), and the kind each names.
THAI_WORD = re.compile("|".join(re.escape(w) for w, _ in THAI_WORDS))
_THAI_KIND = dict(reversed(THAI_WORDS))  # a word listed twice names its first kind


def find_kind(folded: str) -> tuple[str | None, str]:
    """(section kind, text without the section word): exact words first, then typos."""
    first = THAI_WORD.search(folded)  # the first written; at one place, the longest
    if first is not None:
        at, word = first.start(), first.group(0)
        return _THAI_KIND[word], folded[:at] + " " + folded[at + len(word):]
    for word in re.findall(r"[a-z]+(?: [a-z]+)?", folded):
        for latin, kind in LATIN_WORDS:
            if word == latin or word.startswith(latin + " "):
                return kind, folded.replace(latin, " ", 1)
    for word in re.findall(r"[a-z]{5,}", folded):
        kind = latin_kind(word)
        if kind:
            return kind, folded.replace(word, " ", 1)
    return _fuzzy_kind(folded)


def other_kinds(folded: str, first: str | None) -> tuple[list[str], str]:
    """The further sections named after the first ("ขอวิสัยทัศน์ พันธกิจ และเป้าประสงค์"):
    their kinds, in order, none twice, not `first`; and the text without their words. Only
    the exact Thai words: a typo'd second section is left to the first's answer."""
    kinds: list[str] = []
    for match in THAI_WORD.finditer(folded):
        kind = _THAI_KIND[match.group(0)]
        if kind != first and kind not in kinds:
            kinds.append(kind)
    return kinds, (THAI_WORD.sub(" ", folded) if kinds else folded)


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
            if len(chunk) < 4 or not _THAI_ONLY.match(chunk):
                continue
            for word, kind, budget in _typo_candidates(chunk[:2]):
                if (Levenshtein.distance(chunk, word, score_cutoff=budget) <= budget
                        or _same_start(chunk, word) or _sounds_like(chunk, word)):
                    return kind, folded.replace(chunk, " ", 1)
    return None, folded


def _sounds_like(chunk: str, word: str) -> bool:
    """"ยุทธสาด" for ยุทธศาสตร์, "กลยุด" for กลยุทธ์: spelt as it sounds (PyThaiNLP's
    MetaSound codes agree). Only for a chunk that is no Thai word of its own and about the
    word's length: MetaSound's four-letter codes are shared by many real words
    ("วิทยาศาสตร์การกีฬา" sounds like วิสัยทัศน์ to it)."""
    # the code keeps the first letter; a long word spelt as it sounds may lose its silent
    # letters ("ยุทสาด", 6 letters, for ยุทธศาสตร์'s 10)
    if chunk[0] != word[0] or abs(len(chunk) - len(word)) > max(3, len(word) // 2 - 1):
        return False
    dictionary = _DICTIONARY()
    if chunk in dictionary:
        return False
    # A name made of real words ("ปราจีนบุรีศึกษา", "วัดยโสธร…", "พระศึกษา") opens with a word
    # that is not how the section word starts; a misspelling opens like it ("ยุทธ|สาด").
    for end in range(len(chunk) - 1, 2, -1):
        if chunk[:end] in dictionary:
            if not word.startswith(chunk[:end]):
                return False
            break
    return _sound(chunk) == _sound(word)


@lru_cache(maxsize=1)
def _DICTIONARY() -> frozenset[str]:  # noqa: N802 - a constant, read once
    return frozenset(word_list())  # the segmenter's words: PyThaiNLP's and the domain's


@lru_cache(maxsize=65536)
def _sound(text: str) -> str:
    return soundex(text, engine="metasound")


_THAI_ONLY = re.compile(r"^[\u0e00-\u0e7f]+$")
#: The section words a typo is looked for in, with the edits allowed (two from eight letters).
_TYPO_WORDS = tuple((word, kind, 1 if len(word) < 8 else 2)
                    for word, kind in THAI_WORDS if len(word) >= 6)


@lru_cache(maxsize=4096)
def _typo_candidates(head: str) -> tuple[tuple[str, str, int], ...]:
    """The section words a chunk opening with `head` may be a typo of, in table order: a
    typo rarely spoils both of the first two letters (a few thousand Thai pairs at most)."""
    return tuple(entry for entry in _TYPO_WORDS
                 if head[0] in entry[0][:2] or entry[0][0] in head)


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
