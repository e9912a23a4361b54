"""A small English->German grammar that writes the course's translation pairs.

Real corpora are big, noisy and full of words a lunch-time model sees once.
This module writes its own sentence pairs instead: a few hundred everyday
words, a handful of real German grammar rules, and a seed, so every notebook
sees the same data on every machine.

The rules are the ones that make German hard to translate word by word:

* nouns have a gender, and articles and adjectives change with gender,
  number and case: "der große Hund", "den großen Hund", "mit einem großen Hund";
* the finite verb is the second part of a main clause, whatever comes first:
  "Heute kauft der Mann den Kuchen" for "Today the man buys the cake";
* after "weil", "dass", "wenn" and "obwohl" it moves to the end of its clause;
* separable verbs split in main clauses and join again at the end:
  "Der Mann ruft die Frau an", "..., weil der Mann die Frau anruft".

A word-for-word dictionary (see `lexicon`) gets the words right and the
sentence wrong; a small seq2seq model or transformer has to learn the rules
from twenty thousand examples. Each `Pair` also records its noun phrases and
clauses, so tests and lessons can point at the grammar behind a sentence.

    splits = make_splits()    # 20,000 train, 1,000 valid, 4 x 100 test pairs
    splits.train[0].en, splits.train[0].de

This module is the data's front door: the splits, and every name callers
import. Behind it, one module per part of the grammar:

    tokens        tokenize, n_words, LENGTH_BUCKETS, length_bucket
    nouns         nouns, gender, kinds; the German noun forms
    noun_phrases  articles, adjectives and their endings; NounPhrase
    verbs         verbs and conjugation, pronouns, adverbials, conjunctions
    clauses       the words of one clause, chosen at random
    sentences     word order, clauses into sentences, Pair, generate_pairs
    lexicon       the word-for-word dictionary (lesson 1)
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from utils.data.lexicon import lexicon
from utils.data.noun_phrases import NounPhrase
from utils.data.sentences import Clause, Pair, generate_pairs, pair_stream
from utils.data.tokens import (
    LENGTH_BUCKETS,
    bucket_label,
    length_bucket,
    n_words,
    tokenize,
)
from utils.data.verbs import conjugate

__all__ = [
    "LENGTH_BUCKETS",
    "Clause",
    "NounPhrase",
    "Pair",
    "Splits",
    "conjugate",
    "generate_pairs",
    "length_bucket",
    "lexicon",
    "make_splits",
    "n_words",
    "tokenize",
]


@dataclass(frozen=True)
class Splits:
    """Train, validation and test pairs; no English sentence is in two of them."""

    train: list[Pair]
    valid: list[Pair]
    test: list[Pair]

    def test_by_bucket(self) -> dict[str, list[Pair]]:
        """Test pairs grouped by the length bucket of their English side."""
        groups: dict[str, list[Pair]] = {bucket_label(b): [] for b in LENGTH_BUCKETS}
        for pair in self.test:
            groups[length_bucket(pair.en) or ""].append(pair)
        return groups


@functools.lru_cache(maxsize=8)
def _splits(
    seed: int, n_train: int, n_valid: int, n_test_per_bucket: int
) -> tuple[tuple[Pair, ...], tuple[Pair, ...], tuple[Pair, ...]]:
    stream = pair_stream(random.Random(seed))
    seen: set[str] = set()
    # Test: the same sentences as train, kept only while their bucket has room.
    test: list[Pair] = []
    room = {bucket_label(bucket): n_test_per_bucket for bucket in LENGTH_BUCKETS}
    while any(room.values()):
        pair = next(stream)
        label = length_bucket(pair.en) or ""
        if room[label] and pair.en not in seen:
            seen.add(pair.en)
            test.append(pair)
            room[label] -= 1
    # Valid and train: whatever comes next, minus repeats.
    rest: list[Pair] = []
    while len(rest) < n_valid + n_train:
        pair = next(stream)
        if pair.en not in seen:
            seen.add(pair.en)
            rest.append(pair)
    return tuple(rest[n_valid:]), tuple(rest[:n_valid]), tuple(test)


def make_splits(
    seed: int = 0,
    n_train: int = 20_000,
    n_valid: int = 1_000,
    n_test_per_bucket: int = 100,
) -> Splits:
    """The course's data: train and valid share one length mix, test has
    `n_test_per_bucket` pairs in every length bucket. Every English sentence
    occurs once at most. Cached: a second call with the same arguments is free."""
    train, valid, test = _splits(seed, n_train, n_valid, n_test_per_bucket)
    return Splits(list(train), list(valid), list(test))
