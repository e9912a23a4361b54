"""Solutions to part 2, lesson 1 (encoders at work)."""

import torch


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(batch, seq, width) vectors and a (batch, seq) 0/1 mask -> (batch, width)
    unit vectors: the mean over the real tokens, then length 1."""
    real = mask[..., None].float()
    pooled = (hidden * real).sum(1) / real.sum(1)
    return pooled / pooled.norm(dim=-1, keepdim=True)


def scores(confusion: list[list[int]]) -> tuple[float, float, float]:
    """Accuracy, and precision and recall of "positive", from [[TN, FP], [FN, TP]]."""
    (tn, fp), (fn, tp) = confusion
    precision = tp / (tp + fp) if tp + fp else 0.0
    return (tn + tp) / (tn + fp + fn + tp), precision, tp / (tp + fn)
