"""The numpy scorer gives rank-bm25's scores, on the real index and on a tiny corpus."""

from __future__ import annotations

import random

import numpy as np
import pytest

from index import store
from index.search import Passage, PassageIndex, PlanBM25, top_floor


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


def _every_passage_ranked(index, terms, kinds, top):
    """What `search` must return, found the slow way: every passage scored, sorted."""
    ids = np.arange(len(index.passages), dtype=np.int32)
    scores = index.scores(terms, ids)
    found = [i for i in ids if scores[i] > 0 and (
        not kinds or index.passages[i].section in kinds or index.passages[i].kind in kinds)]
    found.sort(key=lambda i: (-scores[i], i))
    return [(int(i), float(scores[i])) for i in found[:top]]


def _tied_corpus(count=3000, seed=5):
    """Many passages, few distinct ones: ties everywhere, as in a generated national corpus."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(12)]
    shapes = [rng.sample(vocabulary, rng.randint(1, 4)) for _ in range(40)]
    kinds = ["mission", "strategy", "goal"]
    passages, tokens = [], []
    for number in range(count):
        passages.append(Passage(number, f"o{number % 50}", rng.choice(kinds), "", "",
                                rng.choice(["", "strategy"])))
        tokens.append(list(rng.choice(shapes)))
    return passages, tokens, vocabulary


@pytest.mark.parametrize("top", [1, 5, 20, 200])
def test_search_of_every_plan_is_the_best_of_every_passage(corpus, top):
    """The floor `search` takes from a sample of passages never loses one of the best, and
    ties keep passage order, on the real index and on a corpus made of ties."""
    passages, tokens, index, _ = corpus
    cases = [(index, query) for query in _queries(tokens, count=60, seed=13)]
    tied, tied_tokens, vocabulary = _tied_corpus()
    tied_index = PassageIndex(tied, tied_tokens)
    rng = random.Random(17)
    cases += [(tied_index, rng.sample(vocabulary, rng.randint(1, 3))) for _ in range(60)]
    for which, query in cases:
        for kinds in (None, {"mission"}, {"strategy", "goal"}):
            found = [(p.id, s) for p, s in which.search(query, kinds=kinds, top=top)]
            expected = _every_passage_ranked(which, query, kinds, top)
            assert [i for i, _ in found] == [i for i, _ in expected], (query, kinds)
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-12)


def test_top_floor_is_the_top_th_highest_positive_score():
    rng = np.random.default_rng(3)
    for size in (0, 1, 5, 19, 20, 21, 500, 16_000):
        for zeros in (0.0, 0.5, 0.99):
            scores = rng.choice([0.5, 1.25, 2.0, 3.5], size=size)  # ties everywhere
            scores[rng.random(size) < zeros] = 0.0
            for top in (1, 5, 20):
                positive = sorted(scores[scores > 0], reverse=True)
                expected = positive[top - 1] if len(positive) >= top else 0.0
                assert top_floor(scores, top) == expected, (size, zeros, top)
