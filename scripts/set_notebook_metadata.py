"""Give notebooks the course's kernel and drop editor-only metadata.

Usage: python scripts/set_notebook_metadata.py notebooks/**/*.ipynb
"""

import sys

import nbformat

KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


def main(paths: list[str]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("jupytext", None)
        nb.metadata["kernelspec"] = KERNELSPEC
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)


if __name__ == "__main__":
    main(sys.argv[1:])
