"""Word embeddings: from one-hot codes to word2vec and GloVe (part 1, lesson 2).

What is here, in the order the lesson uses it:

- one-hot and ordinal codes, and the distances between them;
- a documented sentence splitter and tokeniser for the Shakespeare corpus;
- a word2vec training wrapper (gensim) that gives the same vectors on every run;
- honest evaluation: analogy accuracy and Spearman correlation, each with the
  fraction of the test set that the vocabulary covers, also on the subset that
  every model covers;
- the pictures behind the deck's claims: cosine histograms, antonyms;
- the embedding lookup at the start of a model, and the preprocessing that
  crowbars a messy sentence into a fixed vocabulary;
- a 2-D PCA projection and the embedding explorer widget's `update` function;
- the lesson's exercise checks.

gensim and torch are imported inside the functions that need them.
"""

from __future__ import annotations

import html
import re
import tempfile
import time
import warnings
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from utils.exercises import check
from utils.style import COLORS, PALETTE
from utils.widgets import View, clean_text, figure_png

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


# --- The Shakespeare corpus: sentences and tokens ------------------------------------

STAGE_DIRECTION = re.compile(r"\[[^\]]*\]")  # [Exit.], [Enter BERTRAM, ...]
SENTENCE_END = re.compile(r"[.!?]+|\n\s*\n")  # full stops and blank lines
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")  # letters, with inner apostrophes: o'er


def tokenize(text: str) -> list[str]:
    """Lowercase words; punctuation and digits are dropped.

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
    with `tokenize` and keep sentences with at least one token.
    """
    text = STAGE_DIRECTION.sub(" ", text)
    text = "\n".join(line for line in text.splitlines() if not is_heading(line))
    sentences = (tokenize(chunk) for chunk in SENTENCE_END.split(text))
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

    `live=True` shows a progress bar of epochs with the latest loss (no timing
    text). The loss is the sum of word2vec's losses over one epoch.
    """
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from tqdm.auto import tqdm

    bar = tqdm(
        total=config.epochs,
        desc="word2vec epochs",
        disable=not live,
        bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {postfix}",
    )

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
    """a - b + c in each model: the `topn` nearest words (a, b and c excluded)
    with their cosines."""
    width = max(len(name) for name in models)
    lines = []
    for a, b, c in questions:
        lines.append(f"{a} - {b} + {c}")
        for name, (kv, n) in models.items():
            if all(w in kv.key_to_index for w in (a, b, c)):
                near = kv.most_similar(
                    positive=[a, c], negative=[b], topn=topn, restrict_vocab=n
                )
                found = ", ".join(f"{w} ({s:.2f})" for w, s in near)
            else:
                found = "(a word is not in the vocabulary)"
            lines.append(f"   {name:<{width}} | {found}")
    return "\n".join(lines)


# --- Evaluation: analogies and word similarity --------------------------------------

# On a busy 2-core machine, multi-threaded BLAS spends most of its time waiting
# for the other thread on the small products that gensim's evaluation does one
# question at a time; one thread is several times faster there.
EVAL_THREADS = 1


def _one_blas_thread() -> Any:
    """A context that runs BLAS on one thread (no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover -- threadpoolctl is in the locked env
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(EVAL_THREADS)


@dataclass(frozen=True)
class Score:
    """One evaluation result: a model on a task, on some subset of the test set."""

    model: str
    task: str  # "analogies" (accuracy) or "wordsim353" (Spearman)
    subset: str  # "own" (all it covers) or "common" (covered by every model)
    score: float
    covered: int  # questions or pairs scored
    total: int  # questions or pairs in the test set

    @property
    def coverage(self) -> float:
        return self.covered / self.total if self.total else 0.0


def read_analogies(path: str | Path) -> list[tuple[str, str, str, str]]:
    """The 4-word questions of an analogy file ("a b c d": a is to b as c is to d),
    without the ": section" lines."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) == 4 and not line.startswith(":"):
            out.append(tuple(words))
    return out  # type: ignore[return-value]


def read_pairs(path: str | Path) -> list[tuple[str, str, float]]:
    """The (word, word, human score) lines of a tab-separated pair file."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) != 3:
            continue
        out.append((parts[0], parts[1], float(parts[2])))
    return out


def vocabulary(kv: Any, restrict_vocab: int | None = None) -> set[str]:
    """The words a model is evaluated on: its first `restrict_vocab` words,
    uppercased as gensim's case-insensitive evaluation compares them."""
    return {w.upper() for w in kv.index_to_key[:restrict_vocab]}


def _covered(words: Iterable[str], vocabs: Sequence[set[str]]) -> bool:
    return all(w.upper() in v for w in words for v in vocabs)


def write_subset(path: str | Path, out: str | Path, vocabs: Sequence[set[str]]) -> Path:
    """Copy a test file, keeping only the lines whose words every vocabulary in
    `vocabs` covers (and the comment and ": section" lines)."""
    kept = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith((":", "#")):
            kept.append(line)
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        words = parts[:2] if "\t" in line else parts
        if _covered(words, vocabs):
            kept.append(line)
    out = Path(out)
    out.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return out


def evaluate_analogies(
    kv: Any,
    path: str | Path,
    restrict_vocab: int | None = None,
    *,
    name: str = "model",
    subset: str = "own",
    total: int | None = None,
) -> Score:
    """Analogy accuracy with gensim's `evaluate_word_analogies` (3CosAdd: the
    nearest word to b - a + c, inputs excluded), on the questions whose four
    words are in the model's first `restrict_vocab` words; the rest are skipped
    and counted in the coverage. `total` is the size of the full test set."""
    n_words = restrict_vocab or len(kv.index_to_key)
    with _one_blas_thread():
        accuracy, sections = kv.evaluate_word_analogies(
            str(path), restrict_vocab=n_words, case_insensitive=True
        )
    overall = sections[-1]
    covered = len(overall["correct"]) + len(overall["incorrect"])
    total = total if total is not None else len(read_analogies(path))
    return Score(name, "analogies", subset, float(accuracy), covered, total)


def evaluate_pairs(
    kv: Any,
    path: str | Path,
    restrict_vocab: int | None = None,
    *,
    name: str = "model",
    subset: str = "own",
    total: int | None = None,
) -> Score:
    """Spearman correlation between the model's cosines and human similarity
    scores, with gensim's `evaluate_word_pairs`, on the pairs the model covers."""
    n_words = restrict_vocab or len(kv.index_to_key)
    with _one_blas_thread():
        _pearson, spearman, _oov = kv.evaluate_word_pairs(
            str(path), restrict_vocab=n_words, case_insensitive=True
        )
    vocab = vocabulary(kv, n_words)
    pairs = read_pairs(path)
    covered = sum(_covered(p[:2], [vocab]) for p in pairs)
    total = total if total is not None else len(pairs)
    return Score(name, Path(path).stem, subset, float(spearman[0]), covered, total)


def evaluate_models(
    models: dict[str, tuple[Any, int | None]],
    analogies: str | Path,
    pairs: str | Path,
    workdir: str | Path | None = None,
) -> list[Score]:
    """Every model on both test sets: first on all it covers ("own"), then on the
    lines that every model covers ("common"), so the scores are comparable.

    `models` maps a name to (KeyedVectors, restrict_vocab).
    """
    n_analogies, n_pairs = len(read_analogies(analogies)), len(read_pairs(pairs))
    scores = []
    for name, (kv, n) in models.items():
        scores.append(evaluate_analogies(kv, analogies, n, name=name))
        scores.append(evaluate_pairs(kv, pairs, n, name=name))
    vocabs = [vocabulary(kv, n) for kv, n in models.values()]
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        common_a = write_subset(analogies, Path(tmp) / "analogies.txt", vocabs)
        common_p = write_subset(pairs, Path(tmp) / f"{Path(pairs).stem}.tsv", vocabs)
        for name, (kv, n) in models.items():
            scores.append(
                evaluate_analogies(
                    kv, common_a, n, name=name, subset="common", total=n_analogies
                )
            )
            scores.append(
                evaluate_pairs(
                    kv, common_p, n, name=name, subset="common", total=n_pairs
                )
            )
    return scores


def score_table(scores: Sequence[Score]) -> str:
    """The scores as a small text table, rounded."""
    lines = [
        f"{'model':<22} {'task':<10} {'subset':<7} {'covered':>13} {'coverage':>9} {'score':>6}"
    ]
    for s in scores:
        lines.append(
            f"{s.model:<22} {s.task:<10} {s.subset:<7} {f'{s.covered:,}/{s.total:,}':>13}"
            f" {s.coverage:>9.1%} {s.score:>6.3f}"
        )
    return "\n".join(lines)


def draw_scores(axes: Sequence[Axes], scores: Sequence[Score]) -> None:
    """One panel per task: each model's score on its own coverage and on the
    common subset, as grouped bars."""
    tasks = list(dict.fromkeys(s.task for s in scores))
    models = list(dict.fromkeys(s.model for s in scores))
    labels = {"analogies": "accuracy", "wordsim353": "Spearman correlation"}
    for ax, task in zip(axes, tasks):
        for j, subset in enumerate(("own", "common")):
            values = [
                next(
                    s.score
                    for s in scores
                    if (s.model, s.task, s.subset) == (m, task, subset)
                )
                for m in models
            ]
            x = np.arange(len(models)) + (j - 0.5) * 0.38
            bars = ax.bar(
                x,
                values,
                width=0.36,
                color=COLORS[j],
                label={"own": "all it covers", "common": "common subset"}[subset],
            )
            ax.bar_label(bars, fmt="%.2f", fontsize=12)
        ax.set_xticks(np.arange(len(models)), models)
        ax.set(title=task, ylabel=labels.get(task, "score"), ylim=(0, 1))
    axes[0].legend(loc="upper left")


# --- The deck's claims: cosines of word pairs -----------------------------------------

# Pairs of opposites, written for this lesson: common English words, each word
# in GloVe's 50k most frequent words.
ANTONYMS: list[tuple[str, str]] = [
    ("hot", "cold"), ("good", "bad"), ("up", "down"), ("black", "white"),
    ("day", "night"), ("love", "hate"), ("rich", "poor"), ("big", "small"),
    ("fast", "slow"), ("young", "old"), ("happy", "sad"), ("open", "closed"),
    ("win", "lose"), ("buy", "sell"), ("north", "south"), ("east", "west"),
    ("left", "right"), ("top", "bottom"), ("first", "last"), ("early", "late"),
    ("high", "low"), ("long", "short"), ("hard", "soft"), ("light", "dark"),
    ("strong", "weak"), ("true", "false"), ("yes", "no"), ("always", "never"),
    ("before", "after"), ("alive", "dead"), ("war", "peace"), ("friend", "enemy"),
    ("male", "female"), ("inside", "outside"), ("increase", "decrease"),
    ("rise", "fall"), ("begin", "end"), ("wet", "dry"), ("cheap", "expensive"),
    ("clean", "dirty"), ("easy", "difficult"), ("success", "failure"),
    ("heaven", "hell"), ("life", "death"), ("king", "queen"), ("man", "woman"),
    ("father", "mother"), ("sweet", "sour"), ("wise", "foolish"), ("truth", "lie"),
]  # fmt: skip


def pair_cosines(
    kv: Any, pairs: Iterable[Sequence[str]], restrict_vocab: int | None = None
) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Cosines of the pairs whose two words are in the model's first
    `restrict_vocab` words; returns (cosines, the pairs kept)."""
    known = set(kv.index_to_key[:restrict_vocab])
    kept = [(a, b) for a, b, *_ in pairs if a in known and b in known]
    values = np.array([float(kv.similarity(a, b)) for a, b in kept])
    return values, kept


def random_pairs(
    kv: Any, n: int, restrict_vocab: int | None = None, seed: int = 0
) -> list[tuple[str, str]]:
    """`n` pairs of distinct words drawn at random (seeded) from the model's first
    `restrict_vocab` words."""
    words = kv.index_to_key[:restrict_vocab]
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        i, j = rng.integers(len(words), size=2)
        if i != j:
            out.append((words[i], words[j]))
    return out


def high_score_pairs(path: str | Path, min_score: float) -> list[tuple[str, str]]:
    """The pairs that people scored at least `min_score` (e.g. SimLex-999 >= 7:
    near-synonyms such as smart/intelligent)."""
    return [(a, b) for a, b, s in read_pairs(path) if s >= min_score]


def draw_cosine_histograms(
    ax: Axes,
    groups: dict[str, np.ndarray],
    title: str,
    colors: Sequence[str] | None = None,
) -> None:
    """Overlaid histograms of cosines (as fractions of each group), with each
    group's median marked."""
    bins = np.linspace(-0.6, 1.0, 33)
    colors = colors or COLORS
    for (label, values), color in zip(groups.items(), colors):
        weights = np.full(len(values), 1 / max(len(values), 1))
        ax.hist(
            values,
            bins=bins,
            weights=weights,
            histtype="stepfilled",
            alpha=0.35,
            color=color,
        )
        ax.hist(
            values,
            bins=bins,
            weights=weights,
            histtype="step",
            linewidth=2.5,
            color=color,
            label=f"{label} (n={len(values)}, median {np.median(values):.2f})",
        )
        ax.axvline(np.median(values), color=color, linestyle="--", linewidth=2)
    ax.axvline(0, color=PALETTE["black"], linewidth=1)
    ax.set(title=title, xlabel="cosine similarity", ylabel="fraction of pairs")
    ax.legend(loc="upper left", fontsize=12)


def neighbour_rank(space: Space, word: str, other: str) -> int:
    """Where `other` comes among `word`'s nearest neighbours in a search space
    (1 = the nearest)."""
    sims = space.unit @ space.vector(word)  # (n_words,)
    target = float(space.vector(word) @ space.vector(other))
    ahead = int(np.sum(sims > target + 1e-6))  # words closer than `other`
    return ahead if word in space.index else ahead + 1  # `word` itself is ahead


# --- The lookup at the start of a model, and crowbarring sentences into it ---------------

PAD, UNK, NUM = "<pad>", "<unk>", "<num>"
SPECIALS = (PAD, UNK, NUM)
# A token: a number (3,217 or 9.30), a word (letters, with inner apostrophes),
# or any other single character (punctuation, an emoji).
TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def lookup_table(kv: Any, n_words: int) -> tuple[dict[str, int], np.ndarray]:
    """A fixed vocabulary and its embedding matrix, the way pre-2017 models began:
    ids 0, 1, 2 for <pad>, <unk> and <num> (zero vectors), then the model's
    `n_words` most frequent words. Returns (word -> id, matrix (3 + n_words, d))."""
    words = kv.index_to_key[:n_words]
    vocab = {w: i for i, w in enumerate([*SPECIALS, *words])}
    matrix = np.zeros((len(vocab), kv.vector_size), dtype=np.float32)  # (vocab, d)
    matrix[len(SPECIALS) :] = np.asarray(kv.vectors[: len(words)])
    return vocab, matrix


def split_tokens(text: str) -> list[str]:
    """Words, numbers and single punctuation marks or emoji; a possessive "'s"
    split off as GloVe does."""
    tokens: list[str] = []
    for token in TOKEN.findall(text):
        if token.lower().endswith("'s") and len(token) > 2:
            tokens += [token[:-2], token[-2:]]
        else:
            tokens.append(token)
    return tokens


@dataclass(frozen=True)
class Step:
    """One preprocessing step: its name, the tokens after it, and how many of
    them the vocabulary knows."""

    name: str
    tokens: list[str]
    known: int

    @property
    def unknown(self) -> list[str]:
        return [t for t in self.tokens if t in SPECIALS]


def crowbar(sentence: str, vocab: dict[str, int] | set[str]) -> list[Step]:
    """The preprocessing a fixed-vocabulary model needs, one step at a time.

    1. split on spaces; 2. lowercase; 3. split off punctuation;
    4. numbers the vocabulary lacks -> <num>; 5. any other unknown token -> <unk>.
    """
    known_words = set(vocab) - set(SPECIALS)

    def step(name: str, tokens: list[str]) -> Step:
        return Step(name, tokens, sum(t in known_words for t in tokens))

    steps = [step("split on spaces", sentence.split())]
    steps.append(step("lowercase", [t.lower() for t in steps[-1].tokens]))
    steps.append(
        step(
            "split punctuation", [t for w in steps[-1].tokens for t in split_tokens(w)]
        )
    )
    numbers = [
        NUM if NUMBER.fullmatch(t) and t not in known_words else t
        for t in steps[-1].tokens
    ]
    steps.append(step("unknown numbers -> <num>", numbers))
    unk = [t if t in known_words or t in SPECIALS else UNK for t in numbers]
    steps.append(step("unknown words -> <unk>", unk))
    return steps


def to_ids(tokens: Sequence[str], vocab: dict[str, int]) -> list[int]:
    """Token ids, unknown tokens -> the <unk> id."""
    return [vocab.get(t, vocab[UNK]) for t in tokens]


def lost_pieces(sentence: str, vocab: dict[str, int] | set[str]) -> list[str]:
    """The pieces of a sentence (after lowercasing and splitting punctuation)
    that end as <num> or <unk>: what the model never sees."""
    steps = crowbar(sentence, vocab)
    split, final = steps[2].tokens, steps[-1].tokens
    return [s for s, f in zip(split, final) if f in SPECIALS]


# --- PCA to 2-D, and the embedding explorer --------------------------------------------


def pca_2d(x: np.ndarray) -> np.ndarray:
    """Project the rows of x (n, d) onto their two main directions -> (n, 2).

    The sign of each direction is fixed (its largest entry positive), so the
    same input always gives the same picture.
    """
    x = np.asarray(x, dtype=np.float64)
    centred = x - x.mean(axis=0)  # (n, d)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)  # vt: (min(n, d), d)
    directions = np.zeros((2, x.shape[1]))
    directions[: min(2, len(vt))] = vt[:2]
    signs = np.sign(directions[np.arange(2), np.abs(directions).argmax(axis=1)])
    directions *= np.where(signs == 0, 1.0, signs)[:, None]
    return centred @ directions.T  # (n, 2)


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
        """a - b + c (as in "king - man + woman"): the words nearest to the sum of
        the unit vectors, a, b and c excluded (gensim's 3CosAdd)."""
        query = self.vector(a) - self.vector(b) + self.vector(c)
        return self.nearest(query, k, exclude=[{a, b, c}])[0]


MAX_WORDS = 8
ANALOGY = re.compile(r"^\s*(\S+)\s*-\s*(\S+)\s*\+\s*(\S+)\s*$")


class Explorer:
    """The embedding explorer: type words, see them and their nearest neighbours
    in a 2-D PCA projection; type "a - b + c" for an analogy.

    `models` maps a name to (KeyedVectors, n): neighbours are searched among the
    model's `n` most frequent words (None: all), precomputed once as unit vectors.
    """

    def __init__(
        self, models: dict[str, tuple[Any, int | None]], n_neighbours: int = 5
    ) -> None:
        self.spaces = {name: Space.of(kv, n) for name, (kv, n) in models.items()}
        self.n_neighbours = n_neighbours

    def update(self, words: str = "", analogy: str = "", model: str = "") -> View:
        """The widget's view for these inputs; never raises."""
        if model not in self.spaces:
            return View(
                message=f"Pick a model: {', '.join(self.spaces)}."
                if self.spaces
                else "No model loaded."
            )
        space = self.spaces[model]
        messages: list[str] = []
        text, note = clean_text(words)
        if note and text:
            messages.append(note)
        items = [w for w in re.split(r"[,\s]+", text.lower()) if w]
        if len(items) > MAX_WORDS:
            messages.append(f"Only the first {MAX_WORDS} words are shown.")
            items = items[:MAX_WORDS]
        items = list(dict.fromkeys(items))
        unknown = [w for w in items if w not in space]
        known = [w for w in items if w in space]

        triple: tuple[str, str, str] | None = None
        analogy_text, note = clean_text(analogy)
        if note and analogy_text:
            messages.append(note)
        if analogy_text:
            match = ANALOGY.match(analogy_text.lower())
            if not match:
                messages.append(
                    "Write an analogy as a - b + c, for example king - man + woman."
                )
            else:
                parts = match.groups()
                missing = [w for w in parts if w not in space]
                unknown += [w for w in missing if w not in unknown]
                if not missing:
                    triple = parts  # type: ignore[assignment]
        if unknown:
            shown = ", ".join(
                w if len(w) <= 30 else w[:30] + "..." for w in unknown[:10]
            )
            shown += " ..." if len(unknown) > 10 else ""
            messages.insert(0, f"Not in the {model} vocabulary: {shown}.")
        if not known and triple is None:
            if not messages:
                messages.append(
                    "Type some words, separated by commas, or an analogy such as "
                    "king - man + woman."
                )
            return View(message=" ".join(messages))

        neighbours: dict[str, list[tuple[str, float]]] = {}
        if known:  # an analogy alone has no words to find neighbours of
            queries = np.stack([space.vector(w) for w in known])
            near = space.nearest(queries, self.n_neighbours, [{w} for w in known])
            neighbours = dict(zip(known, near))
        answers = space.analogy(*triple) if triple else []
        fig = self._draw(space, model, neighbours, triple, answers)
        with warnings.catch_warnings():  # CJK or emoji the font lacks: drawn as boxes
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            png = figure_png(fig)
        return View(
            html=self._html(neighbours, triple, answers),
            png=png,
            message=" ".join(messages),
        )

    @staticmethod
    def _html(
        neighbours: dict[str, list[tuple[str, float]]],
        triple: tuple[str, str, str] | None,
        answers: list[tuple[str, float]],
    ) -> str:
        rows = [
            f"<tr><td><b>{html.escape(w)}</b></td><td>"
            + ", ".join(f"{html.escape(n)} ({s:.2f})" for n, s in near)
            + "</td></tr>"
            for w, near in neighbours.items()
        ]
        out = ""
        if rows:
            out += (
                '<table style="font-size:15px"><tr><th>word</th>'
                "<th>nearest neighbours (cosine)</th></tr>" + "".join(rows) + "</table>"
            )
        if triple:
            a, b, c = (html.escape(w) for w in triple)
            best = ", ".join(f"{html.escape(w)} ({s:.2f})" for w, s in answers)
            out += (
                f'<p style="font-size:15px">{a} - {b} + {c} &asymp; <b>{best}</b></p>'
            )
        return out

    @staticmethod
    def _draw(
        space: Space,
        model: str,
        neighbours: dict[str, list[tuple[str, float]]],
        triple: tuple[str, str, str] | None,
        answers: list[tuple[str, float]],
    ) -> Figure:
        """Words and neighbours in one panel, the analogy in another. Few artists,
        no tick labels (PCA axes have no units) and fixed margins: drawing is
        most of the widget's latency."""
        panels = int(bool(neighbours)) + int(bool(triple))
        fig = Figure(figsize=(6.5 * panels, 5.5))
        fig.subplots_adjust(left=0.06, right=0.97, bottom=0.05, top=0.84, wspace=0.1)
        axes = iter(fig.subplots(1, panels, squeeze=False)[0])
        if neighbours:
            _draw_neighbours(next(axes), space, neighbours)
            fig.suptitle(f"{model}: 2-D PCA projections")
        if triple:
            _draw_analogy(next(axes), space, triple, answers)
            fig.suptitle(f"{model}: 2-D PCA projections")
        return fig


# The palette without yellow (hard to read as text on white), ordered so that
# neighbouring words get the most different colours.
WORD_COLORS = [
    PALETTE[k] for k in ("blue", "vermillion", "green", "purple", "sky", "orange")
]


def _blank_axes(ax: Axes, title: str) -> None:
    ax.set(title=title, xticks=[], yticks=[])
    ax.margins(0.18)


def _draw_neighbours(
    ax: Axes, space: Space, neighbours: dict[str, list[tuple[str, float]]]
) -> None:
    """Each word (big dot) joined to its nearest neighbours (small dots)."""
    order = list(
        dict.fromkeys(
            w for q, near in neighbours.items() for w in [q, *(n for n, _ in near)]
        )
    )
    xy = dict(zip(order, pca_2d(np.stack([space.vector(w) for w in order]))))
    for i, (word, near) in enumerate(neighbours.items()):
        color = WORD_COLORS[i % len(WORD_COLORS)]
        ends = np.array([xy[n] for n, _ in near]).reshape(-1, 2)  # (k, 2)
        spokes = np.full((3 * len(ends), 2), np.nan)  # centre, end, gap, ...
        spokes[0::3], spokes[1::3] = xy[word], ends
        ax.plot(spokes[:, 0], spokes[:, 1], color=color, alpha=0.3, lw=1)
        ax.plot(ends[:, 0], ends[:, 1], "o", color=color, alpha=0.6, ms=6)
        ax.plot(*xy[word], "o", color=color, mec="black", ms=12)
        for (n, _), end in zip(near, ends):
            ax.text(*end, f" {n}", fontsize=11, color=color)
        ax.annotate(
            word, xy[word], xytext=(8, 4), textcoords="offset points", fontsize=15,
            weight="bold", color=color,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )  # fmt: skip
    _blank_axes(ax, "words and their nearest neighbours")


def _draw_analogy(
    ax: Axes,
    space: Space,
    triple: tuple[str, str, str],
    answers: list[tuple[str, float]],
) -> None:
    """a - b + c: the arrow b -> a, moved to start at c, lands near the answer."""
    a, b, c = triple
    order = list(dict.fromkeys([a, b, c, *(w for w, _ in answers)]))
    xy = dict(zip(order, pca_2d(np.stack([space.vector(w) for w in order]))))
    arrow = {"arrowstyle": "->", "lw": 2.5, "color": PALETTE["vermillion"]}
    ax.annotate("", xy[a], xy[b], arrowprops=arrow)
    for word in (a, b, c):
        ax.plot(*xy[word], "s", color=PALETTE["black"], ms=9)
        ax.text(*xy[word], f" {word}", fontsize=14, weight="bold")
    for rank, (word, _) in enumerate(answers):
        style = ("*", 18, 15) if rank == 0 else ("o", 7, 11)
        ax.plot(*xy[word], style[0], color=PALETTE["vermillion"], ms=style[1])
        ax.text(*xy[word], f" {word}", fontsize=style[2], color=PALETTE["vermillion"])
    if answers:
        ax.annotate("", xy[answers[0][0]], xy[c], arrowprops=arrow)
    _blank_axes(ax, f"{a} - {b} + {c}")


def measure_latency(
    update: Any, inputs: Sequence[dict[str, str]], n_calls: int = 50
) -> np.ndarray:
    """Seconds per call of `update`, drawing included, cycling through `inputs`."""
    times = []
    for i in range(n_calls):
        start = time.perf_counter()
        update(**inputs[i % len(inputs)])
        times.append(time.perf_counter() - start)
    return np.array(times)


# --- Exercises -------------------------------------------------------------------------

COSINE_CASES: list[tuple[list[float], list[float]]] = [
    ([1.0, 0.0], [0.0, 1.0]),
    ([1.0, 2.0], [2.0, 4.0]),
    ([1.0, 0.0], [-3.0, 0.0]),
    ([3.0, 4.0], [4.0, 3.0]),
    ([0.5, -1.0, 2.0], [1.5, 1.0, -0.5]),
]


def _call(fn: Any, *args: Any) -> Any:
    """fn(*args), or the exception it raised (the check reports it, never raises)."""
    try:
        return fn(*args)
    except Exception as err:  # noqa: BLE001 -- a check never raises
        return err


def _attempted(fn: Any, *probe: Any) -> Any:
    """None while the stub is untouched (the function is None or returns None);
    otherwise the function itself, for the check to test."""
    if fn is None or _call(fn, *probe) is None:
        return None
    return fn


def check_cosine(fn: Any) -> str:
    """Exercise 1: `fn(u, v)` returns the cosine similarity of two vectors."""

    def is_right(f: Any) -> bool:
        return all(
            abs(float(f(np.array(u), np.array(v))) - cosine(u, v)) < 1e-6
            for u, v in COSINE_CASES
        )

    hint = (
        "divide the dot product u @ v by the product of the two lengths, "
        "np.linalg.norm(u) * np.linalg.norm(v)."
    )
    u, v = np.array([3.0, 4.0]), np.array([4.0, 3.0])
    answer = _attempted(fn, u, v)
    probe = _call(answer, u, v) if answer is not None else None
    if isinstance(probe, (int, float, np.number)) and abs(float(probe) - 24) < 1e-6:
        hint = "that is the dot product (24 for [3, 4] and [4, 3]); now " + hint
    return check("Exercise 1 (cosine)", answer, is_right, hint)


# a : b :: c : ?  and the answer that 3CosAdd gives with GloVe 6B 50d.
ANALOGY_CASES: list[tuple[str, str, str, str]] = [
    ("paris", "france", "berlin", "germany"),
    ("man", "king", "woman", "queen"),
    ("france", "french", "germany", "german"),
    ("good", "better", "bad", "worse"),
    ("walk", "walking", "swim", "swimming"),
]


def reference_analogy(kv: Any, a: str, b: str, c: str) -> str:
    """a : b :: c : ? -- the word nearest to b - a + c, a, b and c excluded."""
    return kv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]


def check_analogy(
    fn: Any,
    kv: Any = None,
    cases: Sequence[tuple[str, str, str, str]] = ANALOGY_CASES,
) -> str:
    """Exercise 2: `fn(kv, a, b, c)` completes a : b :: c : ? (GloVe by default)."""
    if kv is None:
        from utils.assets import load_glove

        kv = load_glove()

    def is_right(f: Any) -> bool:
        return all(str(f(kv, a, b, c)) == d for a, b, c, d in cases)

    hint = (
        "take the vector b - a + c, find the word whose vector is closest to it by "
        "cosine (kv.most_similar can do it), and leave out a, b and c themselves."
    )
    answer = _attempted(fn, kv, *cases[0][:3])
    return check("Exercise 2 (analogy)", answer, is_right, hint)
