"""Solutions to part 2, lesson 2 (pretraining a decoder)."""


def nucleus(probs: list[float], p: float) -> list[int]:
    """The ids top-p sampling keeps, most likely first."""
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    kept, total = [], 0.0
    for i in order:
        kept.append(i)
        total += probs[i]
        if total >= p:
            break
    return kept


def smollm2_cache_bytes(positions: int) -> int:
    """SmolLM2-135M's fp32 key/value cache: 30 layers, 3 key/value heads of 64."""
    return 2 * 30 * 3 * 64 * positions * 4
