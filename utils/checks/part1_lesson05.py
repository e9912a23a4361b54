"""Exercise checks of lesson 5 (attention)."""

from __future__ import annotations

import torch

from utils.attention import causal_mask, scaled_dot_product_attention
from utils.checks import check, stub_to_none


def check_attention(answer) -> str:
    """Exercise 1: a function (q, k, v) -> softmax(q k^T / sqrt(d)) v."""
    x = torch.zeros(1, 2, 4)
    answer = stub_to_none(answer, x, x, x)

    def is_right(f) -> bool:
        g = torch.Generator().manual_seed(5)
        q, k, v = (torch.randn(2, n, 8, generator=g) for n in (3, 5, 5))
        if f(q, k, v) is None:
            return False
        want = scaled_dot_product_attention(q, k, v)[0]
        return torch.allclose(torch.as_tensor(f(q, k, v)), want, atol=1e-5)

    return check(
        "Exercise 1",
        answer,
        is_right,
        "scores = q @ k.transpose(-2, -1) / d ** 0.5, with d = q.shape[-1]; "
        "then torch.softmax(scores, dim=-1) (over the keys) and multiply by v.",
    )


def check_causal_mask(answer) -> str:
    """Exercise 2: a function n -> (n, n) bool tensor, True where query i may see key j."""
    answer = stub_to_none(answer, 3)

    def is_right(f) -> bool:
        for n in (1, 4, 7):
            m = f(n)
            if m is None:
                return False
            m = torch.as_tensor(m)
            if m.dtype != torch.bool or not torch.equal(m, causal_mask(n)):
                return False
        return True

    return check(
        "Exercise 2",
        answer,
        is_right,
        "word i may look at words 0..i: True on and BELOW the diagonal, as a bool "
        "tensor; torch.ones(n, n, dtype=torch.bool) and .tril() or .triu() help.",
    )
