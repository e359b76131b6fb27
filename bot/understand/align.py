"""Reading a "which strategy fits my project" question: is it one, which kinds it asks for,
and the project's topic as weighed concepts.

"โครงการส่งเสริมการอ่าน สอดคล้องกับกลยุทธ์ไหนของ สพป.แพร่ เขต 1" asks which strategy
fits a reading project. The frame ("โครงการ", "สอดคล้องกับ", "กลยุทธ์ไหน", "ทางโรงเรียนอยาก
ทำ…") says what is asked, not what about, so it is taken out; the topic words left are grouped
by `index.vocab.TOPIC_SYNONYMS` into `Concept`s, each matching a plan's words of the same
meaning (and, more weakly, of the broader area it falls under).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.understand.kinds import KIND_WORD, word_kind
from bot.understand.question import FILLER
from bot.understand.tables import OF_LEVEL
from index.text import fold
from index.tokenize import segment, tokenize
from index.vocab import (
    ALIGN_ASKER_PATTERNS,
    ALIGN_FIT_PATTERNS,
    ALIGN_FRAME_WORDS,
    ALIGN_GENERIC_GROUPS,
    ALIGN_PROJECT_PATTERNS,
    ALIGN_PURPOSES,
    ALIGN_TARGET_GROUPS,
    ALIGN_VERBS_BEFORE_SECTION,
    ALIGN_WHICH_PATTERNS,
    LEVEL_ALONE,
    TOPIC_SYNONYMS,
)


def _either(patterns) -> str:
    return "(?:" + "|".join(patterns) + ")"


_KIND = f"(?:{KIND_WORD})"
_WHICH = _either(ALIGN_WHICH_PATTERNS)
#: "กลยุทธ์ไหน", "เป้าประสงค์ข้อใด", "ยุทธศาสตร์ชาติด้านไหน", "ข้อไหน", "which strategy".
KIND_WHICH = re.compile(
    rf"(?P<kind>{_KIND})\s*(?:ชาติ)?\s*(?:ข้อ|ที่|ด้าน|ประเด็น)?\s*(?:ที่)?\s*{_WHICH}"
    rf"|ข้อ\s*(?:ไหน|ใด)|\bwhich\s+(?P<latin>{_KIND})"
)
#: "สอดคล้องกับ", "สนอง", and the weaker verbs only before a section word: "เข้ากลยุทธ์".
FIT = re.compile(
    _either(ALIGN_FIT_PATTERNS)
    + rf"|{_either(ALIGN_VERBS_BEFORE_SECTION)}(?=\s*(?:กับ)?\s*(?:{_KIND}|ข้อ))"
)
PROJECT = re.compile(_either(ALIGN_PROJECT_PATTERNS))
#: The whole test, one pattern (an `intents.Intent` row): asks which item, about a project.
ALIGN_QUESTION = re.compile(
    rf"^(?=.*(?:{KIND_WHICH.pattern}))(?=.*(?:{FIT.pattern}|{PROJECT.pattern}))"
    rf"|^(?=.*(?:{PROJECT.pattern}))(?=.*(?:{FIT.pattern}))",
    re.S,
)
ASKER = re.compile(_either(ALIGN_ASKER_PATTERNS))
FRAME = frozenset(fold(w) for w in ALIGN_FRAME_WORDS) | FILLER


@dataclass(frozen=True)
class Concept:
    """One topic of a project: the words naming it, and the words of its broader area.

    `said` is how the question put it; `words` and `area` are folded words, each matched
    whole in a plan's text (`mentions`).
    """

    said: str
    words: tuple[str, ...]
    area: tuple[str, ...] = ()
    group: bool = False  # names whom the project is for (index.vocab.ALIGN_TARGET_GROUPS)
    #: What the project sets out to do, not its topic ("ลด" of "ลดความเหลื่อมล้ำ"): an item
    #: that says it fits better, one that does not is not the worse for it.
    purpose: bool = False


def is_alignment(folded: str) -> bool:
    """Whether a folded question asks which item of a plan fits a project."""
    return bool(ALIGN_QUESTION.search(folded))


def asked_kinds(folded: str) -> list[str]:
    """The section kinds asked about ("กลยุทธ์ไหน", "สนองเป้าประสงค์"), in order; [] if none."""
    kinds: list[str] = []
    for match in KIND_WHICH.finditer(folded):
        word = match.group("kind") or match.group("latin")
        kind = word_kind(word) if word else None
        if kind and kind not in kinds:
            kinds.append(kind)
    for match in FIT.finditer(folded):
        after = re.match(rf"\s*(?:กับ)?\s*({_KIND})", folded[match.end():])
        kind = word_kind(after.group(1)) if after else None
        if kind and kind not in kinds:
            kinds.append(kind)
    return kinds


def project_text(folded: str) -> str:
    """The question without its frame: the asker ("ทางโรงเรียนอยากทำ"), the project and fit
    words ("โครงการ", "สอดคล้องกับ") and the section words ("กลยุทธ์ไหน"). Taken out as text,
    before segmenting, so the topic's words are segmented as they would be alone."""
    folded = _project_clause(folded)
    fit = FIT.search(folded)
    if fit:  # "…สอดคล้องกับกลยุทธ์ไหนของเขตและ สพฐ.", "…สนองกลยุทธ์โรงเรียนข้อไหน": the plans
        # asked about, not the topic
        tail = KIND_LEVEL.sub(r"\1 ", OF_LEVEL.sub(" ", folded[fit.end():]))
        folded = folded[:fit.end()] + tail
    for pattern in (_DETAILS, ASKER, FIT, KIND_WHICH, PROJECT, _SECTION_WORD, _WHICH_END):
        folded = pattern.sub(" ", folded)
    return folded


#: A level word alone after a section word, or right after the fit word once the section
#: word is read off: "สนองกลยุทธ์โรงเรียนข้อไหน" ("ยุทธศาสตร์ สพฐ." names an office: not this).
KIND_LEVEL = re.compile(
    rf"(^\s*(?:กับ)?|{_KIND})\s*(?:{'|'.join(re.escape(w) for w in sorted(LEVEL_ALONE, key=len, reverse=True))})"
    r"\.?(?=\s|$|ข้อ|ไหน|ใด|ที่|อะไร)")


#: What a project is for in grades and money, no topic of it: "นักเรียน ม.1-ม.3", "ม.ต้น", "ชั้น ป.4-6",
#: "งบ 20,000 บาท" (a lone "ม" and "งบ" counted as topic words and no item fitted well).
_DETAILS = re.compile(r"(?:ชั้น\s*)?(?:ม|ป|อ)\.\s*\d(?:\s*[-–]\s*(?:(?:ม|ป|อ)\.\s*)?\d)?"
                      r"|(?:ชั้น\s*)?(?:ม|ป)\.\s*(?:ต้น|ปลาย)"  # "ม.ต้น", "ม.ปลาย"
                      r"|งบ(?:ประมาณ)?\s*[\d,.]+\s*(?:บาท)?|[\d,.]+\s*บาท")


#: A message this long tells a story around its project ("ตอนนี้กำลังทำแผน… ผอ.ให้เขียน
#: โครงการ… และต้องเขียนความสอดคล้อง… รบกวนช่วย… ขอบคุณครับ"): its topic is the project's clause.
LONG_MESSAGE = 80
_CLAUSE_END = re.compile(r"\s(?:และ|แต่|โดย|ซึ่ง)|ความสอดคล้อง|สอดคล้อง|(?:ตอบ)?สนอง|รบกวน|ครับ|ค่ะ"
                         r"|[,!?\n]")


def _project_clause(folded: str) -> str:
    """In a long message, the clause that names the project: from "โครงการ" to the next
    clause ("และต้องเขียนความสอดคล้อง…"); of several ("เขียนโครงการเพื่อเสนอของบ… เป็น
    โครงการค่ายภาษาอังกฤษ…"), the one with the most topic concepts; the message itself when
    it has none."""
    if len(folded) <= LONG_MESSAGE:
        return folded
    clauses = []
    for project in PROJECT.finditer(folded):
        end = _CLAUSE_END.search(folded, project.end())
        clause = folded[project.end():end.start() if end else len(folded)].strip()
        if len(clause) >= 6:
            clauses.append(clause)
    if not clauses:
        return folded
    return max(clauses, key=lambda clause: len(concepts(clause)))  # the first of the best


_SECTION_WORD = re.compile(rf"{_KIND}(?:ชาติ)?")
#: A which-word and polite particles ending the question, left when its section word was
#: read off first ("…ไหนคะ": segmented alone it gave the topic words "ไห" and "นคะ").
_WHICH_END = re.compile(rf"\s*(?:{_WHICH})?\s*(?:บ้าง)?\s*(?:ครับ|ค่ะ|คะ|คับ|จ้ะ|จ้า|นะ)*\s*\??\s*$")


def asker_not_owner(mention: str, folded: str) -> bool:
    """A "school" read from "โรงเรียนจะทำโครงการ…" is the asker in a sentence, and one after
    a project word ("โครงการโรงเรียนปลอดภัย") is the project's name: neither is an owner."""
    if ASKER.search(mention) or PROJECT.search(mention) or FIT.search(mention):
        return True
    return re.search(rf"{PROJECT.pattern}\s*{re.escape(mention)}", folded) is not None


def concepts(text: str) -> list[Concept]:
    """The topic of a project as concepts (`_concepts`; a follow-up reads it again)."""
    return list(_concepts(text))


@lru_cache(maxsize=1024)
def _concepts(text: str) -> tuple[Concept, ...]:
    """The topic of a project as concepts: the synonym table's words first (longest first),
    then each other word; frame words, fillers and numbers dropped. A group's word after
    ใน says where the project happens ("ยาเสพติดในสถานศึกษา"), not whom it is for: dropped."""
    found: list[Concept] = []
    for word, row in _table_words():
        if mentions(word, text):
            words, area = _rows()[row]
            group = words[0] in _groups()
            where = group and re.search(rf"ใน\s*{re.escape(word)}", text) is not None
            if not where and all(c.words is not words for c in found):
                found.append(Concept(word, words, area, group))
            text = _blank(word, text)
    for term in tokenize(text):
        if term not in FRAME and not term.isdigit() and all(c.said != term for c in found):
            found.append(Concept(term, (term,), purpose=term in _purpose_words()))
    return tuple(found)


@lru_cache(maxsize=1)
def _purpose_words() -> frozenset[str]:
    """The words that say a project's purpose (the first column of ALIGN_PURPOSES)."""
    return frozenset(w for said, _ in _purpose_rows() for w in said)


def mentions(word: str, text: str) -> bool:
    """Whether folded `text` holds `word` as a word: a Latin word whole; a Thai word anywhere
    but inside one longer word of the text's segmentation (อาชีพ is not in ครูมืออาชีพ, but
    เรียนรวม is in แบบเรียนรวม, however that is segmented)."""
    return where(word, text) >= 0


@lru_cache(maxsize=65536)
def where(word: str, text: str) -> int:
    """Where `word` first stands as a word in folded `text` (as `mentions` reads it); -1."""
    if word.isascii():
        found = re.search(rf"\b{re.escape(word)}\b", text)
        return found.start() if found else -1
    at = text.find(word)
    while at >= 0:
        if not _inside_longer_word(at, at + len(word), text):
            return at
        at = text.find(word, at + 1)
    return -1


#: Prefixes that make a noun of a verb: พัฒนา stands as a word in การพัฒนา.
_NOUN_PREFIXES = ("การ", "ความ")


def _inside_longer_word(start: int, end: int, text: str) -> bool:
    for word_start, word_end in _spans(text):
        if word_start <= start and end <= word_end:
            if end == word_end and text[word_start:start] in _NOUN_PREFIXES:
                return False
            return word_end - word_start > end - start
        if word_start >= end:
            break
    return False


@lru_cache(maxsize=8192)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each word of the text's segmentation (one tokenizer: index.tokenize)."""
    spans, at = [], 0
    for piece in segment(text):
        spans.append((at, at + len(piece)))
        at += len(piece)
    return tuple(spans)


def _blank(word: str, text: str) -> str:
    return re.sub(rf"\b{re.escape(word)}\b", " ", text) if word.isascii() else text.replace(
        word, " ")


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The synonym table in folded form."""
    return tuple((tuple(fold(w) for w in words), tuple(fold(w) for w in area))
                 for words, area in TOPIC_SYNONYMS)


@lru_cache(maxsize=1)
def _groups() -> frozenset[str]:
    return frozenset(fold(w) for w in ALIGN_TARGET_GROUPS)


def group_rows() -> list[tuple[str, ...]]:
    """The words of each target group's row (students, teachers, administrators, ...)."""
    return [words for words, _ in _rows() if words[0] in _groups()]


def target_groups(topic: list[Concept]) -> list[tuple[str, ...]]:
    """Whom the project is for, as group rows: the groups it names ("…ของนักเรียน"); else
    the group every topic of the table's falls under (a reading project is for learners;
    one about integrity and transparency names no one group)."""
    named = [c.words for c in topic if c.group]
    if named:
        return named
    known = [c for c in topic if c.words != (c.said,) or c.area]
    return [words for words in group_rows()
            if known and all(any(w in words for w in c.area) for c in known)]


def generic(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The groups (of `target_groups`) whose own item is cited for any project for them."""
    return [words for words in groups if words[0] in _people()]


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    return frozenset(fold(w) for w in ALIGN_GENERIC_GROUPS)


@lru_cache(maxsize=1)
def _purpose_rows() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """`index.vocab.ALIGN_PURPOSES` in folded form."""
    return tuple((tuple(fold(w) for w in said), tuple(fold(w) for w in item))
                 for said, item in ALIGN_PURPOSES)


def purposes(folded: str) -> list[tuple[str, ...]]:
    """What the project sets out to do ("ป้องกัน…", "พัฒนา…"), as the item words of each
    purpose row of `index.vocab.ALIGN_PURPOSES` its question names; [] when it names none."""
    return [item for said, item in _purpose_rows() if any(mentions(w, folded) for w in said)]


def groups_in(text: str) -> list[tuple[str, ...]]:
    """The group rows a folded text names, the one named first first: what an item is about
    ("การพัฒนาคุณภาพผู้เรียน…" is about learners, "…ครูและบุคลากร" about teachers)."""
    at = {}
    for words in group_rows():
        places = [p for p in (where(w, text) for w in words) if p >= 0]
        if places:
            at[words] = min(places)
    return sorted(at, key=at.__getitem__)


@lru_cache(maxsize=1)
def _table_words() -> tuple[tuple[str, int], ...]:
    """Every word of the table with its row (the first that lists it), longest first."""
    seen: dict[str, int] = {}
    for row, (words, _) in enumerate(_rows()):
        for word in words:
            seen.setdefault(word, row)
    return tuple(sorted(seen.items(), key=lambda pair: (-len(pair[0]), pair[1])))
