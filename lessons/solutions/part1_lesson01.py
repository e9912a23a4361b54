"""Part 1, lesson 1 (How would you approach translation?): exercise answers.

Run the notebook's checks with these to see "correct":

    from lessons.solutions.part1_lesson01 import clipped_unigram_precision
    from utils.checks import part1_lesson01 as checks
    checks.check_clipped_precision(clipped_unigram_precision)
"""

from collections import Counter


def clipped_unigram_precision(hyp: list[str], ref: list[str]) -> float:
    """Exercise 1: each hypothesis word counts at most as often as the
    reference has it; divide by the hypothesis length. An empty hypothesis
    has nothing to match: 0.0 (and no division by zero).

    ["der"] * 4 against "der Mann sieht der Hund": "der" counts twice, 2/4.
    """
    if not hyp:
        return 0.0
    ref_counts = Counter(ref)
    matches = sum(min(n, ref_counts[word]) for word, n in Counter(hyp).items())
    return matches / len(hyp)


# Exercise 2: "the man calls the woman" / "der Mann ruft die Frau an".
# Both directions agree on the-der, man-Mann, calls-ruft, woman-Frau.
# Grow: (3, 3) "the"-"die" touches (2, 2) diagonally and "the" (English 3) is
#   unaligned, so it is added. (3, 4) "the"-"Frau" touches it too, but by then
#   both "the" and "Frau" are aligned: refused.
# Final: (2, 5) "calls"-"an" touches no kept link, but "an" is unaligned: added.
GROW_AND_FINAL = ((3, 3), (2, 5))
