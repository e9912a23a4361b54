"""Remove the outputs of cells tagged `third-party-output` before commit.

Those cells (bertviz views) embed a library's own JavaScript, which is not
committed. They carry `# NBVAL_IGNORE_OUTPUT`, keep their execution count, and
render afresh in a live kernel and in the slide build. The committed notebook
shows a matplotlib picture of the same weights in the next cell instead.

Usage: python scripts/strip_third_party.py NOTEBOOK [NOTEBOOK ...]
"""

import sys

import nbformat

TAG = "third-party-output"


def strip(path: str) -> int:
    nb = nbformat.read(path, as_version=4)
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and TAG in cell.metadata.get("tags", []):
            n += bool(cell.outputs)
            cell.outputs = []
    nbformat.write(nb, path)
    return n


if __name__ == "__main__":
    for notebook in sys.argv[1:]:
        print(f"{notebook}: stripped {strip(notebook)} third-party output(s)")
