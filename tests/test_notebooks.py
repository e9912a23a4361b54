"""Every committed notebook: executed, slide metadata on every cell, no errors.

nbval (run by `make test`) then re-executes each one and compares its outputs.
Strict nbval silently skips cells that were never executed, so this check is
what makes it check anything.
"""

import json
import re

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").rglob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
# Cells whose third-party outputs (bertviz JavaScript) are stripped before commit
# carry this tag; they are the only code cells allowed to have no outputs saved.
STRIPPED = "third-party-output"


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_notebooks():
    assert REPO / "notebooks" / "00_start_here.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    for i, cell in enumerate(_cells(path)):
        slide = cell["metadata"].get("slideshow", {}).get("slide_type")
        assert slide in SLIDE_TYPES, f"{path.name} cell {i} has no slide type"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_without_errors(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code"
    for i, cell in enumerate(code):
        assert cell["execution_count"] is not None, (
            f"{path.name} code cell {i} never ran"
        )
        if STRIPPED in cell["metadata"].get("tags", []):
            # Its third-party output (e.g. bertviz's JavaScript) was removed before
            # commit; nbval must then ignore its output, which it renders afresh.
            assert cell["outputs"] == [], (
                f"{path.name} code cell {i}: stripped cell has outputs"
            )
            assert "# NBVAL_IGNORE_OUTPUT" in cell["source"][0], (
                f"{path.name} code cell {i}"
            )
            continue
        for out in cell["outputs"]:
            assert out["output_type"] != "error", (
                f"{path.name} code cell {i} has an error"
            )
            assert out.get("name") != "stderr", (
                f"{path.name} code cell {i} wrote to stderr"
            )
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name} was not run top to bottom"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_the_course_kernel(path):
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert meta["kernelspec"]["name"] == "python3"
    assert "jupytext" not in meta


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_title_and_talk_path(path):
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown"
    assert "".join(cells[0]["source"]).startswith("# ")
    assert any("talk" in c["metadata"].get("tags", []) for c in cells)


NBVAL_MARKERS = {
    "# NBVAL_IGNORE_OUTPUT",
    "# NBVAL_CHECK_OUTPUT",
    "# NBVAL_RAISES_EXCEPTION",
    "# NBVAL_SKIP",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_exact_lines(path):
    """nbval only sees a marker on a line of its own, exactly as written; a
    marker with a reason on the same line is silently ignored."""
    for i, cell in enumerate(_cells(path)):
        for line in "".join(cell["source"]).splitlines():
            if "NBVAL_" in line:
                assert line.strip() in NBVAL_MARKERS, f"{path.name} cell {i}: {line!r}"


SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"
LISTED = re.compile(r"^# ignored: (\S+) ([0-9a-f]+) (machine|third-party|trained): \S")
TRAINED_REASON = (
    "# (trained weights differ by CPU: tests/claims.py checks what the text says)"
)


def listed_cells(path=SANITIZE) -> dict[tuple[str, str], str]:
    """(notebook, cell id) -> kind, from the sanitize file's list of ignored cells."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ignored:"):
            m = LISTED.match(line)
            assert m, f"malformed line in {path.name}: {line!r}"
            out[(m.group(1), m.group(2))] = m.group(3)
    return out


def ignored_cells() -> dict[tuple[str, str], list[str]]:
    """(notebook, cell id) -> source lines, of every cell nbval does not compare."""
    out = {}
    for path in NOTEBOOKS:
        for cell in _cells(path):
            lines = "".join(cell["source"]).splitlines()
            if lines and lines[0] in ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP"):
                out[(path.stem, cell["id"])] = lines
    return out


def test_every_ignored_cell_is_listed_with_its_reason():
    listed, ignored = listed_cells(), ignored_cells()
    assert sorted(set(ignored) - set(listed)) == [], "ignored but not listed"
    assert sorted(set(listed) - set(ignored)) == [], "listed but not ignored"
    for key, lines in ignored.items():
        assert len(lines) > 1 and lines[1].startswith("# "), f"{key}: no reason line"
        trained = lines[1] == TRAINED_REASON
        assert trained == (listed[key] == "trained"), key


def test_only_the_training_lessons_have_trained_outputs():
    trained = {nb for (nb, _), kind in listed_cells().items() if kind == "trained"}
    assert trained == {"03_rnn_seq2seq", "06_transformer", "01_encoders", "02_decoders"}


def test_an_unlisted_marker_fails_the_check(tmp_path):
    """The list check can fail: a listing with one cell left out disagrees."""
    text = SANITIZE.read_text(encoding="utf-8")
    dropped = next(line for line in text.splitlines() if line.startswith("# ignored:"))
    (tmp_path / "s.cfg").write_text(text.replace(dropped + "\n", ""), encoding="utf-8")
    assert set(ignored_cells()) - set(listed_cells(tmp_path / "s.cfg"))
