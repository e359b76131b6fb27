"""The unanswered-questions report: the question log grouped by similar wording.

Questions are normalised with the index's tokenizer (the one used for plans and questions
alike: Thai word breaks, Thai digits, case, and no stop words), so "วิสัยทัศน์ สพม.13" and
"วิสัยทัศน์ของ สพม.13 คืออะไรครับ" have the same words and fall in one group. Groups whose word
sets overlap by at least `SIMILARITY` (Jaccard) are merged too, but only when they name the
same numbers: "กลยุทธ์ 3 สพป.แพร่ เขต 1" and "... เขต 2" ask about different plans.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from bot.questionlog import Entry
from index.tokenize import tokenize

SIMILARITY = 0.75
MAX_VARIANTS = 5
#: The most questions one report groups, the latest of the period: grouping them takes a
#: second or two, well inside a worker's timeout, however busy the log was.
MAX_ROWS = 10_000
#: Thailand's time (UTC+7, no daylight saving) for the dates admins read.
THAI_TIME = timezone(timedelta(hours=7), "ICT")
#: What each logged reply kind means, for the admin.
KIND_NAMES = {
    "dont_know": "ไม่พบคำตอบในแผน",
    "not_in_corpus": "ไม่มีแผนของหน่วยงานนี้",
    "section_absent": "แผนไม่มีหัวข้อนี้",
    "item_absent": "ไม่มีข้อที่ถาม",
    "which_owner": "ไม่รู้ว่าหน่วยงานใด",
}


@dataclass
class Group:
    """Questions of similar wording."""

    words: frozenset[str]
    texts: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    count: int = 0
    first_seen: float = 0.0
    last_seen: float = 0.0
    _latest: dict = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        """Count one logged question in this group."""
        self.texts[entry.text] += 1
        self.kinds[entry.kind] += 1
        self.count += 1
        self.first_seen = min(self.first_seen or entry.asked, entry.asked)
        self.last_seen = max(self.last_seen, entry.asked)
        self._latest[entry.text] = max(self._latest.get(entry.text, 0.0), entry.asked)

    def absorb(self, other: Group) -> None:
        """Merge a similar group into this one."""
        self.texts.update(other.texts)
        self.kinds.update(other.kinds)
        self.count += other.count
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        for text, seen in other._latest.items():
            self._latest[text] = max(self._latest.get(text, 0.0), seen)

    @property
    def wording(self) -> str:
        """The most frequent wording (the latest one on a tie)."""
        return max(self.texts, key=lambda t: (self.texts[t], self._latest[t]))

    @property
    def variants(self) -> list[tuple[str, int]]:
        """Other wordings and their counts, most frequent first."""
        wording = self.wording
        return [(t, n) for t, n in self.texts.most_common() if t != wording][:MAX_VARIANTS]

    @property
    def kind_names(self) -> list[tuple[str, int]]:
        """The reply kinds in this group, described, with counts."""
        return [(KIND_NAMES.get(k, k), n) for k, n in self.kinds.most_common()]


def words_of(text: str) -> frozenset[str]:
    """A question's words as the index tokenizes them (the folded text if it has none)."""
    words = frozenset(t for t in tokenize(text) if t.strip())
    return words or frozenset({" ".join(text.casefold().split())})


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Same numbers, and word sets overlapping by at least SIMILARITY."""
    if {w for w in a if w.isdigit()} != {w for w in b if w.isdigit()}:
        return False
    return len(a & b) / len(a | b) >= SIMILARITY


def group_questions(entries: list[Entry]) -> list[Group]:
    """Entries grouped by similar wording, largest and most recent groups first.

    Each group of equal word sets, largest first, joins the first earlier group it is
    `similar` to. Only groups that could be similar are compared (`_Candidates`), so a
    month of questions is grouped in about linear time rather than every pair compared.
    """
    exact: dict[frozenset[str], Group] = {}
    for entry in entries:
        words = words_of(entry.text)
        exact.setdefault(words, Group(words)).add(entry)
    candidates = _Candidates(exact)
    merged: list[Group] = []
    for group in sorted(exact.values(), key=lambda g: (-g.count, -g.last_seen)):
        home = next((merged[i] for i in candidates.of(group.words)
                     if similar(merged[i].words, group.words)), None)
        if home is None:
            candidates.add(len(merged), group.words)
            merged.append(group)
        else:
            home.absorb(group)
    return sorted(merged, key=lambda g: (-g.count, -g.last_seen))


class _Candidates:
    """The groups a word set may be `similar` to, in the order they were added.

    Prefix filtering: put every word set's words in one order, rarest first. Two sets with a
    Jaccard overlap of at least SIMILARITY share at least ceil(SIMILARITY * n) words, where n
    is either set's size, and then the first n - ceil(SIMILARITY * n) + 1 words of each (its
    prefix) have a word in common. So a group is filed under its prefix words only, and a
    set is compared only with the groups filed under its own prefix words: rare words, so
    few groups each, and never every pair. The same numbers are a condition of `similar` as
    well, so a group is filed under its numbers too.
    """

    def __init__(self, word_sets):
        self._rarity = Counter(w for words in word_sets for w in words)
        self._filed: dict[tuple[frozenset[str], str], list[int]] = {}

    def _keys(self, words: frozenset[str]) -> list[tuple[frozenset[str], str]]:
        numbers = frozenset(w for w in words if w.isdigit())
        ordered = sorted(words, key=lambda w: (self._rarity[w], w))
        # A hair under the exact bound, so float rounding can only make the prefix longer.
        share = max(1, math.ceil(SIMILARITY * len(ordered) - 1e-9))
        return [(numbers, w) for w in ordered[: len(ordered) - share + 1]]

    def add(self, index: int, words: frozenset[str]) -> None:
        """File group number `index`, of these words."""
        for key in self._keys(words):
            self._filed.setdefault(key, []).append(index)

    def of(self, words: frozenset[str]) -> list[int]:
        """The numbers of the groups filed that may be similar to `words`, in order."""
        return sorted({i for key in self._keys(words) for i in self._filed.get(key, ())})


def thai_time(seconds: float) -> str:
    """A timestamp as Thailand's date and time, e.g. '2026-11-29 14:05'."""
    return datetime.fromtimestamp(seconds, THAI_TIME).strftime("%Y-%m-%d %H:%M")
