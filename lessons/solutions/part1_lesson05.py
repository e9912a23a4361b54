"""Solutions to the exercises of part 1, lesson 5 (attention)."""

import torch


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Exercise 1: softmax(q k^T / sqrt(d)) v in three lines."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5  # (..., n_q, n_k)
    weights = torch.softmax(scores, dim=-1)  # each row sums to 1 over the keys
    return weights @ v  # (..., n_q, d_v)


def causal_mask(n: int) -> torch.Tensor:
    """Exercise 2: True on and below the diagonal: word i sees words 0..i."""
    return torch.ones(n, n, dtype=torch.bool).tril()
