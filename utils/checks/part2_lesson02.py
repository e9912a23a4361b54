"""Exercise checks of part 2, lesson 2 (pretraining a decoder)."""

from __future__ import annotations

import torch

from utils.checks import check, stub_to_none
from utils.sampling import top_p_filter

NUCLEUS_CASES = [
    ([0.5, 0.3, 0.15, 0.05], 0.7),
    ([0.5, 0.3, 0.15, 0.05], 0.45),
    ([0.5, 0.3, 0.15, 0.05], 0.99),
    ([0.1, 0.6, 0.05, 0.25], 0.8),
    ([0.26, 0.24, 0.27, 0.23], 0.6),
    ([1.0, 0.0, 0.0], 0.9),
]


def nucleus_of(probs: list[float], p: float) -> list[int]:
    """The ids that `utils.sampling.top_p_filter` keeps, most likely first."""
    logits = torch.tensor(probs).log()
    kept = torch.isfinite(top_p_filter(logits, p))
    return sorted(kept.nonzero()[:, 0].tolist(), key=lambda i: -probs[i])


def check_nucleus(answer) -> str:
    """Exercise 1: nucleus(probs, p) -> the ids top-p keeps, most likely first."""
    answer = stub_to_none(answer, [0.6, 0.4], 0.5)

    def is_right(f) -> bool:
        return all(
            list(f(list(probs), p)) == nucleus_of(probs, p)
            for probs, p in NUCLEUS_CASES
        )

    return check(
        "Exercise 1",
        answer,
        is_right,
        "sort the ids by probability, largest first, and keep adding them until "
        "the kept probabilities add up to at least p; the most likely id always "
        "stays. For [0.5, 0.3, 0.15, 0.05] and p = 0.7 that is [0, 1].",
    )


SMOLLM2 = {"n_layers": 30, "n_heads": 9, "n_kv_heads": 3, "d_head": 64}


def check_smollm2_cache_bytes(answer) -> str:
    """Exercise 2: smollm2_cache_bytes(positions) -> bytes of SmolLM2's fp32
    key/value cache for one sequence."""
    answer = stub_to_none(answer, 1)

    def right(n: int) -> int:
        s = SMOLLM2
        return 2 * s["n_layers"] * s["n_kv_heads"] * s["d_head"] * n * 4

    def is_right(f) -> bool:
        return all(f(n) == right(n) for n in (1, 30, 256, 8192))

    return check(
        "Exercise 2",
        answer,
        is_right,
        "keys and values (2) for each of the 30 layers, for each key/value head "
        "(3, not 9: grouped-query attention shares them), each 64 numbers of 4 "
        "bytes, for every position.",
    )
