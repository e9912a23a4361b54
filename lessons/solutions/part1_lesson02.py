"""Answers to the exercises of part 1, lesson 2 (word embeddings).

The presenter's side: the notebook's stubs return None, and
`tests/test_embeddings.py` runs each check of `utils.checks.part1_lesson02`
against these answers.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def cosine(u: Any, v: Any) -> float:
    """Exercise 1: the cosine of the angle between u and v."""
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def complete_analogy(kv: Any, a: str, b: str, c: str) -> str:
    """Exercise 2: a : b :: c : ? (paris : france :: berlin : germany).

    Add the offset from a to b onto c, on unit vectors, then take the word
    nearest to the result by cosine, leaving out a, b and c themselves (c's own
    vector is usually the nearest). The one-line version is
    `kv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]`.
    """
    query = kv.get_vector(b, norm=True) - kv.get_vector(a, norm=True)
    query = query + kv.get_vector(c, norm=True)  # (d,)
    sims = kv.cosine_similarities(query, kv.vectors)  # (vocab,)
    for index in np.argsort(-sims):
        word = kv.index_to_key[index]
        if word not in (a, b, c):
            return word
    return ""
