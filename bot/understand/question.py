"""What a question asks for (`Question`, `ItemRef`), and its topic words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.text import fold
from index.tokenize import tokenize
from index.vocab import FILLER_WORDS, FRAME_WORDS, WHICH_OWNER_FRAME

#: Words that ask, not say what about: dropped before topic search.
FILLER = frozenset(fold(w) for w in FILLER_WORDS)
#: What a token joined from asking words may be made of (see `is_filler`).
_JOINABLE = FILLER | frozenset(fold(w) for w in FRAME_WORDS)
_LONGEST = max(len(w) for w in _JOINABLE)
_WHICH_OWNER = re.compile(WHICH_OWNER_FRAME)


@dataclass
class ItemRef:
    """An item asked for: its kind (or None: the section's), its number, its container."""

    kind: str | None
    number: str  # "2", "2.1" or "last"
    container: tuple[str, str] | None = None  # ("strategic_issue", "3")


@dataclass
class Question:
    """What a question asks for."""

    text: str  # folded
    intent: str | None = None  # a name of bot.understand.intents.INTENTS
    owners: list[str] = field(default_factory=list)  # the first office named: its owner ids
    others: list[list[str]] = field(default_factory=list)  # further offices named, in order
    unknown_owner: str | None = None  # an office named that is not in the corpus
    kind: str | None = None
    more_kinds: list[str] = field(default_factory=list)  # further sections named: "…พันธกิจ"
    refs: list[ItemRef] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # topic words for retrieval
    all_terms: list[str] = field(default_factory=list)  # topic words, section words kept
    school: bool = False  # the unknown owner was a "โรงเรียน..." mention
    level: tuple[str, ...] = ()  # "ของเขต", "ระดับโรงเรียน": owner kinds named by level alone
    level_word: str = ""  # the word that named it, for when no plan of that level is loaded
    follow_up: bool = False
    this_issue: bool = False  # "เป้าประสงค์ของยุทธศาสตร์นี้": the strategic issue just shown
    rest: str = ""  # text left once owner, section and items are taken out
    #: The text without the offices' names, where an intent's words are looked for: a school
    #: named "…ลิงก์" or "…โทรม" asks for no link and no phone.
    unnamed: str | None = None


def topic_terms(folded: str) -> list[str]:
    """The words of folded text that say what it is about (no fillers, no bare numbers)."""
    # folded text is clean already: the same terms as tokenize(question) would give, sooner
    folded = _WHICH_OWNER.sub(" ", folded) if "ไหน" in folded or "ใด" in folded else folded
    return [t for t in tokenize(folded, already_clean=True)
            if not t.isdigit() and not is_filler(t)]


@lru_cache(maxsize=65536)
def is_filler(token: str) -> bool:
    """Whether a token only asks: a filler word, or asking words the tokenizer joined into
    one token ("มีเรื่อง", "ตรงไหน", "ที่ไหนบ้าง", "เขตไหน"), at least one of them a filler.
    Such a token is in no passage, so it took half the question's weight and no passage
    covered enough of the question to be answered."""
    if token in FILLER:
        return True
    ends = {0: False}  # position -> whether a filler word was among the words up to it
    for start in range(len(token)):
        if start not in ends:
            continue
        for end in range(start + 1, min(len(token), start + _LONGEST) + 1):
            word = token[start:end]
            if word in _JOINABLE:
                ends[end] = ends.get(end, False) or ends[start] or word in FILLER
    return ends.get(len(token), False)
