"""Solutions to the exercises of part 1, lesson 3 (seq2seq with GRUs).

Run the notebook's checks with these to see "correct":

    from lessons.solutions import part1_lesson03 as solutions
    from utils.checks import part1_lesson03 as checks
    checks.check_shift_batch(solutions.shift_batch)
"""


def gru_params(d_in: int, d_hidden: int) -> int:
    """Exercise 1: three gates, each with W (d_hidden x d_in), U (d_hidden x
    d_hidden) and PyTorch's two bias vectors b_ih and b_hh."""
    return 3 * (d_in * d_hidden + d_hidden * d_hidden + 2 * d_hidden)


def shift(words: list[str]) -> tuple[list[str], list[str]]:
    """One sentence (exercise 2's first step): the decoder reads <bos> + words
    and must predict words + <eos>."""
    return ["<bos>", *words], [*words, "<eos>"]


def shift_batch(batch: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Exercise 2: shift every sentence as above, then pad each row at the end
    with <pad> to the longest row (the longest sentence, plus one)."""
    n = 1 + max(len(words) for words in batch)
    inputs = [["<bos>", *w] + ["<pad>"] * (n - 1 - len(w)) for w in batch]
    targets = [[*w, "<eos>"] + ["<pad>"] * (n - 1 - len(w)) for w in batch]
    return inputs, targets


# Exercise 3: a summary of 32 numbers instead of 256, 200 steps, same seed.
# Higher: measured 4.30, 4.50 and 4.44 nats at seeds 0, 1 and 2, against 3.01,
# 3.05 and 3.00 for d_hidden = 256 at the same step (2-core CPU). The summary
# must carry the whole sentence in 32 numbers, and every part of the model
# (both GRUs, the output layer) works with that small a state.
PREDICTION = "higher"
