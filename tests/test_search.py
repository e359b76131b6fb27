"""The numpy scorer gives rank-bm25's scores, on the real index and on a tiny corpus."""

from __future__ import annotations

import random

import numpy as np
import pytest

from index import store
from index.search import PassageIndex, PlanBM25


@pytest.fixture(scope="module")
def corpus(index_db):
    pairs = list(store.passage_tokens(index_db))
    passages = [passage for passage, _ in pairs]
    tokens = [words for _, words in pairs]
    return passages, tokens, PassageIndex(passages, tokens), PlanBM25(tokens)


def _queries(tokens, count=200, seed=7):
    rng = random.Random(seed)
    vocabulary = sorted({t for doc in tokens for t in doc})
    queries = []
    for _ in range(count):
        doc = rng.choice(tokens)
        words = rng.sample(doc, min(len(doc), rng.randint(1, 4))) if doc else []
        if rng.random() < 0.3:
            words.append(rng.choice(vocabulary))
        if rng.random() < 0.1:
            words.append("ไม่มีในคลังแน่นอน")
        queries.append(words)
    return queries


def test_idf_matches_rank_bm25(corpus):
    _, _, index, reference = corpus
    assert index.idfs.keys() == reference.idf.keys()
    for term, value in reference.idf.items():
        assert index.idfs[term] == pytest.approx(value, rel=1e-12)


def test_scores_match_rank_bm25_on_every_passage(corpus):
    passages, tokens, index, reference = corpus
    ids = np.arange(len(passages), dtype=np.int32)
    for query in _queries(tokens):
        ours = index.scores(query, ids)
        theirs = np.asarray(reference.get_scores(query))
        assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12), query


def test_top_passage_matches_rank_bm25_get_top_n(corpus):
    passages, tokens, index, reference = corpus
    for query in _queries(tokens, seed=11):
        theirs = reference.get_scores(query)
        best = max(theirs)
        hits = index.search(query, top=1)
        if best <= 0:
            assert hits == []
            continue
        # rank-bm25 breaks ties by position; we take the lowest id among equal scores
        tied = [i for i, s in enumerate(theirs) if s == pytest.approx(best, rel=1e-12)]
        assert hits[0][0].id == min(tied), query


def test_search_restricts_to_owner_and_kind(corpus):
    passages, tokens, index, _ = corpus
    owner = passages[0].owner
    for query in _queries(tokens, count=50, seed=3):
        for passage, _ in index.search(query, owner=owner, kinds={"mission"}, top=50):
            assert passage.owner == owner
            assert "mission" in (passage.section, passage.kind)


def test_coverage_counts_the_terms_a_passage_holds(corpus):
    passages, tokens, index, _ = corpus
    doc = next(i for i, t in enumerate(tokens) if len(set(t)) >= 2)
    present = sorted(set(tokens[doc]))[:2]
    assert index.coverage(present, passages[doc]) == pytest.approx(1.0)
    assert index.coverage([*present, "ไม่มีในคลังแน่นอน"], passages[doc]) < 1.0
    assert index.coverage([], passages[doc]) == 0.0
