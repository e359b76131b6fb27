"""Passage retrieval: an inverted index picks candidates, rank-bm25 scores them.

Scores use statistics of the whole corpus (global IDF) even when a question is restricted to
one owner or section, so a five-passage section does not make its every word "common".
Okapi's IDF goes negative for a term in over half of the passages, and rank-bm25 then floors it
to a small constant; `PlanBM25` uses Lucene's IDF instead, log(1 + (N - n + 0.5) / (n + 0.5)),
which is positive for every term and still falls as a term gets commoner, at any corpus size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi


class PlanBM25(BM25Okapi):
    """BM25Okapi with an IDF that is never negative or floored."""

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: one item, or a section's paragraphs."""

    id: int
    owner: str
    section: str
    item: str  # item path, "" for section text
    text: str
    kind: str = ""  # the item's own kind (a strategy nested in a strategic issue: "strategy")
    section_seq: int = 0  # the section's place in the owner's plan


class PassageIndex:
    """All passages of the index in memory, with BM25 statistics and postings."""

    def __init__(self, passages: list[Passage], tokens: list[list[str]]):
        self.passages = passages
        self.bm25 = PlanBM25(tokens or [[""]])
        self.bm25.doc_len = np.asarray(self.bm25.doc_len, dtype=float)  # no copy per query
        self.max_idf = max(self.bm25.idf.values(), default=1.0)
        postings: dict[str, list[int]] = {}
        for number, doc in enumerate(tokens):
            for term in set(doc):
                postings.setdefault(term, []).append(number)
        self.postings = postings
        self.by_owner: dict[str, set[int]] = {}
        for passage in passages:
            self.by_owner.setdefault(passage.owner, set()).add(passage.id)

    def idf(self, term: str) -> float:
        """The term's IDF; a term no passage has gets the highest IDF (it is informative)."""
        return self.bm25.idf.get(term, self.max_idf)

    def search(self, terms: list[str], owner: str | None = None, kinds=None, top: int = 5):
        """[(passage, score)] best first, among passages holding at least one term."""
        candidates: set[int] = set()
        for term in set(terms):
            candidates.update(self.postings.get(term, ()))
        if owner is not None:
            candidates &= self.by_owner.get(owner, set())
        if kinds:
            candidates = {
                c for c in candidates
                if self.passages[c].section in kinds or self.passages[c].kind in kinds
            }
        if not candidates:
            return []
        ids = sorted(candidates)
        scores = self.bm25.get_batch_scores(terms, ids)
        ranked = sorted(zip(ids, scores, strict=True), key=lambda pair: (-pair[1], pair[0]))
        return [(self.passages[i], s) for i, s in ranked[:top] if s > 0]

    def coverage(self, terms: list[str], passage: Passage) -> float:
        """Share of the question's IDF weight that the passage's terms cover (0..1)."""
        if not terms:
            return 0.0
        present = self.bm25.doc_freqs[passage.id]
        total = sum(self.idf(t) for t in set(terms))
        found = sum(self.idf(t) for t in set(terms) if t in present)
        return found / total if total else 0.0
