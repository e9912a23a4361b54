"""What a longer sequence costs (lessons 3 and 6): one timer for a forward +
backward pass at each sequence length, the GRU's and self-attention's steps
timed with it, and one picture of time against length.

A GRU must finish position t before it can start t + 1, so its time grows like
N however many cores there are; self-attention compares every position with
every other, so its time grows like N^2, but all at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from utils.attention import MultiHeadAttention
from utils.rnn import GRUEncoder
from utils.runtime import get_device

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def time_per_length(
    module: nn.Module,
    prepare: Callable[[int], Callable[[], torch.Tensor]],
    lengths: Sequence[int],
    repeats: int = 2,
    once_from: int | None = None,
) -> dict[int, float]:
    """Seconds for one forward + backward pass at each length N: the fastest of
    `repeats` runs (one run from N = `once_from` on, to keep it short), after
    one warm-up run, since first calls pay for memory allocation.
    `prepare(n)` makes the inputs of length n and returns the forward pass to
    time, as a function giving a scalar to call backward() on."""
    device = next(module.parameters()).device

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    def run(n: int) -> float:
        forward = prepare(n)
        module.zero_grad()
        sync()
        start = time.perf_counter()
        forward().backward()
        sync()
        return time.perf_counter() - start

    run(min(lengths))  # warm-up
    once = max(lengths) + 1 if once_from is None else once_from
    return {n: min(run(n) for _ in range(1 if n >= once else repeats)) for n in lengths}


def time_rnn_step(
    lengths: Sequence[int],
    batch_size: int = 16,
    d_emb: int = 64,
    d_hidden: int = 128,
    vocab_size: int = 1000,
    repeats: int = 2,
    device: torch.device | str | None = None,
) -> dict[int, float]:
    """Seconds per forward + backward pass of a GRU encoder over random tokens."""
    device = torch.device(device) if device else get_device()
    gen = torch.Generator().manual_seed(0)
    encoder = GRUEncoder(vocab_size, d_emb, d_hidden).to(device)

    def prepare(n: int) -> Callable[[], torch.Tensor]:
        src = torch.randint(4, vocab_size, (batch_size, n), generator=gen).to(device)
        src_len = torch.full((batch_size,), n, device=device)

        def forward() -> torch.Tensor:
            states, last = encoder(src, src_len)  # (batch, n, d), (batch, d)
            return states.sum() + last.sum()

        return forward

    return time_per_length(encoder, prepare, lengths, repeats)


def time_attention(
    lengths: Sequence[int],
    d_model: int = 64,
    n_heads: int = 4,
    repeats: int = 2,
    device: torch.device | str | None = None,
) -> dict[int, float]:
    """Seconds per forward + backward pass of one self-attention layer over
    random vectors (batch 1); one run for N >= 1024."""
    device = torch.device(device) if device else get_device()
    gen = torch.Generator().manual_seed(0)
    attn = MultiHeadAttention(d_model, n_heads).to(device)

    def prepare(n: int) -> Callable[[], torch.Tensor]:
        x = torch.randn(1, n, d_model, generator=gen).to(device).requires_grad_()
        return lambda: attn(x)[0].sum()  # (1, n, d_model) -> a scalar

    return time_per_length(attn, prepare, lengths, repeats, once_from=1024)


def draw_cost(
    ax: Axes,
    times: dict[str, dict[int, float]],
    slope: int = 1,
    title: str = "Time per training step",
    ylabel: str = "time per step (ms)",
    scale: float = 1e3,
) -> None:
    """Each series' cost against N, log-log, with a guide line proportional to
    N^`slope` through the first series' last point. The cost is a time in
    seconds, drawn in ms (`scale`); or any other cost: memory in MiB with
    ylabel="MiB", scale=1."""
    from utils.style import PALETTE

    for (label, series), marker in zip(times.items(), "os^v"):
        ns = sorted(series)
        ax.loglog(
            ns, [series[n] * scale for n in ns], marker + "-", label=label, base=2
        )
    first = next(iter(times.values()))
    ns = sorted(first)
    top = first[ns[-1]] * scale
    guide = [top * (n / ns[-1]) ** slope for n in ns]
    label = "∝ N" if slope == 1 else f"∝ N^{slope}".replace("^2", "²")
    ax.loglog(ns, guide, ":", color=PALETTE["black"], linewidth=1.5, label=label)
    ax.set(xlabel="sequence length N (tokens)", ylabel=ylabel)
    ax.set_title(title)
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.legend()
