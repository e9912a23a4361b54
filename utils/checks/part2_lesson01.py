"""Exercise checks of part 2, lesson 1 (encoders at work)."""

from __future__ import annotations

import torch

from utils.checks import check, stub_to_none


def _pool_cases() -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(0)
    hidden = torch.randn(3, 5, 4, generator=g)  # (batch, seq, width)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]])
    return [(hidden, mask), (hidden[:1], mask[:1])]


def mean_pool_of(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The right answer: utils.minilm's mean pooling, then unit length."""
    from utils.minilm import mean_pool

    pooled = mean_pool(hidden, mask)  # (batch, width)
    return pooled / pooled.norm(dim=-1, keepdim=True)


def check_mean_pool(answer) -> str:
    """Exercise 1: mean_pool(hidden, mask) -> (batch, width) unit vectors."""
    answer = stub_to_none(answer, *_pool_cases()[0])

    def is_right(f) -> bool:
        return all(
            torch.allclose(
                torch.as_tensor(f(h, m)).float(), mean_pool_of(h, m), atol=1e-5
            )
            for h, m in _pool_cases()
        )

    return check(
        "Exercise 1",
        answer,
        is_right,
        "multiply the hidden vectors by the mask (as floats, shape (batch, seq, 1)) "
        "so that padding counts zero, sum over the sequence, divide by the number "
        "of real tokens, then divide each row by its length (its norm).",
    )


CONFUSIONS = [[[78, 22], [29, 71]], [[100, 0], [100, 0]], [[40, 10], [5, 45]]]


def scores_of(confusion: list[list[int]]) -> tuple[float, float, float]:
    """(accuracy, precision, recall) of "positive" for confusion[true][predicted]."""
    (tn, fp), (fn, tp) = confusion
    precision = tp / (tp + fp) if tp + fp else 0.0
    return (tn + tp) / (tn + fp + fn + tp), precision, tp / (tp + fn)


def check_scores(answer) -> str:
    """Exercise 2: scores(confusion) -> (accuracy, precision, recall)."""
    answer = stub_to_none(answer, CONFUSIONS[0])

    def is_right(f) -> bool:
        return all(
            all(abs(a - b) < 1e-9 for a, b in zip(f(c), scores_of(c), strict=True))
            for c in CONFUSIONS
        )

    return check(
        "Exercise 2",
        answer,
        is_right,
        "rows are the true label, columns the prediction: [[TN, FP], [FN, TP]]. "
        "Accuracy is (TN + TP) / all; precision TP / (TP + FP), the share of "
        "predicted positives that are right (0 when nothing is predicted "
        "positive); recall TP / (TP + FN), the share of true positives found.",
    )
