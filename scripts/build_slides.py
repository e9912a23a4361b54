"""Build offline reveal.js decks from the notebooks (`make slides`, `make slides-talk`).

Every library the deck needs (reveal.js, require.js, jQuery, MathJax, the
widget renderer) is served from the npm-locked copies in node_modules/, so the
decks open with no network. Widgets show from their saved state.

    python scripts/build_slides.py            # one deck per notebook + index.html
    python scripts/build_slides.py --talk     # only cells tagged `talk`, one deck per part
    python scripts/build_slides.py --execute  # execute each notebook fresh first
"""

from __future__ import annotations

import argparse
import copy
import html
import os
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import ExecutePreprocessor

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "slides"
NODE = REPO / "node_modules"

LIBRARIES = {
    "reveal_url_prefix": "reveal.js",
    "require_js_url": "requirejs/require.js",
    "jquery_url": "jquery/dist/jquery.min.js",
    "widget_renderer_url": "@jupyter-widgets/html-manager/dist/embed-amd.js",
    "mathjax_url": "mathjax/MathJax.js",
}


def exporter(out_dir: Path) -> SlidesExporter:
    missing = [p for p in LIBRARIES.values() if not (NODE / p).exists()]
    if missing:
        sys.exit(
            f"slides stopped: the browser libraries are missing ({missing[0]}): run `make assets`."
        )
    ex = SlidesExporter()
    rel = Path(os.path.relpath(NODE, out_dir))
    for option, path in LIBRARIES.items():
        setattr(ex, option, (rel / path).as_posix())
    # nbconvert 7.17 imports mermaid from cdnjs in every deck; no lesson draws a
    # mermaid diagram, so a local no-op module keeps the deck offline.
    ex.mermaid_js_url = "data:text/javascript,export default {initialize() {}};"
    ex.reveal_scroll = True
    return ex


def notebooks() -> list[Path]:
    """Course order: 00_start_here, then part1_*, part2_*, part3_* by lesson number."""
    return sorted(
        (REPO / "notebooks").rglob("*.ipynb"),
        key=lambda p: p.relative_to(REPO).as_posix(),
    )


def execute(nb: nbformat.NotebookNode, folder: Path) -> None:
    ExecutePreprocessor(
        timeout=900, kernel_name="python3", record_timing=False
    ).preprocess(nb, {"metadata": {"path": str(folder)}})


def talk_only(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if "talk" in c.metadata.get("tags", [])]


def talk_part(path: Path) -> str:
    """The talk deck (talk_<part>) that a notebook's `talk` cells go into: its
    part; the start-here notebook opens the first part's talk."""
    folder = path.parent.name
    return folder.split("_")[0] if folder.startswith("part") else "part1"


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def merge_widget_state(deck: nbformat.NotebookNode, nb: nbformat.NotebookNode) -> None:
    """Carry a notebook's saved widget models into a combined talk deck."""
    src = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not src:
        return
    widgets = deck.metadata.setdefault("widgets", {})
    dst = widgets.setdefault(WIDGET_STATE, {**src, "state": {}})
    dst["state"].update(src["state"])


def write_index(title: str) -> Path:
    """An index of every deck in the build folder: the lesson decks in course
    order, then the talk decks. Both builds keep each other's decks listed."""
    order = {p.stem: i for i, p in enumerate(notebooks())}
    lessons = sorted(
        (p for p in BUILD.glob("*.slides.html") if not p.name.startswith("talk_")),
        key=lambda p: order.get(p.name.removesuffix(".slides.html"), len(order)),
    )
    talks = sorted(BUILD.glob("talk_*.slides.html"))
    items = "\n".join(
        f'<li><a href="{html.escape(p.name)}">'
        f"{html.escape(p.name.removesuffix('.slides.html').replace('_', ' '))}</a></li>"
        for p in lessons + talks
    )
    index = BUILD / "index.html"
    index.write_text(
        f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
        f"<body style='font:18px sans-serif;max-width:40em;margin:2em auto'>"
        f"<h1>{title}</h1><ol>\n{items}\n</ol></body>\n",
        encoding="utf-8",
    )
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--talk", action="store_true", help="only `talk` cells, one deck per part"
    )
    parser.add_argument(
        "--execute", action="store_true", help="execute each notebook fresh first"
    )
    args = parser.parse_args()
    BUILD.mkdir(parents=True, exist_ok=True)
    ex = exporter(BUILD)
    decks: list[tuple[str, Path]] = []
    parts: dict[str, nbformat.NotebookNode] = {}
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        if args.execute:
            print(f"executing {path.relative_to(REPO)}", flush=True)
            execute(nb, path.parent)
        if args.talk:
            part = talk_part(path)
            deck = parts.setdefault(
                part, nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
            )
            deck.cells += talk_only(nb)
            merge_widget_state(deck, nb)
            continue
        body, _ = ex.from_notebook_node(
            nb, resources={"metadata": {"path": str(path.parent)}}
        )
        out = BUILD / f"{path.stem}.slides.html"
        out.write_text(body, encoding="utf-8")
        decks.append((path.stem.replace("_", " "), out))
    for part, deck in parts.items():
        body, _ = ex.from_notebook_node(deck)
        out = BUILD / f"talk_{part}.slides.html"
        out.write_text(body, encoding="utf-8")
        decks.append((f"talk: {part}", out))
    index = write_index("Transformers Lunch & Learn: slides")
    print(
        f"{len(decks)} decks in {BUILD.relative_to(REPO)}; open {index.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
