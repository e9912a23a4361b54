"""Exercise checks for part 1, lesson 1 (How would you approach translation?).

Exercise 1 writes clipped unigram precision, the first piece of BLEU; exercise 2
runs grow-diag-final by hand on one sentence pair. The answers are in
`lessons/solutions/part1_lesson01.py`.

    from utils.checks import part1_lesson01 as checks
    checks.check_clipped_precision(clipped_unigram_precision)
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Sequence

from utils.checks import check, stub_to_none
from utils.word_alignment import Alignment, grow_diag, grow_diag_final

# Exercise 2's alignments: "the man calls the woman" / "der Mann ruft die Frau an".
# EN->DE is right; DE->EN links the second "the" to "Frau" and "calls" only to "ruft".
EXERCISE_EN = ["the", "man", "calls", "the", "woman"]
EXERCISE_DE = ["der", "Mann", "ruft", "die", "Frau", "an"]
EXERCISE_EN_TO_DE: Alignment = {(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (2, 5)}
EXERCISE_DE_TO_EN: Alignment = {(0, 0), (1, 1), (2, 2), (3, 4), (4, 4)}


def _clipped_unigram_precision(hyp: Sequence[str], ref: Sequence[str]) -> float:
    """Reference answer for exercise 1."""
    if not hyp:
        return 0.0
    ref_counts = Counter(ref)
    return sum(min(c, ref_counts[w]) for w, c in Counter(hyp).items()) / len(hyp)


_PRECISION_CASES = [
    (["der", "der", "der", "der"], ["der", "Mann", "sieht", "der", "Hund"]),
    (["der", "Mann", "kauft", "Kuchen"], ["heute", "kauft", "der", "Mann", "Kuchen"]),
    (["Kuchen", "Kuchen"], ["Kuchen"]),
    (["ein", "Hund"], ["die", "Katze"]),
    ([], ["der", "Mann"]),  # an empty output has nothing to match: 0.0
]


def check_clipped_precision(fn: Callable[[list[str], list[str]], float] | None) -> str:
    """Exercise 1: `fn(hyp_tokens, ref_tokens)` must return the clipped unigram
    precision (a fraction between 0 and 1), and 0.0 for an empty hypothesis."""
    fn = stub_to_none(fn, ["der"], ["der"])

    def is_right(f: Callable[[list[str], list[str]], float]) -> bool:
        # In order: a wrong answer on a sentence is reported before a crash on [].
        return all(_gives(f(list(h), list(r)), h, r) for h, r in _PRECISION_CASES)

    hint = (
        "count each hypothesis word at most as often as it appears in the "
        "reference (Counter and min help), then divide by the hypothesis length; "
        '["der"] * 4 against "der Mann sieht der Hund" gives 2/4 = 0.5.'
    )
    if callable(fn) and _right_but_on_empty(fn):
        hint = (
            "right on every output with words. Now the empty output: [] against "
            "any reference has nothing to match, so return 0.0 (check for it "
            "before dividing by the length)."
        )
    return check("Exercise 1 (clipped unigram precision)", fn, is_right, hint)


def _gives(value: object, hyp: Sequence[str], ref: Sequence[str]) -> bool:
    """True if `value` is a number equal to the clipped precision of hyp."""
    return isinstance(value, numbers.Real) and math.isclose(
        float(value), _clipped_unigram_precision(hyp, ref)
    )


def _right_but_on_empty(f: Callable[[list[str], list[str]], float]) -> bool:
    """True if f is right on every case with words, and wrong (or crashes) on
    the empty output; never raises."""
    try:
        if not all(_gives(f(list(h), list(r)), h, r) for h, r in _PRECISION_CASES if h):
            return False
    except Exception:  # noqa: BLE001 -- a check never raises
        return False
    try:
        return not _gives(f([], ["der", "Mann"]), [], ["der", "Mann"])
    except Exception:  # noqa: BLE001 -- a crash on [] is what the hint is for
        return True


def check_grow_links(answer: tuple[tuple[int, int], tuple[int, int]] | None) -> str:
    """Exercise 2: the link the grow step adds and the link the final step
    adds, as ((English position, German position), (English, German))."""
    both = EXERCISE_EN_TO_DE & EXERCISE_DE_TO_EN
    grown = grow_diag(EXERCISE_EN_TO_DE, EXERCISE_DE_TO_EN)
    final = grow_diag_final(EXERCISE_EN_TO_DE, EXERCISE_DE_TO_EN)

    def is_right(a: tuple[tuple[int, int], tuple[int, int]]) -> bool:
        by_grow, by_final = (tuple(int(x) for x in point) for point in a)
        return {by_grow} == grown - both and {by_final} == final - grown

    hint = (
        "start from the links both directions share. Grow adds a link of the union "
        "only if it touches a kept link (diagonals count) and its English word or its "
        "German word is still unaligned; repeat. Final then adds any remaining link "
        "with an unaligned word, wherever it is. Positions count from 0: "
        "(English, German)."
    )
    return check("Exercise 2 (grow and final)", answer, is_right, hint)
