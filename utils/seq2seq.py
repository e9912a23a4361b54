"""Sequence to sequence with GRUs: the encoder rolls over the input, the decoder
unrolls the translation (lesson 3).

One small recurrent network, the *encoder*, reads the English sentence a word at
a time and keeps a running summary of it, its hidden state. A second one, the
*decoder*, starts from that summary and writes the German sentence a word at a
time, each word fed back in to choose the next (Cho et al. 2014; Sutskever et
al. 2014). The only thing the decoder knows about the source is one vector of
`d_hidden` numbers: the fixed-size bottleneck.

The attention variant (Bahdanau et al. 2015) lets the decoder look back at the
encoder's state after *every* source word, weighted by how relevant each one is
to the word it is about to write. That is the bridge to lesson 5.

    src_vocab, tgt_vocab = vocabularies()
    model, vocabs, history, was_cached = load_or_train_gru()
    translate(model, src_vocab, tgt_vocab, ["The man buys the cake."])
"""

from __future__ import annotations

import functools
import html
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
from torch import nn
from torch.nn import functional as F

from utils.data.grammar import Pair, make_splits, tokenize

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# --------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = (PAD, BOS, EOS, UNK)
PAD_ID, BOS_ID, EOS_ID, UNK_ID = range(4)


class Vocab:
    """Words <-> integer ids. Ids 0-3 are the special tokens:
    <pad> fills short sentences up to the batch's length, <bos> starts the
    decoder, <eos> ends a sentence, <unk> stands for any word not seen in training.
    """

    def __init__(self, words: Iterable[str], lowercase: bool = False) -> None:
        self.lowercase = lowercase
        self.itos: list[str] = list(SPECIALS)
        self.itos += [w for w in words if w not in SPECIALS]
        self.stoi: dict[str, int] = {w: i for i, w in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def tokens(self, text: str) -> list[str]:
        """The words of `text` as this vocabulary sees them (lowercased if set)."""
        words = tokenize(text)
        return [w.lower() for w in words] if self.lowercase else words

    def encode(self, text: str, bos: bool = False, eos: bool = True) -> list[int]:
        """Ids of the words of `text`, unknown words as <unk>."""
        ids = [self.stoi.get(w, UNK_ID) for w in self.tokens(text)]
        return [BOS_ID] * bos + ids + [EOS_ID] * eos

    def decode(self, ids: Iterable[int]) -> str:
        """Text of `ids`, up to the first <eos>; <pad> and <bos> are dropped."""
        words = []
        for i in ids:
            i = int(i)
            if i == EOS_ID:
                break
            if i not in (PAD_ID, BOS_ID):
                words.append(self.itos[i])
        return detokenize(words)


def detokenize(words: Sequence[str]) -> str:
    """Join words with spaces, but none before punctuation: "Hund ." -> "Hund."."""
    return re.sub(r" ([.,?!;:])", r"\1", " ".join(words))


def build_vocab(texts: Iterable[str], lowercase: bool = False) -> Vocab:
    """A vocabulary of every word in `texts`, most frequent first (ties
    alphabetically, so the ids are the same on every run)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() if lowercase else w for w in tokenize(text))
    return Vocab(sorted(counts, key=lambda w: (-counts[w], w)), lowercase)


@functools.cache
def vocabularies(lowercase_source: bool = True) -> tuple[Vocab, Vocab]:
    """(English, German) vocabularies built from the training split.

    English is lowercased: "The" and "the" are the same word to a translator,
    and it saves the model learning that twice. German keeps its capitals,
    because they carry meaning (nouns are capitalised) and BLEU compares cased
    text."""
    train = make_splits().train
    return (
        build_vocab((p.en for p in train), lowercase=lowercase_source),
        build_vocab(p.de for p in train),
    )


# --------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------


@dataclass
class Batch:
    """A padded batch. The decoder's input is the target shifted right by one
    (<bos> first), its expected output the target itself (<eos> last):
    teacher forcing."""

    src: torch.Tensor  # (batch, src_len) ids, <pad> = 0 after each sentence
    src_len: torch.Tensor  # (batch,) real lengths, <eos> included
    tgt_in: torch.Tensor  # (batch, tgt_len) <bos> w1 ... wn
    tgt_out: torch.Tensor  # (batch, tgt_len) w1 ... wn <eos>

    def to(self, device: torch.device | str) -> Batch:
        return Batch(*(t.to(device) for t in vars(self).values()))


def teacher_forcing_shift(tgt: Sequence[int]) -> tuple[list[int], list[int]]:
    """Split `tgt` = [w1 .. wn] into the decoder's input [<bos> w1 .. wn] and
    the words it must predict at each step, [w1 .. wn <eos>]."""
    return [BOS_ID, *tgt], [*tgt, EOS_ID]


def pad(rows: Sequence[Sequence[int]]) -> torch.Tensor:
    """Stack lists of ids into one tensor, padding with <pad> (0) on the right."""
    out = torch.full((len(rows), max(len(r) for r in rows)), PAD_ID, dtype=torch.long)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out  # (batch, longest)


def padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """True at real positions, False at padding: (batch, max_len)."""
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


def encode_pairs(
    pairs: Sequence[Pair], src_vocab: Vocab, tgt_vocab: Vocab
) -> list[tuple[list[int], list[int]]]:
    """(source ids with <eos>, target ids without specials) for each pair."""
    return [(src_vocab.encode(p.en), tgt_vocab.encode(p.de, eos=False)) for p in pairs]


def make_batch(examples: Sequence[tuple[list[int], list[int]]]) -> Batch:
    """Pad a list of (source ids, target ids) into a Batch."""
    shifted = [teacher_forcing_shift(tgt) for _, tgt in examples]
    return Batch(
        src=pad([src for src, _ in examples]),
        src_len=torch.tensor([len(src) for src, _ in examples]),
        tgt_in=pad([i for i, _ in shifted]),
        tgt_out=pad([o for _, o in shifted]),
    )


def length_batches(
    lengths: Sequence[int], batch_size: int, seed: int
) -> Iterator[list[int]]:
    """Endless batches of example indices, each batch of similar source length
    (so little time is spent on padding); reshuffled every epoch with a seeded
    generator, so the order is the same on every run."""
    gen = torch.Generator().manual_seed(seed)
    n = len(lengths)
    while True:
        # Shuffle, then sort by length (a stable sort keeps the shuffle within a length).
        order = torch.randperm(n, generator=gen).tolist()
        order.sort(key=lambda i: lengths[i])
        chunks = [order[i : i + batch_size] for i in range(0, n, batch_size)]
        for j in torch.randperm(len(chunks), generator=gen).tolist():
            yield chunks[j]


# --------------------------------------------------------------------------
# The models
# --------------------------------------------------------------------------


class Encoder(nn.Module):
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


class Decoder(nn.Module):
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


def softmax(scores: torch.Tensor) -> torch.Tensor:
    """exp(scores) / sum(exp(scores)) over the last dimension; -inf scores get
    weight 0. Written out because torch.softmax's CPU kernel can round
    differently with a different number of threads, and the course's outputs
    must be the same on every machine."""
    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)


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


class AttentionDecoder(nn.Module):
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


class Seq2Seq(nn.Module):
    """Encoder + decoder. `d_attn=0` gives the plain GRU encoder-decoder."""

    def __init__(
        self,
        src_vocab_size: int,
        tgt_vocab_size: int,
        d_emb: int,
        d_hidden: int,
        d_attn: int = 0,
    ) -> None:
        super().__init__()
        self.encoder = Encoder(src_vocab_size, d_emb, d_hidden)
        if d_attn:
            self.decoder = AttentionDecoder(tgt_vocab_size, d_emb, d_hidden, d_attn)
        else:
            self.decoder = Decoder(tgt_vocab_size, d_emb, d_hidden)

    def encode(self, src: torch.Tensor, src_len: torch.Tensor) -> Memory:
        states, last = self.encoder(src, src_len)
        memory = Memory(states, last, padding_mask(src_len, src.shape[1]))
        return self.decoder.prepare(memory)

    def forward(
        self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor
    ) -> torch.Tensor:
        """Teacher-forced logits: (batch, tgt_len, tgt_vocab)."""
        memory = self.encode(src, src_len)
        logits, _, _ = self.decoder(tgt_in, memory.last, memory)
        return logits


def build_model(config: dict[str, Any], src_vocab: Vocab, tgt_vocab: Vocab) -> Seq2Seq:
    """A fresh model of the given configuration (seed the generators first)."""
    return Seq2Seq(
        len(src_vocab),
        len(tgt_vocab),
        config["d_emb"],
        config["d_hidden"],
        config.get("d_attn", 0),
    )


def gru_param_count(d_in: int, d_hidden: int) -> int:
    """Weights of one GRU layer: three gates (reset, update, candidate), each
    with input weights, recurrent weights and two bias vectors."""
    return 3 * (d_in * d_hidden + d_hidden * d_hidden + 2 * d_hidden)


def param_counts(model: nn.Module) -> dict[str, int]:
    """Parameters per top-level part ("encoder.embed", "decoder.gru", ...)."""
    counts: dict[str, int] = {}
    for name, p in model.named_parameters():
        part = ".".join(name.split(".")[:2])
        counts[part] = counts.get(part, 0) + p.numel()
    counts["total"] = sum(p.numel() for p in model.parameters())
    return counts


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------

GRU_NAME = "gru_seq2seq"
GRU_SEED = 0
# Everything that decides the trained weights (the cache key is made from it).
GRU_CONFIG: dict[str, Any] = {
    "data": "grammar.make_splits(seed=0)",
    "lowercase_source": True,
    "d_emb": 128,
    "d_hidden": 256,
    "d_attn": 0,
    "batch_size": 64,
    "lr": 3e-3,
    "clip": 1.0,
    "n_steps": 1200,
    "valid_every": 100,
}
ATTN_NAME = "gru_attention_seq2seq"
ATTN_SEED = 0
ATTN_CONFIG: dict[str, Any] = {**GRU_CONFIG, "d_attn": 128, "n_steps": 300}


def sequence_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy per real target word (padding ignored)."""
    # logits (batch, tgt_len, vocab), target (batch, tgt_len)
    return F.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index=PAD_ID)


def make_train_step(
    model: Seq2Seq,
    examples: Sequence[tuple[list[int], list[int]]],
    config: dict[str, Any],
    seed: int,
    device: torch.device,
):
    """A function step(i) -> loss: one teacher-forced Adam step on the next batch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    batches = length_batches(
        [len(src) for src, _ in examples], config["batch_size"], seed
    )

    def step(i: int) -> float:
        batch = make_batch([examples[j] for j in next(batches)]).to(device)
        model.train()
        logits = model(batch.src, batch.src_len, batch.tgt_in)
        loss = sequence_loss(logits, batch.tgt_out)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), config["clip"])
        optimizer.step()
        return loss.item()

    return step


@torch.no_grad()
def evaluate_loss(
    model: Seq2Seq,
    examples: Sequence[tuple[list[int], list[int]]],
    device: torch.device,
    batch_size: int = 250,
) -> float:
    """Teacher-forced loss per target word over `examples`."""
    model.eval()
    total, words = 0.0, 0
    for i in range(0, len(examples), batch_size):
        batch = make_batch(examples[i : i + batch_size]).to(device)
        logits = model(batch.src, batch.src_len, batch.tgt_in)
        n = int((batch.tgt_out != PAD_ID).sum())
        total += sequence_loss(logits, batch.tgt_out).item() * n
        words += n
    return total / words


def fit(
    model: Seq2Seq,
    config: dict[str, Any],
    seed: int,
    live: bool = False,
    desc: str = "training",
):
    """Train `model` on the course's training split for config["n_steps"]
    steps; validation loss every config["valid_every"] steps. Returns a History."""
    from utils.training import train

    src_vocab, tgt_vocab = vocabularies(config["lowercase_source"])
    splits = make_splits()
    examples = encode_pairs(splits.train, src_vocab, tgt_vocab)
    valid = encode_pairs(splits.valid, src_vocab, tgt_vocab)
    device = next(model.parameters()).device
    return train(
        make_train_step(model, examples, config, seed, device),
        config["n_steps"],
        validate=lambda: evaluate_loss(model, valid, device),
        valid_every=config["valid_every"],
        desc=desc,
        live=live,
    )


def load_or_train(
    name: str,
    config: dict[str, Any],
    seed: int,
    force: bool = False,
    live: bool = False,
):
    """(model, (src_vocab, tgt_vocab), history, was_cached) through the model
    cache: trained here if absent (or `force`), else loaded."""
    from utils.cache import cached_model
    from utils.runtime import get_device, train_steps

    device = get_device()
    config = {**config, "n_steps": train_steps(config["n_steps"])}
    vocabs = vocabularies(config["lowercase_source"])
    model, history, was_cached = cached_model(
        name=name,
        config=config,
        seed=seed,
        build=lambda: build_model(config, *vocabs).to(device),
        fit=lambda m: fit(m, config, seed, live=live, desc=name),
        force=force,
    )
    return model, vocabs, history, was_cached


def load_or_train_gru(force: bool = False, live: bool = False):
    """Lesson 3's GRU encoder-decoder: (model, (src_vocab, tgt_vocab), history,
    was_cached). Lesson 6 calls this to compare its transformer with it."""
    return load_or_train(GRU_NAME, GRU_CONFIG, GRU_SEED, force, live)


def load_or_train_attention(force: bool = False, live: bool = False):
    """The same with Bahdanau attention (ATTN_CONFIG)."""
    return load_or_train(ATTN_NAME, ATTN_CONFIG, ATTN_SEED, force, live)


# --------------------------------------------------------------------------
# Greedy decoding
# --------------------------------------------------------------------------


@torch.no_grad()
def greedy_decode(
    model: Seq2Seq, src: torch.Tensor, src_len: torch.Tensor, max_len: int = 60
) -> torch.Tensor:
    """Write the translation one word at a time, always taking the most likely
    next word, feeding it back in. Returns ids (batch, <= max_len)."""
    model.eval()
    memory = model.encode(src, src_len)
    state = memory.last  # (batch, d_hidden)
    prev = torch.full((src.shape[0], 1), BOS_ID, device=src.device)  # (batch, 1)
    out = []
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits, state, _ = model.decoder(prev, state, memory)  # (batch, 1, vocab)
        prev = logits.argmax(-1)  # (batch, 1)
        out.append(prev)
        done |= prev[:, 0] == EOS_ID
        if done.all():
            break
    return torch.cat(out, dim=1)


def translate(
    model: Seq2Seq,
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
        src_len = torch.tensor([len(r) for r in rows], device=device)
        ids = greedy_decode(model, pad(rows).to(device), src_len)
        out += [tgt_vocab.decode(row) for row in ids.tolist()]
    return out


@torch.no_grad()
def teacher_forcing_gap(
    model: Seq2Seq, src_vocab: Vocab, tgt_vocab: Vocab, pairs: Sequence[Pair]
) -> dict[str, float]:
    """Share of target words (and the final <eos>) guessed right, in percent:
    "told": with the true previous words fed in (teacher forcing, as in
    training); "alone": greedy decoding, the model's own words fed back, and a
    word counts only if it lands at its reference position."""
    device = next(model.parameters()).device
    model.eval()
    batch = make_batch(encode_pairs(pairs, src_vocab, tgt_vocab)).to(device)
    real = batch.tgt_out != PAD_ID  # (batch, tgt_len)
    told = model(batch.src, batch.src_len, batch.tgt_in).argmax(-1)
    alone = greedy_decode(model, batch.src, batch.src_len, batch.tgt_out.shape[1])
    alone = F.pad(alone, (0, batch.tgt_out.shape[1] - alone.shape[1]), value=PAD_ID)
    n = real.sum().item()
    return {
        "told": 100 * ((told == batch.tgt_out) & real).sum().item() / n,
        "alone": 100 * ((alone == batch.tgt_out) & real).sum().item() / n,
    }


@dataclass
class DecodeStep:
    """One step of greedy decoding: the word fed in, the top candidates for the
    next word with their probabilities, and (with attention) where it looked."""

    fed: str
    top: list[tuple[str, float]]
    chosen: str
    attention: list[float] | None = None


@torch.no_grad()
def trace_decode(
    model: Seq2Seq,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    sentence: str,
    k: int = 3,
    max_len: int = 40,
) -> list[DecodeStep]:
    """Greedy decoding of one sentence, step by step, for showing."""
    model.eval()
    device = next(model.parameters()).device
    ids = src_vocab.encode(sentence)
    memory = model.encode(
        torch.tensor([ids], device=device), torch.tensor([len(ids)], device=device)
    )
    state, prev, steps = memory.last, BOS_ID, []
    for _ in range(max_len):
        logits, state, weights = model.decoder(
            torch.tensor([[prev]], device=device), state, memory
        )
        probs = softmax(logits[0, -1])  # (vocab,)
        p, idx = probs.topk(k)
        top = [(tgt_vocab.itos[i], float(q)) for q, i in zip(p.tolist(), idx.tolist())]
        attn = None if weights is None else weights[0, -1].tolist()
        steps.append(DecodeStep(tgt_vocab.itos[prev], top, top[0][0], attn))
        prev = idx[0].item()
        if prev == EOS_ID:
            break
    return steps


def trace_html(steps: Sequence[DecodeStep]) -> str:
    """The decoding trace as an HTML table: one row per step."""
    head = "".join(
        f"<th>{h}</th>"
        for h in ("step", "fed in", "1st", "p", "2nd", "p", "3rd", "p", "chosen")
    )
    rows = []
    for n, s in enumerate(steps, 1):
        cells = [str(n), html.escape(s.fed)]
        for word, p in s.top[:3]:
            cells += [html.escape(word), f"{p:.2f}"]
        cells.append(f"<b>{html.escape(s.chosen)}</b>")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table style="font-size:15px"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


# --------------------------------------------------------------------------
# Seeing the encoder roll over the input
# --------------------------------------------------------------------------


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
    )
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


def draw_alignment(
    ax: Axes, steps: Sequence[DecodeStep], src_words: Sequence[str]
) -> None:
    """Attention weights of a traced decode: one row per German word written,
    one column per English word read."""
    weights = [s.attention for s in steps]
    image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="attention weight")
    ax.set_xticks(range(len(src_words)), src_words, rotation=60, ha="right")
    ax.set_yticks(range(len(steps)), [s.chosen for s in steps])
    ax.set(xlabel="English word read", ylabel="German word written")
    ax.grid(False)


def draw_bleu_bars(ax: Axes, table: dict[str, dict[str, float]]) -> None:
    """Grouped bars: BLEU for each length bucket (groups) and system (colours);
    `table` maps system -> bleu_by_bucket's dict (its "all" entry is skipped)."""
    systems = list(table)
    buckets = [b for b in next(iter(table.values())) if b != "all"]
    width = 0.8 / len(systems)
    for k, system in enumerate(systems):
        xs = [i + (k - (len(systems) - 1) / 2) * width for i in range(len(buckets))]
        ax.bar(xs, [table[system][b] for b in buckets], width, label=system)
    ax.set_xticks(range(len(buckets)), buckets)
    ax.set(
        xlabel="English sentence length (words)",
        ylabel="BLEU (0-100)",
        title="Held-out BLEU by sentence length",
    )
    ax.legend()


# --------------------------------------------------------------------------
# The sequential cost
# --------------------------------------------------------------------------


def time_rnn_step(
    lengths: Sequence[int],
    batch_size: int = 16,
    d_emb: int = 64,
    d_hidden: int = 128,
    vocab_size: int = 1000,
    repeats: int = 2,
    device: torch.device | str | None = None,
) -> dict[int, float]:
    """Seconds for one forward + backward pass of a GRU encoder over random
    tokens, for each sequence length (the fastest of `repeats` runs, after one
    warm-up run). A GRU must finish position t before it can start t + 1, so
    the time grows with the length however many cores there are."""
    from utils.runtime import get_device

    device = torch.device(device) if device else get_device()
    gen = torch.Generator().manual_seed(0)
    encoder = Encoder(vocab_size, d_emb, d_hidden).to(device)

    def run(n: int) -> float:
        src = torch.randint(4, vocab_size, (batch_size, n), generator=gen).to(device)
        src_len = torch.full((batch_size,), n, device=device)
        encoder.zero_grad()
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        states, last = encoder(src, src_len)
        (states.sum() + last.sum()).backward()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    run(min(lengths))  # warm-up: first calls pay for memory allocation
    return {n: min(run(n) for _ in range(repeats)) for n in lengths}


def draw_cost(ax: Axes, times: dict[int, float], label: str = "GRU encoder") -> None:
    """Time per training step against sequence length, log-log, with a line of
    slope 1 (time proportional to N) through the middle point for reference."""
    from utils.style import PALETTE

    ns = sorted(times)
    ax.loglog(ns, [times[n] * 1e3 for n in ns], "o-", label=label, base=2)
    mid = ns[len(ns) // 2]
    ref = [times[mid] * 1e3 * n / mid for n in ns]
    ax.loglog(ns, ref, "--", color=PALETTE["black"], linewidth=1.5, label="∝ N")
    ax.set(
        xlabel="sequence length N (tokens)",
        ylabel="time per step (ms)",
        title="One training step of a GRU: time grows with N",
    )
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.legend()


# --------------------------------------------------------------------------
# A widget: translate your own sentence
# --------------------------------------------------------------------------

MAX_WORDS = 40  # the training sentences have at most 28 tokens


def make_translate_update(model: Seq2Seq, src_vocab: Vocab, tgt_vocab: Vocab):
    """A pure update(sentence) -> View for `utils.widgets.show`: the greedy
    translation of an English sentence and its step-by-step trace."""
    from utils.widgets import View, clean_text

    def update(sentence: str) -> View:
        text, message = clean_text(sentence)
        if not text:
            return View(message=message)
        words = src_vocab.tokens(text)
        if len(words) > MAX_WORDS:
            words = words[:MAX_WORDS]
            message = " ".join(
                filter(None, [message, f"Only the first {MAX_WORDS} words are used."])
            )
        unknown = sorted({w for w in words if w not in src_vocab.stoi})
        if len(unknown) == len(set(words)):
            return View(
                message="None of these words is in the model's vocabulary: it knows "
                f"only the {len(src_vocab) - 4} English words of its training "
                "sentences, e.g. 'The man buys the cake.'"
            )
        if unknown:
            shown = ", ".join(repr(w) for w in unknown[:8])
            more = " ..." if len(unknown) > 8 else ""
            message = " ".join(
                filter(None, [message, f"Unknown words become <unk>: {shown}{more}."])
            )
        steps = trace_decode(model, src_vocab, tgt_vocab, " ".join(words))
        german = detokenize([s.chosen for s in steps if s.chosen != EOS])
        body = f'<p style="font-size:18px">{html.escape(german)}</p>' + trace_html(
            steps
        )
        return View(html=body, message=message)

    return update


# --------------------------------------------------------------------------
# Exercise checks
# --------------------------------------------------------------------------


def check_gru_params(answer) -> str:
    """Exercise 1: a function (d_in, d_hidden) -> number of weights in one GRU
    layer, compared with PyTorch's own count for a few sizes."""
    from utils.exercises import check, stub_to_none

    answer = stub_to_none(answer, 3, 5)

    def is_right(f) -> bool:
        sizes = [(1, 1), (3, 5), (128, 256), (300, 64)]
        return all(
            f(d_in, h) == sum(p.numel() for p in nn.GRU(d_in, h).parameters())
            for d_in, h in sizes
        )

    return check(
        "Exercise 1",
        answer,
        is_right,
        "a GRU has 3 gates (reset, update, candidate); each has an input weight "
        "matrix (d_hidden x d_in), a recurrent one (d_hidden x d_hidden) and, in "
        "PyTorch, two bias vectors of d_hidden each.",
    )


def check_shift(answer) -> str:
    """Exercise 2: a function words -> (decoder inputs, decoder targets)."""
    from utils.exercises import check, stub_to_none

    answer = stub_to_none(answer, ["Ja"])

    def is_right(f) -> bool:
        cases = [["Der", "Hund", "bellt", "."], ["Ja"], []]
        return all(
            tuple(map(list, f(list(words)))) == ([BOS, *words], [*words, EOS])
            for words in cases
        )

    return check(
        "Exercise 2",
        answer,
        is_right,
        "the decoder's input starts with '<bos>' and is followed by the words; "
        "its target is the words followed by '<eos>'. Both are one longer than "
        "the sentence, and the target at step t is the input at step t + 1.",
    )
