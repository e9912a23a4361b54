"""Part 1, lesson 4 (Tokens and embeddings): exercise answers.

Run the notebook's checks with these to see "correct":

    from lessons.solutions.part1_lesson04 import LOWEST, YEAR_TOKENS
    from utils.checks import part1_lesson04 as checks
    checks.check_merges_by_hand(LOWEST)
    checks.check_year_tokens(YEAR_TOKENS)
"""

# Exercise 1: l o w e s t
#   (l, o)   -> lo w e s t
#   (e, s)   -> lo w es t
#   (lo, w)  -> low es t
#   (es, t)  -> low est
LOWEST = ["low", "est"]

# Exercise 2: GPT-2 has frequent years such as " 2024" as one token, but " 2031"
# was rare in its 2019 training text: " 20" + "31". SmolLM2 splits every digit:
# " ", "2", "0", "3", "1".
YEAR_TOKENS = (2, 5)
