"""Attention, built from its parts (part 1, lesson 5).

Scaled dot-product attention, its masks, a multi-head attention module,
positional encodings, and a look inside a real pretrained encoder (MiniLM):
its per-head queries and keys are captured with forward hooks, so that the
lesson's explorer widget can recompute a head's weights with and without the
sqrt(d) scaling and a causal mask.

Masks follow `torch.nn.functional.scaled_dot_product_attention`: a boolean
mask is True where a query MAY look at a key. The multi-head module's
`key_padding_mask` follows `torch.nn.MultiheadAttention`: True marks padding.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from utils.widgets import View, clamp, clean_text, figure_png

MINILM_SENTENCE = "The animal didn't cross the street because it was too tired"
MAX_TOKENS = 64  # the explorer reads at most this many tokens


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


def causal_mask(n: int) -> torch.Tensor:
    """(n, n) bool, True on and below the diagonal: word i may look at words 0..i."""
    return torch.ones(n, n, dtype=torch.bool).tril()


def padding_mask(lengths: list[int] | torch.Tensor, max_len: int) -> torch.Tensor:
    """(batch, 1, max_len) bool, True for real tokens: every query may look at
    the real keys of its sentence, never at the padding after them."""
    lengths = torch.as_tensor(lengths)
    real = torch.arange(max_len)[None, :] < lengths[:, None]  # (batch, max_len)
    return real[:, None, :]


# --- multi-head attention -------------------------------------------------------


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention, laid out like `nn.MultiheadAttention`
    (one input projection for Q, K and V, one output projection), so that its
    weights can be copied from PyTorch's module and the outputs compared.

    Each of the `n_heads` heads works in d_model / n_heads dimensions, with its
    own slice of the projections: several attention patterns at once for the
    price of one.
    """

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        assert d_model % n_heads == 0, "d_model must split evenly into heads"
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.in_proj = nn.Linear(d_model, 3 * d_model)  # Q, K, V stacked
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(
        self,
        x: torch.Tensor,  # (batch, seq, d_model)
        key_padding_mask: torch.Tensor | None = None,  # (batch, seq) bool, True = pad
        causal: bool = False,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns (output (batch, seq, d_model), weights (batch, heads, seq, seq))."""
        b, n, d = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)  # 3 x (batch, seq, d_model)

        def heads(t: torch.Tensor) -> torch.Tensor:  # -> (batch, heads, seq, d_head)
            return t.view(b, n, self.n_heads, self.d_head).transpose(1, 2)

        mask = torch.ones(
            b, 1, n, n, dtype=torch.bool, device=x.device
        )  # (batch, 1, seq, seq)
        if key_padding_mask is not None:
            mask = mask & ~key_padding_mask[:, None, None, :]
        if causal:
            mask = mask & causal_mask(n).to(x.device)
        out, weights = scaled_dot_product_attention(heads(q), heads(k), heads(v), mask)
        out = out.transpose(1, 2).reshape(b, n, d)  # heads side by side again
        return self.out_proj(out), weights

    @torch.no_grad()
    def copy_from(self, torch_mha: nn.MultiheadAttention) -> MultiHeadAttention:
        """Take the weights of a `nn.MultiheadAttention` of the same size."""
        self.in_proj.weight.copy_(torch_mha.in_proj_weight)
        self.in_proj.bias.copy_(torch_mha.in_proj_bias)
        self.out_proj.weight.copy_(torch_mha.out_proj.weight)
        self.out_proj.bias.copy_(torch_mha.out_proj.bias)
        return self


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


# --- MiniLM: real attention, captured ---------------------------------------------


@dataclass(frozen=True)
class Capture:
    """One sentence through MiniLM: its tokens, each layer's per-head queries and
    keys (from hooks), and the model's own attention weights."""

    tokens: list[str]
    q: torch.Tensor  # (layers, heads, seq, d_head)
    k: torch.Tensor  # (layers, heads, seq, d_head)
    attentions: torch.Tensor  # (layers, heads, seq, seq)
    truncated: bool = False


@functools.lru_cache(maxsize=16)
def capture(sentence: str, max_tokens: int = MAX_TOKENS) -> Capture:
    """Run MiniLM on one sentence, keeping Q and K per layer and head.

    Forward hooks on each layer's `query` and `key` Linear layers record their
    outputs, which are then split into heads. Cached per sentence, so the
    explorer's sliders redraw without re-running the model.
    """
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    enc = tokenizer(sentence, return_tensors="pt", truncation=False)
    ids = enc["input_ids"][:, :max_tokens]  # (1, seq)
    truncated = enc["input_ids"].shape[1] > max_tokens
    cfg = model.config
    n_heads, d_head = (
        cfg.num_attention_heads,
        cfg.hidden_size // cfg.num_attention_heads,
    )
    seen: dict[str, list[torch.Tensor]] = {"q": [], "k": []}
    hooks = []
    for layer in model.encoder.layer:
        for name in ("query", "key"):

            def hook(_m: nn.Module, _inp: Any, out: torch.Tensor, key=name[0]) -> None:
                # (1, seq, hidden) -> (heads, seq, d_head)
                seen[key].append(out[0].view(-1, n_heads, d_head).transpose(0, 1))

            hooks.append(
                getattr(layer.attention.self, name).register_forward_hook(hook)
            )
    try:
        with torch.no_grad():
            result = model(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                output_attentions=True,
            )
    finally:
        for h in hooks:
            h.remove()
    return Capture(
        tokens=tokenizer.convert_ids_to_tokens(ids[0].tolist()),
        q=torch.stack(seen["q"]),
        k=torch.stack(seen["k"]),
        attentions=torch.stack([a[0] for a in result.attentions]),
        truncated=truncated,
    )


def head_weights(
    cap: Capture, layer: int, head: int, scale: bool = True, causal: bool = False
) -> torch.Tensor:
    """(seq, seq) weights of one head, recomputed from its captured Q and K."""
    q, k = cap.q[layer, head], cap.k[layer, head]  # (seq, d_head) each
    mask = causal_mask(len(cap.tokens)) if causal else None
    scores = q @ k.T  # (seq, seq)
    if scale:
        scores = scores / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return softmax(scores)


def top_heads(cap: Capture, query: str, keys: list[str], top: int = 8) -> list[dict]:
    """Every (layer, head) ranked by the weight from token `query` to `keys[0]`,
    with the weights to the other `keys` alongside. Uses each word's first
    occurrence."""
    qi = cap.tokens.index(query)
    kis = [cap.tokens.index(k) for k in keys]
    rows = []
    n_layers, n_heads = cap.attentions.shape[:2]
    for layer in range(n_layers):
        for head in range(n_heads):
            row = cap.attentions[layer, head, qi]
            entry = {"layer": layer, "head": head}
            entry.update({k: round(row[i].item(), 3) for k, i in zip(keys, kis)})
            entry["top key"] = cap.tokens[int(row.argmax())]
            rows.append(entry)
    rows.sort(key=lambda r: (-r[keys[0]], r["layer"], r["head"]))
    return rows[:top]


# --- pictures ---------------------------------------------------------------------


def draw_heatmap(
    ax, weights, rows: list[str], cols: list[str], title: str = ""
) -> None:
    """Attention weights as a heatmap: one row per query, one column per key."""
    w = torch.as_tensor(weights).detach().float()
    im = ax.imshow(w, cmap="viridis", vmin=0, aspect="auto")
    ax.grid(False)
    ax.set_xticks(range(len(cols)), cols, rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("key (looked at)")
    ax.set_ylabel("query (looking)")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="weight")


def draw_mask(ax, mask: torch.Tensor, title: str) -> None:
    """A boolean mask as black (blocked) and white (allowed) squares."""
    ax.imshow(mask.float(), cmap="gray", vmin=0, vmax=1)
    ax.grid(False)
    n_q, n_k = mask.shape
    ax.set_xticks(range(n_k))
    ax.set_yticks(range(n_q))
    ax.set_xlabel("key position")
    ax.set_ylabel("query position")
    ax.set_title(title)


# --- the explorer widget ----------------------------------------------------------


def update(
    sentence: str = MINILM_SENTENCE,
    layer: int = 0,
    head: int = 0,
    query: int = 0,
    scale: bool = True,
    causal: bool = False,
) -> View:
    """The attention explorer: the weights from one query token of `sentence` to
    every token, for MiniLM's `layer` and `head`, recomputed from the captured Q
    and K (optionally without the sqrt(d) scaling, optionally with a causal mask).
    """
    from matplotlib.figure import Figure

    text, message = clean_text(sentence)
    if not text:
        return View(message=message)
    cap = capture(text)
    notes = [message] if message else []
    if cap.truncated:
        notes.append(f"Only the first {MAX_TOKENS} tokens are used.")
    if "[UNK]" in cap.tokens:
        notes.append("MiniLM does not know some characters: they became [UNK].")
    n_layers, n_heads, n = cap.q.shape[0], cap.q.shape[1], len(cap.tokens)
    picked = {}
    for name, value, top in (
        ("layer", layer, n_layers),
        ("head", head, n_heads),
        ("query", query, n),
    ):
        picked[name] = int(clamp(value, 0, top - 1, 0))
        if picked[name] != value:
            notes.append(f"{name} must be 0 to {top - 1}: using {picked[name]}.")
    layer, head, query = picked["layer"], picked["head"], picked["query"]
    row = head_weights(cap, layer, head, bool(scale), bool(causal))[query]  # (seq,)

    fig = Figure(figsize=(max(6.0, 0.45 * n), 3.6))
    ax = fig.add_subplot()
    colours = ["#0072B2"] * n
    colours[query] = "#E69F00"
    ax.bar(range(n), row.numpy(), color=colours)
    ax.set_xticks(range(n), cap.tokens, rotation=90, fontsize=11)
    ax.set_ylim(0, 1)
    ax.set_ylabel("weight")
    flags = ("scaled" if scale else "unscaled") + (", causal" if causal else "")
    ax.set_title(
        f"layer {layer}, head {head}: '{cap.tokens[query]}' looks at ({flags})",
        fontsize=13,
    )
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.3)
    with warnings.catch_warnings():  # CJK/Arabic glyphs missing from the font
        warnings.simplefilter("ignore", UserWarning)
        png = figure_png(fig, tight=False)
    return View(png=png, message=" ".join(notes))


# --- exercise checks -----------------------------------------------------------------


def check_attention(answer) -> str:
    """Exercise 1: a function (q, k, v) -> softmax(q k^T / sqrt(d)) v."""
    from utils.exercises import check, stub_to_none

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
    from utils.exercises import check, stub_to_none

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
