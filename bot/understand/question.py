"""What a question asks for (`Question`, `ItemRef`), and its topic words."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.text import fold
from index.tokenize import tokenize
from index.vocab import FILLER_WORDS

#: Words that ask, not say what about: dropped before topic search.
FILLER = frozenset(fold(w) for w in FILLER_WORDS)


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
    refs: list[ItemRef] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # topic words for retrieval
    all_terms: list[str] = field(default_factory=list)  # topic words, section words kept
    school: bool = False  # the unknown owner was a "โรงเรียน..." mention
    follow_up: bool = False
    rest: str = ""  # text left once owner, section and items are taken out


def topic_terms(folded: str) -> list[str]:
    """The words of folded text that say what it is about (no fillers, no bare numbers)."""
    # folded text is clean already: the same terms as tokenize(question) would give, sooner
    return [t for t in tokenize(folded, already_clean=True) if t not in FILLER and not t.isdigit()]
