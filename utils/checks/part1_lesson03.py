"""Exercise checks of lesson 3 (seq2seq with GRUs)."""

from __future__ import annotations

from torch import nn

from utils.checks import check, stub_to_none
from utils.text import BOS, EOS


def check_gru_params(answer) -> str:
    """Exercise 1: a function (d_in, d_hidden) -> number of weights in one GRU
    layer, compared with PyTorch's own count for a few sizes."""
    answer = stub_to_none(answer, 3, 5)

    def is_right(f) -> bool:
        sizes = [(1, 1), (3, 5), (128, 256), (300, 64)]
        return all(
            f(d_in, h) == sum(p.numel() for p in nn.GRU(d_in, h).parameters())
            for d_in, h in sizes
        )

    return check(
        "Exercise 1",
        answer,
        is_right,
        "a GRU has 3 gates (reset, update, candidate); each has an input weight "
        "matrix (d_hidden x d_in), a recurrent one (d_hidden x d_hidden) and, in "
        "PyTorch, two bias vectors of d_hidden each.",
    )


def check_shift(answer) -> str:
    """Exercise 2: a function words -> (decoder inputs, decoder targets)."""
    answer = stub_to_none(answer, ["Ja"])

    def is_right(f) -> bool:
        cases = [["Der", "Hund", "bellt", "."], ["Ja"], []]
        return all(
            tuple(map(list, f(list(words)))) == ([BOS, *words], [*words, EOS])
            for words in cases
        )

    return check(
        "Exercise 2",
        answer,
        is_right,
        "the decoder's input starts with '<bos>' and is followed by the words; "
        "its target is the words followed by '<eos>'. Both are one longer than "
        "the sentence, and the target at step t is the input at step t + 1.",
    )
