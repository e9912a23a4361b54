"""The course's translation task, English -> German (lessons 3 and 6, and the
benchmarks): the data as batches, the loss, one registry of the trained
translators, and greedy decoding for all of them.

Every translator here has the same interface, whatever is inside (a GRU or a
transformer): `model(src, tgt_in)` gives teacher-forced logits, and
`model.begin(src)` reads the source and returns a step function that writes
one word at a time. So one loop trains them, one decodes them, one model cache
keeps them.

    model, (src_vocab, tgt_vocab), history, was_cached = load_or_train("gru_seq2seq")
    translate(model, src_vocab, tgt_vocab, ["The man buys the cake."])
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace

import torch
from torch import nn
from torch.nn import functional as F

from utils.attention import softmax
from utils.data.grammar import Pair, make_splits
from utils.decoding import greedy
from utils.rnn import GRUConfig, Seq2Seq
from utils.text import BOS_ID, EOS_ID, PAD_ID, Vocab, build_vocab, pad
from utils.training import History, TrainConfig, evaluate, make_step, train
from utils.transformer import Transformer, TransformerConfig

Translator = Seq2Seq | Transformer

# --------------------------------------------------------------------------
# Data: vocabularies and batches
# --------------------------------------------------------------------------


@functools.cache
def vocabularies(lowercase_source: bool = True) -> tuple[Vocab, Vocab]:
    """(English, German) vocabularies built from the training split.

    English is lowercased: "The" and "the" are the same word to a translator,
    and it saves the model learning that twice. German keeps its capitals,
    because they carry meaning (nouns are capitalised) and BLEU compares cased
    text."""
    train_split = make_splits().train
    return (
        build_vocab((p.en for p in train_split), lowercase=lowercase_source),
        build_vocab(p.de for p in train_split),
    )


@functools.cache
def data_fingerprint(lowercase_source: bool = True) -> str:
    """A hash of the training and validation pairs and of both vocabularies:
    the model cache's key includes it, so an edit to the grammar retrains."""
    splits = make_splits()
    src_vocab, tgt_vocab = vocabularies(lowercase_source)
    blob = repr((splits.train, splits.valid))
    blob += src_vocab.fingerprint() + tgt_vocab.fingerprint()
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class Batch:
    """A padded batch. The decoder's input is the target shifted right by one
    (<bos> first), its expected output the target itself (<eos> last):
    teacher forcing."""

    src: torch.Tensor  # (batch, src_len) ids, <pad> = 0 after each sentence
    tgt_in: torch.Tensor  # (batch, tgt_len) <bos> w1 ... wn
    tgt_out: torch.Tensor  # (batch, tgt_len) w1 ... wn <eos>

    def to(self, device: torch.device | str) -> Batch:
        return Batch(*(t.to(device) for t in vars(self).values()))


def teacher_forcing_shift(tgt: Sequence[int]) -> tuple[list[int], list[int]]:
    """Split `tgt` = [w1 .. wn] into the decoder's input [<bos> w1 .. wn] and
    the words it must predict at each step, [w1 .. wn <eos>]."""
    return [BOS_ID, *tgt], [*tgt, EOS_ID]


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
# The loss, and the registry of trained translators
# --------------------------------------------------------------------------


def sequence_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy per real target word (padding ignored)."""
    # logits (batch, tgt_len, vocab), target (batch, tgt_len)
    return F.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index=PAD_ID)


def batch_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    """The teacher-forced loss of `model` on one batch."""
    return sequence_loss(model(batch.src, batch.tgt_in), batch.tgt_out)


def target_words(batch: Batch) -> int:
    """Real target words (and <eos>) in a batch: the loss's weight."""
    return int((batch.tgt_out != PAD_ID).sum())


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a translator's trained weights (the model
    cache's key is made from it, with the data's fingerprint)."""

    name: str
    label: str  # what the benchmark tables call it
    model: GRUConfig | TransformerConfig
    train: TrainConfig = field(default_factory=TrainConfig)
    seed: int = 0
    lowercase_source: bool = True
    train_pairs: int | None = None  # the first n training pairs (None: all)


# The translators of part 1, by the name their training line and cache use.
RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe("gru_seq2seq", "GRU seq2seq", GRUConfig(), TrainConfig(lr=3e-3)),
        Recipe(
            "gru_attention_seq2seq",
            "GRU + attention",
            GRUConfig(d_attn=128),
            TrainConfig(lr=3e-3, n_steps=300),
        ),
        Recipe(
            "transformer_seq2seq", "transformer", TransformerConfig(), TrainConfig()
        ),
    )
}


def build_model(recipe: Recipe, src_vocab: Vocab, tgt_vocab: Vocab) -> Translator:
    """A fresh, untrained model of the recipe (seed the generators first)."""
    kind = Transformer if isinstance(recipe.model, TransformerConfig) else Seq2Seq
    return kind(len(src_vocab), len(tgt_vocab), recipe.model)


def training_batches(recipe: Recipe, device: torch.device) -> Iterator[Batch]:
    """Endless training batches of the recipe's size, on `device`, in the
    order `length_batches` draws from recipe.seed."""
    src_vocab, tgt_vocab = vocabularies(recipe.lowercase_source)
    pairs = make_splits().train[: recipe.train_pairs]
    examples = encode_pairs(pairs, src_vocab, tgt_vocab)
    lengths = [len(src) for src, _ in examples]
    for ix in length_batches(lengths, recipe.train.batch_size, recipe.seed):
        yield make_batch([examples[j] for j in ix]).to(device)


def validation_batches(
    device: torch.device, lowercase_source: bool = True
) -> list[Batch]:
    """The 1,000 validation pairs in 4 batches of 250, on `device`."""
    valid = encode_pairs(make_splits().valid, *vocabularies(lowercase_source))
    return [
        make_batch(valid[i : i + 250]).to(device) for i in range(0, len(valid), 250)
    ]


def validation_loss(model: Translator, lowercase_source: bool = True) -> float:
    """The model's loss per word (nats) on the validation pairs, as `fit`
    measures it during training (the exercise checks compare with it)."""
    batches = validation_batches(next(model.parameters()).device, lowercase_source)
    return evaluate(model, batches, batch_loss, target_words)


def fit(model: Translator, recipe: Recipe, live: bool = False) -> History:
    """Train `model` for recipe.train.n_steps steps of Adam, batches in the
    order of recipe.seed, with the loss per word on the validation split
    every recipe.train.valid_every steps."""
    device = next(model.parameters()).device
    valid_batches = validation_batches(device, recipe.lowercase_source)
    cfg = recipe.train
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    batches = training_batches(recipe, device)
    return train(
        make_step(model, batches, batch_loss, optimizer, cfg.clip),
        cfg.n_steps,
        validate=lambda: evaluate(model, valid_batches, batch_loss, target_words),
        valid_every=cfg.valid_every,
        desc=recipe.name,
        live=live,
    )


def load_or_train(
    name: str, force: bool = False, live: bool = False, seed: int | None = None
) -> tuple[Translator, tuple[Vocab, Vocab], History, bool]:
    """(model, (src_vocab, tgt_vocab), history, was_cached) for the recipe
    `name`, through the model cache: trained here if absent (or `force`),
    else loaded. Another `seed` gives another run of the same recipe."""
    from utils.cache import cached_model
    from utils.runtime import get_device, train_steps

    recipe = RECIPES[name]
    recipe = replace(
        recipe,
        seed=recipe.seed if seed is None else seed,
        train=replace(recipe.train, n_steps=train_steps(recipe.train.n_steps)),
    )
    device = get_device()
    vocabs = vocabularies(recipe.lowercase_source)
    config = {
        "model": asdict(recipe.model),
        "train": asdict(recipe.train),
        "lowercase_source": recipe.lowercase_source,
    }
    model, history, was_cached = cached_model(
        name=name,
        config=config,
        seed=recipe.seed,
        data=data_fingerprint(recipe.lowercase_source),
        build=lambda: build_model(recipe, *vocabs).to(device),
        fit=lambda m: fit(m, recipe, live=live),
        force=force,
    )
    return model, vocabs, history, was_cached


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------


@torch.no_grad()
def greedy_decode(
    model: Translator, src: torch.Tensor, max_len: int = 60
) -> torch.Tensor:
    """Write the translations one word at a time, always taking the most likely
    next word and feeding it back in. Returns ids (batch, <= max_len), <pad>
    after each sentence's <eos>."""
    model.eval()
    step = model.begin(src)  # (batch, src_len) read once

    def next_logits(prev: torch.Tensor) -> torch.Tensor:
        return step(prev)[0]  # (batch, vocab)

    first = next_logits(torch.full((src.shape[0],), BOS_ID, device=src.device))
    return greedy(first, next_logits, max_len, eos_id=EOS_ID, pad_id=PAD_ID)


def translate(
    model: Translator,
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
        ids = greedy_decode(model, pad(rows).to(device))
        out += [tgt_vocab.decode(row) for row in ids.tolist()]
    return out


@torch.no_grad()
def teacher_forcing_gap(
    model: Translator, src_vocab: Vocab, tgt_vocab: Vocab, pairs: Sequence[Pair]
) -> dict[str, float]:
    """Share of target words (and the final <eos>) guessed right, in percent:
    "told": with the true previous words fed in (teacher forcing, as in
    training); "alone": greedy decoding, the model's own words fed back, and a
    word counts only if it lands at its reference position."""
    device = next(model.parameters()).device
    model.eval()
    batch = make_batch(encode_pairs(pairs, src_vocab, tgt_vocab)).to(device)
    real = batch.tgt_out != PAD_ID  # (batch, tgt_len)
    told = model(batch.src, batch.tgt_in).argmax(-1)
    alone = greedy_decode(model, batch.src, batch.tgt_out.shape[1])
    alone = F.pad(alone, (0, batch.tgt_out.shape[1] - alone.shape[1]), value=PAD_ID)
    n = real.sum().item()
    return {
        "told": 100 * ((told == batch.tgt_out) & real).sum().item() / n,
        "alone": 100 * ((alone == batch.tgt_out) & real).sum().item() / n,
    }


@dataclass
class TraceStep:
    """One step of decoding: the word fed in, the top candidates for the next
    word with their probabilities, the word taken, and (with attention) where
    the decoder looked in the source."""

    fed: str
    top: list[tuple[str, float]]
    chosen: str
    attention: list[float] | None = None


@torch.no_grad()
def trace_decode(
    model: Translator,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    sentence: str,
    k: int = 3,
    max_len: int = 40,
    pick: dict[int, int] | None = None,
) -> list[TraceStep]:
    """Decode one sentence step by step, keeping the top-k next words and their
    probabilities. `pick` maps a step (0-based) to the rank (0 = best) of the
    word to take there instead of the best one: a different path."""
    model.eval()
    device = next(model.parameters()).device
    step = model.begin(torch.tensor([src_vocab.encode(sentence)], device=device))
    prev, steps = BOS_ID, []
    for t in range(max_len):
        logits, weights = step(torch.tensor([prev], device=device))  # (1, vocab)
        p, idx = softmax(logits[0]).topk(k)
        top = [(tgt_vocab.itos[i], float(q)) for q, i in zip(p.tolist(), idx.tolist())]
        rank = max(0, min((pick or {}).get(t, 0), k - 1))  # 0 .. k-1
        attn = None if weights is None else weights[0].tolist()
        steps.append(TraceStep(tgt_vocab.itos[prev], top, top[rank][0], attn))
        prev = int(idx[rank])
        if prev == EOS_ID:
            break
    return steps
