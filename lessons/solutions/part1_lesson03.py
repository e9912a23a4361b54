"""Solutions to the exercises of part 1, lesson 3 (seq2seq with GRUs)."""


def gru_params(d_in: int, d_hidden: int) -> int:
    """Exercise 1: three gates, each with W (d_hidden x d_in), U (d_hidden x
    d_hidden) and PyTorch's two bias vectors b_ih and b_hh."""
    return 3 * (d_in * d_hidden + d_hidden * d_hidden + 2 * d_hidden)


def shift(words: list[str]) -> tuple[list[str], list[str]]:
    """Exercise 2: the decoder reads <bos> + words and must predict words + <eos>."""
    return ["<bos>", *words], [*words, "<eos>"]
