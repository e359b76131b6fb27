"""Item references in a question: ข้อ 2, ที่ ๓, ข้อ 1-3, 3 ข้อแรก, กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3."""

from __future__ import annotations

import re

from pythainlp.util import thaiword_to_num

from bot.understand.kinds import KIND_WORD, word_kind
from bot.understand.question import FILLER, ItemRef
from index.vocab import (
    AND_PATTERNS,
    FIRST_N_WORD,
    ITEM_PATTERNS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    RANGE_PATTERNS,
    SECTION_NUMBER_PATTERNS,
)

NUM = r"\d{1,3}(?:\.\d{1,3})*"
MAX_RANGE = 30  # items one range ("ข้อ 1-30") or "30 ข้อแรก" may ask for


def _any(patterns) -> str:
    return "(?:" + "|".join(patterns) + ")"


_ORDINALS = "|".join(re.escape(w) for w in ORDINAL_WORDS)
_RANGE = _any(RANGE_PATTERNS)
#: A number typed with a minus ("กลยุทธ์ที่ -1") names no item: kept, so it is said to be absent.
_SIGNED = rf"-?{NUM}"
_REF = re.compile(
    rf"(?:(?P<word>{KIND_WORD})\s*{_any(SECTION_NUMBER_PATTERNS)}?\s*(?P<n1>{_SIGNED})(?!\d)"
    rf"(?:\s*{_RANGE}\s*(?P<to1>\d{{1,3}}))?"
    rf"|{_any(ITEM_PATTERNS)}\s*(?P<n2>{_SIGNED}|{_ORDINALS})(?:\s*{_RANGE}\s*(?P<to>\d{{1,3}}))?"
    rf"|(?<![\w.])ที่\s*(?P<n3>{NUM})(?!\d)"
    rf"|(?P<issue>ประเด็น)\s*(?:ที่)?\s*(?P<n4>{NUM})(?!\d))"  # "ประเด็นที่ 1": issue 1
)
_FIRST_N = re.compile(rf"(?<![\d.])(\d{{1,2}})\s*{re.escape(FIRST_N_WORD)}")
#: "2 ข้อสุดท้าย", "สามข้อสุดท้าย": the last n items ("last:n"; one is plain "last").
_LAST_N = re.compile(rf"(?<![\d.])(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s*ข้อ\s*สุดท้าย")
_MORE = re.compile(rf"^\s*{_any(AND_PATTERNS)}\s*(?:ข้อ(?:ที่)?)?\s*(?P<n>{NUM})(?!\d)")
_NUMBER_WORD = re.compile(rf"(ที่|ข้อ)\s*((?:{'|'.join(NUMBER_WORDS)})+)")
_BARE = re.compile(rf"\s*({NUM})\s*")


def number_words(folded: str) -> str:
    """'กลยุทธ์ที่สอง' -> 'กลยุทธ์ที่ 2' (PyThaiNLP reads the number words)."""

    def digits(match: re.Match) -> str:
        try:
            return f"{match.group(1)} {thaiword_to_num(match.group(2))}"
        except (ValueError, KeyError, IndexError):
            return match.group(0)

    return _NUMBER_WORD.sub(digits, folded)


def find_refs(folded: str) -> tuple[list[ItemRef], str]:
    """Item references and the text without them: ข้อ 2, ที่ ๓ (folded to 3), ข้อ 1-3, ...

    Items named inside a strategic issue ("กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3") get it as their
    container; a bare number ("2") is an item of whatever section is being discussed.
    """
    found: list[tuple[str | None, str]] = []
    first = _FIRST_N.search(folded)
    if first:  # "3 ข้อแรก": items 1 to 3
        found.extend((None, str(n)) for n in range(1, min(int(first.group(1)), MAX_RANGE) + 1))
        folded = folded.replace(first.group(0), " ", 1)
    last = _LAST_N.search(folded)
    if last:  # "สองข้อสุดท้าย": the last two, however many the section has
        count = _count(last.group(1))
        if count:
            found.append((None, "last" if count == 1 else f"last:{min(count, MAX_RANGE)}"))
            folded = folded.replace(last.group(0), " ", 1)
    rest = folded
    for match in _REF.finditer(folded):
        found.extend(_numbers(match, folded[match.end():]))
        rest = rest.replace(match.group(0), " ", 1)
    containers = [(k, n) for k, n in found if k == "strategic_issue"]
    targets = [(k, n) for k, n in found if k != "strategic_issue"]
    if containers and targets:
        refs = [ItemRef(k, n, containers[0]) for k, n in targets]
    else:
        refs = [ItemRef(k, n) for k, n in found]
    if not refs and (bare := _BARE.match(rest)) and _only_fillers(rest[bare.end():]):
        return [ItemRef(None, bare.group(1))], ""  # "2", "3.1 อ่ะ"
    return refs, rest


def _only_fillers(text: str) -> bool:
    """Nothing but asking words and chat particles: "", "อ่ะ", "ค่ะ"."""
    return all(word in FILLER for word in text.split())


def _count(word: str) -> int:
    """A count written in digits or Thai number words ("2", "สอง"); 0 when it is neither."""
    if word.isdigit():
        return int(word)
    try:
        return int(thaiword_to_num(word))
    except (ValueError, KeyError, IndexError):
        return 0


def _numbers(match: re.Match, tail: str) -> list[tuple[str | None, str]]:
    """(kind, number) for one reference: a number, a range, or a list ("ข้อ 1 และ 3")."""
    word = match.group("word")
    kind = word_kind(word) if word else ("strategic_issue" if match.group("issue") else None)
    number = match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4")
    number = ORDINAL_WORDS.get(number, number)
    to = match.group("to") or match.group("to1")
    found: list[tuple[str | None, str]] = []
    if to and number.isdigit():
        first, last = int(number), int(to)
        if 0 < first <= last <= first + MAX_RANGE:
            found.extend((kind, str(n)) for n in range(first, last + 1))
    else:
        found.append((kind, number))
    while more := _MORE.match(tail):
        found.append((kind, more.group("n")))
        tail = tail[more.end():]
    return found
