"""Part 1, lesson 4 (Tokens and embeddings): exercise answers.

Run the notebook's checks with these to see "correct":

    from lessons.solutions.part1_lesson04 import (
        FEWER_MERGES, LOWEST, YEAR_TOKENS, fewer_merges
    )
    from utils.checks import part1_lesson04 as checks
    checks.check_merges_by_hand(LOWEST)
    checks.check_year_tokens(YEAR_TOKENS)
    checks.check_fewer_merges(FEWER_MERGES, fewer_merges(bpe, words, samples), samples)
"""

from utils.checks.part1_lesson04 import german_english_ratio
from utils.tokenization import BPE, train_bpe

# Exercise 1: l o w e s t, with the merges w+e, l+o, o+w, e+s, s+t in order
#   (w, e)  -> l o we s t
#   (l, o)  -> lo we s t
#   (o, w)  -> nothing: o sits in "lo", w in "we"
#   (e, s)  -> nothing: e sits in "we"
#   (s, t)  -> lo we st
# Not the lesson's low + est: the order of the merges decides the pieces.
LOWEST = ["lo", "we", "st"]

# Exercise 2: GPT-2 has frequent years such as " 2024" as one token, but " 2031"
# was rare in its 2019 training text: " 20" + "31". SmolLM2 splits every digit:
# " ", "2", "0", "3", "1".
YEAR_TOKENS = (2, 5)

# Exercise 3: with 300 symbols instead of 1,000, both sentences cost more tokens
# per word, English more than German (in the saved run: English 2.89 -> 3.72,
# German 3.89 -> 4.39), so German / English falls from 1.35 to 1.18. The merges
# a small vocabulary drops are the last ones learned, and Shakespeare taught them
# English words and word parts; with few merges both languages are spelled
# almost letter by letter, and word length decides the cost.
FEWER_MERGES = "lower"


def fewer_merges(
    bpe: BPE, words: list[str], samples: dict[str, str], size: int = 300
) -> dict[int, tuple[BPE, float]]:
    """Exercise 3's measurement: the lesson's `bpe` and one retrained on the
    same `words` with `size` symbols, each with its German / English ratio."""
    small = train_bpe(words, vocab_size=size)
    return {len(b.vocab): (b, german_english_ratio(b, samples)) for b in (bpe, small)}
