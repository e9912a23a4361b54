"""Build offline reveal.js decks from the notebooks (`make slides`, `make slides-talk`).

The build folder is self-contained: the few library files a deck needs
(reveal.js and its local fonts, require.js, jQuery, MathJax's TeX set) are
copied from the npm-locked node_modules/ into build/slides/lib/, and every deck
points there relatively, so the folder works wherever it is copied and no
request leaves the machine. Widgets have no kernel in a deck: their live view
is dropped and the static picture that `utils.widgets.show` saved shows.
Talk decks are flat (one slide after another), so the Right arrow reaches all,
and each slide is one screen: a few lines of prose (fewer above a picture),
the rest in the speaker notes; long printouts in two columns; each lesson's
first slide shows where the lesson sits in the course (its course map).

    python scripts/build_slides.py                       # every lesson deck + index.html
    python scripts/build_slides.py notebooks/part1_background/05_attention.ipynb
    python scripts/build_slides.py --talk                # one deck per part, `talk` cells
    python scripts/build_slides.py --talk part1          # one part's talk deck
    python scripts/build_slides.py --execute             # execute each notebook fresh first
    python scripts/build_slides.py --execute-needed      # only those the deck needs run
"""

from __future__ import annotations

import argparse
import base64
import copy
import html
import io
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import ExecutePreprocessor

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # utils, for the course map
BUILD = REPO / "build" / "slides"
NODE = REPO / "node_modules"
LIB = "lib"  # the libraries' folder inside the build folder

# What the decks load from node_modules/, copied to lib/ (folders whole). MathJax 2
# loads its config, the Safe extension, fonts and TeX extensions on demand: this
# is the TeX + CommonHTML set (1.4 MB of its 73 MB).
LIBRARY_FILES = [
    "reveal.js/LICENSE",
    "reveal.js/dist/reveal.js",
    "reveal.js/dist/reveal.css",
    "reveal.js/dist/theme/white.css",
    "reveal.js/dist/theme/fonts/source-sans-pro/LICENSE",
    "reveal.js/dist/theme/fonts/source-sans-pro/source-sans-pro.css",
    *(
        f"reveal.js/dist/theme/fonts/source-sans-pro/source-sans-pro-{style}.woff"
        for style in ("regular", "italic", "semibold", "semibolditalic")
    ),
    "reveal.js/plugin/notes/notes.js",
    "requirejs/require.js",
    "jquery/LICENSE.txt",
    "jquery/dist/jquery.min.js",
    "mathjax/LICENSE",
    "mathjax/MathJax.js",
    "mathjax/config/TeX-AMS_CHTML-full.js",
    "mathjax/config/Safe.js",
    *(f"mathjax/extensions/{name}.js" for name in ("MathMenu", "MathZoom", "Safe")),
    "mathjax/extensions/TeX",
    "mathjax/jax/output/CommonHTML",
    "mathjax/jax/element/mml/optable",
    "mathjax/fonts/HTML-CSS/TeX/woff",
]
LIBRARIES = {  # the exporter's options, relative to the build folder
    "reveal_url_prefix": f"{LIB}/reveal.js",
    "require_js_url": f"{LIB}/requirejs/require.js",
    "jquery_url": f"{LIB}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{LIB}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
THEME = "course"  # lib/reveal.js/dist/theme/course.css and course-talk.css

# reveal's white theme with its bundled Source Sans Pro (no web fonts), and
# notebook cells at projector size across the whole slide: no prompt column, text
# at least 24 px at 1280x720 (the slide is 1280x720, scaled by 0.96 for its
# margin), long code lines wrapped, pictures and tables scaled to fit the width.
THEME_CSS = """@import url(white.css);
:root {
  --jp-content-font-family: "Source Sans Pro", Helvetica, sans-serif;
  --jp-content-font-size1: 30px; --jp-ui-font-size1: 26px; --jp-code-font-size: 26px;
  --jp-cell-prompt-width: 0px; }
.reveal h1, .reveal h2, .reveal h3, .reveal h4 { text-transform: none; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal .jp-Cell { padding: 0; }
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li { line-height: 1.3; }
.reveal .highlight { margin: 0; }
.reveal pre { width: 100%; box-sizing: border-box; margin: 0; box-shadow: none;
  line-height: 1.25; white-space: pre-wrap; word-break: normal; overflow-wrap: anywhere; }
.reveal .jp-OutputArea-output [style*="font-size"] { font-size: 26px !important; }
.reveal table { font-size: 26px; }
.reveal .jp-OutputArea-output img { max-width: 100%; height: auto; }
"""
# A talk slide is one screen: the slide is a column as tall as the slide, and a
# cell's picture shrinks (keeping its shape, to 180 px at least) to leave room
# for the text above it; what still does not fit, the deck check reports.
TALK_CSS = """@import url(course.css);
.reveal .slides section > section { height: 100%; box-sizing: border-box; padding: 0;
  flex-direction: column; justify-content: safe center; }
.reveal .slides section.present > section.present { display: flex !important; }
.reveal .slides section > section > * { flex: none; }
.reveal .slides section > section :is(.fragment, .jp-Cell, .jp-Cell-outputWrapper,
  .jp-OutputArea, .jp-OutputArea-child):has(.jp-RenderedImage), .reveal .jp-RenderedImage {
  display: flex; flex-direction: column; flex: 0 1 auto; min-height: 180px; }
.reveal table th, .reveal table td { padding: 0 0.4em; line-height: 1.15; }
.reveal td code { padding: 0 0.2em; }
.reveal .jp-OutputArea-output pre { line-height: 1.15; }
.reveal .jp-OutputArea-output.jp-RenderedHTMLCommon { line-height: 1.2; }
.reveal .jp-OutputArea-output sub, .reveal .jp-OutputArea-output sup { line-height: 0; }
.reveal .celltag_talk-columns .jp-OutputArea { display: block; columns: 2; column-gap: 1em; }
.reveal .jp-OutputArea-child { break-inside: avoid; }
.reveal .celltag_talk-columns :is(.jp-OutputArea-child, .jp-OutputArea-output, pre) {
  break-inside: auto; overflow: visible; }
.reveal .jp-OutputArea-child, .reveal .jp-OutputArea-output { margin: 0; padding-top: 0; padding-bottom: 0; }
.reveal .jp-RenderedImage img { min-height: 180px; align-self: flex-start;
  object-fit: contain; object-position: left top; }
"""
THEMES = {THEME: THEME_CSS, f"{THEME}-talk": TALK_CSS}
# Lines that mark a cell for nbval; no use on a slide.
NBVAL_MARK = re.compile(r"^# NBVAL_\w+\n?", re.MULTILINE)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
THIRD_PARTY = "third-party-output"  # stripped from the saved notebook (bertviz)
STATIC_WIDGET = "static-widget"  # a deck's mark on a cell whose widget was dropped
OUTPUT_ONLY = "talk-output-only"  # a talk deck shows only this cell's outputs
NOTES_ONLY = "talk-notes"  # a talk deck keeps this markdown cell's text for the notes
COLUMNS = "talk-columns"  # a talk deck sets this cell's long printout in two columns
TALK_LINES = 5  # of prose on a talk slide; the rest of a cell goes to the notes
TALK_LEAD_LINES = 3  # of prose above a picture on the same talk slide
TALK_CODE_LINES = 8  # a longer code cell shows its outputs; its code goes to the notes
TALK_CAPTION_LINES = 2  # of prose below code on a talk slide
TALK_LINE_CHARS = 70  # characters in a line of prose on a talk slide
TALK_COLUMN_LINES = 14  # a printout longer than this goes in two columns


def copy_libraries(build: Path) -> None:
    """Copy the decks' library files from node_modules/ into build/lib/ and write
    the theme; stop, saying what to run, if node_modules/ lacks one."""
    missing = [p for p in LIBRARY_FILES if not (NODE / p).exists()]
    if missing:
        sys.exit(
            f"slides stopped: the browser libraries are missing ({missing[0]}): run `make assets`."
        )
    for name in LIBRARY_FILES:
        source, target = NODE / name, build / LIB / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
    for name, css in THEMES.items():
        theme = build / LIB / "reveal.js" / "dist" / "theme" / f"{name}.css"
        theme.write_text(css, encoding="utf-8")


def exporter(talk: bool = False) -> SlidesExporter:
    """nbconvert's reveal exporter, pointed at lib/ and the course theme. A
    lesson deck's long slides scroll; a talk deck's slides fit (no scrolling)."""
    ex = SlidesExporter()
    for option, path in LIBRARIES.items():
        setattr(ex, option, path)
    # nbconvert 7.17 imports mermaid from a CDN in every deck; no lesson draws a
    # mermaid diagram, so a local no-op module keeps the deck offline.
    ex.mermaid_js_url = "data:text/javascript,export default {initialize() {}};"
    ex.reveal_theme = f"{THEME}-talk" if talk else THEME
    ex.reveal_width, ex.reveal_height = "1280", "720"
    ex.reveal_scroll = not talk
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


def needs_execution(nb: nbformat.NotebookNode) -> bool:
    """True if the saved notebook lacks outputs the deck shows: cells tagged
    `third-party-output` are stripped before commit. nbval proves every other
    saved notebook equals a fresh run, so those need no execution."""
    return any(THIRD_PARTY in c.metadata.get("tags", []) for c in nb.cells)


def for_slides(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy for a deck: no live widget (each widget-view output and the saved
    widget state dropped, so the static picture `utils.widgets.show` saved is
    what shows: a deck has no kernel, so the controls would be dead), and no
    `# NBVAL_...` marker lines in the code."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = NBVAL_MARK.sub("", cell.source)
            kept = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
            if len(kept) < len(cell.outputs):
                cell.metadata[STATIC_WIDGET] = True  # its outputs: the static picture
            cell.outputs = kept
    return nb


def talk_only(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if "talk" in c.metadata.get("tags", [])]


def flat(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Copies of the cells with each `subslide` made a `slide`: a talk deck is one
    row of slides, so the presenter's Right arrow reaches every one."""
    cells = copy.deepcopy(cells)
    for cell in cells:
        show = cell.metadata.get("slideshow", {})
        if show.get("slide_type") == "subslide":
            show["slide_type"] = "slide"
    return cells


LIST_OR_FENCE = re.compile(r"(?:[-*+]|\d+\.) |```")


def blocks(markdown: str) -> list[str]:
    """A markdown cell's blocks: paragraphs, headings, fenced code, and each
    top-level list item on its own (so a long list can be cut between items)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        starts = not fenced and (
            not out
            or not line.strip()
            or line.startswith("#")
            or re.match(r"(?:[-*+]|\d+\.) ", line)
            or (out[-1].startswith("#"))
        )
        if line.strip().startswith("```"):
            starts, fenced = starts or not fenced, not fenced
        if not line.strip() and not fenced:
            out.append("")
            continue
        if starts or not out or out[-1] == "":
            out.append(line)
        else:
            out[-1] += "\n" + line
    return [b for b in out if b]


def screen_lines(block: str) -> int:
    """About how many lines a block takes on a talk slide (75 characters a line)."""
    text = re.sub(r"[`*_]|\]\([^)]*\)", "", block)
    return sum(
        max(1, -(-len(line.strip()) // TALK_LINE_CHARS)) for line in text.splitlines()
    )


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each sentence, never inside `code` or **bold**."""
    parts, start = [], 0
    for m in re.finditer(r"(?<=[.!?:])\s+(?=[A-Z\"'(*`])", paragraph):
        head = paragraph[start : m.start()]
        if head.count("`") % 2 == 0 and head.count("**") % 2 == 0:
            parts.append(head)
            start = m.end()
    return parts + [paragraph[start:]]


def on_slide(
    markdown: str, room: int = TALK_LINES, whole_lists: bool = False
) -> tuple[str, str]:
    """A talk slide's share of a markdown cell, and the rest for the speaker
    notes: the headings, then blocks (or a first paragraph's sentences) while
    they fit in `room` lines on the screen. With `whole_lists` (a lead-in
    above a picture), a list that does not fit goes to the notes whole, with
    the line that introduces it: no slide shows half a list."""
    shown: list[str] = []
    rest = blocks(markdown)
    while rest:
        block = rest[0]
        if block.startswith("#"):
            shown.append(rest.pop(0))
            continue
        if screen_lines(block) <= room:
            room -= screen_lines(block)
            shown.append(rest.pop(0))
            continue
        first = room > 0 and not any(not b.startswith("#") for b in shown)
        if first and not LIST_OR_FENCE.match(block):
            parts = sentences(" ".join(block.split()))
            n = 1
            while n < len(parts) and screen_lines(" ".join(parts[: n + 1])) <= room:
                n += 1
            shown.append(" ".join(parts[:n]))
            rest[0] = " ".join(parts[n:])
        break
    if whole_lists and rest and LIST_OR_FENCE.match(rest[0]):
        while shown and LIST_OR_FENCE.match(shown[-1]):
            rest.insert(0, shown.pop())
        if shown and shown[-1].rstrip().endswith(":") and not shown[-1].startswith("#"):
            rest.insert(0, shown.pop())
    return joined(shown), joined([b for b in rest if b])


def joined(parts: list[str]) -> str:
    """Blocks back into markdown: list items one per line, the rest apart."""
    out = ""
    for i, part in enumerate(parts):
        tight = i and LIST_OR_FENCE.match(part) and LIST_OR_FENCE.match(parts[i - 1])
        out += ("\n" if tight else "\n\n" if i else "") + part
    return out


def course_map_cell(path: Path) -> nbformat.NotebookNode | None:
    """A picture for the slide that opens a notebook's talk: where its lesson
    sits in its part (`utils.diagrams.draw_course_map`), or, for the
    start-here notebook, the first part's lessons. None for a notebook that
    is not a lesson of the map."""
    import matplotlib.pyplot as plt

    from utils.course import LESSONS
    from utils.diagrams import draw_course_map

    folder = REPO / "notebooks"
    if not path.resolve().is_relative_to(folder):
        return None
    where = path.resolve().relative_to(folder).as_posix()
    found = [(x.part, x.number) for x in LESSONS if x.path == where]
    if not found and "/" in where:  # not a lesson of the map
        return None
    part, current = found[0] if found else (1, None)
    fig = draw_course_map(part, current)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=100)
    plt.close(fig)
    image = base64.b64encode(png.getvalue()).decode("ascii")
    output = nbformat.v4.new_output("display_data", data={"image/png": image})
    meta = {"slideshow": {"slide_type": "-"}, "transient": {"remove_source": True}}
    call = f"draw_course_map({part}, {current})"
    return nbformat.v4.new_code_cell(call, outputs=[output], metadata=meta)


def talk_cells(
    nb: nbformat.NotebookNode, path: Path | None = None
) -> list[nbformat.NotebookNode]:
    """The cells a notebook adds to its talk deck: its `talk` cells, flat. A
    talk slide shows a markdown cell's first few lines (`on_slide`: fewer above
    a picture on the same slide, a caption's below code); the rest
    become the slide's speaker notes (S opens them), as do the words around a
    Markdown table that a cell prints (a bench section). A code cell that draws a
    picture, one of more than TALK_CODE_LINES lines, or one tagged
    `talk-output-only` shows its outputs, and its code goes to the notes.
    With the notebook's `path`, the talk's first slide of a lesson also shows
    where the lesson sits in the course (`course_map_cell`)."""
    cells = []
    where = course_map_cell(path) if path else None
    beside_code = False  # on a slide that already shows code: a caption's room
    talk = flat(talk_only(nb))
    for i, cell in enumerate(talk):
        cells.append(cell)
        if cell.metadata.get("slideshow", {}).get("slide_type") == "slide":
            beside_code = False
        if cell.cell_type == "code":
            beside_code = True
            printed = "".join(o.get("text", "") for o in cell.outputs)
            if printed.count("\n") > TALK_COLUMN_LINES:
                cell.metadata["tags"] = [*cell.metadata.get("tags", []), COLUMNS]
            for output in cell.outputs:
                text = output.get("data", {}).get("text/markdown", "")
                # a bench section: its table shows, its words go to the notes
                table, rest = first_table(text)
                if table and rest:
                    output["data"]["text/markdown"] = table
                    meta = {"slideshow": {"slide_type": "notes"}}
                    cells.append(nbformat.v4.new_markdown_cell(rest, metadata=meta))
            long = cell.source.count("\n") >= TALK_CODE_LINES and cell.outputs
            plot = any("image/png" in o.get("data", {}) for o in cell.outputs)
            if long or plot or OUTPUT_ONLY in cell.metadata.get("tags", []):
                cell.metadata["transient"] = {"remove_source": True}
                meta = {"slideshow": {"slide_type": "notes"}}
                code = f"```python\n{cell.source}\n```"
                cells.append(nbformat.v4.new_markdown_cell(code, metadata=meta))
        elif NOTES_ONLY in cell.metadata.get("tags", []):
            cell.metadata["slideshow"] = {"slide_type": "notes"}  # said, not shown
        else:
            room = TALK_CAPTION_LINES if beside_code else TALK_LINES
            lead = not beside_code and picture_follows(talk[i + 1 :])
            if lead:
                room = TALK_LEAD_LINES
            cell.source, notes = on_slide(cell.source, room, whole_lists=lead)
            if notes:
                meta = {"slideshow": {"slide_type": "notes"}}
                cells.append(nbformat.v4.new_markdown_cell(notes, metadata=meta))
        if where is not None:  # under the first slide's text
            cells.append(where)
            where = None
    return cells


def first_table(markdown: str) -> tuple[str, str]:
    """A Markdown text's first table, and the rest of the text (its headings,
    paragraphs and later tables): ("", markdown) when it has none."""
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("|")), None)
    if start is None:
        return "", markdown
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rest = "\n".join(lines[:start] + ["..."] + lines[end:]).strip()
    return "\n".join(lines[start:end]) + "\n", rest


def shows_picture(cell: nbformat.NotebookNode) -> bool:
    """Does a code cell leave a picture: a figure, or a widget's static view?"""
    data = [o.get("data", {}) for o in cell.get("outputs", [])]
    widget = STATIC_WIDGET in cell.metadata or any(WIDGET_VIEW in d for d in data)
    return any("image/png" in d or (widget and "text/html" in d) for d in data)


def picture_follows(cells: list[nbformat.NotebookNode]) -> bool:
    """Is there a picture further down the same slide (before the next `slide`)?"""
    for cell in cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") == "slide":
            return False
        if cell.cell_type == "code" and shows_picture(cell):
            return True
    return False


def talk_part(path: Path) -> str:
    """The talk deck (talk_<part>) that a notebook's `talk` cells go into: its
    part; the start-here notebook opens the first part's talk."""
    folder = path.parent.name
    return folder.split("_")[0] if folder.startswith("part") else "part1"


def chosen(targets: list[str], talk: bool) -> list[Path]:
    """The notebooks to read: all, or those named (paths, or with --talk parts)."""
    paths = notebooks()
    if not targets:
        return paths
    if talk:
        parts = {talk_part(p) for p in paths}
        unknown = sorted(set(targets) - parts)
        if unknown:
            sys.exit(f"slides stopped: no part {unknown[0]!r}; parts: {sorted(parts)}")
        return [p for p in paths if talk_part(p) in targets]
    wanted = [Path(t).resolve() for t in targets]
    unknown = [t for t, p in zip(targets, wanted) if p not in paths]
    if unknown:
        sys.exit(f"slides stopped: {unknown[0]} is not a notebook under notebooks/")
    return [p for p in paths if p in wanted]


def write_index(build: Path, title: str) -> Path:
    """An index of every deck in the build folder: the lesson decks in course
    order, then the talk decks. Every build keeps the others' decks listed."""
    order = {p.stem: i for i, p in enumerate(notebooks())}
    lessons = sorted(
        (p for p in build.glob("*.slides.html") if not p.name.startswith("talk_")),
        key=lambda p: order.get(p.name.removesuffix(".slides.html"), len(order)),
    )
    talks = sorted(build.glob("talk_*.slides.html"))
    items = "\n".join(
        f'<li><a href="{html.escape(p.name)}">'
        f"{html.escape(p.name.removesuffix('.slides.html').replace('_', ' '))}</a></li>"
        for p in lessons + talks
    )
    index = build / "index.html"
    index.write_text(
        f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
        f"<body style='font:18px sans-serif;max-width:40em;margin:2em auto'>"
        f"<h1>{title}</h1><ol>\n{items}\n</ol></body>\n",
        encoding="utf-8",
    )
    return index


def build(
    paths: list[Path],
    *,
    talk: bool = False,
    execute_all: bool = False,
    execute_needed: bool = False,
    out: Path = BUILD,
) -> list[Path]:
    """Write the decks of these notebooks into `out` (talk: one per part) and
    the index; return the decks written."""
    out.mkdir(parents=True, exist_ok=True)
    copy_libraries(out)
    ex = exporter(talk)
    written: list[Path] = []
    parts: dict[str, nbformat.NotebookNode] = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if execute_all or (execute_needed and needs_execution(nb)):
            print(f"executing {path.relative_to(REPO)}", flush=True)
            execute(nb, path.parent)
        nb = for_slides(nb)
        if talk:
            deck = parts.setdefault(
                talk_part(path), nbformat.v4.new_notebook(metadata=nb.metadata)
            )
            deck.cells += talk_cells(nb, path)
            continue
        body, _ = ex.from_notebook_node(
            nb, resources={"metadata": {"path": str(path.parent)}}
        )
        written.append(out / f"{path.stem}.slides.html")
        written[-1].write_text(body, encoding="utf-8")
    for part, deck in parts.items():
        body, _ = ex.from_notebook_node(deck)
        written.append(out / f"talk_{part}.slides.html")
        written[-1].write_text(body, encoding="utf-8")
    write_index(out, "Transformers Lunch & Learn: slides")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "targets",
        nargs="*",
        help="notebooks to build (default: all); with --talk, parts (part1, part2)",
    )
    parser.add_argument(
        "--talk", action="store_true", help="only `talk` cells, one deck per part"
    )
    parser.add_argument(
        "--execute", action="store_true", help="execute each notebook fresh first"
    )
    parser.add_argument(
        "--execute-needed",
        action="store_true",
        help="execute only the notebooks whose deck needs it (`third-party-output` cells)",
    )
    args = parser.parse_args(argv)
    decks = build(
        chosen(args.targets, args.talk),
        talk=args.talk,
        execute_all=args.execute,
        execute_needed=args.execute_needed,
    )
    print(
        f"{len(decks)} decks in {BUILD.relative_to(REPO)}; "
        f"open {(BUILD / 'index.html').relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
