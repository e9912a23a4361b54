"""The determinism check compares what a cell printed, not how it was flushed."""

import nbformat

from scripts import check_determinism as cd


def cell(*outputs):
    return nbformat.v4.new_code_cell("print(1)", outputs=list(outputs))


def stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_split_prints_equal_one_print():
    rules = cd.sanitize_rules()
    one = cell(stream("a\nb\n"))
    split = cell(stream("a\n"), stream("b\n"))
    assert cd.text_outputs(one, rules) == cd.text_outputs(split, rules)


def test_stderr_between_stdout_is_kept_apart():
    rules = cd.sanitize_rules()
    a = cell(stream("a\n"), stream("w\n", "stderr"), stream("b\n"))
    b = cell(stream("a\nb\n"), stream("w\n", "stderr"))
    assert cd.text_outputs(a, rules) != cd.text_outputs(b, rules)


def test_different_text_is_reported():
    rules = cd.sanitize_rules()
    a = nbformat.v4.new_notebook(cells=[cell(stream("Der Mann\n"))])
    b = nbformat.v4.new_notebook(cells=[cell(stream("Die Frau\n"))])
    report = cd.first_difference(a, b, rules)
    assert report is not None and "cell 0" in report
    assert cd.first_difference(a, a, rules) is None


def test_every_lesson_with_trained_outputs_is_checked():
    """A lesson whose outputs depend on trained weights is run twice by
    `make determinism`: same machine, same text."""
    from tests.test_notebooks import listed_cells

    trained = {nb for (nb, _), kind in listed_cells().items() if kind == "trained"}
    assert trained == {p.stem for p in cd.TRAINING_LESSONS}


def test_the_makefile_runs_the_same_training_lessons():
    """`make nbval-other-cpu` names the lessons that the determinism check runs."""
    import re

    from tests.conftest import REPO

    text = (REPO / "Makefile").read_text(encoding="utf-8")
    block = re.search(
        r"^TRAINING_LESSONS := (.*?)\n(?!\t)", text, re.DOTALL | re.MULTILINE
    ).group(1)
    named = {REPO / p for p in block.replace("\\", " ").split()}
    assert named == set(cd.TRAINING_LESSONS)


def test_trained_outputs_are_compared_and_timings_are_not():
    """nbval ignores both kinds across machines; on one machine the trained
    ones must repeat exactly, so the check compares them."""
    from tests.test_notebooks import TRAINED_REASON

    trained = nbformat.v4.new_code_cell(f"# NBVAL_IGNORE_OUTPUT\n{TRAINED_REASON}\nx")
    timing = nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\n# (timings)\nx")
    assert cd.compared(trained) and not cd.compared(timing)
    assert cd.compared(cell()) and not cd.compared(nbformat.v4.new_markdown_cell("x"))
