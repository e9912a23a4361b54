"""Sentiment of film-review sentences (part 2, lesson 2.1): gensim's
`pang_lee_polarity.cor`, 200 sentences labelled negative or positive (100
each), and three classifiers scored by the same 10-fold cross-validation:

- `majority`: always the commonest label of the training folds;
- `frozen`: MiniLM's sentence vectors as fixed features, then scikit-learn's
  logistic regression;
- `finetune`: MiniLM itself trained further, with a linear head on its
  mean-pooled vectors, through the course's training loop.
"""

from __future__ import annotations

import copy
import functools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

LABELS = ("negative", "positive")
FOLDS = 10

# fit_predict(train_texts, train_labels, test_texts) -> predicted labels
FitPredict = Callable[[list[str], list[int], list[str]], list[int]]


@functools.lru_cache(maxsize=1)
def load() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(texts, labels): 0 negative, 1 positive, in the file's order."""
    from utils.assets import gensim_data

    text = gensim_data("pang_lee_polarity").read_text(encoding="cp1252")
    texts, labels = [], []
    for line in text.splitlines():
        tag, _, sentence = line.partition(" ")
        texts.append(sentence.strip())
        labels.append({"__label__neg": 0, "__label__pos": 1}[tag])
    return tuple(texts), tuple(labels)


def folds(labels: Sequence[int], k: int = FOLDS, seed: int = 0) -> list[tuple]:
    """k (train, test) index arrays, each test fold with the labels' balance
    (scikit-learn's StratifiedKFold, shuffled by `seed`)."""
    from sklearn.model_selection import StratifiedKFold

    split = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(split.split(np.zeros(len(labels)), labels))


@dataclass
class CVResult:
    """Accuracy on each held-out fold, and the confusion matrix summed over
    folds: confusion[true, predicted]."""

    name: str
    accuracies: list[float] = field(default_factory=list)
    confusion: np.ndarray = field(default_factory=lambda: np.zeros((2, 2), int))

    @property
    def mean(self) -> float:
        return statistics.mean(self.accuracies)

    @property
    def sd(self) -> float:
        return statistics.stdev(self.accuracies)

    def row(self) -> str:
        return f"{self.name}: {self.mean:.1%} ± {self.sd:.1%} over {len(self.accuracies)} folds"


def cross_validate(
    name: str, fit_predict: FitPredict, k: int = FOLDS, live: bool = False
) -> CVResult:
    """Train on k-1 folds, score the held-out one, k times."""
    from utils.training import live_bar, show_bar

    texts, labels = load()
    result = CVResult(name)
    bar = live_bar(k, name) if live else None
    if bar is not None:
        show_bar(bar, f"{name}: {k} folds (a live bar)")
    for train_idx, test_idx in folds(labels, k):
        predicted = fit_predict(
            [texts[i] for i in train_idx],
            [labels[i] for i in train_idx],
            [texts[i] for i in test_idx],
        )
        truth = [labels[i] for i in test_idx]
        result.accuracies.append(
            sum(p == t for p, t in zip(predicted, truth)) / len(truth)
        )
        for t, p in zip(truth, predicted):
            result.confusion[t, p] += 1
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return result


def majority(
    train_texts: list[str], train_labels: list[int], test_texts: list[str]
) -> list[int]:
    """The commonest training label for every test sentence (ties: negative)."""
    common = max(sorted(set(train_labels)), key=train_labels.count)
    return [common] * len(test_texts)


@functools.lru_cache(maxsize=1)
def _features() -> dict[str, np.ndarray]:
    from utils.minilm import sentence_vectors

    texts, _ = load()
    return dict(zip(texts, sentence_vectors(texts).numpy()))


def frozen(
    train_texts: list[str], train_labels: list[int], test_texts: list[str]
) -> list[int]:
    """Logistic regression on MiniLM's (fixed) sentence vectors."""
    from sklearn.linear_model import LogisticRegression

    vectors = _features()
    model = LogisticRegression(max_iter=1000)
    model.fit(np.stack([vectors[t] for t in train_texts]), train_labels)
    return model.predict(np.stack([vectors[t] for t in test_texts])).tolist()


class MiniLMClassifier(nn.Module):
    """MiniLM (a trainable copy), mean pooling over real tokens, a linear head."""

    def __init__(self) -> None:
        from utils.assets import load_minilm

        super().__init__()
        self.tokenizer, encoder = load_minilm()
        self.encoder = copy.deepcopy(encoder)  # the shared model stays as it is
        self.head = nn.Linear(encoder.config.hidden_size, len(LABELS))

    def forward(self, texts: Sequence[str]) -> torch.Tensor:
        from utils.minilm import mean_pool

        enc = self.tokenizer(list(texts), padding=True, truncation=True,
                             max_length=128, return_tensors="pt")  # fmt: skip
        hidden = self.encoder(**enc).last_hidden_state  # (b, seq, 384)
        return self.head(mean_pool(hidden, enc["attention_mask"]))  # (b, 2) logits


@dataclass(frozen=True)
class FineTune:
    """`n_steps` AdamW steps of `batch_size` sentences (about two passes over
    a fold's 180), at `lr` decayed linearly to 0."""

    n_steps: int = 24
    batch_size: int = 16
    lr: float = 1e-4
    seed: int = 0


def finetune_fit(
    texts: list[str], labels: list[int], config: FineTune = FineTune()
) -> MiniLMClassifier:
    """A MiniLMClassifier trained on (texts, labels) through `train`."""
    from utils.runtime import train_steps
    from utils.training import make_step, train

    torch.manual_seed(config.seed)
    model = MiniLMClassifier()
    n_steps = train_steps(config.n_steps)
    g = torch.Generator().manual_seed(config.seed)

    def batches():
        while True:
            for i in torch.randperm(len(texts), generator=g).split(config.batch_size):
                yield [texts[j] for j in i], torch.tensor([labels[j] for j in i])

    def loss(m: MiniLMClassifier, batch) -> torch.Tensor:
        return nn.functional.cross_entropy(m(batch[0]), batch[1])

    opt = torch.optim.AdamW(model.parameters(), lr=config.lr)
    step = make_step(model, batches(), loss, opt, clip=1.0,
                     schedule=lambda i: config.lr * (1 - i / n_steps))  # fmt: skip

    train(step, n_steps, live=False)
    return model.eval()


@torch.no_grad()
def predict(model: MiniLMClassifier, texts: Sequence[str]) -> list[int]:
    return model(texts).argmax(-1).tolist()


def finetune(
    train_texts: list[str], train_labels: list[int], test_texts: list[str]
) -> list[int]:
    """Fine-tune a fresh copy of MiniLM on the training folds; predict."""
    return predict(finetune_fit(train_texts, train_labels), test_texts)
