"""MiniLM, looked inside (lessons 5 and 6; part 2 uses its sentence vectors).

One sentence through the real pretrained encoder, with its per-head queries
and keys captured by forward hooks, so that lesson 5's explorer widget can
recompute a head's weights with and without the sqrt(d) scaling and a causal
mask; its rescaled token embeddings, the input of lesson 5's attention by
hand; and MiniLM's sentence vectors (mean pooling, as its package intends).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from utils.attention import causal_mask, scaled_dot_product_attention
from utils.widgets import View, clamp, clean_text, figure_png, labelled

MINILM_SENTENCE = "The animal didn't cross the street because it was too tired"
MAX_TOKENS = 64  # the explorer reads at most this many tokens


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
    return scaled_dot_product_attention(q, k, k, mask, scale)[1]  # (seq, seq)


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


def contrast(cap: Capture, query: str, key: str) -> torch.Tensor:
    """(layers, heads): the weight from `query` to `key`, minus the mean weight
    the other tokens give `key`. A head that sends every token to "animal"
    scores about 0; one that sends "it" there in particular scores high."""
    qi, ki = cap.tokens.index(query), cap.tokens.index(key)
    w = cap.attentions[..., ki]  # (layers, heads, seq): each query's weight on key
    others = torch.cat([w[..., :qi], w[..., qi + 1 :]], dim=-1)
    return w[..., qi] - others.mean(-1)


def switching_heads(
    first: Capture,
    second: Capture,
    query: str = "it",
    keys: tuple[str, str] = ("animal", "street"),
    top: int = 5,
) -> list[dict]:
    """Heads ranked by how far `query` moves from keys[0] (in `first`) to
    keys[1] (in `second`): the drop of its contrast to keys[0] plus the rise
    of its contrast to keys[1]. Each row has the four contrasts."""
    a, b = keys
    c = {
        (a, 1): contrast(first, query, a), (a, 2): contrast(second, query, a),
        (b, 1): contrast(first, query, b), (b, 2): contrast(second, query, b),
    }  # fmt: skip
    switch = (c[a, 1] - c[a, 2]) + (c[b, 2] - c[b, 1])  # (layers, heads)
    rows = []
    for i in switch.flatten().argsort(descending=True)[:top].tolist():
        layer, head = divmod(i, switch.shape[1])
        row = {"layer": layer, "head": head, "switch": switch[layer, head].item()}
        row.update({f"{k} {n}": v[layer, head].item() for (k, n), v in c.items()})
        rows.append(row)
    return rows


# --- the explorer widget ----------------------------------------------------------

LABELLED_BARS = 32  # above this many tokens, only some bars are labelled


def query_choices(sentence: str, **_: object) -> list[tuple[str, int]]:
    """The explorer's query dropdown for `sentence`: its MiniLM tokens by text
    ("the", "the ·2", ...), each with its position. The widget rebuilds it when
    the sentence changes, so a query follows its word."""
    text, _message = clean_text(sentence)
    return labelled(capture(text).tokens) if text else [("(no text)", 0)]


def bar_labels(
    tokens: Sequence[str], weights: Sequence[float], query: int
) -> list[str]:
    """Tick labels for the explorer's bars: every token for a short sentence;
    for a long one only the query, the 8 heaviest keys and every 8th token, so
    the labels stay readable."""
    n = len(tokens)
    if n <= LABELLED_BARS:
        return list(tokens)
    heavy = sorted(range(n), key=lambda i: -weights[i])[:8]
    keep = {query, *heavy, *range(0, n, 8)}
    return [t if i in keep else "" for i, t in enumerate(tokens)]


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

    fig = Figure(figsize=(min(14.0, max(6.0, 0.45 * n)), 3.6))
    ax = fig.add_subplot()
    colours = ["#0072B2"] * n
    colours[query] = "#E69F00"
    ax.bar(range(n), row.numpy(), color=colours)
    labels = bar_labels(cap.tokens, row.tolist(), query)
    ax.set_xticks(range(n), labels, rotation=90, fontsize=11 if n <= 40 else 9)
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


@torch.no_grad()
def token_vectors(text: str, special_tokens: bool = True) -> torch.Tensor:
    """MiniLM's word embeddings of `text`'s tokens (seq, 384), each row
    rescaled to mean 0 and standard deviation 1, with no position vectors:
    the inputs X of lesson 5's attention by hand. `special_tokens=False`
    leaves out [CLS] and [SEP]."""
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    enc = tokenizer(text, add_special_tokens=special_tokens, return_tensors="pt")
    x = model.embeddings.word_embeddings(enc["input_ids"][0])  # (seq, 384)
    return (x - x.mean(-1, keepdim=True)) / x.std(-1, keepdim=True)


SENTENCE_TOKENS = 256  # sentence-transformers cuts MiniLM's input here


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(batch, seq, d) token vectors and their (batch, seq) 0/1 mask ->
    (batch, d): the mean over the real tokens (padding counts zero)."""
    real = mask[..., None].float()  # (batch, seq, 1)
    return (hidden * real).sum(1) / real.sum(1)


@torch.no_grad()
def sentence_vectors(sentences: Sequence[str], batch_size: int = 16) -> torch.Tensor:
    """MiniLM sentence vectors (n, 384): the mean of its last layer over the
    real tokens (the first 256), then unit length, as the model's own
    sentence-transformers package does. Sentences are run in batches of
    similar length, so little of each batch is padding."""
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    out = torch.zeros(len(sentences), model.config.hidden_size)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        enc = tokenizer(
            [sentences[i] for i in rows],
            padding=True,
            truncation=True,
            max_length=SENTENCE_TOKENS,
            return_tensors="pt",
        )
        hidden = model(**enc).last_hidden_state  # (b, seq, 384)
        pooled = mean_pool(hidden, enc["attention_mask"])  # (b, 384)
        out[rows] = pooled / pooled.norm(dim=-1, keepdim=True)
    return out


@torch.no_grad()
def word_vector(sentence: str, word: str) -> torch.Tensor:
    """MiniLM's last-layer vector (384,) for `word` inside `sentence`: the
    mean over the word's pieces, at its first occurrence. The same word gets
    a different vector in each sentence: the vector carries its context."""
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    enc = tokenizer(sentence, return_tensors="pt")
    pieces = tokenizer.tokenize(word)
    ids = enc["input_ids"][0].tolist()
    target = tokenizer.convert_tokens_to_ids(pieces)
    for i in range(len(ids) - len(target) + 1):
        if ids[i : i + len(target)] == target:
            hidden = model(**enc).last_hidden_state[0]  # (seq, 384)
            return hidden[i : i + len(target)].mean(0)
    raise ValueError(f"{word!r} is not a word of {sentence!r}")
