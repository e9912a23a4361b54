"""The transformer: attention + a small network, stacked (lesson 6), and the
decoder-only GPT of part 2, built from the same `Block`.

A *block* is multi-head attention followed by a two-layer feed-forward network,
each wrapped in a residual connection (He et al. 2016) with layer norm in front
(Ba et al. 2016; "pre-LN", Xiong et al. 2020). An *encoder* is a stack of
blocks where every word looks at every word; a *decoder* is a stack where each
word looks only at the words before it (the causal mask) and also at the
encoder's output (cross-attention), then a vocabulary-sized layer scores the
next word (Vaswani et al. 2017). A GPT is that decoder without the encoder
and without cross-attention (Radford et al. 2018).

The encoder-decoder trains on lesson 3's English -> German sentences through
`utils.tasks.translation`, with the same vocabularies, batches, loss and model
cache as the GRUs, so the BLEU scores compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from utils.attention import (
    KVCache,
    MultiHeadAttention,
    causal_mask,
    sinusoidal_positions,
)
from utils.decoding import Step
from utils.text import PAD_ID, SPECIALS, Vocab

MAX_POSITIONS = 128  # longest sentence (in tokens) the position table covers


@dataclass(frozen=True)
class TransformerConfig:
    """The sizes of a transformer: width, heads, feed-forward width, blocks."""

    d_model: int = 128
    n_heads: int = 4
    d_ff: int = 256
    n_layers: int = 2


class ReLU2(nn.Module):
    """relu(x)^2 (So et al. 2021), the speedrun GPTs' activation."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x).square()


ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "relu2": ReLU2}


def feed_forward(d_model: int, d_ff: int, activation: str = "relu") -> nn.Sequential:
    """The per-word network of a block: widen, activation, narrow back."""
    act = ACTIVATIONS[activation]()
    return nn.Sequential(nn.Linear(d_model, d_ff), act, nn.Linear(d_ff, d_model))


class Block(nn.Module):
    """An encoder block: x + attention(norm(x)), then x + feed_forward(norm(x)).
    With `cross=True` (a decoder block) a cross-attention step over the
    encoder's output sits between the two."""

    def __init__(
        self,
        d_model: int,
        n_heads: int,
        d_ff: int,
        cross: bool = False,
        *,
        activation: str = "relu",
        rope: bool = False,
        qk_norm: bool = False,
        fused: bool = False,
    ):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = MultiHeadAttention(
            d_model, n_heads, rope=rope, qk_norm=qk_norm, fused=fused
        )
        if cross:
            self.norm_x = nn.LayerNorm(d_model)
            self.cross = MultiHeadAttention(d_model, n_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = feed_forward(d_model, d_ff, activation)

    def forward(
        self,
        x: torch.Tensor,  # (batch, n, d_model)
        mask: torch.Tensor | None,  # self-attention mask, True = may look
        memory: torch.Tensor | None = None,  # (batch, src_len, d_model)
        memory_mask: torch.Tensor | None = None,  # (batch, 1, 1, src_len)
        cache: KVCache | None = None,  # this block's keys and values so far
    ) -> torch.Tensor:
        h = self.norm1(x)
        x = x + self.attn(h, mask=mask, cache=cache)[0]  # gather from the others
        if memory is not None:
            x = x + self.cross(self.norm_x(x), memory, memory_mask)[0]
        return x + self.ff(self.norm2(x))  # (batch, n, d_model)


class Embed(nn.Module):
    """Word embeddings plus sinusoidal position codes (lesson 5): attention
    alone does not know the order of the words. Both have entries of size ~1
    (nn.Embedding starts from N(0, 1)), so neither drowns the other."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        max_positions: int = MAX_POSITIONS,
        positions: str = "sinusoidal",  # or "learned", or "none" (rotary)
        padding_idx: int | None = PAD_ID,
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=padding_idx)
        self.kind = positions
        if positions == "sinusoidal":
            table = sinusoidal_positions(max_positions, d_model)  # (max_pos, d)
            self.register_buffer("positions", table, persistent=False)
        elif positions == "learned":  # GPT-2's: one learned vector per position
            self.positions = nn.Parameter(torch.randn(max_positions, d_model))

    def forward(self, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        """ids (batch, n) at positions start..start+n-1 -> (batch, n, d_model)."""
        x = self.embed(ids)  # (batch, n, d_model)
        if self.kind == "none":
            return x
        return x + self.positions[start : start + ids.shape[1]]


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
        mask = causal_mask(tgt_in.shape[1], tgt_in.device)  # (tgt_len, tgt_len)
        x = self.embed(tgt_in)  # (batch, tgt_len, d_model)
        for block in self.blocks:
            x = block(x, mask, memory, memory_mask)
        return self.out(self.norm(x))  # (batch, tgt_len, vocab): next-word scores


class Transformer(nn.Module):
    """Encoder-decoder transformer with the interface of lesson 3's Seq2Seq:
    forward(src, tgt_in) -> teacher-forced logits, begin(src) -> step."""

    def __init__(
        self,
        src_vocab_size: int,
        tgt_vocab_size: int,
        config: TransformerConfig = TransformerConfig(),
    ) -> None:
        super().__init__()
        c = config
        args = (c.d_model, c.n_heads, c.d_ff, c.n_layers)
        self.encoder = Encoder(src_vocab_size, *args)
        self.decoder = Decoder(tgt_vocab_size, *args)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(memory (batch, src_len, d_model), source mask (batch, 1, 1, src_len):
        True at real words, False at <pad>)."""
        mask = (src != PAD_ID)[:, None, None, :]
        return self.encoder(src, mask), mask

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits (batch, tgt_len, tgt_vocab)."""
        memory, mask = self.encode(src)
        return self.decoder(tgt_in, memory, mask)

    def begin(self, src: torch.Tensor) -> Step:
        """Read the source once; return step(prev) for decoding a word at a
        time: (next-word logits, the last block's cross-attention from the new
        position, averaged over heads: where it looked in the source). No
        key/value cache: each step reruns the decoder on the whole prefix,
        simple and fine for 30 words."""
        memory, mask = self.encode(src)
        prefix = src.new_zeros(src.shape[0], 0)  # (batch, 0): nothing written yet
        last = self.decoder.blocks[-1].cross

        def step(prev: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            nonlocal prefix
            prefix = torch.cat([prefix, prev[:, None]], dim=1)  # (batch, t)
            seen = []  # the weights (batch, heads, t, src_len), caught on the way
            hook = last.register_forward_hook(lambda m, i, out: seen.append(out[1]))
            try:
                logits = self.decoder(prefix, memory, mask)[:, -1]  # (batch, vocab)
            finally:
                hook.remove()
            return logits, seen[0][:, :, -1].mean(1)  # (batch, src_len)

        return step


@dataclass(frozen=True)
class GPTConfig(TransformerConfig):
    """A decoder-only model: the block sizes, how long a prefix it reads
    (`context`), and the options that part 2's speed-up ablation switches on.
    The defaults are the plain lesson-6 block."""

    context: int = 64  # positions the model can read at once
    positions: str = "sinusoidal"  # "learned" (GPT-2) or "rope" (rotary)
    activation: str = "relu"  # "gelu" (GPT-2) or "relu2"
    qk_norm: bool = False  # RMS-normalise queries and keys per head
    tied: bool = False  # the output layer reuses the embedding table
    zero_init: bool = False  # each block's output layers start at zero
    fused: bool = False  # torch's fused attention kernel (no weights to read)


class GPT(nn.Module):
    """A decoder-only language model (part 2): embeddings, blocks with causal
    self-attention (the same `Block`, no cross-attention), norm, next-token
    scores at every position."""

    def __init__(self, vocab_size: int, config: GPTConfig = GPTConfig()) -> None:
        super().__init__()
        c = self.config = config
        kind = "none" if c.positions == "rope" else c.positions
        self.embed = Embed(vocab_size, c.d_model, c.context, kind, padding_idx=None)
        rope = c.positions == "rope"
        self.blocks = nn.ModuleList(
            Block(
                c.d_model,
                c.n_heads,
                c.d_ff,
                activation=c.activation,
                rope=rope,
                qk_norm=c.qk_norm,
                fused=c.fused,
            )
            for _ in range(c.n_layers)
        )
        self.norm = nn.LayerNorm(c.d_model)
        self.out = nn.Linear(c.d_model, vocab_size, bias=not c.tied)
        if c.tied:  # one table to read tokens in and to score them out
            self.out.weight = self.embed.embed.weight
            nn.init.normal_(self.out.weight, std=c.d_model**-0.5)
        if c.zero_init:  # each block starts as the identity (modded-nanogpt)
            for block in self.blocks:
                for layer in (block.attn.out, block.ff[-1]):
                    nn.init.zeros_(layer.weight)
                    nn.init.zeros_(layer.bias)

    def forward(
        self, ids: torch.Tensor, caches: list[KVCache] | None = None
    ) -> torch.Tensor:
        """(batch, n) token ids -> (batch, n, vocab) scores for the next token.
        With `caches` (one per block), `ids` continue the positions cached."""
        start = len(caches[0]) if caches else 0
        n = ids.shape[1]
        if start + n > self.config.context:
            raise ValueError(
                f"{start + n} positions: this model reads at most "
                f"{self.config.context}; crop the prefix"
            )
        # (n, start + n): new position start + i may look at 0..start + i
        # (one new position may look at all of them: no mask needed)
        mask = causal_mask(start + n, ids.device)[start:] if n > 1 else None
        x = self.embed(ids, start)  # (batch, n, d_model)
        for i, block in enumerate(self.blocks):
            x = block(x, mask, cache=caches[i] if caches else None)
        return self.out(self.norm(x))

    def next_logits(self, ids: torch.Tensor) -> torch.Tensor:
        """(batch, n) -> (batch, vocab): the scores after the last `context` ids."""
        return self(ids[:, -self.config.context :])[:, -1]

    def begin(
        self, prompt: torch.Tensor, cache: bool = True
    ) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
        """Read `prompt` (batch, n); return (the next-token logits (batch,
        vocab), step(prev ids (batch,)) -> the logits after them).

        With `cache`, while the text fits in the context, a step feeds only
        the new token and reuses every block's keys and values. Without it,
        and once the context is full, a step reruns the last `context`
        tokens (a sliding window). Either way the tokens are the same."""
        context = self.config.context
        prefix = prompt[:, -context:]  # (batch, <= context)
        caches = [KVCache() for _ in self.blocks] if cache else None
        first = self(prefix, caches)[:, -1]  # the "prefill": the whole prompt

        def step(prev: torch.Tensor) -> torch.Tensor:
            nonlocal prefix, caches
            prefix = torch.cat([prefix, prev[:, None]], dim=1)  # (batch, t)
            if caches is not None and prefix.shape[1] <= context:
                return self(prev[:, None], caches)[:, -1]  # one new position
            caches, prefix = None, prefix[:, -context:]
            return self(prefix)[:, -1]  # (batch, vocab)

        return first, step


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


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    """(n, n) cosine similarities between the rows of `vectors`."""
    unit = vectors / vectors.norm(dim=-1, keepdim=True)
    return unit @ unit.T


def nearest_words(
    table: torch.Tensor, vocab: Vocab, word: str, k: int = 5
) -> list[tuple[str, float]]:
    """The k words whose rows of `table` (vocab_size, d) are closest by cosine
    to `word`'s row (specials and the word itself left out): what a learned
    table puts together."""
    unit = table.detach().float()
    unit = unit / unit.norm(dim=-1, keepdim=True)  # (vocab_size, d)
    i = vocab.stoi[word]
    sims = unit @ unit[i]  # (vocab_size,)
    sims[: len(SPECIALS)] = sims[i] = -2.0  # below any cosine
    best = sims.topk(k)
    return [(vocab.itos[j], round(float(s), 2)) for s, j in zip(*best)]
