"""The transformer: attention + a small network, stacked (part 1, lesson 6).

A *block* is multi-head attention followed by a two-layer feed-forward network,
each wrapped in a residual connection (He et al. 2016) with layer norm in front
(Ba et al. 2016; "pre-LN", Xiong et al. 2020). An *encoder* is a stack of
blocks where every word looks at every word; a *decoder* is a stack where each
word looks only at the words before it (the causal mask) and also at the
encoder's output (cross-attention), then a vocabulary-sized layer scores the
next word (Vaswani et al. 2017).

The model trains on lesson 3's English -> German sentences, with lesson 3's
vocabularies, batches, loss and model cache, so the BLEU scores compare.

    model, (src_vocab, tgt_vocab), history, was_cached = load_or_train_transformer()
    translate(model, src_vocab, tgt_vocab, ["The man buys the cake."])
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from utils import seq2seq as s2s
from utils.attention import scaled_dot_product_attention, sinusoidal_positions
from utils.seq2seq import BOS_ID, EOS, EOS_ID, PAD_ID, DecodeStep, Vocab

MAX_POSITIONS = 128  # longest sentence (in tokens) the position table covers

# --------------------------------------------------------------------------
# The parts
# --------------------------------------------------------------------------


class MultiHeadAttention(nn.Module):
    """Multi-head attention where the queries may come from another sequence
    than the keys and values (cross-attention). Uses lesson 5's
    `scaled_dot_product_attention`, whose written-out softmax gives the same
    bits whatever the number of CPU threads."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        assert d_model % n_heads == 0, "d_model must split evenly into heads"
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model)
        self.kv = nn.Linear(d_model, 2 * d_model)  # keys and values stacked
        self.out = nn.Linear(d_model, d_model)

    def forward(
        self,
        x: torch.Tensor,  # (batch, n_q, d_model): the words asking
        context: torch.Tensor,  # (batch, n_k, d_model): the words looked at
        mask: torch.Tensor,  # (batch or 1, 1, n_q or 1, n_k) bool, True = may look
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(output (batch, n_q, d_model), weights (batch, heads, n_q, n_k))."""
        b, n_q, d = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:  # -> (batch, heads, n, d_head)
            return t.view(b, -1, self.n_heads, self.d_head).transpose(1, 2)

        k, v = self.kv(context).chunk(2, dim=-1)  # 2 x (batch, n_k, d_model)
        out, weights = scaled_dot_product_attention(
            heads(self.q(x)), heads(k), heads(v), mask
        )
        out = out.transpose(1, 2).reshape(b, n_q, d)  # heads side by side again
        return self.out(out), weights


def feed_forward(d_model: int, d_ff: int) -> nn.Sequential:
    """The per-word network of a block: widen, ReLU, narrow back."""
    return nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))


class Block(nn.Module):
    """An encoder block: x + attention(norm(x)), then x + feed_forward(norm(x)).
    With `cross=True` (a decoder block) a cross-attention step over the
    encoder's output sits between the two."""

    def __init__(self, d_model: int, n_heads: int, d_ff: int, cross: bool = False):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = MultiHeadAttention(d_model, n_heads)
        if cross:
            self.norm_x = nn.LayerNorm(d_model)
            self.cross = MultiHeadAttention(d_model, n_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = feed_forward(d_model, d_ff)

    def forward(
        self,
        x: torch.Tensor,  # (batch, n, d_model)
        mask: torch.Tensor,  # self-attention mask
        memory: torch.Tensor | None = None,  # (batch, src_len, d_model)
        memory_mask: torch.Tensor | None = None,  # (batch, 1, 1, src_len)
    ) -> torch.Tensor:
        h = self.norm1(x)
        x = x + self.attn(h, h, mask)[0]  # every word gathers from the others
        if memory is not None:
            x = x + self.cross(self.norm_x(x), memory, memory_mask)[0]
        return x + self.ff(self.norm2(x))  # (batch, n, d_model)


class Embed(nn.Module):
    """Word embeddings plus sinusoidal position codes (lesson 5): attention
    alone does not know the order of the words. Both have entries of size ~1
    (nn.Embedding starts from N(0, 1)), so neither drowns the other."""

    def __init__(self, vocab_size: int, d_model: int) -> None:
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.register_buffer(
            "positions", sinusoidal_positions(MAX_POSITIONS, d_model), persistent=False
        )

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids)  # (batch, n, d_model)
        return x + self.positions[: ids.shape[1]]


class Encoder(nn.Module):
    """Embeddings, `n_layers` blocks (every word sees every real word), norm."""

    def __init__(
        self, vocab: int, d_model: int, n_heads: int, d_ff: int, n_layers: int
    ):
        super().__init__()
        self.embed = Embed(vocab, d_model)
        self.blocks = nn.ModuleList(
            Block(d_model, n_heads, d_ff) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model)

    def forward(self, src: torch.Tensor, src_mask: torch.Tensor) -> torch.Tensor:
        x = self.embed(src)  # (batch, src_len, d_model)
        for block in self.blocks:
            x = block(x, src_mask)
        return self.norm(x)  # (batch, src_len, d_model): one vector per word


class Decoder(nn.Module):
    """Embeddings, `n_layers` decoder blocks (causal self-attention, then
    cross-attention to the encoder), norm, and a vocabulary-sized layer."""

    def __init__(
        self, vocab: int, d_model: int, n_heads: int, d_ff: int, n_layers: int
    ):
        super().__init__()
        self.embed = Embed(vocab, d_model)
        self.blocks = nn.ModuleList(
            Block(d_model, n_heads, d_ff, cross=True) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(
        self, tgt_in: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor
    ) -> torch.Tensor:
        n = tgt_in.shape[1]
        mask = causal_mask(n, tgt_in.device)[None, None]  # (1, 1, n, n)
        x = self.embed(tgt_in)  # (batch, tgt_len, d_model)
        for block in self.blocks:
            x = block(x, mask, memory, memory_mask)
        return self.out(self.norm(x))  # (batch, tgt_len, vocab): next-word scores


def causal_mask(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """(n, n) bool, True on and below the diagonal: word i sees words 0..i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def source_mask(src: torch.Tensor) -> torch.Tensor:
    """(batch, 1, 1, src_len) bool: True at real source words, False at <pad>."""
    return (src != PAD_ID)[:, None, None, :]


class Transformer(nn.Module):
    """Encoder-decoder transformer with the same interface as lesson 3's
    Seq2Seq: forward(src, src_len, tgt_in) -> teacher-forced logits."""

    def __init__(
        self,
        src_vocab_size: int,
        tgt_vocab_size: int,
        d_model: int = 128,
        n_heads: int = 4,
        d_ff: int = 256,
        n_layers: int = 2,
    ) -> None:
        super().__init__()
        args = (d_model, n_heads, d_ff, n_layers)
        self.encoder = Encoder(src_vocab_size, *args)
        self.decoder = Decoder(tgt_vocab_size, *args)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(memory (batch, src_len, d_model), source mask)."""
        mask = source_mask(src)
        return self.encoder(src, mask), mask

    def forward(
        self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor
    ) -> torch.Tensor:
        """Teacher-forced logits (batch, tgt_len, tgt_vocab). `src_len` is unused
        (padding is found from the <pad> ids) and kept for lesson 3's interface."""
        memory, mask = self.encode(src)
        return self.decoder(tgt_in, memory, mask)


# --------------------------------------------------------------------------
# Training, through lesson 3's loop and the model cache
# --------------------------------------------------------------------------

NAME = "transformer_seq2seq"
SEED = 0
CONFIG: dict[str, Any] = {
    "data": "grammar.make_splits(seed=0)",
    "lowercase_source": True,
    "d_model": 128,
    "n_heads": 4,
    "d_ff": 256,
    "n_layers": 2,
    "batch_size": 64,
    "lr": 2e-3,
    "clip": 1.0,
    "n_steps": 1200,
    "valid_every": 100,
}


def build_model(config: dict[str, Any], src_vocab: Vocab, tgt_vocab: Vocab):
    """A fresh transformer of the given configuration (seed first)."""
    return Transformer(
        len(src_vocab),
        len(tgt_vocab),
        config["d_model"],
        config["n_heads"],
        config["d_ff"],
        config["n_layers"],
    )


def load_or_train_transformer(
    force: bool = False, live: bool = False, seed: int = SEED
):
    """(model, (src_vocab, tgt_vocab), history, was_cached) via the model cache,
    trained with lesson 3's loop (`seq2seq.fit`) if absent or `force`; another
    `seed` gives another run of the same recipe (tests/claims.py)."""
    from utils.cache import cached_model
    from utils.runtime import get_device, train_steps

    device = get_device()
    config = {**CONFIG, "n_steps": train_steps(CONFIG["n_steps"])}
    vocabs = s2s.vocabularies(config["lowercase_source"])
    model, history, was_cached = cached_model(
        name=NAME,
        config=config,
        seed=seed,
        build=lambda: build_model(config, *vocabs).to(device),
        fit=lambda m: s2s.fit(m, config, seed, live=live, desc=NAME),
        force=force,
    )
    return model, vocabs, history, was_cached


def copy_task_loss(n_steps: int = 30, seed: int = 0) -> tuple[float, float]:
    """(first, last) loss of a tiny transformer learning to copy random
    sequences of 6 tokens: a quick proof that the training step learns."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = Transformer(12, 12, d_model=32, n_heads=2, d_ff=64, n_layers=1)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(n_steps):
        src = torch.randint(4, 12, (16, 6), generator=gen)  # (16, 6)
        tgt_in = torch.cat([torch.full((16, 1), BOS_ID), src], dim=1)  # (16, 7)
        tgt_out = torch.cat([src, torch.full((16, 1), EOS_ID)], dim=1)  # (16, 7)
        loss = s2s.sequence_loss(model(src, None, tgt_in), tgt_out)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses[0], losses[-1]


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------


@torch.no_grad()
def greedy_decode(
    model: Transformer, src: torch.Tensor, max_len: int = 60
) -> torch.Tensor:
    """Start from <bos>; run the decoder on everything written so far; take
    the most likely next word; append; repeat until <eos>. (No key/value cache:
    the whole prefix is recomputed each step, simple and fine for 30 words.)
    Returns ids (batch, <= max_len)."""
    model.eval()
    memory, mask = model.encode(src)
    out = torch.full((src.shape[0], 1), BOS_ID, device=src.device)  # (batch, 1)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits = model.decoder(out, memory, mask)[:, -1]  # (batch, vocab): last word
        nxt = logits.argmax(-1)  # (batch,)
        nxt = torch.where(done, torch.full_like(nxt, PAD_ID), nxt)
        out = torch.cat([out, nxt[:, None]], dim=1)
        done |= nxt == EOS_ID
        if done.all():
            break
    return out[:, 1:]


def translate(
    model: Transformer,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    sentences: Sequence[str],
    batch_size: int = 100,
) -> list[str]:
    """Greedy translations of English sentences."""
    device = next(model.parameters()).device
    out: list[str] = []
    for i in range(0, len(sentences), batch_size):
        rows = [src_vocab.encode(s) for s in sentences[i : i + batch_size]]
        ids = greedy_decode(model, s2s.pad(rows).to(device))
        out += [tgt_vocab.decode(row) for row in ids.tolist()]
    return out


@torch.no_grad()
def trace_decode(
    model: Transformer,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    sentence: str,
    k: int = 3,
    max_len: int = 40,
    pick: dict[int, int] | None = None,
) -> list[DecodeStep]:
    """Decode one sentence step by step, keeping the top-k next words and their
    probabilities. `pick` maps a step (0-based) to the rank (0 = best) of the
    word to take there instead of the best one: a different path."""
    model.eval()
    device = next(model.parameters()).device
    src = torch.tensor([src_vocab.encode(sentence)], device=device)  # (1, src_len)
    memory, mask = model.encode(src)
    prefix, steps = [BOS_ID], []
    for t in range(max_len):
        ids = torch.tensor([prefix], device=device)  # (1, t + 1)
        logits = model.decoder(ids, memory, mask)[0, -1]  # (vocab,)
        p, idx = s2s.softmax(logits).topk(k)
        top = [(tgt_vocab.itos[i], float(q)) for q, i in zip(p.tolist(), idx.tolist())]
        rank = min((pick or {}).get(t, 0), k - 1)
        steps.append(DecodeStep(tgt_vocab.itos[prefix[-1]], top, top[rank][0]))
        prefix.append(int(idx[rank]))
        if prefix[-1] == EOS_ID:
            break
    return steps


@torch.no_grad()
def sentence_vector(
    model: Transformer, src_vocab: Vocab, sentence: str
) -> torch.Tensor:
    """One vector for a whole sentence: the mean of the encoder's vectors for
    its words (mean pooling, as sentence encoders such as MiniLM do)."""
    model.eval()
    device = next(model.parameters()).device
    src = torch.tensor([src_vocab.encode(sentence)], device=device)
    memory, _ = model.encode(src)  # (1, src_len, d_model)
    return memory[0].mean(0).cpu()  # (d_model,)


@torch.no_grad()
def minilm_vectors(sentences: Sequence[str]) -> torch.Tensor:
    """MiniLM sentence vectors (n, 384): mean of its last layer over the real
    tokens, then unit length, as sentence-transformers does for this model."""
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    enc = tokenizer(list(sentences), padding=True, return_tensors="pt")
    hidden = model(**enc).last_hidden_state  # (n, seq, 384)
    real = enc["attention_mask"][..., None].float()  # (n, seq, 1)
    pooled = (hidden * real).sum(1) / real.sum(1)
    return pooled / pooled.norm(dim=-1, keepdim=True)


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    """(n, n) cosine similarities between the rows of `vectors`."""
    unit = vectors / vectors.norm(dim=-1, keepdim=True)
    return unit @ unit.T


# --------------------------------------------------------------------------
# The cost of attention: O(N^2) against the GRU's O(N)
# --------------------------------------------------------------------------


def attention_bytes(n: int, n_heads: int, bytes_per_number: int = 4) -> int:
    """Size of one layer's attention weights for one sequence: N x N per head."""
    return n * n * n_heads * bytes_per_number


def time_attention(
    lengths: Sequence[int],
    d_model: int = 64,
    n_heads: int = 4,
    repeats: int = 2,
    device: torch.device | str | None = None,
) -> dict[int, float]:
    """Seconds for one forward + backward pass of one self-attention layer over
    random vectors (batch 1), for each length N: the fastest of `repeats` runs
    (1 run for N >= 1024, to keep the whole measurement short)."""
    from utils.runtime import get_device

    device = torch.device(device) if device else get_device()
    gen = torch.Generator().manual_seed(0)
    attn = MultiHeadAttention(d_model, n_heads).to(device)

    def run(n: int) -> float:
        x = torch.randn(1, n, d_model, generator=gen).to(device).requires_grad_()
        mask = torch.ones(1, 1, 1, n, dtype=torch.bool, device=device)
        attn.zero_grad()
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        out, _ = attn(x, x, mask)
        out.sum().backward()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    run(min(lengths))  # warm-up
    return {n: min(run(n) for _ in range(1 if n >= 1024 else repeats)) for n in lengths}


def draw_cost(ax, attention: dict[int, float], gru: dict[int, float]) -> None:
    """Both step times against N, log-log, with N and N^2 guide lines."""
    from utils.style import PALETTE

    ns = sorted(attention)
    ax.loglog(
        ns, [attention[n] * 1e3 for n in ns], "o-", label="self-attention", base=2
    )
    ax.loglog(ns, [gru[n] * 1e3 for n in ns], "s-", label="GRU", base=2)
    top = attention[ns[-1]] * 1e3
    ax.loglog(
        ns,
        [top * (n / ns[-1]) ** 2 for n in ns],
        ":",
        color=PALETTE["black"],
        linewidth=1.5,
        label="∝ N²",
    )
    ax.set(
        xlabel="sequence length N (tokens)",
        ylabel="time per step (ms)",
        title="Forward + backward, one layer",
    )
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.legend()


# --------------------------------------------------------------------------
# The stepper widget
# --------------------------------------------------------------------------

RANKS = {"greedy (1st)": 0, "2nd": 1, "3rd": 2}


def stepper_html(steps: Sequence[DecodeStep], changed: int | None) -> str:
    """The decoding trace as a table; the step where another word was picked
    is highlighted."""
    head = "".join(
        f"<th>{h}</th>"
        for h in ("step", "fed in", "1st", "p", "2nd", "p", "3rd", "p", "taken")
    )
    rows = []
    for n, s in enumerate(steps):
        cells = [str(n + 1), html.escape(s.fed)]
        for word, p in s.top[:3]:
            cells += [html.escape(word), f"{p:.2f}"]
        cells.append(f"<b>{html.escape(s.chosen)}</b>")
        style = ' style="background:#fff3c4"' if n == changed else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table style="font-size:15px"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def make_stepper_update(model: Transformer, src_vocab: Vocab, tgt_vocab: Vocab):
    """A pure update(sentence, step, choice) -> View: decode `sentence` greedily,
    except that at `step` (1-based) the word of rank `choice` is taken; the
    table shows the top 3 next words and their probabilities at every step."""
    from utils.widgets import View, clamp, clean_text

    def update(sentence: str, step: int = 1, choice: str = "greedy (1st)") -> View:
        text, message = clean_text(sentence)
        if not text:
            return View(message=message)
        words = src_vocab.tokens(text)
        notes = [message]
        if len(words) > s2s.MAX_WORDS:
            words = words[: s2s.MAX_WORDS]
            notes.append(f"Only the first {s2s.MAX_WORDS} words are used.")
        unknown = sorted({w for w in words if w not in src_vocab.stoi})
        if not words or len(unknown) == len(set(words)):
            return View(
                message="None of these words is in the model's vocabulary: it knows "
                f"only the {len(src_vocab) - 4} English words of its training "
                "sentences, e.g. 'The man buys the cake.'"
            )
        if unknown:
            shown = ", ".join(repr(w) for w in unknown[:8])
            notes.append(f"Unknown words become <unk>: {shown}.")
        if choice not in RANKS:
            notes.append(f"{choice!r} is not a choice: the best word is taken.")
        rank = RANKS.get(choice, 0)
        asked = clamp(step, -math.inf, math.inf, math.nan)  # a number, or NaN
        t = int(clamp(asked, 1, 40, 1)) - 1  # the 0-based step actually used
        if asked != t + 1:  # not a whole number from 1 to 40
            notes.append(f"The step must be a whole number from 1 to 40: step {t + 1}.")
        steps = trace_decode(
            model, src_vocab, tgt_vocab, " ".join(words), pick={t: rank}
        )
        if t >= len(steps):
            notes.append(f"The translation ends before step {t + 1}.")
        message = " ".join(filter(None, notes))
        german = s2s.detokenize([s.chosen for s in steps if s.chosen != EOS])
        body = f'<p style="font-size:18px">{html.escape(german)}</p>'
        return View(
            html=body + stepper_html(steps, t if rank else None), message=message
        )

    return update


# --------------------------------------------------------------------------
# Exercise checks
# --------------------------------------------------------------------------


def check_block_params(answer) -> str:
    """Exercise 1: a function (d_model, d_ff) -> number of weights in one
    encoder Block, compared with PyTorch's count."""
    from utils.exercises import check, stub_to_none

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


def check_attention_bytes(answer) -> str:
    """Exercise 2: a function (n, n_heads, n_layers) -> bytes of float32
    attention weights kept for one sequence in a whole encoder."""
    from utils.exercises import check, stub_to_none

    answer = stub_to_none(answer, 4, 2, 1)

    def is_right(f) -> bool:
        cases = [(4, 2, 1), (16, 4, 2), (4096, 12, 12), (1, 1, 1)]
        return all(f(n, h, L) == 4 * n * n * h * L for n, h, L in cases)

    return check(
        "Exercise 2",
        answer,
        is_right,
        "each head of each layer keeps an N x N table of weights, and a float32 "
        "number takes 4 bytes: multiply them all.",
    )
