"""The slide build (scripts/build_slides.py) and the deck check (scripts/check_decks.py).

Small notebooks written here are built into a temporary folder; the browser
tests open them in headless Chromium as the deck check does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from scripts import build_slides, check_decks
from scripts.chromium import launch, start_playwright

WIDGET = {"model_id": "0123", "version_major": 2, "version_minor": 0}


def cell(kind: str, source: str, slide: str = "-", tags=(), outputs=()):
    """A notebook cell with slide metadata (and outputs, for code)."""
    meta = {"slideshow": {"slide_type": slide}, "tags": list(tags)}
    if kind == "markdown":
        return nbformat.v4.new_markdown_cell(source, metadata=meta)
    return nbformat.v4.new_code_cell(source, metadata=meta, outputs=list(outputs))


def html_output(text: str):
    return nbformat.v4.new_output(
        "display_data", {"text/html": text, "text/plain": "<HTML>"}
    )


def widget_output():
    return nbformat.v4.new_output(
        "display_data", {build_slides.WIDGET_VIEW: WIDGET, "text/plain": "VBox(...)"}
    )


def write(folder: Path, name: str, cells: list) -> Path:
    """Write a notebook with these cells (and a saved widget state) to folder/name."""
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {"0123": {}}}
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def lesson(folder: Path) -> Path:
    """A small lesson: a title, a vertical sub-slide with a fragment, a widget
    cell (static HTML, then the live view), a long code line."""
    return write(
        folder / "part9_demo",
        "01_demo.ipynb",
        [
            cell("markdown", "# A demo lesson", "slide", ["talk"]),
            cell("markdown", "## Below the title", "subslide", ["talk"]),
            cell("markdown", "A fragment.", "fragment", ["talk"]),
            cell("markdown", "Not on the talk path.", "slide"),
            cell(
                "code",
                "# NBVAL_IGNORE_OUTPUT\nbox = show(update, controls)",
                "subslide",
                ["talk"],
                [
                    html_output(
                        '<table style="font-size:15px"><tr><td>static picture</td></tr></table>'
                    ),
                    widget_output(),
                ],
            ),
            cell(
                "code",
                "x = dict(" + ", ".join(f"a{i}={i}" for i in range(40)) + ")",
                "slide",
                ["talk"],
            ),
        ],
    )


def test_a_talk_deck_is_flat_and_keeps_its_slide_count(tmp_path):
    nb = nbformat.read(lesson(tmp_path), as_version=4)
    cells = build_slides.talk_cells(nb)
    types = check_decks.slide_types(cells)
    assert "subslide" not in types
    assert check_decks.expected_slides(cells) == (4, 4)
    # the same slides as the notebook's talk cells make, all in one row
    assert check_decks.expected_slides(build_slides.talk_only(nb)) == (2, 4)
    assert "subslide" in check_decks.slide_types(nb.cells)  # the notebook is untouched


def test_a_deck_drops_live_widgets_and_keeps_their_static_picture(tmp_path):
    nb = nbformat.read(lesson(tmp_path), as_version=4)
    deck = build_slides.for_slides(nb)
    outputs = [o for c in deck.cells if c.cell_type == "code" for o in c.outputs]
    assert [list(o.data) for o in outputs] == [["text/html", "text/plain"]]
    assert "widgets" not in deck.metadata
    assert "NBVAL" not in deck.cells[4].source
    assert "widgets" in nb.metadata and len(nb.cells[4].outputs) == 2  # a copy
    assert check_decks.widget_cells(nb.cells) == [(nb.cells[4].id, True)]


def notes_of(cells) -> list[str]:
    return [c.source for c in cells if c.metadata["slideshow"]["slide_type"] == "notes"]


def test_a_talk_slide_keeps_five_lines_of_prose_and_the_rest_is_notes():
    items = "\n".join(f"- point {i}, one short line" for i in range(7))
    shown, notes = build_slides.on_slide(f"## Summary\n\n{items}\n\nA closing line.")
    assert shown == "## Summary\n\n" + "\n".join(items.splitlines()[:5])
    assert notes == "\n".join(items.splitlines()[5:]) + "\n\nA closing line."
    long = " ".join(
        f"Sentence {i} says a little more, with `code. inside` it." for i in range(9)
    )
    shown, notes = build_slides.on_slide(long)
    assert shown.startswith("Sentence 0") and shown.endswith("it.")
    assert build_slides.screen_lines(shown) <= build_slides.TALK_LINES
    assert f"{shown} {notes}" == long  # cut between sentences, never in `code`
    assert build_slides.on_slide("Short.", room=0) == ("", "Short.")


def test_a_talk_deck_moves_plotting_long_code_and_extra_tables_to_the_notes():
    png = nbformat.v4.new_output(
        "display_data", {"image/png": "iVBOR", "text/plain": "<Figure>"}
    )
    table = "### Main\n\n| a |\n|---|\n| 1 |\n\n### More\n\n| b |\n|---|\n| 2 |"
    md = nbformat.v4.new_output(
        "display_data", {"text/markdown": table, "text/plain": ""}
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            cell("code", "plt.plot([1, 2])", "slide", ["talk"], [png]),
            cell(
                "markdown",
                "First caption sentence. " + "More words here. " * 20,
                "-",
                ["talk"],
            ),
            cell(
                "code",
                "\n".join(f"x{i} = {i}" for i in range(9)),
                "slide",
                ["talk"],
                [html_output("ok")],
            ),
            cell("code", "short = 1", "slide", ["talk"], [html_output("ok")]),
            cell("code", "Markdown(bench)", "slide", ["talk"], [md]),
            cell(
                "markdown", "Said, not shown.", "-", ["talk", build_slides.NOTES_ONLY]
            ),
        ]
    )
    cells = build_slides.talk_cells(nb)
    hidden = [c.source.split("\n")[0] for c in cells if c.metadata.get("transient")]
    assert hidden == ["plt.plot([1, 2])", "x0 = 0"]  # the short cell keeps its code
    notes = notes_of(cells)
    assert notes[0] == "```python\nplt.plot([1, 2])\n```"
    caption = cells[2].source  # beside code: a caption's two lines, then the notes
    assert caption.startswith("First caption sentence. More words here.")
    assert build_slides.screen_lines(caption) == build_slides.TALK_CAPTION_LINES
    assert f"{caption} {notes[1]}" == nb.cells[1].source.strip()
    assert md["data"]["text/markdown"] == table  # the notebook's output is untouched
    shown = next(c for c in cells if c.source == "Markdown(bench)").outputs[0]
    assert shown["data"]["text/markdown"] == "| a |\n|---|\n| 1 |\n"  # the table alone
    assert notes[3] == "### Main\n\n...\n\n### More\n\n| b |\n|---|\n| 2 |"
    assert notes[4] == "Said, not shown." and cells[-1].source == notes[4]  # whole


def png_output():
    return nbformat.v4.new_output(
        "display_data", {"image/png": "iVBOR", "text/plain": "<Figure>"}
    )


def test_prose_above_a_picture_keeps_three_lines_and_never_half_a_list():
    items = "\n".join(f"- role {i}, one short line" for i in range(3))
    above = cell(
        "markdown",
        f"## Step 1\n\nEach token plays three roles:\n\n{items}",
        "slide",
        ["talk"],
    )
    picture = cell("code", "plt.imshow(w)", "fragment", ["talk"], [png_output()])
    cells = build_slides.talk_cells(nbformat.v4.new_notebook(cells=[above, picture]))
    assert cells[0].source == "## Step 1"  # 4 lines do not fit in 3: all go
    assert notes_of(cells)[0] == f"Each token plays three roles:\n\n{items}"
    # the same prose on a slide of its own keeps its five lines
    alone = build_slides.talk_cells(nbformat.v4.new_notebook(cells=[above]))
    assert alone[0].source == above.source
    # a picture on the next slide leaves this one its five lines
    later = cell("code", "plt.imshow(w)", "slide", ["talk"], [png_output()])
    cells = build_slides.talk_cells(nbformat.v4.new_notebook(cells=[above, later]))
    assert cells[0].source == above.source
    # a widget's static picture counts as a picture too
    widget = cell(
        "code",
        "show(f, c)",
        "fragment",
        ["talk"],
        [html_output("<b>v</b>"), widget_output()],
    )
    deck = build_slides.for_slides(nbformat.v4.new_notebook(cells=[above, widget]))
    assert build_slides.talk_cells(deck)[0].source == "## Step 1"
    short = cell("markdown", "## Try it\n\nType a sentence.", "slide", ["talk"])
    cells = build_slides.talk_cells(nbformat.v4.new_notebook(cells=[short, picture]))
    assert cells[0].source == short.source


def test_each_lessons_first_talk_slide_shows_where_it_sits_in_the_course():
    from utils.course import LESSONS

    nb = nbformat.v4.new_notebook(
        cells=[
            cell("markdown", "## The deck's question", "slide", ["talk"]),
            cell("markdown", "Ask the room.", "notes", ["talk"]),
            cell("markdown", "## Build it", "slide", ["talk"]),
        ]
    )
    lesson = LESSONS[2]  # 1.3
    path = build_slides.REPO / "notebooks" / lesson.path
    cells = build_slides.talk_cells(nb, path)
    maps = [c for c in cells if c.cell_type == "code"]
    assert len(maps) == 1 and maps[0].source == "draw_course_map(1, 3)"
    assert cells.index(maps[0]) == 1  # on the first slide, under its text
    assert "image/png" in maps[0].outputs[0]["data"]
    assert check_decks.expected_slides(cells) == (2, 2)  # no slide added
    start = build_slides.REPO / "notebooks" / "00_start_here.ipynb"
    [first] = [c for c in build_slides.talk_cells(nb, start) if c.cell_type == "code"]
    assert first.source == "draw_course_map(1, None)"
    for elsewhere in (
        build_slides.REPO / "notebooks" / "part9_x" / "01_x.ipynb",
        Path("/tmp/01_x.ipynb"),
    ):
        assert all(
            c.cell_type == "markdown" for c in build_slides.talk_cells(nb, elsewhere)
        )


def test_only_notebooks_with_stripped_outputs_need_executing(tmp_path):
    nb = nbformat.read(lesson(tmp_path), as_version=4)
    assert not build_slides.needs_execution(nb)
    nb.cells[5].metadata["tags"].append(build_slides.THIRD_PARTY)
    assert build_slides.needs_execution(nb)


def test_one_notebook_or_one_part_can_be_chosen():
    everything = build_slides.notebooks()
    one = [p for p in everything if p.name == "05_attention.ipynb"]
    assert build_slides.chosen([str(one[0])], talk=False) == one
    part2 = build_slides.chosen(["part2"], talk=True)
    assert part2 and {build_slides.talk_part(p) for p in part2} == {"part2"}
    assert build_slides.chosen([], talk=False) == everything
    with pytest.raises(SystemExit, match="no part 'part7'"):
        build_slides.chosen(["part7"], talk=True)
    with pytest.raises(SystemExit, match="is not a notebook"):
        build_slides.chosen(["README.md"], talk=False)


def local_references(page: Path) -> list[Path]:
    """The files a built page or style sheet names (src, href, @import, url())."""
    text = page.read_text(encoding="utf-8")
    names = re.findall(r'(?:src|href)="([^"#]+)"', text)
    names += re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", text)
    names = [n.split("?")[0] for n in names if not n.startswith(("data:", "#"))]
    names = [n for n in names if n.endswith((".js", ".css", ".woff"))]
    return [(page.parent / n).resolve() for n in names]


def test_a_built_deck_names_only_files_inside_its_folder(tmp_path):
    out = tmp_path / "slides"
    [deck] = build_slides.build([lesson(tmp_path)], out=out)
    [talk] = build_slides.build([lesson(tmp_path)], talk=True, out=out)
    assert talk.name == "talk_part9.slides.html"
    assert "node_modules" not in deck.read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="https?:', deck.read_text(encoding="utf-8"))
    seen, queue = set(), [deck, talk]
    while queue:  # the decks, then every style sheet they pull in
        for path in local_references(queue.pop()):
            assert path.is_relative_to(out.resolve()) and path.exists(), path
            if path.suffix == ".css" and path not in seen:
                seen.add(path)
                queue.append(path)
    assert out / "lib/reveal.js/dist/theme/course-talk.css" in seen
    assert any(
        p.suffix == ".woff"
        for p in local_references(
            out
            / build_slides.LIB
            / "reveal.js/dist/theme/fonts/source-sans-pro/source-sans-pro.css"
        )
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "01_demo.slides.html" in index and "talk_part9.slides.html" in index


# The browser tests: the deck check itself, on small decks.


@pytest.fixture(scope="module")
def browser():
    playwright = start_playwright()
    browser = launch(playwright)  # ChromiumMissing says what to install
    yield browser
    browser.close()
    playwright.stop()


def run_check(browser, deck: Path, cells: list, talk: bool, tmp_path: Path):
    source = check_decks.Deck(cells, talk=talk)
    source.widget_cells = check_decks.widget_cells(cells)
    shots = tmp_path / "shots"
    shots.mkdir(exist_ok=True)
    return check_decks.check_deck(browser, deck, source, shots)


BERTVIZ = '<div id="bertviz-1"><select><option>layer 0</option></select><svg><line/></svg></div>'


def test_the_check_passes_a_fitting_talk_deck_copied_elsewhere(browser, tmp_path):
    path = lesson(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].outputs = [html_output(BERTVIZ)]  # its menu works with no kernel
    nbformat.write(nb, path)
    build_slides.build([path], talk=True, out=tmp_path / "slides")
    elsewhere = shutil.copytree(tmp_path / "slides", tmp_path / "copied" / "deep")
    shutil.rmtree(tmp_path / "slides")
    cells = build_slides.talk_cells(nbformat.read(path, as_version=4))
    row, problems, _ = run_check(
        browser, elsewhere / "talk_part9.slides.html", cells, True, tmp_path
    )
    assert problems == []
    assert row["key"] == "Right: 4/4" and row["widgets"] == 1 and row["bertviz"] == 1
    assert float(row["font px"]) >= check_decks.MIN_FONT_PX
    assert row["overflow"] == 0 and row["prose>5"] == 0
    assert row["pictures"] == "2/4"  # the widget's static picture, the bertviz view
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert shots == [f"talk_part9.slides-{i:02d}.png" for i in range(4)]  # every slide


def test_the_check_finds_overflow_and_a_missing_library(browser, tmp_path):
    path = lesson(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="line\n" * 40),
        html_output("<button>a dead control</button>"),
    ]
    # One sentence the build cannot cut (a slide keeps at least a first sentence).
    prose = " ".join(f"clause {i} of a sentence that will not end," for i in range(90))
    nb.cells.append(cell("markdown", prose, "slide", ["talk"]))
    nbformat.write(nb, path)
    build_slides.build([path], talk=True, out=tmp_path / "slides")
    (tmp_path / "slides/lib/mathjax/config/Safe.js").unlink()
    row, problems, _ = run_check(
        browser,
        tmp_path / "slides/talk_part9.slides.html",
        build_slides.talk_cells(nb),
        True,
        tmp_path,
    )
    assert row["overflow"] == 2 and row["prose>5"] == 1
    assert any(p.startswith("overflow: slide 3 ('x = dict(") for p in problems)
    assert any(
        p.startswith("overflow: slide 4 ('clause 0") and "past the bottom" in p
        for p in problems
    )
    assert any(p.startswith("request failed") and "Safe.js" in p for p in problems)
    assert "1 widget controls in the deck (no kernel: dead)" in problems
    # a talk deck also fails on too few pictures and on a wordy slide
    assert any(p.startswith("pictures on 20% of the slides") for p in problems)
    assert any(p.startswith("prose: slide 4 ('clause 0") for p in problems)


def test_the_presenters_key_must_reach_every_slide(browser, tmp_path):
    path = lesson(tmp_path)
    [deck] = build_slides.build([path], out=tmp_path / "slides")
    cells = nbformat.read(path, as_version=4).cells
    row, problems, _ = run_check(browser, deck, cells, False, tmp_path)
    assert row["key"] == "Space: 5/5" and problems == []
    # a lesson deck has sub-slides: the Right arrow skips them
    row, problems, _ = run_check(browser, deck, cells, True, tmp_path)
    assert row["key"] == "Right: 3/5"
    assert "ArrowRight from the first slide skips slides [1, 3]" in problems
