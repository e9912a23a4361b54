"""Exercise checks of lesson 6 (the transformer)."""

from __future__ import annotations

from utils.checks import CORRECT, NOT_ATTEMPTED, check, effect_of, stub_to_none
from utils.tasks.translation import validation_loss
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


def check_longest_sequence(answer) -> str:
    """Exercise 2: a function (memory_bytes, n_heads, n_layers) -> the most
    tokens n whose float32 attention weights (one n x n table per head and
    per layer) fit in memory_bytes."""
    answer = stub_to_none(answer, 4096, 2, 1)

    def fits(n: int, memory: int, h: int, layers: int) -> bool:
        return 4 * n * n * h * layers <= memory

    def is_right(f) -> bool:
        cases = [
            (4096, 2, 1),
            (4095, 2, 1),
            (10**9, 12, 12),
            (24 * 2**30, 9, 30),
            (3, 1, 1),
        ]
        for memory, h, layers in cases:
            n = f(memory, h, layers)
            if (
                n != int(n)
                or not fits(n, memory, h, layers)
                or fits(n + 1, memory, h, layers)
            ):
                return False
        return True

    return check(
        "Exercise 2",
        answer,
        is_right,
        "the weights of n tokens take 4 * n * n * n_heads * n_layers bytes (each "
        "head of each layer keeps an n x n table of float32 numbers): solve for "
        "the largest whole n that fits, e.g. with math.isqrt.",
    )


PREDICTIONS = ("higher", "lower", "about the same")
SAME = 0.05  # nats: a smaller change counts as "about the same"


def check_positions(prediction: str | None, with_positions, without_positions) -> str:
    """Exercise 3: the learner predicts what removing the position codes does
    to the validation loss, trains both models, and this check measures both
    losses itself (so the numbers are real) and compares."""
    name = "Exercise 3"
    if prediction is None:
        print(f"{name}: {NOT_ATTEMPTED}")
        return NOT_ATTEMPTED
    if prediction not in PREDICTIONS:
        message = f"not yet: predict one of {', '.join(map(repr, PREDICTIONS))}."
        print(f"{name}: {message}")
        return message
    kinds = []
    for net in (with_positions, without_positions):
        try:
            kinds.append((net.encoder.embed.kind, net.decoder.embed.kind))
        except AttributeError:
            kinds.append(None)
    if kinds != [("sinusoidal", "sinusoidal"), ("none", "none")]:
        message = (
            "not yet: pass two transformers, the first with its position codes, the "
            'second with `kind = "none"` in both embeddings. Hint: train_quick(True), '
            "train_quick(False)."
        )
        print(f"{name}: {message}")
        return message
    a, b = validation_loss(with_positions), validation_loss(without_positions)
    measured = effect_of(b - a, SAME)
    print(f"{name}: validation loss {a:.2f} nats with positions, {b:.2f} without.")
    if prediction == measured:
        print(f"{name}: {CORRECT}: {measured}, as you predicted.")
        return CORRECT
    message = (
        f"not yet: it came out {measured}, not {prediction}. Hint: without positions "
        "the encoder sees a bag of words; which German sentences can it still write?"
    )
    print(f"{name}: {message}")
    return message
