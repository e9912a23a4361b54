"""Exercise checks for part 1, lesson 4 (tokens), with the data they use;
`lessons/solutions/part1_lesson04.py` holds the presenter's answers.

    from utils.checks import part1_lesson04 as checks
    checks.check_merges_by_hand(["lo", "we", "st"])
    checks.check_year_tokens((2, 5))
    checks.check_fewer_merges("lower", {1000: (bpe, 1.35), 300: (small, 1.18)}, samples)
"""

from __future__ import annotations

from typing import Any

from utils.checks import NOT_ATTEMPTED, check, effect_of, experiment_verdict
from utils.tokenization import BPE, GPT2, SMOLLM2, SymbolPair, tokenize

# Exercise 1: the merges to apply by hand to "lowest", in rank order (not the
# lesson's: its merges turn "lowest" into low + est, on screen above).
EXERCISE_MERGES: list[SymbolPair] = [
    ("w", "e"),
    ("l", "o"),
    ("o", "w"),
    ("e", "s"),
    ("s", "t"),
]


def check_merges_by_hand(answer: list[str] | None) -> str:
    """Exercise 1: "lowest" after the merges of `EXERCISE_MERGES`, in order."""
    expected = BPE(sorted(set("lowest")), EXERCISE_MERGES).encode_word("lowest")
    hint = (
        "start from the characters l o w e s t and apply the merges in order; "
        "each merge joins every adjacent occurrence of its pair into one symbol, "
        "and a pair whose symbols were already taken by an earlier merge is no "
        "longer there to join."
    )
    return check(
        "Exercise 1 (merges by hand)", answer, lambda a: list(a) == expected, hint
    )


def check_year_tokens(answer: tuple[int, int] | None) -> str:
    """Exercise 2: (GPT-2's, SmolLM2's) number of tokens for " 2031"."""
    expected = (len(tokenize(GPT2, " 2031")), len(tokenize(SMOLLM2, " 2031")))
    hint = (
        "count the tokens of ' 2031' (with its leading space) with "
        "tokenize('GPT-2 byte-level BPE', ...) and tokenize('SmolLM2 BPE', ...); "
        "SmolLM2 writes every digit as its own token."
    )
    return check(
        "Exercise 2 (years)",
        answer,
        lambda a: tuple(int(x) for x in a) == expected,
        hint,
    )


# Exercise 3: German against English as the Shakespeare BPE gets fewer merges.
PREDICTIONS = ("higher", "lower", "about the same")
SAME = 0.05  # a smaller change of the German / English ratio is "about the same"


def german_english_ratio(bpe: BPE, samples: dict[str, str]) -> float:
    """German tokens per word / English tokens per word, with `bpe`, on the
    lesson's two sentences (`samples["German"]`, `samples["English"]`)."""
    per_word = {
        lang: len(bpe.encode(samples[lang])) / len(samples[lang].split())
        for lang in ("English", "German")
    }
    return per_word["German"] / per_word["English"]


def _not_measured(measured: Any, samples: dict[str, str]) -> str | None:
    """Why `measured` ({vocabulary size: (BPE, ratio)}, two sizes) is not a
    real measurement, or None if it is: each model has its size and gives its
    ratio, and the smaller one's merges begin the larger one's (same words)."""
    if not isinstance(measured, dict) or len(measured) != 2:
        return "pass {vocabulary size: (model, ratio)} for exactly two sizes"
    for size, (model, ratio) in measured.items():
        if not isinstance(model, BPE) or len(model.vocab) != size:
            return f"the model for {size} should be a BPE with {size} symbols"
        if abs(german_english_ratio(model, samples) - float(ratio)) > 0.01:
            return f"{ratio} is not the ratio that the {size}-symbol model gives"
    (_, (small, _)), (_, (big, _)) = sorted(measured.items())
    if small.merges != big.merges[: len(small.merges)]:
        return (
            "train both on the same words: the small one's merges begin the big one's"
        )
    return None


def check_fewer_merges(
    prediction: str | None,
    measured: dict[int, tuple[BPE, float]] | None,
    samples: dict[str, str],
) -> str:
    """Exercise 3: did the German / English tokens-per-word ratio go "higher",
    "lower" or stay "about the same" from the larger vocabulary to the
    smaller? Recomputes both ratios from the models passed, prints what was
    measured and whether the prediction held."""
    name = "Exercise 3 (fewer merges)"
    if prediction is None or not measured:
        message = NOT_ATTEMPTED
    elif prediction not in PREDICTIONS:
        message = f"not yet. Hint: predict one of {', '.join(map(repr, PREDICTIONS))}."
    else:
        try:
            problem = _not_measured(measured, samples)
        except Exception as err:  # noqa: BLE001 -- a check reports, it never raises
            problem = f"your measurement raised {type(err).__name__}: {err}"
        if problem:
            message = f"not yet. Hint: {problem}."
        else:
            message = _fewer_merges_verdict(prediction, measured, samples)
    print(f"{name}: {message}")
    return message


def _fewer_merges_verdict(
    prediction: str, measured: dict[int, tuple[BPE, float]], samples: dict[str, str]
) -> str:
    """The message for a real measurement: what changed, and the prediction."""
    (small_size, (small, _)), (big_size, (big, _)) = sorted(measured.items())
    before = german_english_ratio(big, samples)
    after = german_english_ratio(small, samples)
    change = after - before
    effect = effect_of(change, SAME)
    seen = (
        f"German / English went from {before:.2f} ({big_size:,} symbols) to "
        f"{after:.2f} ({small_size:,} symbols): {effect}"
    )
    return experiment_verdict(
        prediction,
        effect,
        seen,
        "Look at which language lost more: a smaller vocabulary drops the merges "
        "learned last, and they were learned from English.",
    )
