"""Recurrent sequence to sequence (lesson 3): a GRU encoder rolls over the
English sentence, a GRU decoder unrolls the German one.

One small recurrent network, the *encoder*, reads the English sentence a word at
a time and keeps a running summary of it, its hidden state. A second one, the
*decoder*, starts from that summary and writes the German sentence a word at a
time, each word fed back in to choose the next (Cho et al. 2014; Sutskever et
al. 2014). The only thing the decoder knows about the source is one vector of
`d_hidden` numbers: the fixed-size bottleneck.

The attention variant (Bahdanau et al. 2015) lets the decoder look back at the
encoder's state after *every* source word, weighted by how relevant each one is
to the word it is about to write. That is the bridge to lesson 5.

The models share the transformer's interface (`utils.tasks.translation`
trains, decodes and caches both): forward(src, tgt_in) -> logits, and
begin(src) -> step(prev ids) -> (next-word logits, attention weights).

    model = Seq2Seq(len(src_vocab), len(tgt_vocab), GRUConfig())
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import nn

from utils.attention import padding_mask, softmax
from utils.decoding import Step
from utils.text import PAD_ID, Vocab

if TYPE_CHECKING:
    from matplotlib.axes import Axes


class GRUEncoder(nn.Module):
    """Rolls a GRU over the source, one word at a time. Returns its state after
    every word, and the last one: the summary of the whole sentence."""

    def __init__(self, vocab_size: int, d_emb: int, d_hidden: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_emb, padding_idx=PAD_ID)
        self.gru = nn.GRU(d_emb, d_hidden, batch_first=True)

    def forward(
        self, src: torch.Tensor, src_len: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.embed(src)  # (batch, src_len, d_emb)
        states, _ = self.gru(x)  # (batch, src_len, d_hidden): the state after each word
        # The state after each sentence's own last word (padding comes after it,
        # and a left-to-right GRU's earlier states never see it).
        rows = torch.arange(src.shape[0], device=src.device)
        last = states[rows, src_len - 1]  # (batch, d_hidden)
        return states, last


@dataclass
class Memory:
    """What the encoder hands to the decoder."""

    states: torch.Tensor  # (batch, src_len, d_hidden): after each source word
    last: torch.Tensor  # (batch, d_hidden): the fixed-size summary
    mask: torch.Tensor  # (batch, src_len): True at real words
    keys: torch.Tensor | None = None  # (batch, src_len, d_attn): attention only


class GRUDecoder(nn.Module):
    """Unrolls the summary into the target language (Cho et al. 2014): the
    summary is the first state, and is also fed in beside every input word."""

    def __init__(self, vocab_size: int, d_emb: int, d_hidden: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_emb, padding_idx=PAD_ID)
        self.gru = nn.GRU(d_emb + d_hidden, d_hidden, batch_first=True)
        self.out = nn.Linear(d_hidden, vocab_size)

    def forward(
        self, tgt_in: torch.Tensor, state: torch.Tensor, memory: Memory
    ) -> tuple[torch.Tensor, torch.Tensor, None]:
        """Logits for every position at once (teacher forcing: the true previous
        words are known), and the new state. Also used one step at a time."""
        x = self.embed(tgt_in)  # (batch, tgt_len, d_emb)
        summary = memory.last[:, None, :].expand(-1, x.shape[1], -1)
        # (batch, tgt_len, d_hidden): the same summary beside every word
        states, h = self.gru(torch.cat([x, summary], dim=-1), state[None])
        logits = self.out(states)  # (batch, tgt_len, vocab)
        return logits, h[0], None  # h[0]: the new state, (batch, d_hidden)

    def prepare(self, memory: Memory) -> Memory:
        """Nothing to prepare: this decoder only uses memory.last."""
        return memory


class AdditiveAttention(nn.Module):
    """Bahdanau attention: score_j = v . tanh(W_q query + W_k state_j), softmax
    over the source words j, then the weighted mean of the states."""

    def __init__(self, d_hidden: int, d_attn: int) -> None:
        super().__init__()
        self.w_query = nn.Linear(d_hidden, d_attn, bias=False)
        self.w_key = nn.Linear(d_hidden, d_attn)
        self.v = nn.Linear(d_attn, 1, bias=False)

    def forward(
        self, query: torch.Tensor, memory: Memory
    ) -> tuple[torch.Tensor, torch.Tensor]:
        # query (batch, d_hidden); memory.keys = w_key(states), computed once
        scores = self.v(torch.tanh(memory.keys + self.w_query(query)[:, None, :]))
        # (batch, src_len, 1): one score per source word
        scores = scores.squeeze(-1).masked_fill(~memory.mask, float("-inf"))
        weights = softmax(scores)  # (batch, src_len), sums to 1
        context = torch.bmm(weights[:, None, :], memory.states)[:, 0]
        return context, weights  # (batch, d_hidden), (batch, src_len)


class AttentionGRUDecoder(nn.Module):
    """A GRU decoder that, before each word, looks back at every encoder state
    (Bahdanau et al. 2015): attend with the previous state, feed the context
    in beside the previous word, predict from the new state and the context."""

    def __init__(self, vocab_size: int, d_emb: int, d_hidden: int, d_attn: int):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_emb, padding_idx=PAD_ID)
        self.attention = AdditiveAttention(d_hidden, d_attn)
        self.cell = nn.GRUCell(d_emb + d_hidden, d_hidden)
        self.out = nn.Linear(2 * d_hidden, vocab_size)

    def prepare(self, memory: Memory) -> Memory:
        """Project the encoder states to keys once, not at every step."""
        keys = self.attention.w_key(memory.states)  # (batch, src_len, d_attn)
        return Memory(memory.states, memory.last, memory.mask, keys)

    def forward(
        self, tgt_in: torch.Tensor, state: torch.Tensor, memory: Memory
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Logits, last state and attention weights (batch, tgt_len, src_len).
        Attention needs the previous state, so this loops over positions."""
        x = self.embed(tgt_in)  # (batch, tgt_len, d_emb)
        states, contexts, weights = [], [], []
        for t in range(x.shape[1]):
            context, w = self.attention(state, memory)  # (batch, d_hidden)
            state = self.cell(torch.cat([x[:, t], context], dim=-1), state)
            states.append(state)
            contexts.append(context)
            weights.append(w)
        # The output layer needs no loop: one matrix product for all positions.
        both = torch.cat([torch.stack(states, 1), torch.stack(contexts, 1)], dim=-1)
        return self.out(both), state, torch.stack(weights, 1)


@dataclass(frozen=True)
class GRUConfig:
    """The sizes of a GRU encoder-decoder; `d_attn=0`: no attention."""

    d_emb: int = 128
    d_hidden: int = 256
    d_attn: int = 0


class Seq2Seq(nn.Module):
    """GRU encoder + GRU decoder, with Bahdanau attention if `config.d_attn`."""

    def __init__(
        self, src_vocab_size: int, tgt_vocab_size: int, config: GRUConfig
    ) -> None:
        super().__init__()
        d_emb, d_hidden, d_attn = config.d_emb, config.d_hidden, config.d_attn
        self.encoder = GRUEncoder(src_vocab_size, d_emb, d_hidden)
        if d_attn:
            self.decoder = AttentionGRUDecoder(tgt_vocab_size, d_emb, d_hidden, d_attn)
        else:
            self.decoder = GRUDecoder(tgt_vocab_size, d_emb, d_hidden)

    def encode(self, src: torch.Tensor) -> Memory:
        """Read the source once; its padding is found from the <pad> ids."""
        src_len = (src != PAD_ID).sum(-1)  # (batch,) real words, <eos> included
        states, last = self.encoder(src, src_len)
        memory = Memory(states, last, padding_mask(src_len, src.shape[1]))
        return self.decoder.prepare(memory)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits: (batch, tgt_len, tgt_vocab)."""
        memory = self.encode(src)
        logits, _, _ = self.decoder(tgt_in, memory.last, memory)
        return logits

    def begin(self, src: torch.Tensor) -> Step:
        """Read the source; return step(prev) for decoding one word at a time."""
        memory = self.encode(src)
        state = memory.last  # (batch, d_hidden)

        def step(prev: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
            nonlocal state
            logits, state, weights = self.decoder(prev[:, None], state, memory)
            return logits[:, -1], None if weights is None else weights[:, -1]

        return step


@torch.no_grad()
def encoder_states(
    model: Seq2Seq, src_vocab: Vocab, sentence: str
) -> tuple[list[str], torch.Tensor]:
    """The source words (with <eos>) and the encoder's state after each one:
    (src_len, d_hidden), on the CPU."""
    model.eval()
    device = next(model.parameters()).device
    ids = src_vocab.encode(sentence)
    states, _ = model.encoder(
        torch.tensor([ids], device=device), torch.tensor([len(ids)], device=device)
    )  # (1, src_len, d_hidden)
    return [src_vocab.itos[i] for i in ids], states[0].cpu()


@torch.no_grad()
def pca_basis(
    model: Seq2Seq, src_vocab: Vocab, sentences: Sequence[str]
) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean, top two principal directions (2, d_hidden)) of the encoder states
    over every word of `sentences`: a fixed 2-D view of the state space."""
    states = torch.cat([encoder_states(model, src_vocab, s)[1] for s in sentences])
    mean = states.mean(0)
    _, _, v = torch.linalg.svd(states - mean, full_matrices=False)
    # Fix each direction's sign (SVD may flip it) so the picture never mirrors.
    v = v[:2] * torch.sign(v[:2].sum(dim=1, keepdim=True))
    return mean, v


def draw_trajectory(
    ax: Axes,
    model: Seq2Seq,
    src_vocab: Vocab,
    sentences: Sequence[str],
    basis: tuple[torch.Tensor, torch.Tensor],
) -> None:
    """The encoder's state after each word of each sentence, projected on two
    principal directions, drawn as a path with the words as labels."""
    from utils.style import COLORS

    mean, directions = basis
    for k, sentence in enumerate(sentences):
        words, states = encoder_states(model, src_vocab, sentence)
        xy = ((states - mean) @ directions.T).numpy()  # (src_len, 2)
        color = COLORS[k % len(COLORS)]
        ax.plot(xy[:, 0], xy[:, 1], "o-", color=color, alpha=0.8, label=sentence)
        for (x, y), word in zip(xy, words):
            ax.annotate(
                word,
                (x, y),
                textcoords="offset points",
                xytext=(6, 6 - 18 * k),
                color=color,
                fontsize=14,
            )
        ax.plot(*xy[-1], "*", color=color, markersize=22)
    ax.set(
        xlabel="principal direction 1",
        ylabel="principal direction 2",
        title="The encoder's state, word by word",
    )
    ax.legend(loc="best", fontsize=12)
