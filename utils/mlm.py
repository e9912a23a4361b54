"""Masked-language modelling, BERT's pretraining task, on a tiny encoder
(part 2, lesson 2.1).

Hide some words of raw text and train an encoder to guess them from both
sides: the text is its own answer key. The encoder is part 1's `Encoder`
(lesson 6's blocks, every position sees every position) with a
vocabulary-sized layer on top; the text is lesson 2.2's Shakespeare, one
character per token, so that a minute of training on a laptop learns
something to show (spelling, then words), where a word-level model only
learns which words are common.

Ids: 0 is <pad> (part 1's embeddings keep it at zero), 1 is <mask>, and
character c of the corpus is 2 + its id there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from utils.tasks.shakespeare import CharVocab, corpus
from utils.text import PAD_ID
from utils.training import History
from utils.transformer import Encoder

MASK_ID = 1
SHIFT = 2  # character id + SHIFT = token id
BLANK = "_"  # how a hidden character is written in fill_blank's text
IGNORE = -100  # the target of every position that was not hidden
SHOWN = {" ": "␣", "\n": "⏎"}  # how the fill-in widget shows a space, a new line


@dataclass(frozen=True)
class MLMConfig:
    """The encoder's sizes, the words it knows, and its training: BERT's
    recipe (hide 15 %: 80 % of those become <mask>, 10 % a random word, 10 %
    stay) on windows of `window` words."""

    d_model: int = 128
    n_heads: int = 4
    d_ff: int = 512
    n_layers: int = 2
    window: int = 64
    batch_size: int = 32
    n_steps: int = 700
    lr: float = 4e-3
    warmup: int = 50
    mask_rate: float = 0.15
    seed: int = 0


def vocab_size() -> int:
    return SHIFT + len(corpus().vocab)


def mask_tokens(
    ids: torch.Tensor, vocab_size: int, rate: float, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """(inputs, targets) for ids (batch, n): `rate` of the positions are
    hidden; targets hold the original id there and IGNORE elsewhere."""
    u = torch.rand(ids.shape, generator=generator)  # (batch, n)
    hidden = u < rate
    how = torch.rand(ids.shape, generator=generator)
    random_words = torch.randint(SHIFT, vocab_size, ids.shape, generator=generator)
    inputs = ids.clone()
    inputs[hidden & (how < 0.8)] = MASK_ID
    swap = hidden & (how >= 0.8) & (how < 0.9)
    inputs[swap] = random_words[swap]
    targets = torch.where(hidden, ids, torch.full_like(ids, IGNORE))
    return inputs, targets


class MaskedLM(nn.Module):
    """Part 1's encoder and one linear layer: a score for every word of the
    vocabulary at every position."""

    def __init__(self, vocab_size: int, c: MLMConfig) -> None:
        super().__init__()
        self.encoder = Encoder(vocab_size, c.d_model, c.n_heads, c.d_ff, c.n_layers)
        self.out = nn.Linear(c.d_model, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids != PAD_ID)[:, None, None, :]  # (batch, 1, 1, n)
        return self.out(self.encoder(ids, mask))  # (batch, n, vocab)


def mlm_loss(model: MaskedLM, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Cross-entropy over the hidden positions only (nats per hidden character)."""
    inputs, targets = batch
    logits = model(inputs)  # (batch, n, vocab)
    return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(),
                                       ignore_index=IGNORE)  # fmt: skip


def batches(ids: torch.Tensor, c: MLMConfig, vocab_size: int, seed: int):
    """Endless (inputs, targets) batches of random windows of `ids`."""
    g = torch.Generator().manual_seed(seed)
    while True:
        starts = torch.randint(0, len(ids) - c.window, (c.batch_size,), generator=g)
        windows = torch.stack([ids[s : s + c.window] for s in starts.tolist()])
        yield mask_tokens(windows, vocab_size, c.mask_rate, g)


@torch.no_grad()
def valid_loss(model: MaskedLM, c: MLMConfig, n_batches: int = 20) -> float:
    """The loss on hidden characters of held-out text, with a fixed seed:
    the same windows and the same hidden characters every time."""
    model.eval()
    stream = batches(corpus().valid + SHIFT, c, vocab_size(), seed=1234)
    return (
        sum(float(mlm_loss(model, next(stream))) for _ in range(n_batches)) / n_batches
    )


@torch.no_grad()
def accuracy(model: MaskedLM, c: MLMConfig, n_batches: int = 20) -> tuple[float, float]:
    """(top 1, top 3): how often the hidden character of held-out text is the
    model's first guess, and among its first three (the same hidden
    characters as `valid_loss`)."""
    model.eval()
    stream = batches(corpus().valid + SHIFT, c, vocab_size(), seed=1234)
    hits1 = hits3 = total = 0
    for _ in range(n_batches):
        inputs, targets = next(stream)
        logits = model(inputs)  # (batch, n, vocab)
        hidden = targets != IGNORE
        top3 = logits[hidden].topk(3, dim=-1).indices  # (hidden, 3)
        truth = targets[hidden][:, None]  # (hidden, 1)
        hits1 += int((top3[:, :1] == truth).sum())
        hits3 += int((top3 == truth).any(-1).sum())
        total += len(truth)
    return hits1 / total, hits3 / total


def fit(model: MaskedLM, c: MLMConfig, live: bool | None = None) -> History:
    """Train `model` for `c.n_steps` steps through the course's loop."""
    from utils.training import make_step, train

    stream = batches(corpus().train + SHIFT, c, vocab_size(), c.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=0.01)
    step = make_step(model, stream, mlm_loss, opt,
                     clip=1.0, schedule=lambda i: c.lr * min(1, (i + 1) / c.warmup)
                     * (1 - i / c.n_steps))  # fmt: skip
    return train(step, c.n_steps, validate=lambda: valid_loss(model, c),
                 valid_every=max(1, c.n_steps // 5), desc="masked LM", live=live,
                 ylabel="loss (nats per hidden character)")  # fmt: skip


def load_or_train(
    c: MLMConfig = MLMConfig(), force: bool = False, live: bool | None = None
) -> tuple[MaskedLM, History]:
    """The trained MaskedLM of config `c`, through the model cache;
    COURSE_QUICK shortens the training."""
    from utils.cache import cached_model
    from utils.runtime import train_steps

    c = replace(c, n_steps=train_steps(c.n_steps))
    model, history, _ = cached_model(
        name="masked_lm",
        config=asdict(c),
        seed=c.seed,
        data=corpus().fingerprint,
        build=lambda: MaskedLM(vocab_size(), c),
        fit=lambda m: fit(m, c, live=live),
        force=force,
    )
    return model.eval(), history


@dataclass(frozen=True)
class Filled:
    text: str  # the input with each blank filled by its likeliest character
    choices: list[list[tuple[str, float]]]  # per blank: the top characters


@torch.no_grad()
def fill_blank(model: MaskedLM, text: str, k: int = 3) -> Filled:
    """Fill every "_" of `text` with the model's likeliest character, all at
    once (each blank is guessed from the text around it, not from the other
    guesses)."""
    vocab: CharVocab = corpus().vocab
    if BLANK not in text:
        raise ValueError(f'write at least one "{BLANK}" where a character is hidden')
    bad = vocab.unknown(text.replace(BLANK, ""))
    if bad:
        raise ValueError(
            "characters Shakespeare never uses: " + " ".join(map(repr, bad[:8]))
        )
    ids = [MASK_ID if ch == BLANK else vocab.ids[ch] + SHIFT for ch in text]
    model.eval()
    logits = model(torch.tensor([ids]))[0]  # (n, vocab)
    logits[:, :SHIFT] = float("-inf")  # never <pad> or <mask>
    probs = logits.softmax(-1)
    out, choices = list(text), []
    for i, token in enumerate(ids):
        if token == MASK_ID:
            top = probs[i].topk(k)
            pairs = [(vocab.chars[j - SHIFT], float(p))
                     for p, j in zip(top.values, top.indices.tolist())]  # fmt: skip
            out[i] = pairs[0][0]
            choices.append(pairs)
    return Filled("".join(out), choices)


def make_fill_update(model: MaskedLM):
    """The fill-in widget's update(text) -> View: `text` with each "_"
    filled, and the top 3 characters of each blank."""
    import html

    from utils.widgets import View, clean_text

    def update(text: str = "") -> View:
        text, message = clean_text(text, 500)
        if not text:
            return View(message=message)
        try:
            filled = fill_blank(model, text)
        except ValueError as err:
            why = str(err)
            return View(message=why[0].upper() + why[1:] + ".")
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(SHOWN.get(c, c))} {p:.0%}</td>" for c, p in top
            )
            + "</tr>"
            for top in filled.choices
        )
        return View(
            html=f"<pre style='font-size:16px'>{html.escape(filled.text)}</pre>"
            f"<table style='font-size:14px'><tr><th colspan=3>top 3 for each blank</th>"
            f"</tr>{rows}</table>",
            message=message,
        )

    return update
