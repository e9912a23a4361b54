"""Exercise checks of lesson 6 (the transformer)."""

from __future__ import annotations

from utils.checks import check, stub_to_none
from utils.transformer import Block


def check_block_params(answer) -> str:
    """Exercise 1: a function (d_model, d_ff) -> number of weights in one
    encoder Block, compared with PyTorch's count."""
    answer = stub_to_none(answer, 8, 16)

    def is_right(f) -> bool:
        sizes = [(8, 16), (64, 256), (128, 512), (12, 7)]
        return all(
            f(d, ff)
            == sum(p.numel() for p in Block(d, 4 if d % 4 == 0 else 1, ff).parameters())
            for d, ff in sizes
        )

    return check(
        "Exercise 1",
        answer,
        is_right,
        "count four parts: Q, K, V and output projections (each d x d weights "
        "plus d biases), two layer norms (a scale and a shift of d each), and "
        "the feed-forward net (d x d_ff + d_ff, then d_ff x d + d). The number "
        "of heads does not change the count.",
    )


def check_attention_bytes(answer) -> str:
    """Exercise 2: a function (n, n_heads, n_layers) -> bytes of float32
    attention weights kept for one sequence in a whole encoder."""
    answer = stub_to_none(answer, 4, 2, 1)

    def is_right(f) -> bool:
        cases = [(4, 2, 1), (16, 4, 2), (4096, 12, 12), (1, 1, 1)]
        return all(f(n, h, L) == 4 * n * n * h * L for n, h, L in cases)

    return check(
        "Exercise 2",
        answer,
        is_right,
        "each head of each layer keeps an N x N table of weights, and a float32 "
        "number takes 4 bytes: multiply them all.",
    )
