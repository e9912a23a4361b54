"""Pretraining a small GPT on Shakespeare, one character at a time (lesson
2.2, and `make bench`).

Pretraining is next-token prediction on raw text: no labels, the text is its
own answer key. Here the tokens are characters, so the vocabulary is tiny
(84 symbols) and any string of them can be written. The corpus is the 42
`*_gut.txt` plays and poems, joined in sorted name order; the first 90 % of
the characters train, the last 10 % validate. The loss is in nats per
character: ln(84) = 4.43 for a model that knows nothing.

Two recipes share one model (part 1's `Block` with a causal mask):
- `nanogpt_cpu`: the sizes and optimiser of nanoGPT's published CPU recipe
  for character-level Shakespeare (4 layers, 4 heads, width 128, context
  64, batch 12, 2,000 steps of AdamW with warm-up and cosine decay);
- `lesson`: what the lesson trains live: the same block sizes with rotary
  positions, a context of 128, a 3x learning rate and fewer steps; a lower
  loss in less time (`make bench` measures both in one run).

    model, vocab, history, was_cached = load_or_train("lesson")
    vocab.decode(generate(model, vocab.encode("ROMEO:"), 200, temperature=0.8))
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace

import torch
from torch.nn import functional as F

from utils.training import History, evaluate, make_step, train
from utils.transformer import GPT, GPTConfig

Batch = tuple[torch.Tensor, torch.Tensor]  # inputs, targets: (batch, context)
VALID_SAMPLE = 65_536  # validation characters scored for the training curve

# --------------------------------------------------------------------------
# Data: characters as ids
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CharVocab:
    """Every character of the corpus, in sorted order; a character's id is
    its position."""

    chars: str

    def __len__(self) -> int:
        return len(self.chars)

    @functools.cached_property
    def ids(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chars)}

    def unknown(self, text: str) -> list[str]:
        """The characters of `text` that the corpus never uses, once each."""
        return sorted({c for c in text if c not in self.ids})

    def encode(self, text: str) -> list[int]:
        """Ids of the characters of `text`; raises ValueError naming any the
        corpus never uses (an emoji, a curly quote)."""
        bad = self.unknown(text)
        if bad:
            shown = " ".join(repr(c) for c in bad[:8])
            raise ValueError(f"characters Shakespeare never uses: {shown}")
        return [self.ids[c] for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i] for i in ids)


@dataclass(frozen=True)
class Corpus:
    vocab: CharVocab
    train: torch.Tensor  # (n_train,) character ids
    valid: torch.Tensor  # (n_valid,)
    fingerprint: str  # a hash of the text: part of the model cache's key


@functools.cache
def corpus() -> Corpus:
    """The corpus as ids, split 90 / 10 by position (the validation text is
    the end of the last plays, never seen in training)."""
    from utils.assets import load_shakespeare

    text = load_shakespeare()
    vocab = CharVocab("".join(sorted(set(text))))
    ids = torch.tensor(vocab.encode(text), dtype=torch.long)  # (n,)
    n = int(0.9 * len(ids))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Corpus(vocab, ids[:n], ids[n:], digest)


def random_batches(
    data: torch.Tensor, context: int, batch_size: int, seed: int
) -> Iterator[Batch]:
    """Endless batches of `batch_size` windows of `context` characters from
    random places, each with its targets one character later (nanoGPT's
    get_batch), from a generator seeded with `seed`."""
    g = torch.Generator().manual_seed(seed)
    offsets = torch.arange(context)  # (context,)
    while True:
        start = torch.randint(len(data) - context, (batch_size,), generator=g)
        where = start[:, None] + offsets  # (batch, context)
        yield data[where], data[where + 1]


def window_batches(
    data: torch.Tensor, context: int, batch_size: int = 256
) -> Iterator[Batch]:
    """Every character of `data` once, in back-to-back windows of `context`."""
    n = (len(data) - 1) // context
    x = data[: n * context].view(n, context)  # (n, context)
    y = data[1 : n * context + 1].view(n, context)
    for i in range(0, n, batch_size):
        yield x[i : i + batch_size], y[i : i + batch_size]


def lm_loss(model: GPT, batch: Batch) -> torch.Tensor:
    """Mean cross-entropy of the next character, over every position."""
    x, y = (t.to(next(model.parameters()).device) for t in batch)
    logits = model(x)  # (batch, context, vocab)
    return F.cross_entropy(logits.flatten(0, 1), y.flatten())


def valid_sample(n_chars: int = VALID_SAMPLE, pieces: int = 16) -> torch.Tensor:
    """`n_chars` validation characters taken from `pieces` places spread over
    the split: a cheap estimate of the whole split's loss, for the curve."""
    valid, piece = corpus().valid, n_chars // pieces
    starts = torch.linspace(0, len(valid) - piece, pieces).long().tolist()
    return torch.cat([valid[s : s + piece] for s in starts])  # (n_chars,)


def valid_loss(model: GPT, data: torch.Tensor | None = None) -> float:
    """Nats per character over `data` (default: the whole validation split,
    about 506k characters), each window read from its start."""
    data = corpus().valid if data is None else data
    batches = window_batches(data, model.config.context)
    return evaluate(model, batches, lm_loss, weight=lambda b: b[1].numel())


# --------------------------------------------------------------------------
# The recipes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PretrainConfig:
    """AdamW, the learning rate warmed up linearly for `warmup` steps then
    decayed along a cosine to `min_lr` (nanoGPT's schedule); weight decay
    only on matrices; gradients clipped to norm `clip`."""

    n_steps: int = 2000
    batch_size: int = 12
    lr: float = 1e-3
    min_lr: float = 1e-4
    warmup: int = 100
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.99)
    clip: float = 1.0

    def lr_at(self, step: int) -> float:
        if step < self.warmup:
            return self.lr * (step + 1) / self.warmup
        done = (step - self.warmup) / max(1, self.n_steps - self.warmup)
        return self.min_lr + 0.5 * (1 + math.cos(math.pi * done)) * (
            self.lr - self.min_lr
        )


@dataclass(frozen=True)
class GPTRecipe:
    """A model, how to train it, and its seed; `label` names it in tables."""

    name: str
    label: str
    model: GPTConfig
    train: PretrainConfig
    seed: int = 0


# nanoGPT's sizes; like nanoGPT, torch's fused attention kernel (the same
# result as lesson 5's attention, without storing the weights).
NANOGPT = GPTConfig(
    d_model=128, n_heads=4, d_ff=512, n_layers=4, context=64, fused=True
)
RECIPES: dict[str, GPTRecipe] = {
    r.name: r
    for r in [
        GPTRecipe("nanogpt_cpu", "nanoGPT's CPU recipe", NANOGPT, PretrainConfig()),
        # The same block sizes with rotary positions, twice the context, a
        # 3x learning rate, and fewer steps of about as many characters each.
        GPTRecipe(
            "lesson",
            "the lesson's recipe",
            replace(NANOGPT, positions="rope", context=128),
            PretrainConfig(n_steps=1200, batch_size=8, lr=3e-3, warmup=70),
        ),
        # On a GPU: nanoGPT's GPU sizes (6 blocks of width 384, context 256,
        # batch 64) with the lesson's rotary positions, sized for about 2
        # minutes on an H100-class GPU; far too slow for a laptop.
        GPTRecipe(
            "gpu",
            "the lesson's recipe, GPU size",
            GPTConfig(
                d_model=384,
                n_heads=6,
                d_ff=1536,
                n_layers=6,
                context=256,
                positions="rope",
                fused=True,
            ),
            PretrainConfig(
                n_steps=2000, batch_size=64, lr=2e-3, min_lr=2e-4, warmup=150
            ),
        ),
    ]
}


def lesson_recipe(device: torch.device | None = None) -> GPTRecipe:
    """What lesson 2.2 trains: the CPU-sized recipe, or the bigger one when the
    course runs on CUDA."""
    from utils.runtime import get_device

    cuda = (device or get_device()).type == "cuda"
    return RECIPES["gpu" if cuda else "lesson"]


def build_model(recipe: GPTRecipe) -> GPT:
    return GPT(len(corpus().vocab), recipe.model)


def optimizer_for(model: GPT, config: PretrainConfig) -> torch.optim.AdamW:
    """AdamW with weight decay on the matrices only, not on biases and norms."""
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": config.weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]  # fmt: skip
    return torch.optim.AdamW(groups, lr=config.lr, betas=config.betas)


def fit(
    model: GPT,
    recipe: GPTRecipe,
    live: bool | None = None,
    valid_points: int = 5,
    valid_chars: int = VALID_SAMPLE,
) -> History:
    """Train `model` by `recipe` through the course's loop; the validation
    curve scores `valid_sample(valid_chars)` `valid_points` times."""
    c = recipe.train
    batches = random_batches(
        corpus().train, recipe.model.context, c.batch_size, recipe.seed
    )
    optimizer = optimizer_for(model, c)
    step = make_step(model, batches, lm_loss, optimizer, c.clip, c.lr_at)
    sample = valid_sample(valid_chars)
    return train(
        step,
        c.n_steps,
        validate=lambda: valid_loss(model, sample),
        valid_every=max(1, c.n_steps // valid_points),
        desc=recipe.label,
        live=live,
        ylabel="loss (nats per character)",
    )


def load_or_train(
    name: str,
    force: bool = False,
    live: bool | None = None,
    recipe: GPTRecipe | None = None,
) -> tuple[GPT, CharVocab, History, bool]:
    """(model, vocab, history, was_cached) for `RECIPES[name]` (or `recipe`),
    through the model cache; COURSE_QUICK shortens the training."""
    from utils.cache import cached_model
    from utils.runtime import get_device, train_steps

    recipe = recipe or RECIPES[name]
    c = recipe.train
    recipe = replace(recipe, train=replace(c, n_steps=train_steps(c.n_steps)))
    device = get_device()
    config = {"model": asdict(recipe.model), "train": asdict(recipe.train)}
    model, history, was_cached = cached_model(
        name=recipe.name,
        config=config,
        seed=recipe.seed,
        data=corpus().fingerprint,
        build=lambda: build_model(recipe).to(device),
        fit=lambda m: fit(m, recipe, live=live),
        force=force,
    )
    return model, corpus().vocab, history, was_cached
