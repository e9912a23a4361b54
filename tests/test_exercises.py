"""The exercise-check pattern itself (each lesson's checks are tested with it)."""

from utils import checks as exercises


def test_verdicts():
    def is_right(x):
        return x == 42

    assert exercises.verdict(None, is_right, "think") == "not attempted yet"
    assert exercises.verdict(42, is_right, "think") == "correct"
    assert exercises.verdict(41, is_right, "think") == "not yet. Hint: think"


def test_a_crashing_answer_gets_a_hint_not_a_traceback():
    def is_right(f):
        return f(2) == 4

    def broken(x):
        return x / 0

    assert exercises.verdict(broken, is_right, "square it") == (
        "not yet: your answer raised ZeroDivisionError: division by zero. Hint: square it"
    )


def test_check_prints_with_the_name(capsys):
    assert exercises.check("Exercise 1", None, bool, "h") == "not attempted yet"
    assert capsys.readouterr().out == "Exercise 1: not attempted yet\n"


def test_stub_to_none():
    def stub(x):
        return None

    def crashes(x):
        raise ValueError(x)

    def answer(x):
        return x + 1

    assert exercises.stub_to_none(stub, 1) is None
    assert exercises.stub_to_none(answer, 1) is answer
    assert exercises.stub_to_none(crashes, 1) is crashes  # the check reports it
    assert exercises.stub_to_none(7, 1) == 7  # not a function: judged as is
