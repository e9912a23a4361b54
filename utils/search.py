"""Search by meaning against search by words (part 2, lesson 2.1).

`SemanticIndex` ranks documents by the cosine of their MiniLM sentence
vectors with the query's; `KeywordIndex` is the classic baseline, TF-IDF
vectors from scikit-learn, which can only match words that the query and
the document share. `hit_rate` scores either on queries whose answers are
known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import torch


@dataclass(frozen=True)
class Hit:
    doc: int  # the document's index
    score: float  # cosine similarity, higher is closer


class Index(Protocol):
    def search(self, query: str, k: int = 5) -> list[Hit]: ...


def _top(scores: torch.Tensor, k: int) -> list[Hit]:
    """The k best of (n,) scores, ties broken by the lower index."""
    order = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))
    return [Hit(i, float(scores[i])) for i in order[:k]]


class SemanticIndex:
    """MiniLM sentence vectors of every document, computed once."""

    def __init__(self, docs: Sequence[str]) -> None:
        from utils.minilm import sentence_vectors

        self.docs = list(docs)
        self.vectors = sentence_vectors(self.docs)  # (n_docs, 384), unit length

    def search(self, query: str, k: int = 5) -> list[Hit]:
        from utils.minilm import sentence_vectors

        q = sentence_vectors([query])[0]  # (384,)
        return _top(self.vectors @ q, k)  # cosines: both are unit length


class KeywordIndex:
    """TF-IDF: a document scores for each query word it contains, more for
    words that few documents contain. English stop words are left out."""

    def __init__(self, docs: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.docs = list(docs)
        self.vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(self.docs)  # (n_docs, words)

    def search(self, query: str, k: int = 5) -> list[Hit]:
        q = self.vectorizer.transform([query])  # (1, words), unit length
        scores = torch.tensor((self.matrix @ q.T).toarray()[:, 0])  # (n_docs,)
        return _top(scores, k)


@dataclass(frozen=True)
class Query:
    text: str
    answers: frozenset[int]  # the documents that answer it


def rank_of_answer(index: Index, query: Query, k: int) -> int | None:
    """1 + the position of the first answer in the top k, or None."""
    for rank, hit in enumerate(index.search(query.text, k), start=1):
        if hit.doc in query.answers:
            return rank
    return None


def hit_rate(index: Index, queries: Sequence[Query], k: int = 5) -> float:
    """The share of queries with an answer among the top k results."""
    found = [rank_of_answer(index, q, k) is not None for q in queries]
    return sum(found) / len(found)
