"""Exercise checks for part 1, lesson 4 (tokens), with the data they use;
`lessons/solutions/part1_lesson04.py` holds the presenter's answers.

    from utils.checks import part1_lesson04 as checks
    checks.check_merges_by_hand(["low", "est"])
    checks.check_year_tokens((2, 5))
"""

from __future__ import annotations

from utils.checks import check
from utils.tokenization import BPE, GPT2, SMOLLM2, SymbolPair, tokenize

# Exercise 1: the merges to apply by hand to "lowest", in rank order.
EXERCISE_MERGES: list[SymbolPair] = [("l", "o"), ("e", "s"), ("lo", "w"), ("es", "t")]


def check_merges_by_hand(answer: list[str] | None) -> str:
    """Exercise 1: "lowest" after the merges of `EXERCISE_MERGES`, in order."""
    expected = BPE(sorted(set("lowest")), EXERCISE_MERGES).encode_word("lowest")
    hint = (
        "start from the characters l o w e s t and apply the merges in order; "
        "each merge joins every adjacent occurrence of its pair into one symbol."
    )
    return check(
        "Exercise 1 (merges by hand)", answer, lambda a: list(a) == expected, hint
    )


def check_year_tokens(answer: tuple[int, int] | None) -> str:
    """Exercise 2: (GPT-2's, SmolLM2's) number of tokens for " 2031"."""
    expected = (len(tokenize(GPT2, " 2031")), len(tokenize(SMOLLM2, " 2031")))
    hint = (
        "count the tokens of ' 2031' (with its leading space) with "
        "tokenize('GPT-2 byte-level BPE', ...) and tokenize('SmolLM2 BPE', ...); "
        "SmolLM2 writes every digit as its own token."
    )
    return check(
        "Exercise 2 (years)",
        answer,
        lambda a: tuple(int(x) for x in a) == expected,
        hint,
    )
