"""Exercise checks of lesson 3 (seq2seq with GRUs).

Exercise 1 counts a GRU's parameters, exercise 2 writes the teacher-forcing
shift for a padded batch, exercise 3 predicts what a smaller summary does to
the validation loss and then measures it. The answers are in
`lessons/solutions/part1_lesson03.py`.

    from utils.checks import part1_lesson03 as checks
    checks.check_gru_params(gru_params)
"""

from __future__ import annotations

import math
from typing import Any

from torch import nn

from utils.checks import CORRECT, NOT_ATTEMPTED, check, stub_to_none
from utils.rnn import Seq2Seq
from utils.tasks import translation
from utils.text import BOS, EOS, PAD
from utils.training import History


def check_gru_params(answer) -> str:
    """Exercise 1: a function (d_in, d_hidden) -> number of weights in one GRU
    layer, compared with PyTorch's own count for a few sizes."""
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
    """A function words -> (decoder inputs, decoder targets), for one sentence
    (the single-sentence form of exercise 2; the notebook asks for a batch)."""
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


def _shift_batch(batch: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Reference answer for exercise 2: shift each sentence, pad at the end."""
    n = 1 + max(len(words) for words in batch)  # the longest, plus <bos> or <eos>
    fill = [[PAD] * (n - 1 - len(words)) for words in batch]
    inputs = [[BOS, *words, *pad] for words, pad in zip(batch, fill)]
    targets = [[*words, EOS, *pad] for words, pad in zip(batch, fill)]
    return inputs, targets


_SHIFT_BATCHES = [
    [["Der", "Hund", "bellt", "."], ["Ja", "."]],
    [["Ja"]],
    [["Nein", "."], [], ["Der", "Mann", "kauft", "den", "Kuchen", "."]],
]


def check_shift_batch(answer: Any) -> str:
    """Exercise 2: a function batch -> (decoder inputs, decoder targets), for
    a batch of German sentences (lists of words), each row shifted and padded
    at the end with "<pad>" to the same length."""
    answer = stub_to_none(answer, [["Ja"]])

    def rows(f: Any, batch: list[list[str]]) -> tuple[list[list[str]], ...]:
        return tuple(
            [list(row) for row in part] for part in f([list(w) for w in batch])
        )

    def is_right(f: Any) -> bool:
        return all(rows(f, b) == _shift_batch(b) for b in _SHIFT_BATCHES)

    hint = (
        "shift each sentence as in the one-sentence example of the lesson "
        "('<bos>' + words in, words + '<eos>' out), then fill every row up at "
        "the end with '<pad>' to the length of the longest row, in both lists."
    )
    try:
        unpadded = callable(answer) and rows(answer, _SHIFT_BATCHES[0]) == (
            [[BOS, *w] for w in _SHIFT_BATCHES[0]],
            [[*w, EOS] for w in _SHIFT_BATCHES[0]],
        )
    except Exception:  # noqa: BLE001 -- the check below reports the error
        unpadded = False
    if unpadded:
        hint = (
            "each sentence is shifted right; now pad: every row must be as long "
            "as the longest, filled up at the end with '<pad>' (a tensor needs "
            "rows of one length)."
        )
    return check("Exercise 2", answer, is_right, hint)


# Exercise 3: a smaller summary. Closer than this counts as "about the same".
CHOICES = ("higher", "lower", "about the same")
SAME_WITHIN = 0.1  # nats
MEASURE_TOLERANCE = 1e-3  # nats, between the history and the model's own loss
LESSON_HIDDEN = translation.RECIPES["gru_seq2seq"].model.d_hidden  # 256


def _not_measured(model: Any, measured: Any, baseline: Any) -> str:
    """Why the measurement cannot be used ("" if it can): the model and its
    history must be there, and the history must be the model's own."""
    if not isinstance(model, Seq2Seq) or not isinstance(measured, History):
        return (
            "run the experiment: with `prediction` set, the cell trains the small "
            "model and passes it and its history to the check"
        )
    if not isinstance(baseline, History) or not measured.valid:
        return "pass the lesson's `history` as the last argument, as the cell does"
    step = len(measured.train)
    if step not in baseline.valid_steps:
        return (
            f"the lesson's GRU has no validation loss at step {step} to compare "
            f"with (it has one at steps {', '.join(map(str, baseline.valid_steps[:3]))}"
            " ...): train for one of those numbers of steps"
        )
    own = translation.validation_loss(model)
    if not math.isclose(own, measured.valid[-1], abs_tol=MEASURE_TOLERANCE):
        return (
            f"the history says {measured.valid[-1]:.3f} nats, but this model "
            f"measures {own:.3f} on the validation pairs, so it is not this "
            "model's history: pass the model and the history that fit returned"
        )
    return ""


def _verdict(
    prediction: str, model: Seq2Seq, measured: History, baseline: History
) -> str:
    """The message for a real measurement: what was measured, and the prediction."""
    step = len(measured.train)
    small, lesson = measured.valid[-1], baseline.valid[baseline.valid_steps.index(step)]
    hidden, diff = model.encoder.gru.hidden_size, small - lesson
    if abs(diff) < SAME_WITHIN:
        effect = "about the same"
    else:
        effect = "higher" if diff > 0 else "lower"
    seen = (
        f"after {step} steps the validation loss is {small:.2f} nats with "
        f"d_hidden = {hidden}, against {lesson:.2f} for the lesson's GRU "
        f"(d_hidden = {LESSON_HIDDEN}) at the same step ({diff:+.2f}): {effect}"
    )
    if prediction == effect:
        return f"{CORRECT}. Measured: {seen}, as you predicted."
    why = ""
    if effect == "higher" and hidden < LESSON_HIDDEN:
        why = (
            f" Hint: with d_hidden = {hidden} the summary holds the whole sentence "
            f"in {hidden} numbers, and both GRUs and the output layer work with "
            "a state that small: less room, and fewer weights to learn with."
        )
    return f"measured: {seen}, not {prediction!r}.{why}"


def check_bottleneck(
    prediction: str | None, model: Any, measured: Any, baseline: Any
) -> str:
    """Exercise 3: `prediction` ("higher", "lower" or "about the same") for the
    validation loss of `model`, trained for a few steps (`measured` is its
    History), against the lesson's GRU at the same step (`baseline`, the
    1,200-step run's History). Recomputes the model's validation loss, prints
    what was measured and whether the prediction held."""
    name = "Exercise 3 (a smaller summary)"
    if prediction is None:
        message = NOT_ATTEMPTED
    elif prediction not in CHOICES:
        message = f"not yet. Hint: predict one of {', '.join(map(repr, CHOICES))}."
    else:
        try:
            problem = _not_measured(model, measured, baseline)
        except Exception as err:  # noqa: BLE001 -- a check reports, it never raises
            problem = f"your measurement raised {type(err).__name__}: {err}"
        message = (
            f"not yet. Hint: {problem}."
            if problem
            else _verdict(prediction, model, measured, baseline)
        )
    print(f"{name}: {message}")
    return message
