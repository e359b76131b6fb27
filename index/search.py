"""Passage retrieval: BM25 over postings, restricted to an owner or section when asked.

The scoring is rank-bm25's BM25Okapi formula (k1 = 1.5, b = 0.75) with one change, made in
`PlanBM25`: Okapi's IDF goes negative for a term in over half of the passages, and rank-bm25
then floors it to a small constant, which on a small corpus ranks a passage *without* a common
word above one with it. `PlanBM25` uses Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)),
positive for every term and still falling as a term gets commoner, at any corpus size.
Statistics are corpus-wide even when a question is restricted to one owner or section.

`PlanBM25` (a rank-bm25 model) is the reference. `PassageIndex` computes the same scores from
per-term postings with numpy, touching only passages that hold a query term: rank-bm25 keeps a
dict per passage and scores in Python loops, which at national scale (~300k passages) costs
seconds per question and over a gigabyte of memory. `tests/test_search.py` checks the two give
the same scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

K1 = 1.5
B = 0.75
SAMPLE = 16  # every SAMPLE-th passage sets a floor for the best of a search of every plan


def lucene_idf(passages: int, containing: int) -> float:
    """IDF that is positive for every term and falls as the term gets commoner."""
    return math.log(1 + (passages - containing + 0.5) / (containing + 0.5))


class PlanBM25(BM25Okapi):
    """rank-bm25's BM25Okapi with an IDF that is never negative or floored."""

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = lucene_idf(self.corpus_size, freq)
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
    """All passages in memory: postings per term (the passage ids holding it, and each one's
    BM25 share for it, computed once here rather than per question), and lengths."""

    def __init__(self, passages: list[Passage], tokens):
        self._build(zip(passages, tokens, strict=True))

    @classmethod
    def from_pairs(cls, pairs) -> PassageIndex:
        """Build from an iterable of (passage, tokens), without holding every token list."""
        index = cls.__new__(cls)
        index._build(pairs)
        return index

    def _build(self, pairs) -> None:
        self.passages: list[Passage] = []
        lengths: list[int] = []
        collected: dict[str, tuple[list[int], list[int]]] = {}
        for number, (passage, doc) in enumerate(pairs):
            self.passages.append(passage)
            lengths.append(len(doc))
            counts: dict[str, int] = {}
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
            for term, tf in counts.items():
                ids, tfs = collected.setdefault(term, ([], []))
                ids.append(number)
                tfs.append(tf)
        count = len(lengths)
        length = np.asarray(lengths, dtype=np.float64)
        average = float(length.mean()) if count and length.any() else 1.0
        norm = K1 * (1 - B + B * length / average)  # the length part of BM25's denominator
        self.postings = {}
        self.idfs = {}
        for term in list(collected):
            ids, tfs = collected.pop(term)  # free the lists as the arrays are made
            holders, tf = np.asarray(ids, dtype=np.int32), np.asarray(tfs, np.float64)
            idf = self.idfs[term] = lucene_idf(count, len(ids))
            self.postings[term] = (holders, idf * (tf * (K1 + 1) / (tf + norm[holders])))
        self.max_idf = max(self.idfs.values(), default=1.0)
        passages = self.passages
        by_owner: dict[str, list[int]] = {}
        for passage in passages:
            by_owner.setdefault(passage.owner, []).append(passage.id)
        self.by_owner = {o: np.asarray(ids, dtype=np.int32) for o, ids in by_owner.items()}
        codes: dict[str, int] = {}
        self.kind_codes = codes  # kinds as small integers, so filters are array lookups
        self.section_kind = np.asarray(
            [codes.setdefault(p.section, len(codes)) for p in passages], dtype=np.int32)
        self.item_kind = np.asarray(
            [codes.setdefault(p.kind, len(codes)) for p in passages], dtype=np.int32)

    def idf(self, term: str) -> float:
        """The term's IDF; a term no passage has gets the highest IDF (it is informative)."""
        return self.idfs.get(term, self.max_idf)

    def scores(self, terms: list[str], ids: np.ndarray) -> np.ndarray:
        """BM25 scores of the passages `ids` (sorted) for the query `terms`, as rank-bm25 does."""
        total = np.zeros(len(ids))
        for term in terms:  # a repeated query word counts again, as in rank-bm25
            posting = self.postings.get(term)
            if posting is None:
                continue
            holders, shares = posting
            at = np.searchsorted(holders, ids)
            at[at >= len(holders)] = 0
            total += np.where(holders[at] == ids, shares[at], 0.0)
        return total

    def _dense(self, terms: list[str]) -> np.ndarray:
        """Scores of every passage at once: each term adds to the passages that hold it."""
        total = np.zeros(len(self.passages))
        for term in terms:
            posting = self.postings.get(term)
            if posting is not None:
                holders, shares = posting
                total[holders] += shares
        return total

    def search(self, terms: list[str], owner: str | None = None, kinds=None, top: int = 5):
        """[(passage, score)] best first (ties in passage order), among passages holding at
        least one term."""
        if not any(t in self.postings for t in terms):
            return []
        if owner is not None:  # one plan: score just its passages
            ids = self.by_owner.get(owner, np.zeros(0, dtype=np.int32))
            scores = self.scores(terms, ids)
            keep = scores > 0
            if kinds:
                keep &= self._allowed(kinds, ids)
            ids, scores = ids[keep], scores[keep]
        else:
            ids, scores = self._contenders(terms, kinds, top)
        if len(ids) > top:  # the best `top` without sorting every candidate
            floor = top_floor(scores, top)
            edge = scores > floor
            # of the ties at the edge (thousands, at national scale), those first in passage
            # order: the ones the sort below would put first
            edge[np.flatnonzero(scores == floor)[: top - int(edge.sum())]] = True
            ids, scores = ids[edge], scores[edge]
        order = np.lexsort((ids, -scores))[:top]
        return [(self.passages[int(ids[i])], float(scores[i])) for i in order]

    def _contenders(self, terms: list[str], kinds, top: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of every passage that may be among the best `top` of the whole
        index: at national scale a common word is in half the passages, and sorting them
        out costs more than scoring them. The `top`-th best score of every `SAMPLE`-th
        passage is no higher than the `top`-th best of all, so none of the best is below it."""
        scores = self._dense(terms)
        sample = np.arange(0, len(scores), SAMPLE, dtype=np.int32)
        if kinds:  # a floor among the passages of those kinds
            sample = sample[self._allowed(kinds, sample)]
        floor = top_floor(scores[sample], top)
        ids = np.flatnonzero(scores >= floor if floor > 0 else scores > 0)
        if kinds:
            ids = ids[self._allowed(kinds, ids)]
        return ids, scores[ids]

    def _allowed(self, kinds, ids: np.ndarray) -> np.ndarray:
        """Whether each passage of `ids` is of one of the kinds, as its section or as its
        own item kind."""
        allowed = np.zeros(len(self.kind_codes) + 1, dtype=bool)
        allowed[[self.kind_codes[k] for k in kinds if k in self.kind_codes]] = True
        return allowed[self.section_kind[ids]] | allowed[self.item_kind[ids]]

    def contains(self, term: str, passage: Passage) -> bool:
        """Whether the passage holds the term."""
        posting = self.postings.get(term)
        if posting is None:
            return False
        holders = posting[0]
        at = int(np.searchsorted(holders, passage.id))
        return at < len(holders) and int(holders[at]) == passage.id

    def coverage(self, terms: list[str], passage: Passage) -> float:
        """Share of the question's IDF weight that the passage's terms cover (0..1)."""
        return self.coverages(terms, [passage])[0]

    def coverages(self, terms: list[str], passages: list[Passage]) -> list[float]:
        """`coverage` of each passage, one posting lookup per term for all of them (a topic
        question re-orders its top 20 hits by coverage)."""
        if not terms:
            return [0.0] * len(passages)
        unique = set(terms)
        total = sum(self.idf(t) for t in unique)
        ids = np.asarray([p.id for p in passages], dtype=np.int32)
        found = np.zeros(len(ids))
        for term in unique:  # the order `total` was summed in, so the shares are exact
            posting = self.postings.get(term)
            if posting is None or not len(ids):
                continue
            holders = posting[0]
            at = np.minimum(np.searchsorted(holders, ids), len(holders) - 1)
            found += np.where(holders[at] == ids, self.idfs[term], 0.0)
        return (found / total).tolist() if total else [0.0] * len(passages)


def top_floor(scores: np.ndarray, top: int) -> float:
    """The `top`-th highest of `scores` when it is positive, else 0.0.

    Only the positive scores are partitioned: numpy's introselect slows down badly on many
    equal values, and most of a sample of passages scores 0 (16,535 scores, 155 distinct,
    took 2-3.5 ms instead of tens of microseconds; a third of a topic question at L).
    """
    positive = scores[scores > 0]
    if len(positive) < top:
        return 0.0
    return float(np.partition(positive, len(positive) - top)[len(positive) - top])

