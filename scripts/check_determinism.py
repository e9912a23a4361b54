"""Re-execute each training lesson twice and compare its text outputs.

    .venv/bin/python scripts/check_determinism.py [notebook ...]

With no notebook named, it checks every lesson that trains (TRAINING_LESSONS).

Each run starts a fresh kernel, offline as in `make test`, with COURSE_QUICK=1
(a tenth of the training steps) and the model cache pointed at its own empty
folder, so every model is trained afresh both times and a cache hit cannot make
the second run equal for free. Both runs execute one copy of the working tree,
taken at the start, so edits made while the check runs cannot pass for
nondeterminism. The text outputs (streams and text/plain) are compared cell by
cell after the sanitizing rules of tests/nbval_sanitize.cfg. Cells marked
NBVAL_IGNORE_OUTPUT or NBVAL_SKIP are left out, as nbval leaves them out,
except those marked for their trained weights: those are the point here.
Exits 1 naming the first differing cell, so a seeding mistake shows up before
anything is committed.
"""

from __future__ import annotations

import argparse
import configparser
import copy
import difflib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
# Every lesson that trains a model: add each new one here.
TRAINING_LESSONS = [
    REPO / "notebooks" / "part1_background" / "03_rnn_seq2seq.ipynb",
    REPO / "notebooks" / "part1_background" / "06_transformer.ipynb",
    REPO / "notebooks" / "part2_encoders_decoders" / "01_encoders.ipynb",
    REPO / "notebooks" / "part2_encoders_decoders" / "02_decoders.ipynb",
]
SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"
IGNORED = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")


def sanitize_rules(path: Path = SANITIZE) -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of an nbval sanitize file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return [
        (re.compile(s["regex"]), s["replace"]) for s in parser.values() if "regex" in s
    ]


def merged_streams(outputs: list) -> list:
    """The outputs with each run of consecutive same-name streams joined into one.

    How a cell's prints are split into stream outputs depends on when the kernel
    flushed them, which is timing, not the cell's result; nbval joins them too.
    """
    merged = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out["output_type"] == "stream"
            and last is not None
            and last["output_type"] == "stream"
            and last["name"] == out["name"]
        ):
            merged[-1] = {**last, "text": last["text"] + out["text"]}
        else:
            merged.append(out)
    return merged


def text_outputs(cell, rules) -> str:
    """A code cell's compared text: its streams and text/plain, sanitized."""
    parts = []
    for out in merged_streams(cell.get("outputs", [])):
        if out["output_type"] == "stream":
            parts.append(f"[{out['name']}]\n{out['text']}")
        elif "text/plain" in out.get("data", {}):
            parts.append(f"[{out['output_type']}]\n{out['data']['text/plain']}")
        elif out["output_type"] == "error":
            parts.append(f"[error]\n{out['ename']}: {out['evalue']}")
    text = "\n".join(parts)
    for regex, replace in rules:
        text = regex.sub(replace, text)
    return text


# The reason line of cells whose outputs depend on trained weights: nbval does
# not compare them across machines, but on one machine they must repeat exactly.
TRAINED = "# (trained weights differ by CPU"


def compared(cell) -> bool:
    """Code cells, except those nbval ignores for a reason other than trained
    weights (timings, versions, third-party JavaScript)."""
    if cell.cell_type != "code":
        return False
    return TRAINED in cell.source or not any(m in cell.source for m in IGNORED)


def snapshot(dest: Path) -> Path:
    """Copy the working tree's code to `dest` (the large ignored folders are
    linked, not copied); return it."""
    skip = shutil.ignore_patterns(".git", ".venv", ".assets", "node_modules", "build")
    shutil.copytree(REPO, dest, ignore=skip)
    for name in (".assets", "node_modules"):
        if (REPO / name).exists():
            (dest / name).symlink_to(REPO / name)
    return dest


def execute(
    nb: nbformat.NotebookNode, code: Path, cwd: Path, model_cache: Path
) -> tuple[nbformat.NotebookNode, float]:
    """Run a copy of `nb` in a fresh kernel that imports `utils` from `code`:
    offline, quick, with an empty model cache."""
    os.environ.update(
        PYTHONPATH=f"{code}{os.pathsep}{code / 'tests' / 'offline'}",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        COURSE_QUICK="1",
        COURSE_MODEL_CACHE=str(model_cache),
    )
    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": cwd}}
    )
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def first_difference(a, b, rules) -> str | None:
    """A report of the first code cell whose text outputs differ, or None."""
    for i, (x, y) in enumerate(zip(a.cells, b.cells)):
        if not compared(x):
            continue
        tx, ty = text_outputs(x, rules), text_outputs(y, rules)
        if tx != ty:
            diff = difflib.unified_diff(
                tx.splitlines(), ty.splitlines(), "run 1", "run 2", lineterm=""
            )
            first_line = x.source.splitlines()[0] if x.source else ""
            return f"cell {i} ({first_line!r}) differs:\n" + "\n".join(list(diff)[:40])
    return None


def check(path: Path, rules) -> int:
    """Run one notebook twice; 0 when its compared text outputs agree."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="determinism-") as tmp:
        code = snapshot(Path(tmp) / "code")
        # The copy of the notebook, in its folder, so relative paths still work.
        cwd = code / path.parent.relative_to(REPO)
        nb = nbformat.read(cwd / path.name, as_version=4)
        for k in (1, 2):
            cache = Path(tmp) / f"models-{k}"
            try:
                nb_run, seconds = execute(nb, code, cwd, cache)
            except CellExecutionError as err:
                print(
                    f"{path.name} run {k} failed: {str(err).strip().splitlines()[-1]}"
                )
                return 1
            trained = sorted(p.name for p in cache.iterdir()) if cache.is_dir() else []
            print(
                f"{path.name} run {k}: {seconds:.0f} s, "
                f"trained afresh: {', '.join(trained) or 'none'}",
                flush=True,
            )
            runs.append(nb_run)
    n = sum(compared(c) for c in runs[0].cells)
    report = first_difference(*runs, rules)
    if report:
        print(f"{path.name}: NOT deterministic, {report}")
        return 1
    print(f"{path.name}: the text outputs of {n} code cells are identical in both runs")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=TRAINING_LESSONS)
    args = parser.parse_args()
    rules = sanitize_rules()
    return max(check(path.resolve(), rules) for path in args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
