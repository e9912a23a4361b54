"""A fixed vocabulary: the embedding lookup at the start of a pre-2017 model,
and the preprocessing that crowbars a messy sentence into it (part 1, lesson 2).

Why: the lesson ends on what a fixed word list costs. Every word it lacks
becomes <unk> and every unknown number <num>, so the model never sees them;
lesson 4 (`utils.tokenization`) fixes that with sub-word tokens.

    vocab, matrix = lookup_table(glove, 50_000)   # ids 0-2: <pad> <unk> <num>
    steps = crowbar("What's the German for cake?", vocab)
    to_ids(steps[-1].tokens, vocab)

<pad> and <unk> are the course's own (`utils.text`); <num> is this lookup's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from utils.text import PAD, UNK

NUM = "<num>"  # a number the vocabulary lacks
LOOKUP_SPECIALS = (PAD, UNK, NUM)  # ids 0, 1, 2 of the lookup table
# A token: a number (3,217 or 9.30), a word (letters, with inner apostrophes),
# or any other single character (punctuation, an emoji).
TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def lookup_table(kv: Any, n_words: int) -> tuple[dict[str, int], np.ndarray]:
    """A fixed vocabulary and its embedding matrix, the way pre-2017 models began:
    ids 0, 1, 2 for <pad>, <unk> and <num> (zero vectors), then the model's
    `n_words` most frequent words. Returns (word -> id, matrix (3 + n_words, d))."""
    words = kv.index_to_key[:n_words]
    vocab = {w: i for i, w in enumerate([*LOOKUP_SPECIALS, *words])}
    matrix = np.zeros((len(vocab), kv.vector_size), dtype=np.float32)  # (vocab, d)
    matrix[len(LOOKUP_SPECIALS) :] = np.asarray(kv.vectors[: len(words)])
    return vocab, matrix


def split_tokens(text: str) -> list[str]:
    """Words, numbers and single punctuation marks or emoji; a possessive "'s"
    split off as GloVe does."""
    tokens: list[str] = []
    for token in TOKEN.findall(text):
        if token.lower().endswith("'s") and len(token) > 2:
            tokens += [token[:-2], token[-2:]]
        else:
            tokens.append(token)
    return tokens


@dataclass(frozen=True)
class CrowbarStep:
    """One preprocessing step: its name, the tokens after it, and how many of
    them the vocabulary knows."""

    name: str
    tokens: list[str]
    known: int

    @property
    def unknown(self) -> list[str]:
        return [t for t in self.tokens if t in LOOKUP_SPECIALS]


def crowbar(sentence: str, vocab: dict[str, int] | set[str]) -> list[CrowbarStep]:
    """The preprocessing a fixed-vocabulary model needs, one step at a time.

    1. split on spaces; 2. lowercase; 3. split off punctuation;
    4. numbers the vocabulary lacks -> <num>; 5. any other unknown token -> <unk>.
    """
    known_words = set(vocab) - set(LOOKUP_SPECIALS)

    def step(name: str, tokens: list[str]) -> CrowbarStep:
        return CrowbarStep(name, tokens, sum(t in known_words for t in tokens))

    steps = [step("split on spaces", sentence.split())]
    steps.append(step("lowercase", [t.lower() for t in steps[-1].tokens]))
    steps.append(
        step(
            "split punctuation", [t for w in steps[-1].tokens for t in split_tokens(w)]
        )
    )
    numbers = [
        NUM if NUMBER.fullmatch(t) and t not in known_words else t
        for t in steps[-1].tokens
    ]
    steps.append(step("unknown numbers -> <num>", numbers))
    unk = [t if t in known_words or t in LOOKUP_SPECIALS else UNK for t in numbers]
    steps.append(step("unknown words -> <unk>", unk))
    return steps


def to_ids(tokens: Sequence[str], vocab: dict[str, int]) -> list[int]:
    """Token ids, unknown tokens -> the <unk> id."""
    return [vocab.get(t, vocab[UNK]) for t in tokens]


def lost_pieces(sentence: str, vocab: dict[str, int] | set[str]) -> list[str]:
    """The pieces of a sentence (after lowercasing and splitting punctuation)
    that end as <num> or <unk>: what the model never sees."""
    steps = crowbar(sentence, vocab)
    split, final = steps[2].tokens, steps[-1].tokens
    return [s for s, f in zip(split, final) if f in LOOKUP_SPECIALS]
