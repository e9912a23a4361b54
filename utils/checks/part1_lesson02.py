"""Exercise checks for part 1, lesson 2 (word embeddings), with their reference
answers; `lessons/solutions/part1_lesson02.py` holds the presenter's solutions.

    from utils.checks import part1_lesson02 as checks
    checks.check_cosine(cosine)
    checks.check_analogy(complete_analogy, glove)

Analogies are a : b :: c : ?, answered with the word nearest to b - a + c, as
in `utils.word_vectors.Space.analogy`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from utils.checks import check, stub_to_none
from utils.word_vectors import cosine

# Exercise 1: pairs of vectors whose cosines the answer must reproduce.
COSINE_CASES: list[tuple[list[float], list[float]]] = [
    ([1.0, 0.0], [0.0, 1.0]),
    ([1.0, 2.0], [2.0, 4.0]),
    ([1.0, 0.0], [-3.0, 0.0]),
    ([3.0, 4.0], [4.0, 3.0]),
    ([0.5, -1.0, 2.0], [1.5, 1.0, -0.5]),
]


def _gives(fn: Callable[..., Any], args: Sequence[Any], value: float) -> bool:
    """True if fn(*args) returns a number equal to `value`; never raises."""
    try:
        out = fn(*args)
        return (
            isinstance(out, (int, float, np.number)) and abs(float(out) - value) < 1e-6
        )
    except Exception:  # noqa: BLE001 -- a check never raises
        return False


def check_cosine(fn: Any) -> str:
    """Exercise 1: `fn(u, v)` returns the cosine similarity of two vectors."""

    def is_right(f: Any) -> bool:
        return all(
            abs(float(f(np.array(u), np.array(v))) - cosine(u, v)) < 1e-6
            for u, v in COSINE_CASES
        )

    hint = (
        "divide the dot product u @ v by the product of the two lengths, "
        "np.linalg.norm(u) * np.linalg.norm(v)."
    )
    u, v = np.array([3.0, 4.0]), np.array([4.0, 3.0])  # (2,) each
    answer = stub_to_none(fn, u, v)
    if callable(answer) and _gives(answer, (u, v), 24.0):
        hint = "that is the dot product (24 for [3, 4] and [4, 3]); now " + hint
    return check("Exercise 1 (cosine)", answer, is_right, hint)


# Exercise 2: a : b :: c : ?, and the answer that 3CosAdd gives with GloVe 6B 50d.
ANALOGY_CASES: list[tuple[str, str, str, str]] = [
    ("paris", "france", "berlin", "germany"),
    ("man", "king", "woman", "queen"),
    ("france", "french", "germany", "german"),
    ("good", "better", "bad", "worse"),
    ("walk", "walking", "swim", "swimming"),
]


def reference_analogy(kv: Any, a: str, b: str, c: str) -> str:
    """a : b :: c : ? -- the word nearest to b - a + c, a, b and c excluded."""
    return kv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]


def check_analogy(
    fn: Any,
    kv: Any = None,
    cases: Sequence[tuple[str, str, str, str]] = ANALOGY_CASES,
) -> str:
    """Exercise 2: `fn(kv, a, b, c)` completes a : b :: c : ? (GloVe by default)."""
    if kv is None:
        from utils.assets import load_glove

        kv = load_glove()

    def is_right(f: Any) -> bool:
        return all(str(f(kv, a, b, c)) == d for a, b, c, d in cases)

    hint = (
        "take the vector b - a + c, find the word whose vector is closest to it by "
        "cosine (kv.most_similar can do it), and leave out a, b and c themselves."
    )
    answer = stub_to_none(fn, kv, *cases[0][:3])
    return check("Exercise 2 (analogy)", answer, is_right, hint)
