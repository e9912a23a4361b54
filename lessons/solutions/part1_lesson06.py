"""Solutions to part 1, lesson 6 (the transformer)."""

import math


def block_params(d_model: int, d_ff: int) -> int:
    """Weights of one pre-LN encoder block."""
    attention = 4 * (d_model * d_model + d_model)  # Q, K, V, output projections
    norms = 2 * 2 * d_model  # two layer norms, scale and shift each
    ff = d_model * d_ff + d_ff + d_ff * d_model + d_model
    return attention + norms + ff


def attention_bytes(n: int, n_heads: int, n_layers: int) -> int:
    """float32 attention weights of one sequence through a whole encoder."""
    return 4 * n * n * n_heads * n_layers


def longest_sequence(memory_bytes: int, n_heads: int, n_layers: int) -> int:
    """The most tokens whose attention weights fit: 4 n^2 h L <= memory."""
    return math.isqrt(memory_bytes // (4 * n_heads * n_layers))


PREDICTION = "higher"  # Exercise 3: without positions the loss goes up
