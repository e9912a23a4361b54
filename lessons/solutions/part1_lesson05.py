"""Solutions to the exercises of part 1, lesson 5 (attention).

from lessons.solutions import part1_lesson05 as sol
from utils.checks import part1_lesson05 as checks
checks.check_attention(sol.attention)
checks.check_causal_mask(sol.causal_mask)
checks.check_scale_by_d(sol.SCALE_BY_D, sol.scale_by_d())
"""

import torch


def attention(
    q: torch.Tensor,  # (..., n_q, d)
    k: torch.Tensor,  # (..., n_k, d)
    v: torch.Tensor,  # (..., n_k, d_v)
    mask: torch.Tensor | None = None,  # (..., n_q, n_k) bool, True = may look
) -> torch.Tensor:
    """Exercise 1: softmax(q k^T / sqrt(d)) v, with blocked scores at -inf."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5  # (..., n_q, n_k)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # weight exactly 0
    weights = torch.softmax(scores, dim=-1)  # each row sums to 1 over the keys
    return weights @ v  # (..., n_q, d_v)


def causal_mask(n: int, window: int | None = None) -> torch.Tensor:
    """Exercise 2: True on and below the diagonal (word i sees words 0..i),
    and, with a window, only the `window` keys from i back: i - j < window."""
    ones = torch.ones(n, n, dtype=torch.bool)
    mask = ones.tril()
    if window is not None:
        mask &= ~ones.tril(-window)  # j <= i - window: too far back
    return mask


# Exercise 3: dividing by d instead of sqrt(d) over-corrects. q.k has a spread
# of about sqrt(d); divided by d, the scores' spread is about 1/sqrt(d), so they
# hardly differ and softmax gives nearly uniform weights: the mean top weight
# falls from about 0.095 (d = 16) to 0.066 (d = 1,024), against 1/16 = 0.0625
# for uniform, while with sqrt(d) it stays near 0.25 (step 3). (muP, Yang et al.
# 2022, does scale by 1/d, for another reason: trained queries and keys are
# correlated, so their dot product grows like d, not sqrt(d).)
SCALE_BY_D = "lower"


def scale_by_d(
    dims: tuple[int, ...] = (16, 1024), n_keys: int = 16, trials: int = 200
) -> dict[int, tuple[torch.Tensor, torch.Tensor, float]]:
    """Exercise 3's measurement: {d: (q, k, mean top weight of softmax(q k^T / d))}."""
    g = torch.Generator().manual_seed(0)
    out = {}
    for d in dims:
        q = torch.randn(trials, 1, d, generator=g)  # (trials, 1, d)
        k = torch.randn(trials, n_keys, d, generator=g)  # (trials, n_keys, d)
        w = torch.softmax(q @ k.transpose(-2, -1) / d, dim=-1)  # (trials, 1, n_keys)
        out[d] = (q, k, w.amax(-1).mean().item())
    return out
