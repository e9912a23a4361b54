"""Attention, built from its parts (lesson 5), and used unchanged by every
transformer of the course (lesson 6's encoder-decoder, part 2's GPT).

Scaled dot-product attention, its masks, multi-head attention (self or
cross), sinusoidal and rotary positions, and the key/value cache that makes
generating text one token at a time cheap. One mask convention everywhere,
that of `torch.nn.functional.scaled_dot_product_attention`: a boolean mask is
True where a query MAY look at a key.
"""

from __future__ import annotations

import functools
import math

import torch
import torch.nn.functional as F
from torch import nn

# --- the core: softmax(Q K^T / sqrt(d)) V ----------------------------------------


def softmax(scores: torch.Tensor) -> torch.Tensor:
    """Softmax over the last dimension, written out: exp, then divide by the sum.

    Subtracting the row's maximum first changes nothing mathematically but keeps
    exp() from overflowing. A row that is all -inf (a query allowed to see
    nothing) gives zeros instead of NaN.
    """
    top = scores.amax(dim=-1, keepdim=True)
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))
    e = torch.exp(scores - top)
    return e / e.sum(dim=-1, keepdim=True).clamp_min(torch.finfo(e.dtype).tiny)


def scaled_dot_product_attention(
    q: torch.Tensor,  # (..., n_queries, d)
    k: torch.Tensor,  # (..., n_keys, d)
    v: torch.Tensor,  # (..., n_keys, d_v)
    mask: torch.Tensor | None = None,  # (..., n_queries, n_keys) bool, True = may look
    scale: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(Q K^T / sqrt(d)) V; returns (output, weights).

    output: (..., n_queries, d_v); weights: (..., n_queries, n_keys), each row
    sums to 1 over the keys the mask allows.
    """
    scores = q @ k.transpose(-2, -1)  # (..., n_queries, n_keys)
    if scale:
        scores = scores / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = softmax(scores)  # (..., n_queries, n_keys)
    return weights @ v, weights


def causal_mask(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """(n, n) bool, True on and below the diagonal: word i may look at words 0..i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def padding_mask(lengths: list[int] | torch.Tensor, max_len: int) -> torch.Tensor:
    """(batch, max_len) bool, True at the real tokens of each sentence, False
    at the padding after them. Attention takes it as (batch, 1, 1, max_len):
    every query may look at the real keys, never at the padding."""
    lengths = torch.as_tensor(lengths)
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


# --- multi-head attention -------------------------------------------------------


class MultiHeadAttention(nn.Module):
    """Multi-head attention: the queries come from `x`, the keys and values
    from `context` (cross-attention) or from `x` itself (self-attention).

    Each of the `n_heads` heads works in d_model / n_heads dimensions, with its
    own slice of the projections: several attention patterns at once for the
    price of one. `copy_from` takes the weights of a `nn.MultiheadAttention`,
    so that the two can be compared.
    """

    def __init__(
        self,
        d_model: int,
        n_heads: int,
        rope: bool = False,
        qk_norm: bool = False,
        fused: bool = False,
    ) -> None:
        super().__init__()
        assert d_model % n_heads == 0, "d_model must split evenly into heads"
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.rope, self.qk_norm = rope, qk_norm  # part 2's options, off by default
        self.fused = fused  # torch's fused kernel: faster, keeps no weights
        self.q = nn.Linear(d_model, d_model)
        self.kv = nn.Linear(d_model, 2 * d_model)  # keys and values stacked
        self.out = nn.Linear(d_model, d_model)

    def forward(
        self,
        x: torch.Tensor,  # (batch, n_q, d_model): the words asking
        context: torch.Tensor | None = None,  # (batch, n_k, d_model); None: x
        mask: torch.Tensor | None = None,  # (n_q, n_k) or (batch, 1, 1 or n_q, n_k)
        cache: KVCache | None = None,  # self-attention only: earlier keys, values
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(output (batch, n_q, d_model), weights (batch, heads, n_q, n_k)).

        With a `cache`, `x` holds only the new positions: their keys and values
        are appended to the cache, and the queries look at all of them. With
        `fused`, torch's kernel computes the same output without ever storing
        the weights (None)."""
        b, n_q, d = x.shape
        context = x if context is None else context

        def heads(t: torch.Tensor) -> torch.Tensor:  # -> (batch, heads, n, d_head)
            return t.view(b, -1, self.n_heads, self.d_head).transpose(1, 2)

        k, v = self.kv(context).chunk(2, dim=-1)  # 2 x (batch, n_k, d_model)
        q, k, v = heads(self.q(x)), heads(k), heads(v)
        if self.qk_norm:  # unit-size queries and keys: scores cannot blow up
            q, k = F.rms_norm(q, (self.d_head,)), F.rms_norm(k, (self.d_head,))
        start = 0 if cache is None else len(cache)  # position of x's first word
        if self.rope:
            q, k = rotate(q, start), rotate(k, start)
        if cache is not None:
            k, v = cache.append(k, v)  # (batch, heads, start + n_q, d_head)
        if self.fused:
            out, weights = F.scaled_dot_product_attention(q, k, v, attn_mask=mask), None
        else:
            out, weights = scaled_dot_product_attention(q, k, v, mask)
        out = out.transpose(1, 2).reshape(b, n_q, d)  # heads side by side again
        return self.out(out), weights

    @torch.no_grad()
    def copy_from(self, torch_mha: nn.MultiheadAttention) -> MultiHeadAttention:
        """Take the weights of a `nn.MultiheadAttention` of the same size (it
        stacks Q, K and V in one projection: Q is its first third)."""
        d = self.q.in_features
        self.q.weight.copy_(torch_mha.in_proj_weight[:d])
        self.q.bias.copy_(torch_mha.in_proj_bias[:d])
        self.kv.weight.copy_(torch_mha.in_proj_weight[d:])
        self.kv.bias.copy_(torch_mha.in_proj_bias[d:])
        self.out.weight.copy_(torch_mha.out_proj.weight)
        self.out.bias.copy_(torch_mha.out_proj.bias)
        return self


class KVCache:
    """One layer's keys and values for the positions read so far.

    Generating text, each new token's query needs the keys and values of every
    earlier token, and those never change (the causal mask keeps earlier
    positions blind to later ones). Keeping them means a step computes one
    new key and value per layer instead of redoing the whole prefix.
    """

    def __init__(self) -> None:
        self.k: torch.Tensor | None = None  # (batch, heads, n, d_head)
        self.v: torch.Tensor | None = None

    def __len__(self) -> int:
        return 0 if self.k is None else self.k.shape[2]

    def append(
        self, k: torch.Tensor, v: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Add the new positions' keys and values; return all of them."""
        if self.k is None:
            self.k, self.v = k, v
        else:
            self.k = torch.cat([self.k, k], dim=2)
            self.v = torch.cat([self.v, v], dim=2)
        return self.k, self.v

    def nbytes(self) -> int:
        """Memory held: 2 x batch x heads x positions x d_head x bytes per number."""
        return 0 if self.k is None else 2 * self.k.numel() * self.k.element_size()


# --- positions -------------------------------------------------------------------


def sinusoidal_positions(n: int, d: int) -> torch.Tensor:
    """(n, d) sinusoidal position codes of Vaswani et al. (2017):
    PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d))."""
    pos = torch.arange(n, dtype=torch.float64)[:, None]  # (n, 1)
    freq = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (d/2,)
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq[: d // 2])
    return pe.float()


def rotate(x: torch.Tensor, start: int = 0) -> torch.Tensor:
    """Rotary positions (RoPE, Su et al. 2021): turn each pair of dimensions
    (i, i + d/2) of the vector at position p by the angle p * 10000^(-2i/d).
    Then a query at p and a key at p' meet at an angle set by p - p' alone:
    attention sees relative positions, and nothing is added to the embeddings.
    x: (..., n, d) for positions start..start+n-1; returns the same shape."""
    n, d = x.shape[-2], x.shape[-1]
    cos, sin = _rotations(d, 1 << (start + n - 1).bit_length(), x.device)
    cos, sin = cos[start : start + n], sin[start : start + n]  # (n, d/2)
    x1, x2 = x[..., : d // 2], x[..., d // 2 :]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


@functools.lru_cache(maxsize=16)
def _rotations(
    d: int, n: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of RoPE's angles for positions 0..n-1: (n, d/2) each,
    computed once per size (n is rounded up to a power of two)."""
    freq = 10000.0 ** (-torch.arange(0, d, 2, device=device) / d)  # (d/2,)
    angle = torch.arange(n, device=device)[:, None] * freq  # (n, d/2)
    return angle.cos(), angle.sin()


def saturation(
    dims: list[int], n_keys: int = 16, trials: int = 200, seed: int = 0
) -> dict[str, list[float]]:
    """Mean largest softmax weight of random queries over random keys (entries
    N(0, 1)) for each dimension d, with and without dividing by sqrt(d).

    Q.K grows like sqrt(d); unscaled, softmax then puts nearly all its weight on
    one key (a near one-hot, whose gradients vanish).
    """
    g = torch.Generator().manual_seed(seed)
    out: dict[str, list[float]] = {"scaled": [], "unscaled": []}
    for d in dims:
        q = torch.randn(trials, 1, d, generator=g)
        k = torch.randn(trials, n_keys, d, generator=g)
        scores = q @ k.transpose(-2, -1)  # (trials, 1, n_keys)
        out["unscaled"].append(softmax(scores).amax(-1).mean().item())
        out["scaled"].append(softmax(scores / math.sqrt(d)).amax(-1).mean().item())
    return out
