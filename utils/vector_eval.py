"""How good are word vectors? Benchmarks and the deck's claims, measured
(part 1, lesson 2).

Why: "similar words are close, and king - man + woman = queen" is what the
deck claims; this module checks it honestly. Analogy accuracy (Mikolov et al.
2013's questions-words) and Spearman correlation with human similarity
scores (WordSim-353), each with the share of the test set the vocabulary
covers, and again on the subset every model covers, so that scores compare.
Then the pictures behind the claims: cosines of random, similar and opposite
word pairs, and where an antonym ranks among a word's neighbours.

Models are gensim KeyedVectors; `models` arguments map a name to
(KeyedVectors, restrict_vocab), the model's first `restrict_vocab` words
(None: all).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from utils.style import COLORS, PALETTE
from utils.word_vectors import Space

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
    task: str  # "analogies" (accuracy), or a pair file's name (Spearman)
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


def _analogy_accuracy(kv: Any, path: Path, n_words: int) -> tuple[float, int, int]:
    """gensim's `evaluate_word_analogies` (3CosAdd: the word nearest to b - a + c,
    inputs excluded): (accuracy, questions scored, questions in the file)."""
    accuracy, sections = kv.evaluate_word_analogies(
        str(path), restrict_vocab=n_words, case_insensitive=True
    )
    overall = sections[-1]
    covered = len(overall["correct"]) + len(overall["incorrect"])
    return float(accuracy), covered, len(read_analogies(path))


def _pair_correlation(kv: Any, path: Path, n_words: int) -> tuple[float, int, int]:
    """Spearman correlation between the model's cosines and the human scores,
    with gensim's `evaluate_word_pairs`: (Spearman, pairs scored, pairs in the file)."""
    _pearson, spearman, _oov = kv.evaluate_word_pairs(
        str(path), restrict_vocab=n_words, case_insensitive=True
    )
    vocab = vocabulary(kv, n_words)
    pairs = read_pairs(path)
    covered = sum(_covered(p[:2], [vocab]) for p in pairs)
    return float(spearman[0]), covered, len(pairs)


# Each task's scorer: (kv, test file, n_words) -> (score, lines scored, lines in file).
SCORERS: dict[str, Callable[[Any, Path, int], tuple[float, int, int]]] = {
    "analogies": _analogy_accuracy,
    "pairs": _pair_correlation,
}


def evaluate(
    kv: Any,
    task: str,
    path: str | Path,
    restrict_vocab: int | None = None,
    *,
    name: str = "model",
    subset: str = "own",
    total: int | None = None,
) -> Score:
    """One model on one test file: "analogies" (accuracy) or "pairs" (Spearman
    correlation with human scores), on the lines whose words are all in the
    model's first `restrict_vocab` words; the rest are skipped and counted in the
    coverage. `total` is the size of the full test set (default: this file's).
    A pair task's score is named after its file ("wordsim353")."""
    path = Path(path)
    n_words = restrict_vocab or len(kv.index_to_key)
    with _one_blas_thread():
        score, covered, in_file = SCORERS[task](kv, path, n_words)
    label = task if task == "analogies" else path.stem
    total = total if total is not None else in_file
    return Score(name, label, subset, score, covered, total)


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
    tests = {"analogies": Path(analogies), "pairs": Path(pairs)}
    totals = {
        "analogies": len(read_analogies(analogies)),
        "pairs": len(read_pairs(pairs)),
    }
    scores = [
        evaluate(kv, task, path, n, name=name)
        for name, (kv, n) in models.items()
        for task, path in tests.items()
    ]
    vocabs = [vocabulary(kv, n) for kv, n in models.values()]
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        # The pair file keeps its stem: it names the pair task ("wordsim353").
        names = {"analogies": "analogies.txt", "pairs": f"{tests['pairs'].stem}.tsv"}
        common = {
            task: write_subset(path, Path(tmp) / names[task], vocabs)
            for task, path in tests.items()
        }
        scores += [
            evaluate(kv, task, path, n, name=name, subset="common", total=totals[task])
            for name, (kv, n) in models.items()
            for task, path in common.items()
        ]
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
