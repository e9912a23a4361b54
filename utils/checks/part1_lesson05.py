"""Exercise checks of lesson 5 (attention); `lessons/solutions/part1_lesson05.py`
holds the answers.

    from utils.checks import part1_lesson05 as checks
    checks.check_attention(attention)  # (q, k, v, mask=None) -> output
    checks.check_causal_mask(causal_mask)  # (n, window=None) -> (n, n) bool
    checks.check_scale_by_d("lower", {16: (q, k, 0.095), 1024: (q, k, 0.066)})
"""

from __future__ import annotations

from typing import Any

import torch

from utils.attention import causal_mask, padding_mask, scaled_dot_product_attention
from utils.checks import (
    NOT_ATTEMPTED,
    check,
    effect_of,
    experiment_verdict,
    stub_to_none,
)


def check_attention(answer) -> str:
    """Exercise 1: a function (q, k, v, mask=None) -> softmax(q k^T / sqrt(d)) v,
    where a boolean mask (True = may look) blocks scores before the softmax.
    Tried on cross-attention shapes (3 queries, 5 keys, values of another
    size), with no mask, a padding mask and a causal mask."""
    x = torch.zeros(1, 2, 4)
    answer = stub_to_none(answer, x, x, x)

    def is_right(f) -> bool:
        g = torch.Generator().manual_seed(5)
        q = torch.randn(2, 3, 8, generator=g)  # (batch, n_q, d)
        k = torch.randn(2, 5, 8, generator=g)  # (batch, n_k, d)
        v = torch.randn(2, 5, 6, generator=g)  # (batch, n_k, d_v): another size
        pad = padding_mask([5, 3], 5)[:, None]  # (batch, 1, n_k): 2nd has 2 pads
        cases = [(q, k, v, None), (q, k, v, pad), (k, k, v, causal_mask(5))]
        for q_, k_, v_, mask in cases:
            got = f(q_, k_, v_) if mask is None else f(q_, k_, v_, mask)
            want = scaled_dot_product_attention(q_, k_, v_, mask)[0]
            if got is None or not torch.allclose(torch.as_tensor(got), want, atol=1e-5):
                return False
        return True

    return check(
        "Exercise 1",
        answer,
        is_right,
        "scores = q @ k.transpose(-2, -1) / d ** 0.5, with d = q.shape[-1] (the "
        "size of queries and keys, not of v); where the mask is False, set the "
        "score to -inf: scores.masked_fill(~mask, float('-inf')); then "
        "torch.softmax(scores, dim=-1) (over the keys) and multiply by v.",
    )


def window_mask(n: int, window: int | None = None) -> torch.Tensor:
    """(n, n) bool: query i may look at key j when j <= i and i - j < window
    (itself and the window - 1 tokens before it); window None: all of 0..i."""
    mask = causal_mask(n)
    if window is not None:
        mask &= ~causal_mask(n).tril(-window)  # drop keys window or more back
    return mask


def check_causal_mask(answer) -> str:
    """Exercise 2: a function (n, window=None) -> (n, n) bool tensor, True where
    query i may see key j: j <= i, and i - j < window when a window is given."""
    answer = stub_to_none(answer, 3)

    def is_right(f) -> bool:
        for args in [(1,), (4,), (7,), (5, 2), (6, 3), (4, 1), (3, 5)]:
            m = f(*args)
            if m is None:
                return False
            m = torch.as_tensor(m)
            if m.dtype != torch.bool or not torch.equal(m, window_mask(*args)):
                return False
        return True

    return check(
        "Exercise 2",
        answer,
        is_right,
        "word i may look at words 0..i: True on and BELOW the diagonal, as a bool "
        "tensor; torch.ones(n, n, dtype=torch.bool).tril() does that. A window "
        "also cuts the keys window or more steps back: .tril(-window) of the "
        "same ones marks those, and & ~ removes them.",
    )


# Exercise 3: divide the scores by d instead of sqrt(d).
PREDICTIONS = ("higher", "lower", "about the same")
SAME = 0.01  # a smaller change of the mean top weight is "about the same"


def mean_top_weight(q: torch.Tensor, k: torch.Tensor) -> float:
    """The mean largest weight of softmax(q k^T / d) over the keys, d = q's size.
    q: (trials, 1, d), k: (trials, n_keys, d)."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1]  # (trials, 1, n_keys)
    return torch.softmax(scores, dim=-1).amax(-1).mean().item()


def _not_measured(measured: Any) -> str | None:
    """Why `measured` ({d: (q, k, mean top weight)}) is not a real measurement
    of random queries and keys, or None if it is."""
    if not isinstance(measured, dict) or len(measured) < 2:
        return "pass {d: (q, k, mean top weight)} for at least two sizes d"
    for d, (q, k, top) in measured.items():
        if q.shape[-1] != d or k.shape[-1] != d:
            return f"the queries and keys for d = {d} should have {d} entries each"
        if not (0.8 < q.std() < 1.2 and 0.8 < k.std() < 1.2):
            return "draw the queries and keys with torch.randn (entries of variance 1)"
        if abs(mean_top_weight(q, k) - float(top)) > 1e-4:
            return f"{top} is not the mean top weight of the q and k given for d = {d}"
    return None


def check_scale_by_d(prediction: str | None, measured: dict | None) -> str:
    """Exercise 3: did the mean top weight of softmax(q k^T / d) go "higher",
    "lower" or stay "about the same" from the smallest d measured to the
    largest? Recomputes it from the q and k passed, prints what was measured
    and whether the prediction held."""
    name = "Exercise 3 (divide by d)"
    if prediction is None or not measured:
        message = NOT_ATTEMPTED
    elif prediction not in PREDICTIONS:
        message = f"not yet. Hint: predict one of {', '.join(map(repr, PREDICTIONS))}."
    else:
        try:
            problem = _not_measured(measured)
        except Exception as err:  # noqa: BLE001 -- a check reports, it never raises
            problem = f"your measurement raised {type(err).__name__}: {err}"
        message = (
            f"not yet. Hint: {problem}." if problem else _verdict(prediction, measured)
        )
    print(f"{name}: {message}")
    return message


def _verdict(prediction: str, measured: dict) -> str:
    """The message for a real measurement: what changed, and the prediction."""
    small, big = min(measured), max(measured)
    n_keys = measured[small][1].shape[-2]
    before, after = (mean_top_weight(*measured[d][:2]) for d in (small, big))
    change = after - before
    effect = effect_of(change, SAME)
    seen = (
        f"the mean top weight went from {before:.3f} (d = {small:,}) to {after:.3f} "
        f"(d = {big:,}; uniform over {n_keys} keys: {1 / n_keys:.4f}): {effect}"
    )
    return experiment_verdict(
        prediction,
        effect,
        seen,
        "Hint: q·k has a spread of about √d; divided by d, its spread is about "
        "1/√d, and a softmax of scores that hardly differ is nearly uniform.",
    )
