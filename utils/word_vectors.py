"""Word vectors: from one-hot codes to word2vec, and how to search among them
(part 1, lesson 2, "From words to tensors").

Why: a model needs numbers for words, and the lesson's question is which
numbers. One-hot and ordinal codes know nothing about meaning; word2vec,
trained here live on Shakespeare, puts words used alike close together, and
cosines measure "close". What is here, in the lesson's order:

- one-hot and ordinal codes, distances and cosines between them, and one
  picture for both (`draw_closeness`: close pairs are bright in either);
- the Shakespeare corpus as tokenised sentences (`shakespeare_words`,
  `split_sentences`);
- a word2vec training wrapper (gensim) that gives the same vectors on every run;
- `Space`: a model's most frequent words as unit vectors, for nearest
  neighbours and analogies, and the printed tables of both.

Analogies are written a : b :: c : ? ("man is to king as woman is to ?") and
answered with the word nearest to b - a + c, everywhere in the course.
The benchmarks are in `utils.vector_eval`, the fixed-vocabulary lookup in
`utils.fixed_vocab`, the explorer widget in `utils.vector_explorer`.
gensim is imported inside the functions that need it.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from utils.style import PALETTE

# --- One-hot and ordinal codes -----------------------------------------------------


def ordinal_codes(words: Iterable[str]) -> dict[str, int]:
    """Each distinct word gets the next integer, in order of first appearance."""
    codes: dict[str, int] = {}
    for word in words:
        codes.setdefault(word, len(codes))
    return codes


def one_hot(words: Sequence[str], codes: dict[str, int] | None = None) -> np.ndarray:
    """One row per word: all zeros except a 1 in the word's own column.

    Returns a (len(words), vocabulary size) float array.
    """
    codes = codes if codes is not None else ordinal_codes(words)
    out = np.zeros((len(words), len(codes)))  # (n_words, vocab)
    for row, word in enumerate(words):
        out[row, codes[word]] = 1.0
    return out


def distance_matrix(x: np.ndarray) -> np.ndarray:
    """Euclidean distance between every pair of rows of x (n, d) -> (n, n)."""
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    diff = x[:, None, :] - x[None, :, :]  # (n, n, d)
    return np.sqrt((diff**2).sum(axis=-1))


def cosine(u: Sequence[float], v: Sequence[float]) -> float:
    """Cosine of the angle between u and v: 1 same direction, 0 perpendicular,
    -1 opposite. 0.0 if either vector is all zeros."""
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    return float(u @ v / norms) if norms > 0 else 0.0


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Every row scaled to length 1 (rows of zeros stay zeros); float32 or wider."""
    x = np.asarray(x)
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def cosine_matrix(x: np.ndarray) -> np.ndarray:
    """Cosine between every pair of rows of x (n, d) -> (n, n)."""
    unit = unit_rows(np.asarray(x, dtype=np.float64))
    return unit @ unit.T


# How to read each kind of matrix: its colour map (close pairs are bright, yellow,
# in both) and its colour bar's label.
CLOSENESS = {
    "distance": ("viridis_r", "distance (lower = closer)"),
    "cosine": ("viridis", "cosine (higher = closer)"),
}


def draw_closeness(
    ax: Axes, matrix: np.ndarray, words: Sequence[str], title: str, kind: str
) -> None:
    """A (n, n) matrix of distances or cosines (`kind`) between `words`, each
    cell labelled with its value. Close pairs are bright in both kinds, and
    the colour bar has "closer" at its top: 0 for distances, 1 for cosines."""
    cmap, label = CLOSENESS[kind]
    m = np.asarray(matrix, dtype=float)
    lo, hi = (0.0, max(m.max(), 1e-9)) if kind == "distance" else (min(m.min(), 0), 1)
    im = ax.imshow(m, cmap=cmap, vmin=lo, vmax=hi)
    for (i, j), value in np.ndenumerate(m):
        close = (value - lo) / (hi - lo)
        close = 1 - close if kind == "distance" else close  # 1: the brightest
        ax.text(j, i, f"{value:.1f}", ha="center", va="center",
                color="black" if close > 0.6 else "white")  # fmt: skip
    ax.set_xticks(range(len(words)), words, rotation=45)
    ax.set_yticks(range(len(words)), words)
    ax.set_title(title)
    ax.grid(False)
    bar = ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label=label)
    if kind == "distance":
        bar.ax.invert_yaxis()  # 0, the closest, at the top


# --- The Shakespeare corpus: sentences and tokens ------------------------------------

STAGE_DIRECTION = re.compile(r"\[[^\]]*\]")  # [Exit.], [Enter BERTRAM, ...]
SENTENCE_END = re.compile(r"[.!?]+|\n\s*\n")  # full stops and blank lines
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")  # letters, with inner apostrophes: o'er


def shakespeare_words(text: str) -> list[str]:
    """The corpus's tokens: lowercase words; punctuation and digits are dropped.

    Inner apostrophes stay ("o'er", "liv'd"), but a possessive "'s" becomes its
    own token, as in GloVe's vocabulary ("father's" -> "father", "'s").
    """
    tokens: list[str] = []
    for word in WORD.findall(text.lower()):
        if word.endswith("'s") and len(word) > 2:
            tokens += [word[:-2], "'s"]
        else:
            tokens.append(word)
    return tokens


def is_heading(line: str) -> bool:
    """True for a line with capitals and no lowercase letter: a speaker's name
    ("LAFEU."), a title, or "ACT I." (some plays abbreviate speakers as "Hor.";
    those stay in, a little noise)."""
    return bool(re.search(r"[A-Z]", line)) and not re.search(r"[a-z]", line)


def split_sentences(text: str) -> list[list[str]]:
    """The corpus as a list of tokenised sentences, the input word2vec expects.

    Three simple rules: drop stage directions in [brackets] and heading lines
    (`is_heading`); end a sentence at ".", "!", "?" or a blank line; tokenise
    with `shakespeare_words` and keep sentences with at least one token.
    """
    text = STAGE_DIRECTION.sub(" ", text)
    text = "\n".join(line for line in text.splitlines() if not is_heading(line))
    sentences = (shakespeare_words(chunk) for chunk in SENTENCE_END.split(text))
    return [s for s in sentences if s]


# --- word2vec, trained live -------------------------------------------------------------


def stable_hash(text: str) -> int:
    """A hash that is the same in every Python process (CRC-32 of the UTF-8 bytes).

    gensim's default is Python's `hash`, which is salted per process for strings
    (PYTHONHASHSEED). Passing this one instead removes that doubt for good.
    """
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class Word2VecConfig:
    """Everything that decides the trained vectors."""

    vector_size: int = 100  # dimensions per word
    window: int = 5  # context words on each side
    min_count: int = 5  # rarer words are dropped from the vocabulary
    sg: int = 0  # 0: CBOW (predict a word from its context), 1: skip-gram
    negative: int = 5  # negative samples per prediction
    epochs: int = 20  # passes over the corpus
    seed: int = 0


EPOCH_BAR = "{desc}: {n_fmt}/{total_fmt} {bar} {postfix}"  # no timing text


@dataclass
class Trained:
    """A trained word2vec model, its loss per epoch and the training time."""

    model: Any  # gensim.models.Word2Vec
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def wv(self) -> Any:
        """The word vectors (gensim KeyedVectors)."""
        return self.model.wv


def train_word2vec(
    sentences: list[list[str]],
    config: Word2VecConfig = Word2VecConfig(),
    *,
    live: bool = False,
) -> Trained:
    """Train word2vec with gensim, repeatably: one worker thread, a fixed seed, a
    fixed number of epochs and a process-independent hash.

    `live=True` shows a notebook progress bar of epochs with the latest loss (no
    timing text); static views (GitHub, nbval) show a line of text in its
    place, not the bar frozen at 0/20 (`utils.training.show_bar`). The loss is
    the sum of word2vec's losses over one epoch.
    """
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from tqdm import tqdm

    desc = "word2vec epochs"
    if live:
        from utils.training import live_bar, show_bar

        bar = live_bar(config.epochs, desc, bar_format=EPOCH_BAR)
        show_bar(bar, f"{desc}: {config.epochs} passes over the corpus (a live bar)")
    else:
        bar = tqdm(total=config.epochs, desc=desc, disable=True)

    class EpochLoss(CallbackAny2Vec):
        """Records the loss of each epoch. gensim keeps a running total in 32-bit
        floats, which stops counting small losses once it passes 2**24 (about
        17M), so the total is reset to 0 at the start of every epoch."""

        def __init__(self) -> None:
            self.losses: list[float] = []

        def on_epoch_begin(self, model: Any) -> None:
            model.running_training_loss = 0.0

        def on_epoch_end(self, model: Any) -> None:
            self.losses.append(float(model.get_latest_training_loss()))
            bar.update(1)
            bar.set_postfix(loss=f"{self.losses[-1]:,.0f}")

    callback = EpochLoss()
    start = time.perf_counter()
    model = Word2Vec(
        sentences,
        vector_size=config.vector_size,
        window=config.window,
        min_count=config.min_count,
        sg=config.sg,
        negative=config.negative,
        epochs=config.epochs,
        seed=config.seed,
        workers=1,  # with more threads, the order of updates (so the result) varies
        hashfxn=stable_hash,
        compute_loss=True,
        callbacks=[callback],
    )
    seconds = time.perf_counter() - start
    bar.close()
    return Trained(model, callback.losses, seconds)


def draw_epoch_losses(ax: Axes, losses: Sequence[float]) -> None:
    """word2vec's training loss, one point per pass over the corpus."""
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, np.asarray(losses) / 1e6, "o-", color=PALETTE["blue"])
    ax.set(
        title="word2vec on Shakespeare: loss per epoch",
        xlabel="epoch (pass over the corpus)",
        ylabel="summed loss (millions of nats)",
    )


# --- A search space: nearest neighbours and analogies ------------------------------------


@dataclass
class Space:
    """A model's search space: its `n` most frequent words as unit vectors, so
    that one matrix product gives the cosine to all of them."""

    kv: Any
    words: list[str]
    unit: np.ndarray  # (n_words, d), rows of length 1
    index: dict[str, int]

    @classmethod
    def of(cls, kv: Any, n: int | None = None) -> Space:
        """The first `n` words of KeyedVectors `kv` (None: all)."""
        words = list(kv.index_to_key[:n])
        unit = unit_rows(np.asarray(kv.vectors[: len(words)]))
        return cls(kv, words, unit, {w: i for i, w in enumerate(words)})

    def __contains__(self, word: str) -> bool:
        return word in self.kv.key_to_index

    def vector(self, word: str) -> np.ndarray:
        """The unit vector of any word the model knows (in the space or not)."""
        return unit_rows(np.asarray(self.kv[word])[None, :])[0]  # (d,)

    def nearest(
        self, queries: np.ndarray, k: int, exclude: Sequence[Iterable[str]] = ()
    ) -> list[list[tuple[str, float]]]:
        """For each query vector, the k words closest to it by cosine, skipping
        the words in its `exclude` set. One matrix product for all queries."""
        queries = unit_rows(np.atleast_2d(queries))  # (n_queries, d)
        sims = self.unit @ queries.T  # (n_words, n_queries)
        out = []
        for q in range(len(queries)):
            skip = set(exclude[q]) if q < len(exclude) else set()
            column = sims[:, q]
            take = min(len(column), k + len(skip))
            best = np.argpartition(-column, take - 1)[:take] if take else []
            best = sorted(best, key=lambda i: (-column[i], i))  # ties: frequent first
            found = [(self.words[i], float(column[i])) for i in best]
            out.append([(w, c) for w, c in found if w not in skip][:k])
        return out

    def analogy(self, a: str, b: str, c: str, k: int = 3) -> list[tuple[str, float]]:
        """a : b :: c : ? ("man : king :: woman : ?"): the k words nearest to
        b - a + c on unit vectors ("king - man + woman"), a, b and c excluded
        (gensim's 3CosAdd)."""
        query = self.vector(b) - self.vector(a) + self.vector(c)  # (d,)
        return self.nearest(query, k, exclude=[{a, b, c}])[0]


# --- Neighbours and analogies, printed ---------------------------------------------------


def neighbour_table(
    models: dict[str, tuple[Any, int | None]], words: Sequence[str], topn: int = 5
) -> str:
    """Each word's nearest neighbours in each model, one line per (word, model).

    `models` maps a name to (KeyedVectors, restrict_vocab): neighbours are
    searched among the model's first `restrict_vocab` words (None: all)."""
    width = max(len(name) for name in models)
    lines = []
    for word in words:
        for i, (name, (kv, n)) in enumerate(models.items()):
            if word in kv.key_to_index:
                near = kv.most_similar(word, topn=topn, restrict_vocab=n)
                found = ", ".join(w for w, _ in near)
            else:
                found = "(not in the vocabulary)"
            lines.append(f"{word if i == 0 else '':<8} {name:<{width}} | {found}")
    return "\n".join(lines)


def analogy_table(
    models: dict[str, tuple[Any, int | None]],
    questions: Sequence[tuple[str, str, str]],
    topn: int = 3,
) -> str:
    """Each question a : b :: c : ?, printed as "b - a + c", in each model: the
    `topn` words nearest to b - a + c (a, b and c excluded) with their cosines."""
    width = max(len(name) for name in models)
    lines = []
    for a, b, c in questions:
        lines.append(f"{b} - {a} + {c}")
        for name, (kv, n) in models.items():
            if all(w in kv.key_to_index for w in (a, b, c)):
                near = kv.most_similar(
                    positive=[b, c], negative=[a], topn=topn, restrict_vocab=n
                )
                found = ", ".join(f"{w} ({s:.2f})" for w, s in near)
            else:
                found = "(a word is not in the vocabulary)"
            lines.append(f"   {name:<{width}} | {found}")
    return "\n".join(lines)
