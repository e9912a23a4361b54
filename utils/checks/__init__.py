"""Exercise checks: every exercise ends in a call that says how you are doing.
One module per lesson, beside its solutions: `part1_lesson03.py` here checks
what `lessons/solutions/part1_lesson03.py` answers.

A stub returns None, and its check says "not attempted yet"; a wrong answer
gets a hint; a right one gets "correct". A check never raises: an answer that
crashes gets a hint too, so the committed notebook has no error output.

Solutions live with the presenter, in `lessons/solutions/`, and the tests run
every check against its solution and against a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"


def verdict(answer: Any, is_right: Callable[[Any], bool], hint: str) -> str:
    """The check's message for `answer`: "not attempted yet", "correct", or a hint."""
    if answer is None:
        return NOT_ATTEMPTED
    try:
        right = bool(is_right(answer))
    except Exception as err:  # noqa: BLE001 -- a check reports, it never raises
        return f"not yet: your answer raised {type(err).__name__}: {err}. Hint: {hint}"
    return CORRECT if right else f"not yet. Hint: {hint}"


def stub_to_none(answer: Any, *probe: Any) -> Any:
    """A function that still returns None for `probe` (the notebook's stub)
    counts as not attempted yet: None. Anything else is returned unchanged; an
    answer that crashes on `probe` is left for the check to report."""
    if not callable(answer):
        return answer
    try:
        result = answer(*probe)
    except Exception:  # noqa: BLE001 -- the check itself reports the error
        return answer
    return None if result is None else answer


def check(name: str, answer: Any, is_right: Callable[[Any], bool], hint: str) -> str:
    """Print and return the verdict, prefixed with the exercise's name."""
    message = verdict(answer, is_right, hint)
    print(f"{name}: {message}")
    return message


def effect_of(change: float, same: float) -> str:
    """An experiment's measured effect: "higher", "lower", or "about the same"
    when the change is smaller than `same`."""
    if abs(change) < same:
        return "about the same"
    return "higher" if change > 0 else "lower"


def experiment_verdict(prediction: str, effect: str, seen: str, hint: str) -> str:
    """The message of an experiment exercise: the measurement `seen`, and
    whether the learner's prediction matched its `effect`."""
    if prediction == effect:
        return f"correct. Measured: {seen}, as you predicted."
    return f"measured: {seen}, not {prediction!r}. {hint}"
