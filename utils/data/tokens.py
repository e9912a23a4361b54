"""Tokens and sentence lengths: how the course cuts text into words and
punctuation, and the four length buckets that lessons 1, 3 and 6 score BLEU by.

Why: every lesson that counts words, scores BLEU or builds a vocabulary cuts
text the same way, this one; and the sentence generator aims its lengths at
these buckets.

    tokenize("Der Mann, weil") == ["Der", "Mann", ",", "weil"]
    length_bucket("The man buys the cake.") == "3-7"
"""

from __future__ import annotations

import re

LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((3, 7), (8, 12), (13, 17), (18, 25))

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Words and punctuation: "Der Mann, weil" -> ["Der", "Mann", ",", "weil"]."""
    return _TOKEN.findall(text)


def n_words(text: str) -> int:
    """Number of words, not counting punctuation."""
    return sum(1 for token in _TOKEN.findall(text) if token[0].isalnum())


def bucket_label(bucket: tuple[int, int]) -> str:
    """A bucket's name: (3, 7) -> "3-7"."""
    return f"{bucket[0]}-{bucket[1]}"


def length_bucket(text: str) -> str | None:
    """The label ("3-7", "8-12", ...) of the bucket that holds this sentence."""
    n = n_words(text)
    for bucket in LENGTH_BUCKETS:
        if bucket[0] <= n <= bucket[1]:
            return bucket_label(bucket)
    return None
